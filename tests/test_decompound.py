"""Decompounding: a rare word written as one finds the articles that use its common parts (search.decompound)."""

from __future__ import annotations

import json

import pytest

from backends.base import Query, Term
from indexer.build import reindex
from search import query as query_module
from search.decompound import split
from search.engine import Engine, SearchRequest
from search.syntax import parse

# Fictional articles: one says «شهرداری» (a compound of شهر + داری, here the rare word), three say
# «شهر» and three «داری».
ARTICLES = [
    {"id": "compound", "title": "گزارش یک", "body": "آیین شهرداری در این کتاب آمده است."},
    {"id": "part-1", "title": "گزارش دو", "body": "مردم این شهر درباره آیین زندگی گفتند."},
    {"id": "part-2", "title": "گزارش سه", "body": "شهر کوچک ما بازار خوبی دارد."},
    {"id": "part-3", "title": "گزارش چهار", "body": "در شهر باران آمد و بازار بسته شد."},
    {"id": "verb-1", "title": "گزارش پنج", "body": "تو کتاب داری و من قلم."},
    {"id": "verb-2", "title": "گزارش شش", "body": "چه داری بگویی درباره بازار؟"},
    {"id": "verb-3", "title": "گزارش هفت", "body": "هر چه داری بیاور."},
    {"id": "other", "title": "گزارش هشت", "body": "فوتبال امروز برگزار نشد."},
    # «خداحافظ» (goodbye) is a word of the dictionary: never cut into «خدا» + «حافظ»
    {"id": "goodbye", "title": "گزارش نه", "body": "او گفت خداحافظ و رفت."},
    {"id": "god-1", "title": "گزارش ده", "body": "خدا حافظ شما باشد."},
    {"id": "god-2", "title": "گزارش یازده", "body": "حافظ گفت خدا با ماست."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("decompound")
    corpus = root / "decompound.jsonl"
    corpus.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES), encoding="utf-8")
    reindex([corpus], root / "index")
    return Engine(root / "index")


@pytest.fixture
def splitting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_module, "FEEDBACK", False)  # eight articles: nothing to learn from
    monkeypatch.setattr(query_module, "DECOMPOUND_RATIO", 2.0)  # 3 articles per part against 1: a tiny index


def ranked(engine: Engine, query: str) -> list[str]:
    return [hit["id"] for hit in engine.search(SearchRequest(query=query, limit=10))["hits"]]


@pytest.mark.usefixtures("splitting")
def test_a_rare_compound_finds_its_parts_below_itself(engine: Engine) -> None:
    found = ranked(engine, "شهرداری")
    assert found[0] == "compound"
    assert {"part-1", "part-2", "part-3"} <= set(found[1:])


@pytest.mark.usefixtures("splitting")
def test_without_decompounding_only_the_word_itself_is_found(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_module, "DECOMPOUND_WEIGHT", 0.0)
    assert ranked(engine, "شهرداری") == ["compound"]


@pytest.mark.usefixtures("splitting")
def test_a_part_found_in_place_of_the_word_is_marked_in_the_snippet(engine: Engine) -> None:
    hits = engine.search(SearchRequest(query="شهرداری", limit=10))["hits"]
    assert "<mark>شهر</mark>" in next(h["snippet"] for h in hits if h["id"] == "part-2")


@pytest.mark.usefixtures("splitting")
def test_a_word_of_the_dictionary_is_never_cut(engine: Engine) -> None:
    assert ranked(engine, "خداحافظ") == ["goodbye"]  # its parts are common enough to cut it otherwise


def test_parts_are_ranked_at_their_weight_in_the_query() -> None:
    query, highlight = query_module.text_query("lexicon", parse("شهرداری"), split=lambda word: ("شهر", "داری"))
    weights = {(t.field, t.text): t.boost for t in _terms(query)}
    assert weights[("text_stem", "شهر")] == pytest.approx(query_module.DECOMPOUND_WEIGHT)
    assert weights[("text_stem", "شهرداری")] == 1.0
    assert "شهر" in highlight


def test_split_picks_the_cut_with_the_commonest_parts() -> None:
    counts = {"همسر": 124, "داری": 118, "هم": 3000, "سرداری": 4, "همسرداری": 5}
    # «هم» + «سرداری» has the larger mean (110) but «هم» is shorter than a part may be
    assert split("همسرداری", counts.get, ratio=10) == ("همسر", "داری")
    assert split("همسرداری", counts.get, ratio=30) is None  # 121 is under 30 x 5


def _terms(query: Query | None) -> list[Term]:
    if isinstance(query, Term):
        return [query]
    return [term for child in (query.children() if query is not None else ()) for term in _terms(child)]
