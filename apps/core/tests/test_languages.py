from typing import get_args

from django.conf import settings

from apps.core.languages import LANGUAGES, Lang


def test_the_api_languages_are_the_platforms():
    assert get_args(Lang) == LANGUAGES == tuple(code for code, _ in settings.LANGUAGES)
    assert LANGUAGES[0] == settings.LANGUAGE_CODE == "ar"
