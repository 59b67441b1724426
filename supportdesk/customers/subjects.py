"""Whether two ticket subjects name the same thing, in English and in Chinese alike.

A subject is normalised first (reply and forward prefixes, ticket refs, case and
punctuation go), then cut into tokens: each Latin word or number is a token, and a run
of CJK characters gives each character and each pair of neighbours (Chinese has no
spaces, so its "words" are guessed by bigrams; the single characters let a phrase with a
word inserted still match). Two subjects are similar when the Jaccard index of their
token sets reaches ``SIMILAR``. ``docs/decisions.md`` says why this measure and number.
"""

from __future__ import annotations

import re
import unicodedata

from supportdesk.core.settings import settings

#: the share of tokens two subjects must have in common (|A ∩ B| / |A ∪ B|)
SIMILAR = 0.5

#: "Re:", "Fwd:", "AW:", "回复：", "转发:" ... at the start, any number of times
_PREFIX = re.compile(r"^\s*(?:re|fwd?|aw|wg|sv|vs|回复|答复|转发)\s*(?:\[\d+\])?\s*[:：]\s*", re.I)
_CJK = (
    r"\u3040-\u30ff"  # kana
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    r"\uac00-\ud7af"  # hangul
)
_TOKEN = re.compile(rf"[{_CJK}]+|[^\s{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def normalize_subject(subject: str) -> str:
    """The words of a subject that say what it is about, lower case, one space apart."""
    prefix = re.escape(settings().ticket_ref_prefix)
    text = unicodedata.normalize("NFKC", subject)  # full-width 【】：ＳＤ too
    text = re.sub(rf"\[?\b{prefix}-\d+\b\]?", " ", text, flags=re.I)
    while (stripped := _PREFIX.sub("", text, count=1)) != text:
        text = stripped
    text = text.casefold()
    kept = (" " if unicodedata.category(char)[0] in "PSZC" else char for char in text)
    return " ".join("".join(kept).split())


def subject_tokens(subject: str) -> frozenset[str]:
    tokens: set[str] = set()
    for run in _TOKEN.findall(normalize_subject(subject)):
        if _IS_CJK.match(run):
            tokens.update(run)
            tokens.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.add(run)
    return frozenset(tokens)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """The Jaccard index of two token sets; 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar_subjects(a: str, b: str) -> bool:
    return similarity(subject_tokens(a), subject_tokens(b)) >= SIMILAR
