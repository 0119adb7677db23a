"""Score regularization: the table every reindex publishes with the index (``indexer.neighbours``) and
how a search re-ranks with it (``search.neighbours``, ``search.engine``). Its MAP: tests/test_hamshahri_eval.py."""

from __future__ import annotations

import html
import json
import logging
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import Result
from corpora import neighbours_table

from backends.whoosh.scorer import COLUMNS, Columns
from backends.whoosh.search import WhooshIndex
from indexer.article import Article
from indexer.build import reindex
from indexer.neighbours import KEY, nearest
from indexer.readers import read_file
from indexer.vectors import Vectors
from search import neighbours
from search.engine import Engine, SearchRequest
from search.neighbours import regularize
from search.query import FEEDBACK_DOCS, REGULARIZE, REGULARIZE_DEPTH, REGULARIZE_NEIGHBOURS

REGULARIZATION = (REGULARIZE_NEIGHBOURS, REGULARIZE, REGULARIZE_DEPTH)  # as the engine re-ranks


def _counted(docs: list[list[str]]) -> list[Counter[str]]:
    """Articles as ``nearest`` takes them: each one's stems counted, in the order first met."""
    return [Counter(doc) for doc in docs]


def test_nearest_are_the_articles_sharing_the_most_telling_words() -> None:
    docs = _counted(
        [["سد", "کرج", "آب"], ["سد", "کرج", "برق"], ["تیم", "فوتبال", "آب"], ["تیم", "فوتبال", "کرج"], ["سد", "تیم"]]
    )
    found = nearest(docs, 2, max_df=1.0)
    assert [j for j, _ in found[0]] == [1, 2]  # «سد» and «کرج» with 1, the rarer «آب» with 2
    assert [j for j, _ in found[2]] == [3, 0]
    assert found[0][0][1] > found[0][1][1] > 0
    assert nearest(docs, 2)[0] == [(2, 0.707)]  # in 5 articles, only words in 2 of them count (10%, at least 2)


def test_without_pruning_the_nearest_are_the_exact_cosine_ones() -> None:
    import numpy as np

    from indexer.neighbours import _vectors

    rnd = random.Random(20)
    words = [f"w{i}" for i in range(60)]
    docs = _counted([[rnd.choice(words[: rnd.randint(5, 60)]) for _ in range(rnd.randint(3, 30))] for _ in range(80)])
    unpruned = nearest(docs, 5, max_df=0.5, terms=10**6, postings=10**6, candidates=10**6)
    dense = _vectors(docs, 0.5).toarray()
    cosine = dense @ dense.T
    np.fill_diagonal(cosine, 0)
    for i, found in enumerate(unpruned):
        best = sorted(((-round(float(c), 3), j) for j, c in enumerate(cosine[i]) if round(float(c), 3) > 0))[:5]
        assert [s for _, s in found] == [-c for c, _ in best]  # the best similarities (ties in any order)
        assert all(round(float(cosine[i, j]), 3) == s for j, s in found)


def test_pruning_meets_an_article_only_through_its_heaviest_stems() -> None:
    docs = _counted([["سد", "کرج"], ["سد", "لار"], ["کرج", "لار"], ["سد"], ["کرج"], ["لار"]])
    assert [j for j, _ in nearest(docs, 5, max_df=1.0)[0]] == [3, 4, 1, 2]  # both stems of 0 lead somewhere
    # one stem per article («سد» and «کرج» weigh alike in 0: the first kept), one holder per stem
    assert len(nearest(docs, 5, max_df=1.0, terms=1, postings=1)[0]) <= 1


def test_an_article_like_other_high_scoring_ones_rises() -> None:
    table = neighbours_table({"a": [("b", 0.9)], "b": [("a", 0.9)], "c": [("z", 0.9)]})
    scored = [("c", 3.0), ("a", 2.8), ("b", 2.7)]  # «c» scores high alone; «a» and «b» are alike
    assert [i for i, _ in regularize(scored, table, 20, 0.3, 100)] == [1, 2, 0]
    assert [i for i, _ in regularize(scored, table, 20, 0.0, 100)] == [0, 1, 2]  # weight 0: as before


def test_only_the_best_depth_are_reranked_and_the_scores_still_give_the_order() -> None:
    table = neighbours_table({"d": [("a", 1.0)], "a": [("x", 1.0)]})
    ranked = regularize([("a", 4.0), ("b", 3.0), ("c", 2.0), ("d", 1.9)], table, 20, 0.5, 2)
    assert [i for i, _ in ranked] == [1, 0, 2, 3]  # «d» is below the depth: not lifted by «a»
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert regularize([("e", 1.0)], table, 20, 0.5, 100) == [(0, 1.0)]  # unknown to the table: unchanged


def test_the_packed_tables_arrays_weigh_the_neighbours_as_the_formula(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    table = _table(sample_index)
    plain = dict(table)
    rnd = random.Random(20)
    ids = [*table, "unknown"]
    for _ in range(20):
        scored = sorted(((i, round(rnd.uniform(0, 10), 2)) for i in rnd.sample(ids, 30)), key=lambda x: -x[1])
        for count in (20, 3):
            expected = [_around(ident, scored, plain, count) for ident, _ in scored]
            found = table.around(scored, count)
            assert [f is None for f in found] == [e is None for e in expected]  # «unknown», and none of its own
            assert [f for f in found if f is not None] == pytest.approx([e for e in expected if e is not None])


def _around(
    ident: str, scored: Sequence[tuple[str, float]], table: Mapping[str, list[tuple[str, float]]], count: int
) -> float | None:
    """The oracle of ``Table.around``, one article at a time over a plain table: Σ w(D, D') · s(D'),
    the weights its ``count`` nearest articles' similarities normalised to sum to 1."""
    known = dict(scored)
    near = table.get(ident, [])[:count]
    total = sum(similarity for _, similarity in near)
    return sum(similarity * known.get(other, 0.0) for other, similarity in near) / total if total > 0 else None


def _corpus(folder: Path) -> None:
    articles = [
        {"id": "dam1", "title": "سد کرج", "body": "آب پشت سد کرج کم شد و سدسازی ادامه دارد."},
        {"id": "dam2", "title": "سد لار", "body": "آب سد لار و سد کرج برای تهران است."},
        {"id": "match", "title": "فوتبال", "body": "تیم ملی فوتبال در تهران بازی کرد."},
        {"id": "match2", "title": "فوتبال", "body": "تیم فوتبال استقلال بازی را برد."},
    ]
    lines = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles)
    (folder / "news.jsonl").write_text(lines, encoding="utf-8")


def _indexed(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(corpus, index): ``_corpus`` indexed under ``folder``, searched with regularization on."""
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    corpus, index = folder / "corpus", folder / "index"
    corpus.mkdir()
    _corpus(corpus)
    reindex([corpus], index)
    return corpus, index


def _table(index: Path) -> neighbours.Table:
    found = neighbours.of(Engine(index).backend.open())
    assert found is not None
    return found


def test_an_articles_vector_is_made_of_its_first_words(tmp_path: Path) -> None:
    _corpus(tmp_path)
    (articles,) = [list(read_file(path)) for path in tmp_path.iterdir()]
    first, every = Vectors(read=3), Vectors(read=None)
    for article in articles:
        assert isinstance(article, Article)
        first.add(article)
        every.add(article)
    assert first.docs["dam1"] == {"سد": 1, "کرج": 1, "آب": 1}  # title «سد کرج», then the body's first word
    assert every.docs["dam1"]["سد"] == 2 and sum(every.docs["dam1"].values()) > 3  # None: every word


def test_a_reindex_publishes_each_articles_nearest_by_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, index = _indexed(tmp_path, monkeypatch)
    table = _table(index)
    assert [n for n, _ in table["dam1"]][:1] == ["dam2"]
    assert [n for n, _ in table["match"]][:1] == ["match2"]
    assert set(table) == {"dam1", "dam2", "match", "match2"}


def test_an_incremental_reindex_keeps_the_neighbours_right(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, index = _indexed(tmp_path, monkeypatch)
    before = Engine(index).meta[KEY]
    assert reindex([corpus], index).added == 0
    assert Engine(index).meta[KEY] == before  # nothing changed: the table is kept, not computed again
    dam = {"id": "dam3", "title": "سد کرج", "body": "سد کرج و سد لار پر آب شد."}
    (corpus / "more.jsonl").write_text(json.dumps(dam, ensure_ascii=False) + "\n", encoding="utf-8")
    reindex([corpus], index)  # one file read; the kept articles' stems are read again from theirs
    table = _table(index)
    assert set(table) == {"dam1", "dam2", "dam3", "match", "match2"}
    assert "dam3" in [n for n, _ in table["dam1"]] and "dam1" in [n for n, _ in table["dam3"]]
    (corpus / "news.jsonl").unlink()
    reindex([corpus], index)
    assert KEY not in Engine(index).meta  # one article left: no neighbours, and none of the old kept


def test_a_kept_file_that_cannot_be_read_again_is_named_and_the_rest_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, index = _indexed(tmp_path, monkeypatch)
    assert Vectors().read(corpus / "gone.jsonl", {"dam1"}) is not None  # a missing file says why
    real = Vectors.read

    def vanished(self: Vectors, path: Path, ids: set[str], fmt: str | None = None) -> str | None:
        # the kept file is gone between the manifest's hashing and this read
        return real(self, path.with_name("gone.jsonl") if path.name == "news.jsonl" else path, ids, fmt)

    monkeypatch.setattr(Vectors, "read", vanished)
    monkeypatch.setattr(Vectors, "take_kept", lambda *_: 0)  # the kept counts lost: the kept files are read
    dams = [
        {"id": "dam3", "title": "سد کرج", "body": "سد کرج و سد لار پر آب شد."},
        {"id": "dam4", "title": "سد لار", "body": "سد لار و سد کرج آب تهران را دارند."},
        {"id": "match3", "title": "فوتبال", "body": "تیم ملی فوتبال بازی را برد."},
    ]
    lines = "".join(json.dumps(dam, ensure_ascii=False) + "\n" for dam in dams)
    (corpus / "more.jsonl").write_text(lines, encoding="utf-8")
    summary = reindex([corpus], index)
    (note,) = [n for n in summary.notes if "news.jsonl" in n]
    assert note.endswith("its articles rank without neighbours") and "could not be read again" in note
    assert summary.indexed == 7  # the kept articles stay indexed
    table = _table(index)  # the articles read have theirs, the kept ones none
    assert [n for n, _ in table["dam3"]][:1] == ["dam4"] and "dam1" not in table


def test_a_table_that_cannot_be_read_is_named_and_searches_go_on(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")

    class Opened:
        def __init__(self, meta: dict[str, str]) -> None:
            self.meta = meta

    with caplog.at_level(logging.WARNING, logger="search.neighbours"):
        opened = Opened({KEY: "not a table"})
        assert neighbours.of(opened) is None
        assert neighbours.of(opened) is None  # named once, not at every search
    (message,) = [r.getMessage() for r in caplog.records]
    assert message.startswith("the index's not a table of neighbours (")
    assert message.endswith("; searching without score regularization (reindex)")
    assert neighbours.of(Opened({})) is None  # an index from before: none


def test_a_search_pages_through_the_regularized_ranking(sample_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine(sample_index)
    plain = engine.search(SearchRequest(query="شهر", limit=100, facets=False, snippets=False))["hits"]
    assert len(plain) > 6  # conftest switched regularization off
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    order = regularize([(h["id"], h["score"]) for h in plain], _table(sample_index), *REGULARIZATION)
    expected = [plain[i]["id"] for i, _ in order]
    assert expected[:6] != [h["id"] for h in plain][:6]  # the neighbours move the first two pages on the sample
    pages = [engine.search(SearchRequest(query="شهر", limit=3, page=p, facets=False, snippets=False)) for p in (1, 2)]
    assert [h["id"] for page in pages for h in page["hits"]] == expected[:6]
    assert pages[0]["total"] == len(plain)  # the count is the query's, not the depth's


def test_a_regularized_search_reads_the_stored_fields_of_its_page_only(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.reading import SegmentReader

    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    read: list[int] = []
    original = SegmentReader.stored_fields
    engine = Engine(sample_index)
    engine.prepare()  # the index opened before counting
    monkeypatch.setattr(SegmentReader, "stored_fields", lambda self, d: read.append(d) or original(self, d))
    result = engine.search(SearchRequest(query="شهر", limit=3, facets=False, snippets=False))
    assert result["total"] > 6 and len(result["hits"]) == 3
    # the page and the first round's best for feedback; not the hundred re-ranked (ids from a column)
    assert 3 <= len(set(read)) <= 3 + FEEDBACK_DOCS


def test_related_articles_are_chosen_among_the_published_neighbours(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    table, engine = _table(sample_index), Engine(sample_index)
    related = {ident: [r["id"] for r in engine.related(ident)] for ident in sorted(table)[:8]}
    assert all(set(found) <= {other for other, _ in table[ident]} for ident, found in related.items()), related
    assert sum(map(bool, related.values())) >= 6  # the sample's articles have related ones (all 40 do)


def test_the_id_column_is_each_documents_id_saved_or_built(sample_index: Path) -> None:
    opened = Engine(sample_index).backend.open()
    assert isinstance(opened, WhooshIndex)
    with opened.index.searcher() as searcher:
        stored = [searcher.stored_fields(d)["id"] for d in range(searcher.doc_count_all())]
        saved = Columns(searcher, opened.generation / COLUMNS)
        assert saved._stored("ids") is not None  # written by the reindex
        assert saved.ids(searcher) == Columns(searcher).ids(searcher) == stored


def test_the_site_api_and_cli_rank_with_the_shipped_default(
    sample_index: Path, kavosh: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rest of the suite ranks without regularization (conftest); a user's site and CLI rank with it.
    from app import create_app

    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    expected = Engine(sample_index).search(SearchRequest(query="شهر", limit=3, page=2, facets=False, snippets=False))
    client = create_app({"TESTING": True, "INDEX": str(sample_index)}).test_client()
    api = client.get("/api/search", query_string={"q": "شهر", "limit": 3, "page": 2}).get_json()
    assert [h["id"] for h in api["hits"]] == [h["id"] for h in expected["hits"]]
    assert api["facets"]["tag"] and api["total"] == expected["total"]
    tag = api["facets"]["tag"][0]["value"]
    first = client.get("/api/search", query_string={"q": "شهر", "tag": tag}).get_json()["hits"][0]
    page = client.get("/", query_string={"q": "شهر", "tag": tag})
    assert page.status_code == 200 and html.escape(first["title"]) in page.get_data(as_text=True)
    result = kavosh("search", "شهر", "--json", "--index", str(sample_index), "--limit", "3", "--page", "2")
    assert result.exit_code == 0, result.output
    assert [h["id"] for h in json.loads(result.stdout)["hits"]] == [h["id"] for h in expected["hits"]]


def test_the_vectors_and_the_table_computed_in_pieces_are_the_whole_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """``indexer.neighbours`` weighs, prunes and scores a few thousand documents at a time, for its memory:
    the same matrix, bit for bit, and the same table as all at once."""
    import numpy as np

    from indexer import neighbours as module

    rnd = random.Random(16)
    words = [f"w{i}" for i in range(300)]
    docs = _counted([[rnd.choice(words[: rnd.randint(5, 300)]) for _ in range(rnd.randint(1, 60))] for _ in range(200)])
    whole, table = module._vectors(docs, 0.2), nearest(docs, 5, max_df=0.2)  # ROWS > 200: one piece
    monkeypatch.setattr(module, "ROWS", 30)
    monkeypatch.setattr(module, "PAIRS", 700)
    pieces = module._vectors(docs, 0.2)
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(whole, name), getattr(pieces, name))
    assert nearest(docs, 5, max_df=0.2) == table and sum(map(len, table)) > 600


def test_the_table_of_counts_held_in_another_order_is_the_table_in_the_ids_order() -> None:
    from indexer.neighbours import pack, packed_table

    docs = {"d1": ["سد", "کرج", "آب"], "m1": ["تیم", "فوتبال"], "d2": ["سد", "کرج"], "m2": ["تیم", "فوتبال", "آب"]}
    vectors = Vectors()
    for ident in reversed(docs):  # held m2, d2, m1, d1: an incremental reindex's order
        vectors.count(ident, docs[ident])
    ids = [*docs, "unknown"]
    assert packed_table(vectors, ids) == pack(list(docs), nearest(_counted(list(docs.values()))))
