"""Ranking promises of the foundation: exact forms first, more words first, nearer words first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.build import reindex
from search.engine import Engine, SearchRequest

ARTICLES = [
    # same length, same filler: only the form of the query word differs
    {"id": "stem-only", "title": "گزارش یک", "body": "در این شهر کتاب فروخته شد و مردم آمدند."},
    {"id": "exact", "title": "گزارش دو", "body": "در این شهر کتاب‌ها فروخته شد و مردم آمدند."},
    # all words, side by side / all words, far apart / one word
    {"id": "adjacent", "title": "خبر سه", "body": "نرخ تورم در ماه گذشته اعلام شد و بازار آرام بود."},
    {"id": "apart", "title": "خبر چهار", "body": "نرخ ارز در بازار امروز بالا رفت و کارشناسان درباره تورم گفتند."},
    {"id": "one-word", "title": "خبر پنج", "body": "نرخ ارز در بازار امروز بالا رفت و کارشناسان درباره آینده گفتند."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("ranking")
    corpus = root / "ranking.jsonl"
    corpus.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES), encoding="utf-8")
    reindex([corpus], Path(root / "index"))
    return Engine(root / "index")


def ranked(engine: Engine, query: str) -> list[str]:
    return [hit["id"] for hit in engine.search(SearchRequest(query=query, limit=10))["hits"]]


def test_exact_form_ranks_above_stem_only_match(engine: Engine) -> None:
    assert ranked(engine, "کتابها")[:2] == ["exact", "stem-only"]


def test_stem_only_match_is_still_found(engine: Engine) -> None:
    assert "stem-only" in ranked(engine, "کتاب ها")


def test_all_words_adjacent_rank_above_apart_and_above_some(engine: Engine) -> None:
    assert ranked(engine, "نرخ تورم")[:3] == ["adjacent", "apart", "one-word"]
