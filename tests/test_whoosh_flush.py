"""``backends.whoosh.flush.FastCodec`` writes the files Whoosh's own codec writes, byte for byte."""

from __future__ import annotations

import hashlib
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from backends.whoosh.flush import FastCodec
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
            speakers=["علی احمدی"] if n % 5 == 0 else [],
            quotes=[("علی احمدی", "باران می‌بارد")] if n % 5 == 0 else [],
            published=start + timedelta(days=n) if n % 4 else None,
        )
        for n in range(count)
    ]


def _segment(folder: Path, codec: W3Codec | None) -> tuple[dict[str, str], W3Codec]:
    """Index the articles with ``codec`` (Whoosh's default when None): each file of the segment
    by extension with its digest, and the codec its segment names."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = ix.writer(codec=codec) if codec else ix.writer()
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
