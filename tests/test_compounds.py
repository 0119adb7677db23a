"""A compound is one word however it is spaced: with a ZWNJ, a space or nothing, in the query and
in the text, as free words and in a quoted phrase, at the full weight of a word."""

from __future__ import annotations

import pytest
from corpora import index_articles

from search.engine import Engine, SearchRequest

# The same sentence with the compound spelled three ways; a fourth article holds its parts
# far apart (matched only through them, at reduced weight); fillers give the words a df.
SPELLED = {"zwnj": "هم\u200cزمان", "space": "هم زمان", "joined": "همزمان"}
ARTICLES = [
    *(
        {"id": label, "title": "خبر", "body": f"دو تیم {word} به میدان آمدند و بازی آغاز شد."}
        for label, word in SPELLED.items()
    ),
    {"id": "parts-apart", "title": "خبر", "body": "دو تیم هم به میدان آمدند و زمان بازی آغاز شد."},
    *({"id": f"filler-{n}", "title": "گزارش", "body": f"باران پاییزی در دامنه کوه بارید {n}."} for n in range(6)),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine(index_articles(tmp_path_factory.mktemp("compounds"), ARTICLES))


def _ranked(engine: Engine, query: str) -> list[str]:
    hits = engine.search(SearchRequest(query=query, limit=20, facets=False, snippets=False))["hits"]
    return [hit["id"] for hit in hits]


@pytest.mark.parametrize("query", [*SPELLED.values(), *(f'"{word}"' for word in SPELLED.values())])
def test_every_spelling_finds_every_spelling(engine: Engine, query: str) -> None:
    found = _ranked(engine, query)
    assert set(SPELLED) <= set(found), found


@pytest.mark.parametrize("query", SPELLED.values())
def test_the_compound_in_any_spelling_ranks_above_its_parts_apart(engine: Engine, query: str) -> None:
    found = _ranked(engine, query)
    assert "parts-apart" not in found[:3], found


@pytest.mark.parametrize("word", SPELLED.values())
def test_a_quoted_phrase_never_matches_the_parts_apart(engine: Engine, word: str) -> None:
    assert "parts-apart" not in _ranked(engine, f'"{word} به میدان"')
    assert set(SPELLED) <= set(_ranked(engine, f'"{word} به میدان"'))
