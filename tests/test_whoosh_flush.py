"""``backends.whoosh.flush.FastCodec`` writes the files Whoosh's own codec writes, byte for byte."""

from __future__ import annotations

import hashlib
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

from backends.whoosh import pool
from backends.whoosh.flush import FastCodec
from backends.whoosh.pool import BlockPool, PooledSegmentWriter
from backends.whoosh.schema import make_schema, to_document
from indexer.article import Article

# Fictional sentences; «باران» and «شهر» are in every article, so their postings fill more
# than one of Whoosh's blocks (128 postings), and the long body makes long lengths.
_WORDS = ["باران", "پاییزی", "شهر", "قطار", "ایستگاه", "ماهیگیران", "قایق", "دریا", "کوه", "دامنه"]


def _articles(count: int) -> list[Article]:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    return [
        Article(
            id=f"a{n}",
            title=f"باران در شهر {_WORDS[n % 10]}",
            body=" ".join(_WORDS[(n * k) % 10] for k in range(1, 8 + (n % 40) * 3)) + f" شماره {n}",
            lead="خلاصه خبر" if n % 3 else "",
            url=f"https://example.com/{n}",
            source="خبرگزاری نمونه" if n % 2 else "",
            tags=[_WORDS[n % 7], "هوا"],
            speakers=["کیوان رهنما"] if n % 5 == 0 else [],
            quotes=[("کیوان رهنما", "باران می‌بارد")] if n % 5 == 0 else [],
            published=start + timedelta(days=n) if n % 4 else None,
        )
        for n in range(count)
    ]


def _segment(folder: Path, codec: W3Codec | None, spill: int = 0) -> tuple[dict[str, str], W3Codec]:
    """Index the articles with ``codec`` (Whoosh's default when None): each file of the segment
    by extension with its digest, and the codec its segment names. With ``spill``, the writer is
    ``PooledSegmentWriter`` and its pool writes a run every ``spill`` bytes of postings."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = ix.writer(codec=codec) if codec else ix.writer()
    if spill:
        writer.cancel()
        writer = PooledSegmentWriter(ix, codec=codec)
        writer.pool.limit = spill
    for article in _articles(150):
        writer.add_document(file="corpus.jsonl", group=article.id, **to_document(article))
    writer.commit()
    (segment,) = ix._segments()
    storage = FileStorage(str(folder))
    (name,) = [f for f in storage.list() if f.endswith(".seg")]
    files = CompoundStorage(storage.open_file(name), use_mmap=False)
    try:
        digests = {n.split(".", 1)[1]: _digest(files, n) for n in files._dir}  # term table, postings, columns
    finally:
        files.close()
    return digests, segment.codec()


def _digest(files: CompoundStorage, name: str) -> str:
    handle = files.open_file(name)
    try:
        return hashlib.sha256(handle.read()).hexdigest()
    finally:
        handle.close()


def test_fast_codec_writes_the_files_whoosh_writes(tmp_path: Path) -> None:
    ours, named = _segment(tmp_path / "fast", FastCodec())
    whooshs, _ = _segment(tmp_path / "whoosh", None)
    assert set(ours) >= {"trm", "pst", "_text_len.col", "_stored.col"}
    assert ours == whooshs
    # the table of contents names Whoosh's own codec: an index never needs ours to be read
    assert type(named) is W3Codec and pickle.dumps(named) == pickle.dumps(W3Codec())


def test_a_pool_past_its_limit_writes_the_files_whoosh_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # runs every 200 kB: the 150 articles' postings go through several runs, read back in blocks
    # of 64 (so a run holds many), merged by Whoosh, flushed by FastCodec
    monkeypatch.setattr(pool, "BLOCK", 64)
    saved = []
    monkeypatch.setattr(BlockPool, "_add_run", lambda self, name: saved.append(name) or self.runs.append(name))
    ours, _ = _segment(tmp_path / "spilled", FastCodec(), spill=200_000)
    whooshs, _ = _segment(tmp_path / "whoosh", None)
    assert len(saved) >= 3
    assert ours == whooshs
    assert not list((tmp_path / "spilled").rglob("*.run"))  # the runs are removed once read


def test_a_run_reads_back_the_postings_whoosh_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "BLOCK", 3)  # blocks end inside the run and at its last posting
    postings = [("text", f"واژه{n % 7}".encode(), n, 1.0, bytes([n % 5]) * (n % 3)) for n in range(20)]
    runs = []
    for kind in (PostingPool, BlockPool):
        sorter = kind(FileStorage(str(tmp_path)), None)
        sorter.limit = 1  # a run for every posting past the first
        for posting in postings:
            sorter.add(posting)
        runs.append(list(sorter.items()))
    assert runs[0] == runs[1] == sorted(postings)
