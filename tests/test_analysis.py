"""The analyzers' fast paths (a reindex: positions, no offsets; the stem filter fused with the
tokenizer) give exactly the tokens of the general path, compounds and affixes included."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import PersianStemFilter, PersianTokenizer, exact_analyzer, stem_analyzer
from indexer.normalize import IGNORABLE, ZWNJ
from indexer.stem import clear_cache, get_stemmer

# Fictional news sentences: ZWNJ compounds, prefixes and suffixes written apart, a suffix
# after punctuation, Latin and digits, ignorables, a ligature.
TEXTS = [
    "کتاب‌ها را می خوانیم و همه‌جانبه بررسی می‌کنیم.",
    "دانشجویان دانشگاه ها در ۱۴۰۲ به BBC گفتند: «بزرگ ترین کتاب های ما رفته اند».",
    "می. توانیم، کتاب، ها COVID-19 و WHO",
    "بزرگـــترین کتابِ \ufefbزم است؛ می ـ توانیم",
    "ها کتاب نمی\u200cتوانند همه\u200cی کتاب\u200cهایشان را ببرند",
    "",
]
ATTRS = ("text", "pos", "part", "boost", "stopped")


def stream(analyzer: Any, text: str, **kwargs: Any) -> list[tuple[Any, ...]]:
    return [tuple(getattr(t, a, None) for a in ATTRS) for t in analyzer(text, **kwargs)]


def general(analyzer: Any, text: str) -> list[tuple[Any, ...]]:
    """The tokens through the general path: asking for offsets leaves the fast path."""
    return stream(analyzer, text, positions=True, chars=True)


@pytest.mark.parametrize("text", TEXTS)
def test_exact_fast_path_is_the_general_path(text: str) -> None:
    assert stream(exact_analyzer(), text, positions=True) == general(exact_analyzer(), text)


@pytest.mark.parametrize("text", TEXTS)
def test_fused_stem_filter_is_the_filter_token_by_token(text: str) -> None:
    fused = stream(stem_analyzer(), text, positions=True)
    one_by_one = [
        tuple(getattr(t, a, None) for a in ATTRS)
        for t in PersianStemFilter._filter(iter(PersianTokenizer()(text, positions=True)), get_stemmer())
    ]
    assert fused == one_by_one == general(stem_analyzer(), text)


def test_compound_parts_follow_at_the_next_positions() -> None:
    tokens = stream(exact_analyzer(), "همه‌جانبه کتاب ها نو", positions=True)
    assert [(text, pos, part) for text, pos, part, _, _ in tokens] == [
        ("همهجانبه", 0, False),
        ("همه", 0, True),
        ("جانبه", 1, True),
        ("کتابها", 2, False),
        ("کتاب", 2, True),
        ("نو", 3, False),
    ]


def test_stem_field_drops_a_part_whose_stem_is_the_compounds() -> None:
    tokens = stream(stem_analyzer(), "کتاب ها همه‌جانبه", positions=True)
    assert [(text, pos, part) for text, pos, part, _, _ in tokens] == [
        ("کتاب", 0, False),  # «کتاب» the part is gone: it would count the stem twice
        ("همهجانبه", 1, False),
        ("همه", 1, True),
        ("جانبه", 2, True),
    ]


def test_positions_start_where_asked() -> None:
    tokens = stream(stem_analyzer(), "کتاب‌ها نو", positions=True, start_pos=10)
    assert [pos for _, pos, _, _, _ in tokens] == [10, 11]


def test_tokens_work_with_next_and_a_cold_stem_cache() -> None:
    clear_cache()
    tokens = stem_analyzer()("دانشگاه ها", positions=True)
    assert next(tokens).text == "دانشگاه"
    assert list(tokens) == []


def test_offsets_after_the_fast_path_are_computed() -> None:
    # the cached tokenization of a text without offsets must not serve a call that wants them
    text = "کتاب ها نو"
    list(exact_analyzer()(text, positions=True))
    assert [(t.text, t.startchar, t.endchar) for t in exact_analyzer()(text, chars=True)] == [
        ("کتابها", 0, 7),
        ("کتاب", 0, 7),
        ("نو", 8, 10),
    ]


_PIECES = st.sampled_from(
    ["کتاب", "ها", "های", "می", "نمی", "تر", "اند", "همه", "جانبه", "است", "BBC", "12", "۳",
     " ", " ", "  ", ZWNJ, "\u00a0", IGNORABLE, "\u064e", ".", "،", "\n", "\ufefb", "\t"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_fast_paths_are_the_general_path_on_any_mix(text: str) -> None:
    assert stream(exact_analyzer(), text, positions=True) == general(exact_analyzer(), text)
    assert stream(stem_analyzer(), text, positions=True) == general(stem_analyzer(), text)
