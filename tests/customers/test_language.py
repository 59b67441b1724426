"""The language model is decompressed once an installation: the first process keeps it in
the instance folder, later ones map it from there and tell languages exactly as the
model in py3langid's wheel does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from supportdesk.customers import language
from supportdesk.customers.language import detect_locale, model_cache

TEXTS = (
    "您好，订单 LC-87311 的发票抬头开错了，麻烦重新开一张。",
    "The new grinder arrived, but it makes a loud clicking noise.",
    "Hallo, mein Gerät zeigt seit gestern den Fehler E-42 an.",
    "こんにちは、注文した商品がまだ届きません。",
    "ok",
)


@pytest.fixture
def fresh_process() -> Iterator[None]:
    """As if no model were loaded yet in this process, before and after the test."""
    language._identifier.cache_clear()
    yield
    language._identifier.cache_clear()


@pytest.fixture
def instance(tmp_path: Path, fresh_process: None) -> Iterator[Path]:
    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        yield tmp_path / "instance"


@pytest.fixture(scope="module")
def shipped() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_the_first_use_keeps_the_model_and_later_processes_map_it(instance, shipped):
    folder = model_cache()
    assert folder is not None and folder.parent == instance / "cache"
    (folder.parent / "language-model-before-an-upgrade").mkdir(parents=True)

    first = [detect_locale(text) for text in TEXTS]
    assert folder.is_dir() and [p.name for p in folder.parent.iterdir()] == [folder.name]

    language._identifier.cache_clear()  # the next process
    mapped = language._identifier()
    assert isinstance(mapped.nb_ptc, np.memmap)
    assert [mapped.classify(text) for text in TEXTS] == [shipped.classify(t) for t in TEXTS]
    assert [detect_locale(text) for text in TEXTS] == first == ["zh-CN", "en", None, None, None]


def test_where_the_instance_folder_cannot_keep_it_the_model_is_still_loaded(instance):
    instance.mkdir(parents=True)
    (instance / "cache").write_text("not a folder")  # as a read-only folder, for root too

    assert detect_locale(TEXTS[1]) == "en"
    assert (instance / "cache").read_text() == "not a folder"


def test_a_copy_another_process_kept_first_is_used_and_ours_removed(instance, shipped):
    folder = model_cache()
    assert folder is not None
    language._keep(shipped, folder)  # the other process

    language._keep(shipped, folder)  # ours, too late

    assert [p.name for p in folder.parent.iterdir()] == [folder.name]
    assert language._identifier().classify(TEXTS[0]) == shipped.classify(TEXTS[0])


def test_outside_an_app_the_model_is_loaded_from_the_wheel(fresh_process):
    assert model_cache() is None
    assert detect_locale(TEXTS[0]) == "zh-CN"
