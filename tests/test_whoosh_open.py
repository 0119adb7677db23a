"""``backends.whoosh.WhooshBackend.open`` while reindexes publish new generations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import backends.whoosh
from backends.whoosh import WhooshBackend
from backends.whoosh.store import current_generation
from indexer.build import reindex


def _corpus(path: Path, count: int) -> None:
    records = [
        {"id": f"n{n}", "title": f"خبر شماره {n}", "body": f"باران در شهر نمونه {n} بارید."} for n in range(count)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_an_index_opened_as_a_reindex_publishes_is_the_generation_it_is_named_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search read ``CURRENT`` (two articles), then a reindex published three before the index was
    opened: it opened the newer index under the older generation's name, whose columns (lengths,
    dates, deletions) it then read (an ``IndexError`` in the scorer, or wrong answers, until the next
    reindex)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    _corpus(corpus / "news.jsonl", 2)
    reindex([corpus], index)
    older = current_generation(index)
    _corpus(corpus / "news.jsonl", 3)
    reindex([corpus], index)
    assert current_generation(index) != older and older.is_dir()  # the one before is kept for searches
    monkeypatch.setattr(backends.whoosh, "current_generation", lambda _: older)  # read just before
    opened = WhooshBackend(index).open()
    assert opened.generation == older
    assert Path(opened.index.storage.folder) == older and opened.document_count() == 2
