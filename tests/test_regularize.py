"""How a search re-ranks its best results by their neighbours (``search.neighbours.regularize``): a
hand-checked ranking, and the same ranking as a plain-Python reference on random inputs, ties and the
rounding to six decimals included (the re-ranking runs on arrays, every search pays it)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from corpora import neighbours_table
from hypothesis import example, given
from hypothesis import strategies as st

from search.neighbours import Table, regularize, rounded


def test_a_hand_checked_reranking() -> None:
    table = neighbours_table(
        {
            "alborz": [("dena", 0.5), ("sahand", 0.25)],
            "dena": [("alborz", 0.5)],
            "sahand": [("taftan", 0.4)],  # «taftan» is not among the results: it counts 0
            "zagros": [],  # in the table without neighbours
        }
    )
    scored = [("alborz", 4.0), ("dena", 3.0), ("sahand", 2.0), ("zagros", 1.5), ("binalud", 1.0), ("karkas", 0.5)]
    # depth 5, α 0.5: «alborz» 0.5·4 + 0.5·(0.5·3 + 0.25·2)/0.75 = 3.333333 (rounded to six decimals),
    # «dena» 0.5·3 + 0.5·4 = 3.5, «sahand» 0.5·2 + 0 = 1.0; «zagros» (no neighbours) and «binalud»
    # (unknown) keep 1.5 and 1.0. «sahand» and «binalud» tie at 1.0: the better first-ranked first.
    # Below the depth, «karkas» is scaled to half the lowest re-ranked score per its first score (1.0 / 0.5 · 0.5).
    assert regularize(scored, table, 20, 0.5, 5) == [(1, 3.5), (0, 3.333333), (3, 1.5), (2, 1.0), (4, 1.0), (5, 0.5)]
    # one neighbour: «alborz» 0.5·4 + 0.5·3 = 3.5 ties with «dena»'s 3.5, and was ranked first before
    assert regularize(scored, table, 1, 0.5, 5)[:2] == [(0, 3.5), (1, 3.5)]


def test_scores_equal_to_six_decimals_tie_and_keep_their_first_order() -> None:
    table = neighbours_table({"arak": [("yazd", 1.0)], "qom": [("arak", 0.5), ("yazd", 0.5)]})
    # «arak» 0.5·3.9999992 + 0 = 1.9999996; «qom» 0.5·2.0000012 + 0.5·(0.5·3.9999992) = 2.0000004:
    # higher unrounded, but both are 2.0 to six decimals, so «arak», ranked first before, stays first
    assert regularize([("arak", 3.9999992), ("qom", 2.0000012)], table, 20, 0.5, 2) == [(0, 2.0), (1, 2.0)]


def _reference(
    scored: Sequence[tuple[str, float]], neighbours: Table, count: int, alpha: float, depth: int
) -> list[tuple[int, float]]:
    """``regularize`` one article at a time in plain Python (its first version): the oracle of the
    arrays' version, over the same neighbours' means (``Table.around``, tested against its own)."""
    top = scored[:depth]
    arounds = neighbours.around(top, count)
    smoothed = [
        (i, score if around is None else round((1 - alpha) * score + alpha * around, 6))
        for i, ((_, score), around) in enumerate(zip(top, arounds, strict=True))
    ]
    smoothed.sort(key=lambda item: (-item[1], item[0]))
    rest = scored[depth:]
    if not rest:
        return smoothed
    floor = min((score for _, score in smoothed), default=0.0)
    scale = floor / rest[0][1] * 0.5 if rest[0][1] > 0 else 0.0
    return smoothed + [(depth + i, round(score * scale, 6)) for i, (_, score) in enumerate(rest)]


NAMES = ["alborz", "dena", "sahand", "zagros", "binalud", "karkas", "taftan", "sabalan"]
SIMILARITY = st.sampled_from([0.001, 0.1, 0.25, 0.333, 0.5, 0.9, 1.0]) | st.floats(0.0005, 1.0)
# scores with a seventh decimal (halves included: 2.5e-06 rounds to 3e-06 in Python, 2e-06 in numpy)
SCORE = st.floats(0.0, 60.0) | st.integers(0, 6 * 10**8).map(lambda n: n / 10**7) | st.sampled_from([0.0, 2.5e-06])
ROWS = st.dictionaries(st.sampled_from(NAMES), st.lists(st.tuples(st.sampled_from(NAMES), SIMILARITY), max_size=5))
SCORED = st.lists(
    st.tuples(st.sampled_from([*NAMES, "dalahu", "kuhrang"]), SCORE), max_size=10, unique_by=lambda x: x[0]
)


@given(
    rows=ROWS,
    scored=SCORED,
    count=st.integers(1, 6),
    alpha=st.sampled_from([0.0, 0.3, 0.5, 1.0]) | st.floats(0.0, 1.0),
    depth=st.integers(0, 12),
)
@example(rows={"alborz": [("dena", 1.0)]}, scored=[("alborz", 5.0), ("dena", 5.0)], count=1, alpha=0.5, depth=2)
@example(rows={"alborz": []}, scored=[("dena", 0.0), ("alborz", 0.0)], count=1, alpha=0.3, depth=1)
@example(rows={"alborz": [("dena", 0.5)]}, scored=[("alborz", 5e-06), ("dena", 0.0)], count=1, alpha=0.5, depth=1)
def test_the_reranking_is_the_plain_python_ones(
    rows: dict[str, list[tuple[str, float]]], scored: list[tuple[str, float]], count: int, alpha: float, depth: int
) -> None:
    scored.sort(key=lambda x: -x[1])  # best first, as a backend hands them over
    table = neighbours_table(rows or {"alborz": []})
    assert regularize(scored, table, count, alpha, depth) == _reference(scored, table, count, alpha, depth)


@given(st.lists(st.floats(allow_nan=False) | SCORE | st.integers(-(10**9), 10**9).map(lambda n: n / 10**7)))
@example([2.5e-06, 1.25e-05, 45.1957985, -2.5e-06, 5e-07, -0.0])  # halves: numpy's np.round parts from Python here
@example([4503599627.370497, 1e300, float("inf"), -float("inf")])  # too large to scale by 10⁶ in 53 bits
def test_rounding_on_arrays_is_pythons(values: list[float]) -> None:
    import numpy as np

    found = rounded(np.array(values, dtype=np.float64)).tolist()
    assert found == [round(v, 6) for v in values]
    assert [math.copysign(1, f) for f in found] == [math.copysign(1, round(v, 6)) for v in values]  # -0.0 too
