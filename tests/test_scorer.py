"""The numpy scorer gives Whoosh's own scores, matches, facet counts and date order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import CORPUS
from whoosh import query as q
from whoosh import sorting

from backends.base import Query
from backends.whoosh import positions, scorer
from backends.whoosh.lower import to_whoosh, weighting
from backends.whoosh.search import sort_facet as _sort_facet
from backends.whoosh.store import open_index
from indexer.build import reindex
from indexer.stem import DEFAULT_STEMMER
from search import query as plain_query
from search import query as query_module
from search.engine import Engine, SearchRequest
from search.query import Filters
from search.syntax import parse_query


def text_query(stemmer: str, clauses: Any) -> tuple[q.Query | None, list[str]]:
    """``search.query.text_query`` as the Whoosh query the Whoosh backend scores."""
    query, highlight = plain_query.text_query(stemmer, clauses)
    return (to_whoosh(query) if query is not None else None), highlight


def filter_query(filters: Filters) -> q.Query | None:
    query: Query | None = plain_query.filter_query(filters)
    return to_whoosh(query) if query is not None else None


@pytest.fixture(scope="module")
def searcher(sample_index: Path) -> Iterator[Any]:
    index, _ = open_index(sample_index)
    with index.searcher(weighting=weighting()) as searcher:
        yield searcher


@pytest.fixture(scope="module")
def columns(searcher: Any) -> scorer.Columns:
    return scorer.Columns(searcher)


def frequent_words(searcher: Any, count: int, field: str = "text") -> list[str]:
    """Words of the sample corpus that many articles share (so queries match several)."""
    terms = searcher.reader().most_frequent_terms(field, count)
    return [t.decode() if isinstance(t, bytes) else t for _, t in terms]


def whoosh_scores(searcher: Any, query: q.Query, filter_: q.Query | None = None) -> dict[int, float]:
    results = searcher.search(query, limit=None, filter=filter_, terms=False)
    return {hit.docnum: hit.score for hit in results}


def numpy_scores(scored: scorer.Scored) -> dict[int, float]:
    return {int(d): float(scored.scores[d]) for d in np.flatnonzero(scored.mask)}


def queries(searcher: Any) -> list[str]:
    words = frequent_words(searcher, 12)
    title = frequent_words(searcher, 1, field="title")[0]
    return [
        words[0],
        f"{words[1]} {words[2]}",
        f"{words[3]} {words[4]} {words[5]}",
        f"{words[6]} -{words[7]}",
        f"title:{title} {words[9]}",
        "کتاب‌ها می‌توانیم",
    ]


def test_ranked_queries_score_as_whoosh_scores_them(searcher: Any, columns: scorer.Columns) -> None:
    score = scorer.Scorer(searcher, columns, query_module.BM25_B, query_module.BM25_K1)
    for text in queries(searcher):
        query, _ = text_query(DEFAULT_STEMMER, parse_query(text).clauses)
        assert query is not None
        expected = whoosh_scores(searcher, query)
        got = numpy_scores(score.evaluate(query))
        assert expected, text  # the query matches something, or it proves nothing
        assert got.keys() == expected.keys(), text
        for docnum, value in expected.items():
            assert got[docnum] == pytest.approx(value, rel=1e-9), (text, docnum)


def sample_phrases(searcher: Any) -> list[list[str]]:
    """Word sequences of the sample titles: as they stand (they match), reversed and a word apart
    (most do not), compounds next to their own parts (same position: no match)."""
    from indexer.analysis import exact_analyzer

    phrases: list[list[str]] = []
    for fields in list(searcher.all_stored_fields())[:40]:
        tokens = [t.text for t in exact_analyzer()(fields["title"], positions=True)]
        for i in range(len(tokens) - 2):
            phrases += [tokens[i : i + 2], tokens[i : i + 3], [tokens[i + 1], tokens[i]], [tokens[i], tokens[i + 2]]]
        phrases += [[t, t] for t in tokens[:2]]  # a word twice: only where it stands twice in a row
    return phrases


@pytest.mark.parametrize("field", ["title", "text"])
def test_phrases_match_what_whooshs_phrase_matcher_matches(searcher: Any, columns: scorer.Columns, field: str) -> None:
    score = scorer.Scorer(searcher, columns, query_module.BM25_B, query_module.BM25_K1)
    matched = unmatched = 0
    for words in sample_phrases(searcher):
        phrase = q.Phrase(field, words)
        expected = set(phrase.docs(searcher))
        got = {int(d) for d in np.flatnonzero(score.evaluate(phrase).mask)}
        assert got == expected, words
        matched += bool(expected)
        unmatched += not expected
    assert matched > 50 and unmatched > 50  # both kinds were tried


def test_phrases_read_only_the_blocks_they_need_and_match_as_whoosh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Posting lists cut into blocks of two documents: the phrase check passes over the blocks
    that hold no candidate document without decoding them, and finds what Whoosh finds.

    A block decoded is one ``_read_data`` (unzip and unpickle), which every reader of a block calls:
    the scorer reads ids from ``_data`` without ``_read_ids`` since d33699c, so counting that counted
    nothing and the skipping went unchecked. Blocks come from the disk, not ``positions.POSITIONS``, whose
    hits would look skipped."""
    from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher

    monkeypatch.setattr(W3Codec.__init__, "__defaults__", (2, 3, 1))  # blocklimit 2
    monkeypatch.setattr(positions.POSITIONS, "get", lambda key, read: read())
    index_dir = tmp_path / "index"
    reindex([CORPUS], index_dir)
    counts = {"decoded": 0, "blocks": 0}
    read_data, next_block = W3LeafMatcher._read_data, W3LeafMatcher._next_block

    def counted_read(self: Any) -> None:
        counts["decoded"] += 1
        read_data(self)

    def counted_next(self: Any) -> None:
        counts["blocks"] += 1
        next_block(self)

    monkeypatch.setattr(W3LeafMatcher, "_read_data", counted_read)
    monkeypatch.setattr(W3LeafMatcher, "_next_block", counted_next)
    index, _ = open_index(index_dir)
    with index.searcher(weighting=weighting()) as searcher:
        score = scorer.Scorer(searcher, scorer.Columns(searcher), query_module.BM25_B, query_module.BM25_K1)
        matched = skipped = 0
        for words in sample_phrases(searcher)[:200]:
            for field in ("title", "text"):
                phrase = q.Phrase(field, words)
                expected = set(phrase.docs(searcher))
                before = dict(counts)
                got = {int(d) for d in np.flatnonzero(score.evaluate(phrase).mask)}
                assert got == expected, (field, words)
                matched += bool(expected)
                skipped += (counts["blocks"] - before["blocks"]) - (counts["decoded"] - before["decoded"])
        assert matched > 20
        assert skipped > 0


def test_feedback_expansion_adds_only_to_matching_documents_as_and_maybe(
    searcher: Any, columns: scorer.Columns
) -> None:
    score = scorer.Scorer(searcher, columns, query_module.BM25_B, query_module.BM25_K1)
    words = frequent_words(searcher, 8)
    original, _ = text_query(DEFAULT_STEMMER, parse_query(words[0]).clauses)
    plain = query_module.feedback_expansion([(words[5], 0.6), (words[6], 0.4)], 1)
    assert original is not None and plain is not None
    expansion = to_whoosh(plain)
    expected = whoosh_scores(searcher, q.AndMaybe(original, expansion))
    got = numpy_scores(score.evaluate(q.AndMaybe(original, expansion)))
    assert got.keys() == expected.keys()
    assert all(got[d] == pytest.approx(v, rel=1e-9) for d, v in expected.items())


def test_filters_match_what_whoosh_filters(searcher: Any, columns: scorer.Columns) -> None:
    score = scorer.Scorer(searcher, columns, query_module.BM25_B, query_module.BM25_K1)
    tag = next(iter(searcher.reader().field_terms("tag")))
    month = next(m for m in searcher.reader().field_terms("month") if m != "undated")
    for filters in (Filters(tags=(tag,)), Filters(months=(month, "undated"))):
        query = filter_query(filters)
        assert query is not None
        expected = set(whoosh_scores(searcher, q.Every(), filter_=query))
        assert expected
        assert set(numpy_scores(score.evaluate(query))) == expected


def test_facet_counts_are_whooshs_group_counts(searcher: Any, columns: scorer.Columns) -> None:
    score = scorer.Scorer(searcher, columns, query_module.BM25_B, query_module.BM25_K1)
    query, _ = text_query(DEFAULT_STEMMER, parse_query(frequent_words(searcher, 1)[0]).clauses)
    matched = score.evaluate(query)
    facets = {
        "tag": sorting.FieldFacet("tag", allow_overlap=True, maptype=sorting.Count),
        "speaker": sorting.FieldFacet("speaker", allow_overlap=True, maptype=sorting.Count),
        "source": sorting.FieldFacet("source", maptype=sorting.Count),
        "month": sorting.FieldFacet("month", maptype=sorting.Count),
    }
    results = searcher.search(query, limit=None, groupedby=facets)
    for name in facets:
        expected = {k: v for k, v in results.groups(name).items() if k not in (None, "")}
        assert expected, name
        assert columns.count(searcher, name, matched.mask) == expected, name


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_order_is_whooshs_with_undated_last(searcher: Any, columns: scorer.Columns, sort: str) -> None:
    every = scorer.Scorer(searcher, columns, 0.75, 1.2).every()
    ours = scorer.by_date(columns, searcher, every.mask, sort == "newest", 1000)
    theirs = [hit.docnum for hit in searcher.search(q.Every(), limit=None, sortedby=_sort_facet(sort))]
    published = searcher.reader().column_reader("published", translate=False)
    dated = searcher.reader().column_reader("dated")

    def keys(docs: list[int]) -> list[tuple[str, int]]:
        return [(dated[d], published[d]) for d in docs]

    assert sorted(ours) == sorted(theirs)
    assert keys(ours) == keys(theirs)  # same order up to ties
    assert "0" in [dated[d] for d in ours] and dated[ours[-1]] == "0"


def test_top_orders_by_score_then_document_number() -> None:
    scores = np.array([0.5, 2.0, 0.0, 2.0, 1.0])
    mask = np.array([True, True, False, True, True])
    assert scorer.top(scorer.Scored(scores, mask), 3) == [1, 3, 4]
    assert scorer.top(scorer.Scored(scores, mask), 10) == [1, 3, 4, 0]


def test_postings_cache_stays_within_its_capacity_and_gives_the_same_lists(searcher: Any) -> None:
    cache = scorer.PostingsCache(capacity=10)
    leaf, _ = scorer.leaves(searcher)[0]
    words = frequent_words(searcher, 6)
    first = {w: cache.postings(leaf, "text", w) for w in words}
    assert 0 < cache._size <= max(10, max(len(ids) for ids, _ in first.values()))
    again = {w: cache.postings(leaf, "text", w) for w in reversed(words)}  # mostly evicted: read again
    for word in words:
        assert np.array_equal(first[word][0], again[word][0]) and np.array_equal(first[word][1], again[word][1])
        assert len(first[word][0]) == searcher.doc_frequency("text", word)


def test_an_article_removed_by_a_reindex_is_never_found(tmp_path: Path) -> None:
    """Its postings stay in the copied segment; the live-document mask drops them."""
    kept, gone = tmp_path / "kept.jsonl", tmp_path / "gone.jsonl"
    kept.write_text(
        json.dumps({"id": "k", "title": "باغ", "body": "درختان سیب در باغ شکوفه دادند."}) + "\n", encoding="utf-8"
    )
    gone.write_text(
        json.dumps({"id": "g", "title": "باغ", "body": "درختان انار در باغ شکوفه دادند."}) + "\n", encoding="utf-8"
    )
    index = tmp_path / "index"
    reindex([kept, gone], index)
    engine = Engine(index)
    assert engine.search(SearchRequest(query="انار"))["total"] == 1
    reindex([kept], index)
    assert [h["id"] for h in engine.search(SearchRequest(query="باغ درختان"))["hits"]] == ["k"]
    result = engine.search(SearchRequest(query="انار", literal=True))
    assert result["total"] == 0 and result["facets"]["month"] == []


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_facet_limited_to_its_shown_values_gives_the_most_frequent_exactly(
    searcher: Any, columns: scorer.Columns, limit: int
) -> None:
    """``Plan.facet_limits``: the ``limit`` most frequent values, ties by value, as the engine orders them."""
    matched = columns.live
    for name in ("tag", "speaker", "source"):
        every = columns.count(searcher, name, matched)
        shown = sorted(every.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        assert len(every) > limit, name  # the sample corpus has more values than the limit: it cuts
        assert columns.count(searcher, name, matched, limit) == dict(shown), name


@pytest.mark.parametrize("first_dated", [True, False], ids=["undated-added", "dated-added"])
def test_a_segment_without_dates_keeps_every_date_in_its_place(tmp_path: Path, first_dated: bool) -> None:
    """Whoosh's column over several segments leaves out a segment where no article has a date, so
    an incremental reindex that added only undated articles (or the first dated ones) stopped with
    a traceback; the dates must stay with their own articles."""
    dated = {"id": "d", "title": "باغ", "body": "درختان سیب در باغ شکوفه دادند.", "published": "2020-01-05"}
    undated = {"id": "u", "title": "باغ", "body": "درختان انار در باغ شکوفه دادند."}
    first, second = (dated, undated) if first_dated else (undated, dated)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    reindex([corpus], index)
    (corpus / "b.jsonl").write_text(json.dumps(second) + "\n", encoding="utf-8")
    assert reindex([corpus], index).added == 1
    for sort in ("newest", "oldest"):
        hits = Engine(index).search(SearchRequest(query="باغ", sort=sort))["hits"]
        assert [(h["id"], (h["published"] or "")[:10]) for h in hits] == [("d", "2020-01-05"), ("u", "")]


def _seeded_index(texts: list[str]) -> Any:
    """A one-segment index in memory, built after ``random.seed(0)`` as Hypothesis seeds every example:
    Whoosh draws segment ids from the global ``random``, so every such index has the same segment id."""
    import random

    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage

    random.seed(0)
    index = RamStorage().create_index(fields.Schema(text=fields.TEXT(phrase=True)))
    with index.writer() as writer:
        for text in texts:
            writer.add_document(text=text)
    return index


def test_the_caches_tell_apart_two_indexes_whose_segments_share_an_id() -> None:
    """Term postings (``POSTINGS``) and phrase blocks (``POSITIONS``) of one index were served for
    another whose segment had the same id and size (review): the second index answered with the
    first one's documents."""
    first = _seeded_index(["باران برف"] * 3 + ["باد"] * 3)
    second = _seeded_index(["باد"] * 3 + ["باران برف"] * 3)
    answers = []
    for index in (first, second):
        with index.searcher(weighting=weighting()) as searcher:
            assert searcher.reader().segment().segment_id() == first.reader().segment().segment_id()
            found = scorer.Scorer(searcher, scorer.Columns(searcher), 0.75, 1.2)
            for query in (q.Term("text", "باران"), q.Phrase("text", ["باران", "برف"])):
                matched = np.flatnonzero(found.evaluate(query).mask).tolist()
                assert matched == sorted(query.docs(searcher)), query
                answers.append(matched)
    assert answers == [[0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]]


def test_a_block_two_threads_read_at_once_is_counted_once() -> None:
    """Both threads miss, both read; the second to insert finds the first's entry and returns it, so
    the size counts the block once (counted twice, the cache shrank to one entry over time)."""
    cache = positions.PositionsCache()
    block = (np.arange(3, dtype=np.int64), [b"ab", b"cd", b"ef"])

    def read_while_another_thread_reads_it() -> positions.Block:
        cache.get(("segment", 1), lambda: block)  # the other thread, done first
        return (block[0].copy(), list(block[1]))

    assert cache.get(("segment", 1), read_while_another_thread_reads_it) is block
    assert cache._size == 6 + 48 * 3
