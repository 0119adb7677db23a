"""Every spelling of a Persian word is one term: at the term level and through search."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from spellings import CANONICAL, SPELLINGS, article_id, spelling_pairs

from indexer.normalize import IGNORABLE, ZWNJ, fold_with_offsets, normalize
from indexer.tokenize import _TOKEN, PREFIXES, Term, _scan, term_columns, word_tokens

Kavosh = Callable[..., Result]


def texts(text: str) -> list[str]:
    return [t.text for t in word_tokens(text)]


# --- the spelling pairs, at the term level ------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "spelling"),
    [pytest.param(w, s, id=f"{w}:{label}") for w, group in SPELLINGS.items() for label, s in group.items()],
)
def test_every_spelling_gives_the_canonical_term(word: str, spelling: str) -> None:
    assert texts(spelling) == [CANONICAL[word]]


@pytest.mark.parametrize(("query", "article", "ident"), spelling_pairs())
def test_spelling_pair_is_one_term(query: str, article: str, ident: str) -> None:
    assert texts(query) == texts(article)


# --- through search: `kavosh search W` finds the article written V ------------------------------


@pytest.mark.parametrize(("query", "article", "ident"), spelling_pairs())
def test_search_finds_the_other_spelling(
    kavosh: Kavosh, spelling_index: Path, query: str, article: str, ident: str
) -> None:
    result = kavosh("search", query, "--json", "--index", str(spelling_index), "--limit", "50")
    assert result.exit_code == 0, result.output
    assert ident in [hit["id"] for hit in json.loads(result.stdout)["hits"]]


@pytest.mark.parametrize(
    ("word", "query"),
    [pytest.param(w, s, id=f"{w}:{label}") for w, group in SPELLINGS.items() for label, s in group.items()],
)
def test_search_finds_only_the_spellings_of_the_word(
    kavosh: Kavosh, spelling_index: Path, word: str, query: str
) -> None:
    result = kavosh("search", query, "--json", "--index", str(spelling_index), "--limit", "50")
    found = {hit["id"] for hit in json.loads(result.stdout)["hits"]}
    assert found == {article_id(word, label) for label in SPELLINGS[word]}


# --- attaching affixes ------------------------------------------------------------------------

ATTACH = [
    # verbal prefixes written apart attach to the next word
    ("نمی توانیم", ["نمیتوانیم"]),  # نمی, like می
    ("می\u200cتوانیم", ["میتوانیم"]),  # a ZWNJ joins
    # suffixes written apart attach to the previous word
    ("کتاب های", ["کتابهای"]),  # plural with ezafe
    ("بیش تر", ["بیشتر"]),  # comparative
    ("بزرگ ترین", ["بزرگترین"]),  # superlative
    ("رفته اند", ["رفتهاند"]),  # enclitic copula
    ("کتاب\u200cهایشان", ["کتابهایشان"]),  # plural + pronoun after a ZWNJ
    ("می کتاب ها", ["میکتابها"]),  # a prefix and a suffix on one word
    # where nothing attaches
    ("خوب است", ["خوب", "است"]),  # «است» is a word of its own
    ("می. توانیم", ["می", "توانیم"]),  # never across punctuation
    ("می، توانیم", ["می", "توانیم"]),  # nor a Persian comma
    ("کتاب، ها", ["کتاب", "ها"]),  # a suffix neither
    ("می 12", ["می", "12"]),  # nor to digits
    ("BBC ها", ["bbc", "ها"]),  # nor to Latin words
    ("ها کتاب", ["ها", "کتاب"]),  # a suffix at the start stays a word
    ("ماه می سال", ["ماه", "می", "سال"]),  # «می» after «ماه» is the month May
    ("در ماه می‌رود", ["در", "ماه", "میرود"]),  # a ZWNJ still joins
    ("ماه، می رود", ["ماه", "میرود"]),  # after punctuation «می» is a prefix again
    ("کاروان‌‌سرا", ["کاروانسرا"]),  # two ZWNJs join as one
    ("سلاممم دوستان", ["سلام", "دوستان"]),  # a letter typed three times
]


@pytest.mark.parametrize(("text", "expected"), ATTACH)
def test_attaching(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_no_attaching_across_punctuation() -> None:
    assert word_tokens("می. توانیم") == [Term("می", 0, 2), Term("توانیم", 4, 10)]


# --- digits, scripts, offsets, parts ----------------------------------------------------------


def test_digits_split_from_persian() -> None:
    assert word_tokens("کووید۱۹") == [Term("کووید", 0, 5), Term("19", 5, 7)]


def test_digits_in_three_scripts_are_one_term() -> None:
    assert texts("۱۴۰۲ ١٤٠٢ 1402") == ["1402", "1402", "1402"]


def test_latin_lowercased_and_split_at_punctuation() -> None:
    assert texts("COVID-19 و WHO") == ["covid", "19", "و", "who"]


def test_offsets_cover_the_whole_phrase() -> None:
    text = "ما می توانیم"
    [first, second] = word_tokens(text)
    assert (first.text, text[first.start : first.end]) == ("ما", "ما")
    assert (second.text, text[second.start : second.end]) == ("میتوانیم", "می توانیم")


def test_offsets_point_into_the_original_text() -> None:
    text = "مي\u00a0كند كتاب ها"
    assert [text[t.start : t.end] for t in word_tokens(text)] == ["مي\u00a0كند", "كتاب ها"]


def test_offsets_after_a_ligature_point_into_the_original_text() -> None:
    text = "\ufefbزم است"
    assert [(t.text, text[t.start : t.end]) for t in word_tokens(text)] == [
        ("لازم", "\ufefbزم"),
        ("است", "است"),
    ]


def test_tatweel_and_diacritics_dropped_from_the_term() -> None:
    assert word_tokens("بزرگـــترین کتابِ") == [Term("بزرگترین", 0, 11), Term("کتاب", 12, 17)]


PARTS = [
    ("همه\u200cجانبه", ("همه", "جانبه")),  # a compound: both words
    ("کتاب\u200cها", ("کتاب",)),  # a suffix is not a part
    ("کتاب ها", ("کتاب",)),  # nor when written apart
    ("می\u200cتوانیم", ("توانیم",)),  # nor a prefix
    ("همهجانبه", ()),  # a joined spelling has no parts to find
    ("کتاب", ()),  # a simple word
]


@pytest.mark.parametrize(("text", "parts"), PARTS)
def test_compound_parts(text: str, parts: tuple[str, ...]) -> None:
    [term] = word_tokens(text)
    assert term.parts == parts


def test_empty_text_has_no_terms() -> None:
    assert word_tokens("") == []


def test_ignorables_alone_are_no_term() -> None:
    assert word_tokens("\u200f\u0640 \u064e") == []


# --- properties -------------------------------------------------------------------------------

_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكة"
_TEXT = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            [
                *_LETTERS,
                ZWNJ,
                " ",
                "\u00a0",
                "\u200b",
                "\u200f",
                IGNORABLE,
                "\u064e",
                "\ufefb",
                "\ufdf2",
                "۱",
                "٢",
                "3",
                "A",
                ".",
                "،",
                "\n",
                "می",
                "ها",
                "کتاب",
            ]
        )
    ).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_terms_point_into_the_text(text: str) -> None:
    end = 0
    for term in word_tokens(text):
        assert term.text
        assert ZWNJ not in term.text and IGNORABLE not in term.text
        assert end <= term.start < term.end <= len(text)
        end = term.end


_WORD = st.text(alphabet=st.sampled_from(list(_LETTERS)), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(PREFIXES)), _WORD)
def test_prefix_spellings_are_one_term(prefix: str, word: str) -> None:
    # joined, «می» + «یی» types a letter three times: emphasis, folded (test_normalize's fold_repeats)
    assume(normalize(prefix + word) == normalize(prefix) + normalize(word))
    joined = texts(prefix + word)
    assert texts(f"{prefix}{ZWNJ}{word}") == joined
    assert texts(f"{prefix} {word}") == joined
    assert texts(f"{prefix}\u00a0{word}") == joined


# --- the fast path is the rule ----------------------------------------------------------------


def _by_rule(text: str) -> list[Term]:
    """The terms by ``_scan``, the rule token by token, with offsets into ``text``."""
    folded, offsets = fold_with_offsets(text)
    terms = _scan(folded)
    if offsets is None:
        return terms
    return [Term(t.text, offsets[t.start], offsets[t.end - 1] + 1, t.parts) for t in terms]


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_fast_tokenizer_gives_the_terms_of_the_rule(text: str) -> None:
    expected = _by_rule(text)
    assert word_tokens(text) == expected
    without_offsets = term_columns(text, offsets=False)
    assert without_offsets.texts == [t.text for t in expected]
    assert without_offsets.parts == {i: t.parts for i, t in enumerate(expected) if t.parts}


SENTENCES = [
    "می توانیم کتاب ها را بخوانیم، کتاب‌های همه‌جانبه را نمی خوانند.",
    "بزرگ ترین دانشگاه های ایران رفته اند؛ می ـ توانیم BBC ها 12 ها",
    "نمی\u200cتوانند می می کتاب\u200cهایشان ها ها تر. \ufefbزم ها",
    # lowercasing: «İ» becomes two characters, «Σ» depends on its neighbours
    "گزارش NATO و İSTANBUL ها",
    "ΟΔΟΣ.ΚΑΙ و ΑΣ\u200cΒ و Σ",
]


def test_lowercasing_changes_no_characters_class() -> None:
    # ``_columns`` lowers the whole text before cutting it into tokens when no character
    # changes length: that is only the same as lowering each token if no character moves
    # to another kind of token (Persian, digits, other letters, none).
    def kind(ch: str) -> str | None:
        match = _TOKEN.fullmatch(ch)
        return match.lastgroup if match else None

    changed = 0
    for cp in [*range(0xD800), *range(0xE000, 0x110000)]:
        ch = chr(cp)
        lower = ch.lower()
        if lower != ch and len(lower) == 1:
            changed += 1
            assert kind(lower) == kind(ch), hex(cp)
            assert lower.lower() == lower, hex(cp)
    assert changed > 1000  # Latin, Greek, Cyrillic, ... were all looked at


@pytest.mark.parametrize("text", SENTENCES)
def test_fast_tokenizer_on_sentences(text: str) -> None:
    assert word_tokens(text) == _by_rule(text)
