from typing import get_args

from django.conf import settings

from apps.core.languages import LANGUAGES, Lang


def test_the_api_languages_are_the_platforms():
    assert get_args(Lang) == LANGUAGES == tuple(code for code, _ in settings.LANGUAGES)
    assert LANGUAGES[0] == settings.LANGUAGE_CODE == "ar"


def test_text_as_written_is_marked_arabic_in_a_french_page_only():
    from django.utils import translation

    from apps.core.content import as_written

    with translation.override("fr"):
        assert as_written("سارة العمراني") == '<bdi lang="ar" dir="rtl">سارة العمراني</bdi>'
        assert as_written("Mme <b>سارة</b>") == "Mme &lt;b&gt;سارة&lt;/b&gt;"  # mixed: as it is
        assert as_written("<script>") == "&lt;script&gt;"
    with translation.override("ar"):
        assert as_written("سارة العمراني") == "سارة العمراني"


def test_interpolate_escapes_the_template_and_the_plain_parts_only():
    from django.utils import translation

    from apps.core.content import as_written, interpolate

    with translation.override("fr"):
        line = interpolate(
            "%(person)s, %(organisation)s <l'équipe>",
            person=as_written("سارة العمراني"),
            organisation="<script>alert(1)</script>",
        )
    assert line == (
        '<bdi lang="ar" dir="rtl">سارة العمراني</bdi>, &lt;script&gt;alert(1)&lt;/script&gt;'
        " &lt;l&#x27;équipe&gt;"
    )
