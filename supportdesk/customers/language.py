"""Which of the desk's languages a customer reads: a declared language tag (an e-mail's
``Content-Language``, the widget's browser language) mapped to the desk's locales, or,
without one, the language their text is written in."""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from pathlib import Path
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
    """py3langid's model, loaded once a process, on the first use.

    The wheel ships it LZMA-compressed: decompressing takes ~0.3 s, most of what an
    ``ingest-email`` from a new sender costs. So the first process to need it keeps the
    arrays, uncompressed, in the instance folder (``model_cache``), and later ones map
    them from there (a few milliseconds; the pages are shared with other processes).
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    folder = model_cache()
    if folder is not None and folder.is_dir():
        return _mapped(folder)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if folder is not None:
        _keep(identifier, folder)
    return identifier


def model_cache() -> Path | None:
    """Where this model's uncompressed arrays are kept: the app's instance folder, under
    a name that changes with the model file (an upgrade of py3langid); None outside an
    app (the model is then loaded from the wheel each process)."""
    from flask import current_app, has_app_context
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    if not has_app_context():
        return None
    shipped = (MODEL_DIR / MODEL_FILE).stat()
    version = f"{shipped.st_size}-{shipped.st_mtime_ns}"
    return Path(current_app.instance_path) / "cache" / f"language-model-{version}"


def _mapped(folder: Path) -> LanguageIdentifier:
    """The identifier over the kept arrays, memory-mapped: the DFA tables as
    memoryviews (their items are Python ints, as the arrays py3langid loads yield)."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    return LanguageIdentifier(
        arrays["ptc"],
        arrays["pc"],
        arrays["classes"].tolist(),
        memoryview(arrays["nextmove"]),
        memoryview(arrays["output"]),
        norm_probs=True,
        tk_row=memoryview(arrays["row"]),
    )


def _keep(identifier: LanguageIdentifier, folder: Path) -> None:
    """Write the arrays into a scratch folder, then rename it into place: a process
    never maps a half-written model; then remove what an older py3langid left. Where
    the instance folder cannot take them, the next process loads the wheel's again."""
    import numpy as np

    arrays = {
        "ptc": identifier.nb_ptc,
        "pc": identifier.nb_pc,
        "classes": np.array(identifier.nb_classes),
        "nextmove": np.asarray(identifier.tk_nextmove),
        "row": np.asarray(identifier.tk_row),
        "output": np.array(identifier.tk_output, dtype=np.int32),
    }
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".language-model-"))
        scratch.chmod(0o755)  # public data: the MTA's user may not be the server's
    except OSError:  # a read-only instance folder
        return
    try:
        for name in _ARRAYS:
            np.save(scratch / f"{name}.npy", arrays[name], allow_pickle=False)
        scratch.rename(folder)
    except OSError:  # the disk is full, or another process put its copy in place first
        shutil.rmtree(scratch, ignore_errors=True)
        return
    for older in folder.parent.glob("language-model-*"):  # before an upgrade of py3langid
        if older != folder:
            shutil.rmtree(older, ignore_errors=True)


#: the model's arrays, one ``.npy`` file each in the cache
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "row", "output")


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
