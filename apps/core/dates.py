"""Dates as the platform prints them, in one place: pages, PDF, DOCX and mail.

- Every date is isolated from the text around it. Inside Arabic text, "2026-11-29"
  otherwise reads "29-11-2026" (the Unicode bidirectional algorithm treats digits after
  Arabic letters as Arabic numbers and lays the runs out right to left): pages wrap it in
  ``<bdi>`` (the :func:`~apps.core.templatetags.sharaka.when` filter), plain text (mail,
  DOCX) in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (:func:`isolate`).
- Month names follow the member's Arabic: Morocco writes ماي، يوليوز، شتنبر، نونبر، دجنبر
  where the Middle East writes مايو، يوليو، سبتمبر، نوفمبر، ديسمبر. The variant is set
  per installation with ``SHARAKA_ARABIC_VARIANT`` (``ar-MA``: Moroccan names; anything
  else: the standard ones). French and English use Django's month names.
- Numeric dates are ISO (``2026-11-29``) in every language: one unambiguous form for
  tables that readers of three languages compare.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import dateformat, timezone, translation

# The styles pages ask for, as Django date-format strings.
STYLES = {
    "date": "Y-m-d",
    "datetime": "Y-m-d H:i",
    "time": "H:i",
    "year": "Y",
    "long": "j F Y",  # 28 March 2023
    "full": "l j F Y",  # Tuesday 28 March 2023
}

ARABIC_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
# As Morocco writes them (and the seed minutes of 28 March 2023).
MOROCCAN_MONTHS = (
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
)
VARIANT_MONTHS = {"ar-MA": MOROCCAN_MONTHS}

FSI, PDI = "\u2068", "\u2069"


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant of ``day`` in the installation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of ``day`` in the installation's time zone ("as it stood at the
    end of that day")."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def arabic_months() -> tuple[str, ...]:
    """The month names of the installation's Arabic variant."""
    return VARIANT_MONTHS.get(settings.SHARAKA_ARABIC_VARIANT, ARABIC_MONTHS)


class _DateFormat(dateformat.DateFormat):
    """Django's formatter, with the Arabic variant's month names."""

    def _arabic_month(self) -> str | None:
        if translation.get_language() != "ar" or not isinstance(self.data, datetime.date):
            return None
        return arabic_months()[self.data.month - 1]

    def F(self) -> str:  # noqa: N802 - Django's format character
        return self._arabic_month() or super().F()

    def E(self) -> str:  # noqa: N802
        return self._arabic_month() or super().E()

    def N(self) -> str:  # noqa: N802
        return self._arabic_month() or super().N()

    def b(self) -> str:
        return self._arabic_month() or super().b()


def format_date(value: datetime.date | datetime.datetime | None, style: str = "date") -> str:
    """``value`` in the active language, in one of :data:`STYLES` (or a Django format).

    An aware datetime is shown in the platform's time zone. ``None`` gives "".
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(_DateFormat(value).format(STYLES.get(style, style)))


def isolate(text: str) -> str:
    """``text`` wrapped in FSI … PDI, for plain text (the ``<bdi>`` of mail and DOCX)."""
    return f"{FSI}{text}{PDI}" if text else text


def date_text(value: Any, style: str = "date") -> str:
    """:func:`format_date`, isolated for plain text."""
    return isolate(format_date(value, style))
