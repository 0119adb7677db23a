"""``backends.whoosh.segment.FastSegmentWriter`` writes the segment Whoosh's writer writes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_whoosh_flush import _articles, _digest
from whoosh import index as whoosh_index
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from backends.whoosh.flush import FastCodec
from backends.whoosh.schema import make_schema, to_document
from backends.whoosh.segment import FastMpWriter, FastSegmentWriter
from indexer.analysis import PersianTokenizer, stem_analyzer, stem_counts, term_positions
from indexer.stem import get_stemmer

# Compounds whose parts repeat the compound's stem («کتاب‌ها»), prefixes written apart, Latin,
# digits, a word met twice: what the positions and counts must follow as the analyzers do.
_TEXTS = [
    "می توانیم کتاب ها را بخوانیم، همه‌جانبه و همه جانبه؛ کتاب‌هایشان COVID-19 و کووید۱۹",
    "ماه می سال گذشته کتابخانه‌ها بسته بودند و کتاب ها",
    "",
    "«نیامد» آمد؛ آمدند، می‌آیند",
]


def _segment_files(folder: Path, writer_class: type, limitmb: int = 128) -> dict[str, str]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), make_schema())
    writer = writer_class(ix, limitmb=limitmb, codec=FastCodec())
    for article in _articles(300):
        writer.add_document(file="corpus.jsonl", group=article.id, **to_document(article))
    for n, text in enumerate(_TEXTS):
        writer.add_document(file="odd.jsonl", group=f"odd{n}", id=f"odd{n}", title=text, text=text, text_stem=text)
    writer.commit()
    storage = FileStorage(str(folder))
    (name,) = [f for f in storage.list() if f.endswith(".seg")]
    files = CompoundStorage(storage.open_file(name), use_mmap=False)
    try:
        return {n.split(".", 1)[1]: _digest(files, n) for n in files._dir}
    finally:
        files.close()


@pytest.mark.parametrize("limitmb", [128, 0], ids=["in memory", "runs merged"])
def test_the_segment_is_whooshs(tmp_path: Path, limitmb: int) -> None:
    # limitmb 0: every document's postings go to a run file of their own, merged at commit
    ours = _segment_files(tmp_path / "fast", FastSegmentWriter, limitmb)
    whooshs = _segment_files(tmp_path / "whoosh", SegmentWriter)
    assert set(ours) >= {"trm", "pst", "_text_len.col", "_stored.col"}
    assert ours == whooshs


def test_positions_and_counts_are_the_analyzers() -> None:
    stemmer = get_stemmer()
    for text in _TEXTS:
        tokens: dict[str, list[int]] = {}
        for token in PersianTokenizer()(text, positions=True, mode="index"):
            tokens.setdefault(token.text, []).append(token.pos)
        assert term_positions(text) == tokens
        assert list(term_positions(text).items()) == list(tokens.items())
        stems: dict[str, int] = {}
        for token in stem_analyzer()(text, mode="index"):
            stems[token.text] = stems.get(token.text, 0) + 1
        assert stem_counts(text, stemmer) == stems


def test_a_merged_segment_goes_through_whooshs_pool(tmp_path: Path) -> None:
    # A commit on an index of five or more small segments merges them into the new one (Whoosh's
    # merge policy): their postings come through Whoosh's pool, the new documents' join them there.
    def build(folder: Path, writer_class: type) -> dict[str, str]:
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), make_schema())
        articles = [(a, to_document(a)) for a in _articles(7)]
        for batch in [*([a] for a in articles[:5]), articles[5:]]:
            writer = writer_class(ix, codec=FastCodec())
            for article, document in batch:
                writer.add_document(file="corpus.jsonl", group=article.id, **document)
            writer.commit()
        (segment,) = ix._segments()  # the first five were merged into the sixth
        storage = FileStorage(str(folder))
        files = CompoundStorage(storage.open_file(f"MAIN_{segment.segid}.seg"), use_mmap=False)
        try:
            return {n.split(".", 1)[1]: _digest(files, n) for n in files._dir}
        finally:
            files.close()

    assert build(tmp_path / "fast", FastSegmentWriter) == build(tmp_path / "whoosh", SegmentWriter)


def test_writer_processes_spilling_runs_lose_no_document(tmp_path: Path) -> None:
    # Two writer processes, each past its memory limit at every document: their run files share
    # Whoosh's temporary folder (a name each), and every document is in the index.
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = FastMpWriter(ix, procs=2, limitmb=0, batchsize=5, codec=FastCodec())
    articles = _articles(200)  # 40 batches through a queue of 8: both processes take some
    for article in articles:
        writer.add_document(file="corpus.jsonl", group=article.id, **to_document(article))
    writer.commit()
    assert len(ix._segments()) == 2
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 200
        assert sorted(searcher.lexicon("id")) == sorted(a.id.encode() for a in articles)
        assert searcher.doc_frequency("text", "باران") == sum("باران" in a.body for a in articles)
