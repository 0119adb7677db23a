"""The stemmers' cache: bounded, emptied by ``clear_cache``, and never changes a stem."""

from __future__ import annotations

import pytest

from indexer import stem as stem_module
from indexer.stem import _ENDINGS, _INFLECTIONS, Stemmer, _Lexicon, clear_cache, get_stemmer

# Real words in the joined canonical form the tokenizer gives: plurals, verbs with their
# prefix, comparatives, words that merely end like a suffix, a Latin word, a number.
WORDS = [
    "کتابها", "کتابهایشان", "دانشگاه", "دانشگاهها", "ایران", "ایرانیان", "میتوانیم", "نمیخواهند",
    "خبرنگاران", "بزرگترین", "بیشتر", "دانشجویان", "رفتهاند", "مجلس", "نمایندگان", "گفت",
    "elections", "running", "1402", "کووید",
]  # fmt: skip


@pytest.fixture
def stemmer() -> Stemmer:
    return Stemmer("lexicon")  # a fresh cache, not the shared one


def test_cached_stems_are_the_uncached_stems(stemmer: Stemmer) -> None:
    uncached = [stemmer._stem(word) for word in WORDS]
    assert [stemmer(word) for word in WORDS] == uncached  # filling the cache
    assert [stemmer(word) for word in WORDS] == uncached  # from the cache
    assert stemmer.many(WORDS + WORDS[::-1]) == uncached + uncached[::-1]
    # and they are real stems, not the words given back
    assert dict(zip(WORDS, uncached, strict=True))["کتابهایشان"] == "کتاب"
    assert dict(zip(WORDS, uncached, strict=True))["elections"] == "elect"


def test_many_on_a_cold_cache_gives_what_one_by_one_gives(stemmer: Stemmer) -> None:
    cold = stemmer.many(WORDS)
    assert cold == [Stemmer("lexicon")(word) for word in WORDS]
    assert stemmer.many([]) == []


def test_the_cache_is_bounded(stemmer: Stemmer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stem_module, "CACHE_SIZE", 5)
    uncached = [stemmer._stem(word) for word in WORDS]
    assert [stemmer(word) for word in WORDS] == uncached
    assert len(stemmer._memo) == 5
    assert stemmer.many(WORDS) == uncached  # past the bound: stemmed again, still right
    assert len(stemmer._memo) == 5


def test_many_past_the_bound_stores_nothing_and_stays_right(stemmer: Stemmer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stem_module, "CACHE_SIZE", 3)
    assert stemmer.many(WORDS) == [stemmer._stem(word) for word in WORDS]
    assert len(stemmer._memo) <= 3


def test_clear_cache_empties_every_stemmer() -> None:
    shared = get_stemmer("lexicon")
    shared.many(WORDS)
    assert set(WORDS) <= shared._memo.keys()
    clear_cache()
    assert not shared._memo
    assert shared.many(WORDS) == [shared._stem(word) for word in WORDS]


def _strip_one_by_one(lexicon: _Lexicon, term: str, suffixes: list[str]) -> str | None:
    """The suffix stripping as first written: each suffix in turn, longest first."""
    for suffix in suffixes:
        if term.endswith(suffix) and len(term) - len(suffix) >= 2:
            rest = term[: -len(suffix)]
            if rest in lexicon.words:
                return rest
    return None


def test_suffixes_grouped_by_length_strip_as_one_by_one() -> None:
    lexicon = _Lexicon()
    lexicon.load()
    known = sorted(lexicon.words)[::50]  # a spread of real words, and each with every suffix
    terms = WORDS + known + [word + suffix for word in known[::10] for suffix in _INFLECTIONS + _ENDINGS]
    for term in terms:
        for suffixes, grouped in (
            (_INFLECTIONS, stem_module._INFLECTIONS_BY_LENGTH),
            (_ENDINGS, stem_module._ENDINGS_BY_LENGTH),
        ):
            assert lexicon._strip(term, grouped, lexicon.words) == _strip_one_by_one(lexicon, term, suffixes), term


def test_the_lexicon_on_disk_stems_as_the_loaded_one() -> None:
    """A search stems its few words from the cache's SQLite tables; a reindex from memory: the same stems."""
    on_disk, loaded = _Lexicon(), _Lexicon()
    loaded.load()
    known = sorted(loaded.words)[::400]
    verbs = sorted(loaded.verbs)[::700]  # «میتوانیم», participles («گفته»), negated forms
    terms = WORDS + known + verbs + [word + suffix for word in known[::20] for suffix in _INFLECTIONS + _ENDINGS]
    terms += [word + "ه" for word in known[::10]] + ["ن" + word + "ه" for word in known[::10]]
    assert len(terms) < stem_module.LOAD_AFTER
    assert [on_disk.stem(term) for term in terms] == [loaded.stem(term) for term in terms]
    compounds = [*sorted(loaded.compounds)[::100], "اینجا", "همزمان", "بیدلیل", "ایران"]
    assert [on_disk.parts(term) for term in compounds] == [loaded.parts(term) for term in compounds]
    assert not on_disk.loaded  # a search's handful of words: nothing read whole


def test_the_lexicon_loads_itself_after_many_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stem_module, "LOAD_AFTER", 3)
    lexicon = _Lexicon()
    stems = [lexicon.stem(word) for word in WORDS[:3]]
    assert not lexicon.loaded
    assert lexicon.stem(WORDS[3]) == Stemmer("lexicon")._stem(WORDS[3]) and lexicon.loaded
    assert [lexicon.stem(word) for word in WORDS[:3]] == stems
    assert isinstance(lexicon.words, set)
