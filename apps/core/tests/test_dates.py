"""Dates as the platform prints them: isolated, and with the member's month names."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from apps.core.dates import FSI, MOROCCAN_MONTHS, PDI, date_text, format_date

NOV_29 = datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("variant", "expected"),
    [("ar-MA", "الأحد 29 نونبر 2026"), ("ar", "الأحد 29 نوفمبر 2026")],
)
def test_arabic_month_names_follow_the_variant(settings, variant, expected):
    settings.SHARAKA_ARABIC_VARIANT = variant
    with translation.override("ar"):
        assert format_date(NOV_29, "full") == expected


def test_the_moroccan_months_are_those_of_the_source_document(settings):
    # The minutes of 28 March 2023 write "ماي 2023", "نونبر 2023" (see the demo's tests).
    settings.SHARAKA_ARABIC_VARIANT = "ar-MA"
    months = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ]
    assert list(MOROCCAN_MONTHS) == months
    with translation.override("ar"):
        printed = [format_date(datetime.date(2023, m, 1), "long").split()[1] for m in range(1, 13)]
    assert printed == months


@pytest.mark.parametrize(
    ("lang", "expected"), [("fr", "29 novembre 2026"), ("en", "29 November 2026")]
)
def test_french_and_english_keep_their_month_names(settings, lang, expected):
    settings.SHARAKA_ARABIC_VARIANT = "ar-MA"
    with translation.override(lang):
        assert format_date(NOV_29, "long") == expected


def test_numeric_dates_are_iso_and_isolated_in_every_language():
    template = Template('{% load sharaka %}{{ d|when }} {{ t|when:"datetime" }} {{ none|when }}')
    moment = datetime.datetime(2026, 11, 29, 9, 30, tzinfo=datetime.UTC)
    for lang in ("ar", "fr", "en"):
        with translation.override(lang):
            html = template.render(Context({"d": NOV_29, "t": moment, "none": None}))
        # 09:30 UTC is 10:30 in Casablanca (UTC+1).
        assert html.startswith("<bdi>2026-11-29</bdi> <bdi>2026-11-29 10:30</bdi> <bdi")
    assert date_text(NOV_29) == f"{FSI}2026-11-29{PDI}"


def test_no_template_formats_a_date_by_itself():
    """Every date goes through the ``when`` filter (isolated, the member's months)."""
    roots = [Path(settings.BASE_DIR, "templates"), *Path(settings.BASE_DIR, "apps").glob("*")]
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for root in roots
        for path in root.glob("**/templates/**/*.*")
        if "|date:" in path.read_text(encoding="utf-8")
    ]
    offenders += [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").glob("**/*.*")
        if "|date:" in path.read_text(encoding="utf-8")
    ]
    assert offenders == [], "use {{ value|when }} or |when_text (apps/core/dates.py)"


def test_start_and_end_of_day_bound_the_local_day(settings):
    from django.utils import timezone

    from apps.core.dates import end_of_day, start_of_day

    settings.TIME_ZONE = "Africa/Casablanca"
    day = datetime.date(2023, 3, 28)
    start, end = start_of_day(day), end_of_day(day)
    assert timezone.localtime(start).date() == day == timezone.localtime(end).date()
    assert timezone.localtime(start - datetime.timedelta(microseconds=1)).date() < day
    assert timezone.localtime(end + datetime.timedelta(microseconds=1)).date() > day
