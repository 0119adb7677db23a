"""Score regularization: the table ``make neighbours`` writes (``indexer.neighbours``) and how a search
re-ranks with it (``search.neighbours``, ``search.engine``). Its MAP: tests/test_hamshahri_eval.py."""

from __future__ import annotations

import json
import logging
import marshal
import os
import random
from pathlib import Path

import pytest
from conftest import CORPUS

from backends.whoosh.scorer import COLUMNS, Columns
from backends.whoosh.search import WhooshIndex
from indexer.neighbours import articles, main, nearest
from search import neighbours
from search.engine import Engine, SearchRequest
from search.neighbours import regularize, table
from search.query import FEEDBACK_DOCS


def test_nearest_are_the_articles_sharing_the_most_telling_words() -> None:
    docs = [["سد", "کرج", "آب"], ["سد", "کرج", "برق"], ["تیم", "فوتبال", "آب"], ["تیم", "فوتبال", "کرج"], ["سد", "تیم"]]
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
    docs = [[rnd.choice(words[: rnd.randint(5, 60)]) for _ in range(rnd.randint(3, 30))] for _ in range(80)]
    unpruned = nearest(docs, 5, max_df=0.5, terms=10**6, postings=10**6, candidates=10**6)
    dense = _vectors(docs, 0.5).toarray()
    cosine = dense @ dense.T
    np.fill_diagonal(cosine, 0)
    for i, found in enumerate(unpruned):
        best = sorted(((-round(float(c), 3), j) for j, c in enumerate(cosine[i]) if round(float(c), 3) > 0))[:5]
        assert [s for _, s in found] == [-c for c, _ in best]  # the best similarities (ties in any order)
        assert all(round(float(cosine[i, j]), 3) == s for j, s in found)


def test_pruning_meets_an_article_only_through_its_heaviest_stems() -> None:
    docs = [["سد", "کرج"], ["سد", "لار"], ["کرج", "لار"], ["سد"], ["کرج"], ["لار"]]
    assert [j for j, _ in nearest(docs, 5, max_df=1.0)[0]] == [3, 4, 1, 2]  # both stems of 0 lead somewhere
    # one stem per article («سد» and «کرج» weigh alike in 0: the first kept), one holder per stem
    assert len(nearest(docs, 5, max_df=1.0, terms=1, postings=1)[0]) <= 1


def test_an_article_like_other_high_scoring_ones_rises() -> None:
    neighbours = {"a": [("b", 0.9)], "b": [("a", 0.9)], "c": [("z", 0.9)]}
    scored = [("c", 3.0), ("a", 2.8), ("b", 2.7)]  # «c» scores high alone; «a» and «b» are alike
    assert [i for i, _ in regularize(scored, neighbours, 20, 0.3, 100)] == [1, 2, 0]
    assert [i for i, _ in regularize(scored, neighbours, 20, 0.0, 100)] == [0, 1, 2]  # weight 0: as before


def test_only_the_best_depth_are_reranked_and_the_scores_still_give_the_order() -> None:
    neighbours = {"d": [("a", 1.0)], "a": [("x", 1.0)]}
    ranked = regularize([("a", 4.0), ("b", 3.0), ("c", 2.0), ("d", 1.9)], neighbours, 20, 0.5, 2)
    assert [i for i, _ in ranked] == [1, 0, 2, 3]  # «d» is below the depth: not lifted by «a»
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert regularize([("e", 1.0)], {}, 20, 0.5, 100) == [(0, 1.0)]  # unknown to the table: unchanged


def _corpus(folder: Path) -> None:
    articles = [
        {"id": "dam1", "title": "سد کرج", "body": "آب پشت سد کرج کم شد و سدسازی ادامه دارد."},
        {"id": "dam2", "title": "سد لار", "body": "آب سد لار و سد کرج برای تهران است."},
        {"id": "match", "title": "فوتبال", "body": "تیم ملی فوتبال در تهران بازی کرد."},
        {"id": "match2", "title": "فوتبال", "body": "تیم فوتبال استقلال بازی را برد."},
    ]
    lines = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles)
    (folder / "news.jsonl").write_text(lines, encoding="utf-8")


def test_make_neighbours_writes_each_articles_nearest_by_id(tmp_path: Path) -> None:
    _corpus(tmp_path)
    out = tmp_path / "var" / "neighbours.marshal"
    assert main([str(out), str(tmp_path)]) == 0
    written = table(out)
    assert [n for n, _ in written["dam1"]][:1] == ["dam2"]
    assert [n for n, _ in written["match"]][:1] == ["match2"]


def test_an_articles_vector_is_made_of_its_first_words(tmp_path: Path) -> None:
    _corpus(tmp_path)
    read = dict(articles([tmp_path], read=3))
    assert read["dam1"] == ["سد", "کرج", "آب"]  # title «سد کرج», then the body's first word
    assert len(dict(articles([tmp_path], read=None))["dam1"]) > 3  # None: every word


def test_a_missing_corpus_is_named_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "out.marshal"), str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err == f"indexer.neighbours: {tmp_path / 'nowhere'}: no such file or folder\n"
    assert main([str(tmp_path / "out.marshal"), str(tmp_path)]) == 1  # a folder without articles
    assert "fewer than two articles under" in capsys.readouterr().err


def test_a_file_that_is_not_a_table_is_named_and_searches_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "neighbours.marshal"
    assert table(bad) == {}  # none yet: nothing to say
    monkeypatch.setattr(neighbours._FILE, "check_seconds", 0)  # each rewrite is seen at once
    for content, mtime in ((b"not marshal", 1), (marshal.dumps([1, 2]), 2), (marshal.dumps({"a": [1]}), 3)):
        bad.write_bytes(content)
        os.utime(bad, (mtime, mtime))  # each content is read afresh
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="search.neighbours"):
            assert table(bad) == {}
            assert table(bad) == {}  # named once, not at every search
        (message,) = [r.getMessage() for r in caplog.records]
        assert message.startswith(f"{bad}: not a neighbours file (")
        assert message.endswith("): run make neighbours; searching without score regularization")


def test_a_search_pages_through_the_regularized_ranking(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(sample_index)
    plain = engine.search(SearchRequest(query="شهر", limit=100, facets=False, snippets=False))["hits"]
    assert len(plain) > 6
    file = tmp_path / "neighbours.marshal"
    assert main([str(file), str(CORPUS)]) == 0
    order = regularize([(h["id"], h["score"]) for h in plain], table(file), 20, 0.3, 100)
    expected = [plain[i]["id"] for i, _ in order]
    assert expected[:6] != [h["id"] for h in plain][:6]  # the neighbours move the first two pages on the sample
    monkeypatch.setenv("KAVOSH_NEIGHBOURS", str(file))
    pages = [engine.search(SearchRequest(query="شهر", limit=3, page=p, facets=False, snippets=False)) for p in (1, 2)]
    assert [h["id"] for page in pages for h in page["hits"]] == expected[:6]
    assert pages[0]["total"] == len(plain)  # the count is the query's, not the depth's


def test_a_table_of_another_corpus_is_not_used(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(sample_index)
    plain = engine.search(SearchRequest(query="شهر", limit=6, facets=False, snippets=False))["hits"]
    file = tmp_path / "neighbours.marshal"
    file.write_bytes(marshal.dumps({plain[5]["id"]: [(plain[0]["id"], 1.0)]}))  # one article of 40 known
    monkeypatch.setenv("KAVOSH_NEIGHBOURS", str(file))
    assert engine.search(SearchRequest(query="شهر", limit=6, facets=False, snippets=False))["hits"] == plain


def test_a_regularized_search_reads_the_stored_fields_of_its_page_only(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.reading import SegmentReader

    file = tmp_path / "neighbours.marshal"
    assert main([str(file), str(CORPUS)]) == 0
    monkeypatch.setenv("KAVOSH_NEIGHBOURS", str(file))
    read: list[int] = []
    original = SegmentReader.stored_fields
    engine = Engine(sample_index)
    engine.prepare()  # the index opened before counting
    monkeypatch.setattr(SegmentReader, "stored_fields", lambda self, d: read.append(d) or original(self, d))
    result = engine.search(SearchRequest(query="شهر", limit=3, facets=False, snippets=False))
    assert result["total"] > 6 and len(result["hits"]) == 3
    # the page and the first round's best for feedback; not the hundred re-ranked (ids from a column)
    assert 3 <= len(set(read)) <= 3 + FEEDBACK_DOCS


def test_the_id_column_is_each_documents_id_saved_or_built(sample_index: Path) -> None:
    opened = Engine(sample_index).backend.open()
    assert isinstance(opened, WhooshIndex)
    with opened.index.searcher() as searcher:
        stored = [searcher.stored_fields(d)["id"] for d in range(searcher.doc_count_all())]
        saved = Columns(searcher, opened.generation / COLUMNS)
        assert saved._stored("ids") is not None  # written by the reindex
        assert saved.ids(searcher) == Columns(searcher).ids(searcher) == stored
