"""Text as search compares it: one normalisation for Arabic, French and English.

Searching Arabic fails on spelling that a reader does not notice: ``إعاقة`` and
``اعاقة`` (the hamza of the alef is often left out), ``الشفافية`` and ``الشفافيه``
(ta marbuta typed as ha), ``على`` and ``علي`` (alef maqsura as ya), vowel marks and the
tatweel that stretches a word, and the letters attached in front of a word: ``و``
(and), ``ب`` (with), ``ل`` (for), ``ف`` (so) and the article ``ال``, alone or together
(``وال``, ``بال``, ``لل``, ``فال``). French and English differ by case and accents.

:func:`normalise` folds all of these the same way for the index and for the query;
:func:`index_forms` and :func:`query_forms` give, for each word, the word itself and the
word without its attached prefixes, so that ``المعلومات`` finds ``بالمعلومات`` while a
short word (``بلد``) is never cut down to two letters.
"""

from __future__ import annotations

import re
import unicodedata

# Alef with hamza above or below, with madda, and alef wasla → bare alef; ta marbuta → ha;
# alef maqsura → ya; the Persian forms of kaf and ya that Arabic keyboards also type;
# Arabic-Indic and Eastern Arabic-Indic digits → ASCII digits.
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
# Tashkeel (fathatan … sukun, and the marks up to U+065F), superscript alef, tatweel.
_DROPPED = re.compile("[\u064b-\u065f\u0670\u0640]")
# A word: letters and digits (no underscore, no punctuation, no mark).
_WORD = re.compile(r"[^\W_]+")

# Attached prefixes, longest first: a word loses the first that leaves a stem of at
# least MIN_STEM letters (``للمعلومات`` → ``معلومات``: ``لل`` is ``ل`` + ``ال``).
PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال", "و", "ب", "ل", "ف")
MIN_STEM = 3
# A query of more words than this keeps its first ones (each word costs a clause).
MAX_QUERY_WORDS = 12


def normalise(text: str) -> str:
    """``text`` folded for comparison: Arabic letter forms unified, marks and tatweel
    removed, Latin accents stripped, case folded. Words and spacing are kept."""
    text = unicodedata.normalize("NFKC", text).translate(_LETTERS)
    text = _DROPPED.sub("", text)
    # Accents: decompose, drop the combining marks (Arabic marks are gone already).
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).translate(_LETTERS)


def words(text: str) -> list[str]:
    """The normalised words of ``text``, in order."""
    return _WORD.findall(normalise(text))


def stem(word: str) -> str:
    """``word`` (normalised) without its attached prefixes, when enough is left."""
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix) :]
    return word


def forms(word: str) -> tuple[str, ...]:
    """The forms a normalised word is known by: itself, and its stem when different."""
    stemmed = stem(word)
    return (word,) if stemmed == word else (word, stemmed)


def index_forms(text: str) -> str:
    """The text an index stores for ``text``: each word followed by its stem when it
    has attached prefixes, separated by spaces."""
    return " ".join(form for word in words(text) for form in forms(word))


def query_forms(query: str) -> list[tuple[str, ...]]:
    """The words of a query, each with the forms that may match it (a word matches a
    document holding any of its forms); repeated words once, at most
    :data:`MAX_QUERY_WORDS`."""
    seen: dict[str, tuple[str, ...]] = {}
    for word in words(query):
        if word not in seen:
            seen[word] = forms(word)
        if len(seen) == MAX_QUERY_WORDS:
            break
    return list(seen.values())
