"""Our analysis against the normalization and stemming cases of other projects' test suites
(``peer_cases.py``): a query written one way must find the text written the other.

``finds`` reads the query as the search does (``search.query.analyze`` with the index's own
analyzers) and asks, of every word, what the ranked query asks at full weight: the text holds
its surface form or its stem; a compound («هم‌زمان») may also stand in the text as its parts
one after the other («هم زمان»); two neighbouring words («هم زمان») may stand written as one
(«همزمان»). Parts of a compound matched one by one elsewhere in the text do not count: that is
the reduced-weight match this suite exists to rule out.
"""

from __future__ import annotations

from collections import Counter

import pytest
from peer_cases import APART, FINDS, KEPT

from indexer.stem import DEFAULT_STEMMER
from search.query import Analyzed, analyze, analyzers

STEMMER = DEFAULT_STEMMER
EXACT, STEMS = analyzers(STEMMER)  # the index's own analyzers


def _text_terms(text: str) -> tuple[set[str], set[str], dict[str, set[int]]]:
    """(surface terms, stems, positions of each surface term) the index holds for ``text``."""
    positions: dict[str, set[int]] = {}
    for token in EXACT(text, positions=True, mode="index"):
        positions.setdefault(token.text, set()).add(token.pos)
    stems = {token.text for token in STEMS(text, mode="index")}
    return set(positions), stems, positions


def _consecutive(words: tuple[str, ...], positions: dict[str, set[int]]) -> bool:
    starts = positions.get(words[0], set())
    return any(all(start + k in positions.get(word, set()) for k, word in enumerate(words)) for start in starts)


def finds(query: str, text: str) -> bool:
    """Whether every word of ``query`` is found in ``text`` at full weight (see the module)."""
    words: Analyzed = analyze(STEMMER, query)
    if not words.exact:
        return False
    surface, stems, positions = _text_terms(text)

    def found(i: int) -> bool:
        exact, stem = words.exact[i], words.stems[i]
        if exact in surface or stem in stems:
            return True
        parts = words.groups[i]
        return len(parts) > 1 and _consecutive(parts, positions)

    joined = {i: exact in surface or stem in stems for i, exact, stem in words.joins}
    i = 0
    while i < len(words.exact):
        if found(i):
            i += 1
        elif joined.get(i, False):  # this word and the next written as one
            i += 2
        elif joined.get(i - 1, False):  # the previous word and this one written as one
            i += 1
        else:
            return False
    return True


def _id(case: tuple[str, ...]) -> str:
    return f"{case[0]}:{case[1]}->{case[2]}"


@pytest.mark.parametrize("case", FINDS, ids=map(_id, FINDS))
def test_query_finds_the_text_written_the_other_way(case: tuple[str, str, str]) -> None:
    _, query, text = case
    assert finds(query, text)


@pytest.mark.parametrize("case", APART, ids=map(_id, APART))
def test_words_the_peers_keep_apart_stay_apart(case: tuple[str, str, str]) -> None:
    _, query, text = case
    assert not finds(query, text)


@pytest.mark.parametrize("case", KEPT, ids=[_id(case) for case in KEPT])
def test_our_deliberate_differences_hold(case: tuple[str, str, str, str]) -> None:
    _, query, text, _why = case
    assert not finds(query, text)


def test_the_table_covers_every_peer_and_enough_cases() -> None:
    sources = Counter(case[0] for case in [*FINDS, *APART, *KEPT])
    assert set(sources) == {"lucene-fa", "lucene-ar", "elasticsearch", "charabia", "hazm", "persian-tools", "parsivar"}
    total = len(FINDS) + len(APART) + len(KEPT)
    assert total >= 195 and len(KEPT) <= 6, (total, len(KEPT))


# --- the disagreements the suite found, one test each ------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"),
    [("نامه\u200cای", "نامه"), ("هفته\u200cای", "هفته"), ("خانه\u200cای", "خانه"), ("مقاله\u200cای", "مقاله")],
)
def test_indefinite_ای_after_final_ه_is_not_the_plural_های(word: str, stem: str) -> None:
    assert analyze(STEMMER, word).stems == (stem,)
    assert analyze(STEMMER, "کتاب\u200cهای").stems == ("کتاب",)  # the plural still is


def test_a_listed_plural_or_inflected_form_finds_its_common_lexeme() -> None:
    assert [analyze(STEMMER, w).stems[0] for w in ("جامدات", "خوبترین", "کتابی", "زیادی", "اندیشه\u200cاش")] == [
        "جامد",
        "خوب",
        "کتاب",
        "زیاد",
        "اندیشه",
    ]
    assert analyze(STEMMER, "شادمانی").stems == ("شادمانی",)  # a derived word of its own
