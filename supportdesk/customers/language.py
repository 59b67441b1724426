"""Which of the desk's languages a customer reads: a declared language tag (an e-mail's
``Content-Language``, the widget's browser language) mapped to the desk's locales, or,
without one, the language their text is written in."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from supportdesk.core.errors import InvalidInput
from supportdesk.customers.identities import normalize_locale

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

#: the locales the desk writes in (templates, help center); the first is the default
DESK_LOCALES = ("en", "zh-CN")
#: a detected language counts only this sure: short greetings ("ok", "Thanks!") are guesses
MIN_CONFIDENCE = 0.8
#: enough text to tell a language by; more costs time and says nothing new
SAMPLE_CHARS = 1000
_URL = re.compile(r"\S+://\S+|\S+@\S+")


def desk_locale(tag: str | None) -> str | None:
    """The desk locale for a language tag (``zh-Hans-SG`` -> ``zh-CN``, ``en-GB`` -> ``en``),
    None for languages the desk does not write and for what is not a tag at all.

    Any Chinese maps to ``zh-CN``, the desk's only Chinese. A ``Content-Language`` or
    ``Accept-Language`` list counts by its first tag.
    """
    first = (tag or "").split(",")[0].split(";")[0].strip()
    if not first:
        return None
    try:
        language = normalize_locale(first).split("-")[0]
    except InvalidInput:
        return None
    return next((known for known in DESK_LOCALES if known.split("-")[0] == language), None)


@functools.cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model (shipped in its wheel), loaded once, on the first use (~1 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_locale(text: str) -> str | None:
    """The desk locale of the language ``text`` is written in, when the detector is sure;
    None for other languages and for text too short or mixed to tell."""
    sample = _URL.sub(" ", text[:SAMPLE_CHARS]).strip()
    if not sample:
        return None
    language, confidence = _identifier().classify(sample)
    return desk_locale(language) if confidence >= MIN_CONFIDENCE else None


def customer_locale(*, declared: str | None = None, text: str | None = None) -> str | None:
    """The locale a customer showed us: a declared language tag (an e-mail's
    ``Content-Language``, the widget's browser language) when the desk writes it, else the
    language of ``text`` when the detector is sure; None keeps the desk's default."""
    return desk_locale(declared) or (detect_locale(text) if text else None)
