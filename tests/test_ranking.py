"""Ranking promises: exact forms first, more words first, the spelling typed first, feedback on topic.

Nearness of the words is not a ranking factor: a proximity bonus lowered the
Hamshahri MAP (see docs/evaluation.md), so two articles with all the words rank by BM25.
"""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest

from backends.base import AnyOf, Excluding
from indexer.build import reindex
from search import query as query_module
from search.engine import Engine, SearchRequest
from search.query import Filters
from search.syntax import parse

ARTICLES = [
    # same length, same filler: only the form of the query word differs
    {"id": "stem-only", "title": "گزارش یک", "body": "در این شهر کتاب فروخته شد و مردم آمدند."},
    {"id": "exact", "title": "گزارش دو", "body": "در این شهر کتاب‌ها فروخته شد و مردم آمدند."},
    # all words, side by side / all words, far apart / one word
    {"id": "adjacent", "title": "خبر سه", "body": "نرخ تورم در ماه گذشته اعلام شد و بازار آرام بود."},
    {"id": "apart", "title": "خبر چهار", "body": "نرخ ارز در بازار امروز بالا رفت و کارشناسان درباره تورم گفتند."},
    {"id": "one-word", "title": "خبر پنج", "body": "نرخ ارز در بازار امروز بالا رفت و کارشناسان درباره آینده گفتند."},
    # the spelling typed, and another standard spelling of it
    {"id": "hamza", "title": "گزارش شش", "body": "هیئت داوران جشنواره فیلم کوتاه برندگان را معرفی کرد."},
    {"id": "seat", "title": "گزارش هفت", "body": "هیات داوران جشنواره فیلم کوتاه برندگان را معرفی کرد."},
    # pseudo-relevance feedback: three articles on whales share their words
    # with a fourth that never says «نهنگ»
    *(
        {
            "id": f"whale-{n}",
            "title": f"ساحل {n}",
            "body": f"نهنگ عنبر در ساحل خلیج گرفتار شد و صیادان و غواصان {n} ساعت برای نجات نهنگ تلاش کردند.",
            "tags": ["نهنگ‌ها"],
        }
        for n in range(1, 4)
    ),
    {
        "id": "stranded",
        "title": "ساحل چهار",
        "body": "صیادان و غواصان در ساحل خلیج برای نجات جانور گرفتار ساعت‌ها تلاش کردند.",
    },
    # one mention of «نهنگ» each: a short article on toys, a longer one on the beach
    {"id": "toy", "title": "فروشگاه", "body": "فروشگاه اسباب‌بازی شهر عروسک پارچه‌ای نهنگ را با تخفیف فروخت."},
    {
        "id": "beach",
        "title": "گزارش دریا",
        "body": "صیادان و غواصان در ساحل خلیج برای نجات جانور گرفتار تلاش کردند و یک نهنگ دیدند و گفتند دریا آرام بود.",
    },
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


def test_articles_with_all_words_rank_above_one_with_some(engine: Engine) -> None:
    top = ranked(engine, "نرخ تورم")
    assert set(top[:2]) == {"adjacent", "apart"} and top[2] == "one-word"


def test_another_spelling_is_found_below_the_spelling_typed(engine: Engine) -> None:
    assert ranked(engine, "هیئت")[:2] == ["hamza", "seat"]
    assert ranked(engine, "هیات")[:2] == ["seat", "hamza"]


def test_another_spelling_adds_nothing_where_the_spelling_typed_is_found_when_switched(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = lambda word: [("هیات", "هیات")] if word == "هیئت" else []  # noqa: E731
    both = query_module._word("هیئت", "هیئت", variants=other)
    assert [t for _, t in both.terms()].count("هیات") == 4  # by default both spellings add up
    monkeypatch.setattr(query_module, "VARIANTS_ADD_UP", False)
    once = query_module._word("هیئت", "هیئت", variants=other)
    assert isinstance(once, AnyOf) and isinstance(once.parts[1], Excluding)
    assert once.parts[1].negative == once.parts[0]  # the other spelling only where the typed one is absent
    assert ranked(engine, "هیئت")[:2] == ["hamza", "seat"]  # still found, still below


def test_feedback_ranks_articles_on_the_topic_of_the_best_results_higher(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query_module, "FEEDBACK", False)
    without = ranked(engine, "نهنگ")
    assert without[3:] == ["toy", "beach"]  # shorter: BM25 alone prefers it
    monkeypatch.setattr(query_module, "FEEDBACK", True)
    monkeypatch.setattr(query_module, "FEEDBACK_DOCS", 3)  # the three whale articles
    monkeypatch.setattr(query_module, "FEEDBACK_MAX_DF", 1.0)  # 16 articles: every word is "frequent"
    found = ranked(engine, "نهنگ")
    assert found[3:] == ["beach", "toy"]  # shares the words of the best results
    assert "stranded" not in found  # by default feedback reorders, it adds nothing


def test_feedback_can_add_articles_without_the_query_word(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_module, "FEEDBACK_ADDS", True)
    # the three whale articles, as above: with five, the toy shop's words (each in one
    # of 16 articles, so the rarest) would lead the feedback stems
    monkeypatch.setattr(query_module, "FEEDBACK_DOCS", 3)
    monkeypatch.setattr(query_module, "FEEDBACK_MAX_DF", 1.0)
    assert "stranded" in ranked(engine, "نهنگ")


def test_function_words_do_not_make_feedback_heavier(monkeypatch: pytest.MonkeyPatch) -> None:
    with_function_words = parse("نهنگ در ساحل و دریا")
    assert query_module.feedback_words(with_function_words, "lexicon") == 3
    assert query_module.feedback_words(parse("نهنگ ساحل دریا"), "lexicon") == 3
    terms = [("صید", 1.0)]
    weights = [
        query_module.feedback_expansion(terms, query_module.feedback_words(parse(q), "lexicon"))
        for q in ("نهنگ در ساحل و دریا", "نهنگ ساحل دریا")
    ]
    assert weights[0] == weights[1]
    monkeypatch.setattr(query_module, "FEEDBACK_STOPPED", False)  # every free word counted, as before
    assert query_module.feedback_words(with_function_words, "lexicon") == 5


def test_feedback_terms_are_the_top_documents_likeliest_stems() -> None:
    docs = [(3.0, ["نهنگ", "ساحل", "ساحل", "صیاد"]), (1.0, ["ساحل", "نفت"])]
    terms = dict(query_module.feedback_terms(docs, lambda t: 1, 1000))
    assert next(iter(terms)) == "ساحل"
    assert terms["نهنگ"] > terms["نفت"]
    assert abs(sum(terms.values()) - 1) < 1e-9
    # a stem found in most documents says nothing about the topic
    assert "ساحل" not in dict(query_module.feedback_terms(docs, lambda t: 900 if t == "ساحل" else 1, 1000))


def test_feedback_prefers_a_rare_stem_to_a_commoner_one_used_twice_as_often(monkeypatch: pytest.MonkeyPatch) -> None:
    # ساحل: twice in the feedback document, in 1 article of 10; نهنگ: once, in 1 of 100
    docs = [(1.0, ["ساحل", "ساحل", "نهنگ"])]
    df = {"ساحل": 100, "نهنگ": 10}.__getitem__
    terms = dict(query_module.feedback_terms(docs, df, 1000))
    assert terms["نهنگ"] > terms["ساحل"]  # rarity squared: the word that names the topic leads
    monkeypatch.setattr(query_module, "FEEDBACK_IDF", 0.0)  # frequency alone
    terms = dict(query_module.feedback_terms(docs, df, 1000))
    assert terms["ساحل"] > terms["نهنگ"]


def test_articles_feedback_adds_still_pass_the_filters(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_module, "FEEDBACK_ADDS", True)
    monkeypatch.setattr(query_module, "FEEDBACK_DOCS", 3)
    monkeypatch.setattr(query_module, "FEEDBACK_MAX_DF", 1.0)
    result = engine.search(SearchRequest(query="نهنگ", filters=Filters(tags=("نهنگ‌ها",)), limit=10))
    assert sorted(hit["id"] for hit in result["hits"]) == ["whale-1", "whale-2", "whale-3"]
    assert result["total"] == 3


def test_associated_stems_rank_the_articles_that_use_them_and_add_none(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # «جانور» (animal) is in «stranded» and «beach»; only «beach» also says «نهنگ» (whale)
    table = tmp_path / "associations.marshal"
    table.write_bytes(marshal.dumps({"جانور": [("نهنگ", 0.8), ("اسباببازی", 0.3)]}))
    monkeypatch.setenv("KAVOSH_ASSOCIATIONS", str(table))
    monkeypatch.setattr(query_module, "FEEDBACK", False)
    monkeypatch.setattr(query_module, "FEEDBACK_MAX_DF", 1.0)  # 16 articles: every word is "frequent"
    monkeypatch.setattr(query_module, "ASSOCIATED", 0)
    assert ranked(engine, "جانور") == ["stranded", "beach"]  # shorter: BM25 alone prefers it
    monkeypatch.setattr(query_module, "ASSOCIATED", 5)
    monkeypatch.setattr(query_module, "ASSOCIATED_SIMILARITY", 0.5)  # «اسباب‌بازی» (0.3) is not associated
    monkeypatch.setattr(query_module, "ASSOCIATED_WEIGHT", 1.0)
    assert ranked(engine, "جانور") == ["beach", "stranded"]  # the whale articles are not added
    monkeypatch.setenv("KAVOSH_ASSOCIATIONS", str(tmp_path / "missing.marshal"))
    assert ranked(engine, "جانور") == ["stranded", "beach"]  # no file: as before
