"""The one normalisation search applies to the index and to the query."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core.arabic import index_forms, normalise, query_forms, stem, words


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("أ إ آ ٱ", "ا ا ا ا"),  # hamza forms of alef, madda, wasla
        ("الشفافية", "الشفافيه"),  # ta marbuta → ha
        ("على", "علي"),  # alef maqsura → ya
        ("مُعَلُومَاتٌ", "معلومات"),  # tashkeel
        ("الرحمٰن", "الرحمن"),  # superscript alef
        ("تعـــزيز", "تعزيز"),  # tatweel
        ("ﺍﻟﺸﻔﺎﻓﻴﺔ", "الشفافيه"),  # presentation forms (text copied from a PDF)
        ("٢٠٢٣", "2023"),  # Arabic-Indic digits
        ("Égalité des CHANCES", "egalite des chances"),
        ("Straße", "strasse"),
    ],
)
def test_it_folds_spelling_variants(written, normalised):
    assert normalise(written) == normalised


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("بالمعلومات", "معلومات"),
        ("والشفافيه", "شفافيه"),
        ("للمواطنين", "مواطنين"),
        ("فالمشاركه", "مشاركه"),
        ("المعلومات", "معلومات"),
        ("وزاره", "زاره"),
        ("بلد", "بلد"),  # too short to lose a letter
        ("الي", "الي"),  # إلى is not the article and a stem
        ("ولد", "ولد"),
    ],
)
def test_it_strips_attached_prefixes_but_keeps_short_words(word, stemmed):
    assert stem(word) == stemmed


def test_the_index_keeps_the_word_and_its_stem():
    assert index_forms("التعريف بالمعلومات") == "التعريف تعريف بالمعلومات معلومات"
    assert query_forms("المعلومات") == [("المعلومات", "معلومات")]


def test_hamza_spellings_give_the_same_query():
    assert query_forms("إعاقة") == query_forms("اعاقة") == [("اعاقه",)]


def test_punctuation_markup_and_controls_are_not_words():
    assert words("<script>alert('x')</script>\x00\u202e") == ["script", "alert", "x", "script"]


def test_a_query_keeps_its_first_words_once():
    assert len(query_forms(" ".join(f"كلمة{i}" for i in range(50)))) == 12
    assert query_forms("ماء ماء") == [("ماء",)]


@given(st.text())
def test_any_text_normalises_to_words_of_letters_and_digits(text):
    for word in words(text):
        assert word and all(c.isalnum() for c in word)
        assert normalise(word) == word
