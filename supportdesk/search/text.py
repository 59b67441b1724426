"""How text becomes terms: the same for what is indexed and for what is asked.

Folding, for every script alike: NFKC (full-width ``Ａ１`` is ``A1``, half-width ``ｶ`` is
``カ``, ligatures split), ``str.casefold`` (``Straße`` is ``strasse``, ``ΣΊΣΥΦΟΣ`` is
``σισυφοσ``), then the diacritics of Latin, Greek and Cyrillic letters go (``café`` finds
``cafe``; NFD, marks out, NFC again, so Hangul stays syllables).

Terms are runs of letters and digits (with the vowel signs of Indic, Hebrew and Arabic
script). Chinese and Japanese have no spaces between words, so a run of Han or kana
becomes its overlapping bigrams and its last character (``退款申请`` gives ``退款 款申 申请
请``): any two characters of a text are one term, a longer piece a phrase of bigrams, and
one character a prefix. The index needs no dictionary and finds what a segmenter would
have cut apart; the query side (``search.query``) segments with one, to find words in any
order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from supportdesk.search.models import MAX_TERM

#: how much of one text is indexed (a pasted log needs no more to be found)
MAX_INDEXED_CHARS = 100_000
#: Han (with extensions and compatibility ideographs), Hiragana, Katakana
CJK_CHARS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD = re.compile(r"(?:[^\W_]|[\u0591-\u05c7\u064b-\u065f\u0670\u0900-\u0dff])+")
_CJK_OR_NOT = re.compile(f"[{CJK_CHARS}]+|[^{CJK_CHARS}]+")
_CJK = re.compile(f"[{CJK_CHARS}]")
#: the combining marks of Latin, Greek and Cyrillic (and their extensions): diacritics
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """``text`` as it is compared: see the module's docstring."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _DIACRITICS.sub("", decomposed))


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    return fold(char)


def folded_with_origins(text: str) -> tuple[str, list[int] | None]:
    """``fold(text)``, and where each of its characters came from in ``text`` (None: the
    same place, which is so for most texts: ASCII, Chinese, precomposed accents)."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        origins.extend([index] * len(piece))
    return "".join(pieces), origins


def is_cjk(run: str) -> bool:
    return _CJK.match(run) is not None


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def bigrams(run: str) -> list[str]:
    """A CJK run's overlapping pairs (itself if it is one character)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def word_parts(folded: str) -> Iterator[re.Match[str]]:
    """The words of folded text, each a match (with its place in the text)."""
    return _WORD.finditer(folded)


def split_cjk(word: str) -> list[str]:
    """A word's CJK and other runs, in order (``iphone15退款`` gives ``iphone15``, ``退款``)."""
    return _CJK_OR_NOT.findall(word) if has_cjk(word) else [word]


def terms(text: str) -> Iterator[str]:
    """The terms ``text`` is indexed under, in order (phrases need the order)."""
    for match in word_parts(fold(text[:MAX_INDEXED_CHARS])):
        for run in split_cjk(match.group()):
            if is_cjk(run):
                yield from bigrams(run)
                if len(run) > 1:
                    yield run[-1]  # so that its last character is found as a prefix too
            else:
                yield run[:MAX_TERM]


def indexed(text: str) -> str:
    """``text``'s terms as a document column holds them."""
    return " ".join(terms(text))


def phone_endings(e164: str) -> list[str]:
    """A phone number's digits and every ending of them of three digits or more: a part
    of the number anyone types is the start of one of its endings (a prefix match)."""
    digits = e164.lstrip("+")
    return [digits[i:] for i in range(max(len(digits) - 2, 1))]


def is_vocabulary_word(term: str) -> bool:
    """Whether a term belongs in the typo vocabulary: a word of letters, not CJK
    (bigrams are not words), long enough to be misspelt."""
    return 3 <= len(term) <= 32 and term.isalpha() and not has_cjk(term)
