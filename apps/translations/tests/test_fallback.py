"""Arabic that stands in for a missing translation is marked as Arabic."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from apps.committees.record import pick
from apps.core.content import Fallback, localized
from apps.core.tests.tasks import download
from apps.plans.models import Activity

pytestmark = pytest.mark.django_db


def test_an_arabic_only_activity_title_is_marked_on_the_french_page(commitment, done):
    Activity.objects.filter(pk=done.pk).update(title_ar="نشاط بالعربية فقط", title_fr="")
    html = Client().get(f"/fr{commitment.get_absolute_url()[3:]}").content.decode()
    assert '<span lang="ar" dir="rtl">نشاط بالعربية فقط</span>' in html
    # A translated title is not wrapped; the Arabic page wraps nothing.
    assert "Activité 2" in html and '<span lang="ar" dir="rtl">نشاط 2' not in html
    commitment.summary_ar, commitment.summary_fr = "سطر\nثان", ""
    commitment.save()
    html = Client().get(f"/fr{commitment.get_absolute_url()[3:]}").content.decode()
    assert '<dd><span lang="ar" dir="rtl">سطر<br>ثان</span></dd>' in html
    html = Client().get(f"/ar{commitment.get_absolute_url()[3:]}").content.decode()
    assert "نشاط بالعربية فقط" in html
    assert '<span lang="ar" dir="rtl">نشاط بالعربية فقط' not in html


def test_the_filter_escapes_and_marks(done):
    done.title_ar = "<b>نشاط</b>"
    done.title_fr = ""
    template = Template('{% load sharaka %}{{ a|tr:"title" }}|{{ text|tr }}')
    with translation.override("fr"):
        assert localized(done, "title") == "<b>نشاط</b>"
        out = template.render(Context({"a": done, "text": pick({"ar": "مكان", "fr": ""}, "fr")}))
    assert out == (
        '<span lang="ar" dir="rtl">&lt;b&gt;نشاط&lt;/b&gt;</span>|<span lang="ar" dir="rtl">مكان</span>'
    )
    assert not isinstance(pick({"ar": "مكان", "fr": "Lieu"}, "fr"), Fallback)
    assert not isinstance(pick({"ar": "مكان"}, "ar"), Fallback)


def test_an_arabic_only_agenda_item_is_marked_in_the_french_minutes_and_docx(secretariat):
    import io
    import re
    import zipfile

    from apps.accounts import system_user
    from apps.committees import actions
    from apps.committees.tests.factories import make_committee, make_meeting
    from apps.plans.tests.factories import make_plan

    meeting = make_meeting(make_committee(make_plan(), slug="steering"))
    actions.do_add_agenda_item(meeting, acting_user=system_user(), title="تقديم التقدم")
    actions.do_add_decision(meeting, acting_user=system_user(), text="نقطة متفق عليها")
    actions.do_update_meeting(meeting, acting_user=system_user(), opening_remarks_ar="كلمة")
    client = Client()
    client.force_login(secretariat)
    html = client.get(f"/fr/meetings/{meeting.pk}/minutes/").content.decode()
    assert '<span lang="ar" dir="rtl">تقديم التقدم</span>' in html
    assert '<span lang="ar" dir="rtl">نقطة متفق عليها</span>' in html
    assert '<div dir="rtl" lang="ar"><p>كلمة</p></div>' in html
    docx = download(client, f"/fr/meetings/{meeting.pk}/minutes.docx").content
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    runs = [r for r in re.findall(r"<w:r>.*?</w:r>", xml) if "تقديم التقدم" in r]
    assert runs and all("<w:rtl/>" in r and 'w:val="ar-MA"' in r for r in runs)
