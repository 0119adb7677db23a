"""The analyzers' fast paths (a reindex: no offsets, positions for the surface fields and none
for the stem fields; the stem filter fused with the tokenizer) give exactly the tokens of the
general path, compounds and affixes included."""

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


def general(analyzer: Any, text: str, positions: bool = True) -> list[tuple[Any, ...]]:
    """The tokens through the general path: asking for offsets leaves the fast path."""
    return stream(analyzer, text, positions=positions, chars=True)


def frequency_stream(analyzer: Any, text: str) -> list[tuple[Any, ...]]:
    """The tokens as Whoosh's Frequency format (the stem fields) asks for them: no positions."""
    return stream(analyzer, text, boosts=True, mode="index")


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


@pytest.mark.parametrize("text", TEXTS)
def test_fast_paths_without_positions_are_the_general_path(text: str) -> None:
    for analyzer in (exact_analyzer(), stem_analyzer()):
        tokens = frequency_stream(analyzer, text)
        assert tokens == general(analyzer, text, positions=False)
        assert [t[0] for t in tokens] == [t[0] for t in general(analyzer, text)]


def test_a_document_is_tokenized_once_for_its_surface_and_stem_fields(monkeypatch: Any) -> None:
    # Whoosh indexes «text» (Positions) then «text_stem» (Frequency) with the same string.
    import indexer.analysis
    from backends.whoosh.schema import make_schema

    calls: list[bool] = []
    term_columns = indexer.analysis.term_columns

    def counted(value: str, offsets: bool = True) -> Any:
        calls.append(offsets)
        return term_columns(value, offsets)

    monkeypatch.setattr(indexer.analysis, "term_columns", counted)
    schema = make_schema()
    text = "کتاب ها را می خوانیم " + str(id(calls))  # a new string: nothing cached
    surface = {term.decode() for term, *_ in schema["text"].index(text)}
    stems = {term.decode() for term, *_ in schema["text_stem"].index(text)}
    assert calls == [False]
    assert {"کتابها", "میخوانیم"} <= surface
    assert "کتاب" in stems and "کتابها" not in stems


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
    assert frequency_stream(stem_analyzer(), text) == general(stem_analyzer(), text, positions=False)
