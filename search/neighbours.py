"""Score regularization: an article's score is smoothed with its nearest articles' (Diaz 2005).

Relevant articles of a topic resemble each other more than they resemble the rest, so an article
whose nearest articles (by their words: ``indexer.neighbours``, computed by every reindex) also
score high is likelier relevant than one that scores high alone, and one that uses other words
than the query («ازدواج» for «همسرداری») is lifted by neighbours that use the query's. The
engine re-ranks its best ``depth`` results by

    f(D) = (1 - alpha) · s(D) + alpha · Σ w(D, D') · s(D')

over D's ``count`` nearest articles D', w their similarities normalised to sum to 1, s(D') the
score of D' if it is among the best ``depth``, else 0. The table is published with the index, in
its metadata, so it is always that index's own; a search decodes it once per index, when first
needed; an index without one (built in parts) is searched as before.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from indexer.neighbours import KEY, unpack

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_tables: weakref.WeakKeyDictionary[Any, Table | None] = weakref.WeakKeyDictionary()  # per opened index


class Table(Mapping[str, list[tuple[str, float]]]):
    """An index's table: id -> [(id, similarity), ...], best first, decoded per article when asked.

    >>> from indexer.neighbours import pack
    >>> table = Table(pack(["a", "b", "c"], [[(2, 0.5), (1, 0.25)], [], [(0, 0.5)]], 2))
    >>> table["a"], table.get("b"), table.get("x"), len(table)
    ([('c', 0.5), ('b', 0.25)], [], None, 3)
    """

    def __init__(self, packed: str) -> None:
        self._ids, self._near, self._similar = unpack(packed)
        self._position = {ident: i for i, ident in enumerate(self._ids)}

    def __getitem__(self, ident: str) -> list[tuple[str, float]]:
        i = self._position[ident]
        return [
            (self._ids[j], round(s, 3))
            for j, s in zip(self._near[i].tolist(), self._similar[i].tolist(), strict=True)
            if j >= 0
        ]

    def around(self, scored: Sequence[tuple[str, float]], count: int) -> list[float | None]:
        """For each of ``scored`` ((id, score)), the similarity-weighted mean score of its ``count``
        nearest articles (0 for those not in ``scored``); ``None`` for an article without any.

        >>> from indexer.neighbours import pack
        >>> table = Table(pack(["a", "b", "c"], [[(2, 0.5), (1, 0.25)], [], [(0, 0.5)]], 2))
        >>> table.around([("a", 3.0), ("c", 1.0), ("x", 2.0)], 2)  # «b» has no neighbours, «x» is unknown
        [0.6666666666666666, 3.0, None]
        """
        import numpy as np

        means, has = self.means([ident for ident, _ in scored], np.array([s for _, s in scored], float), count)
        return [mean if ok else None for mean, ok in zip(means.tolist(), has.tolist(), strict=True)]

    def means(self, ids: Sequence[str], scores: Any, count: int) -> tuple[Any, Any]:
        """``around`` on arrays: (means, has) for the articles ``ids`` scoring ``scores`` (a float
        array), ``has`` false for an article without neighbours (its mean 0). On the table's rows at
        once, not three hundred tuples: every search with the table pays it."""
        import numpy as np

        position = self._position.get
        rows = np.array([position(ident, -1) for ident in ids], dtype=np.int64)
        found = rows >= 0
        known = np.zeros(len(self._ids) + 1)  # the last: a missing neighbour (-1), scores 0
        known[rows[found]] = scores[found]
        near = self._near[rows[found], :count]
        weights = self._similar[rows[found], :count].astype(np.float64) * (near >= 0)
        weights = np.round(weights, 3)
        totals = weights.sum(axis=1)
        means, has = np.zeros(len(ids)), np.zeros(len(ids), dtype=bool)
        means[found] = (weights * known[near]).sum(axis=1) / np.where(totals > 0, totals, 1.0)
        has[found] = totals > 0
        return means, has

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def of(opened: Any) -> Table | None:
    """The neighbours the reindex published with the ``opened`` index (``indexer.neighbours``),
    decoded once per index; ``None`` when it has none, or ``$KAVOSH_NEIGHBOURS`` is "" (off: tests
    and experiments rank without them). A table that cannot be read is named in a warning, and
    searches go on without it."""
    if os.environ.get("KAVOSH_NEIGHBOURS") == "":
        return None
    with _lock:
        if opened in _tables:
            return _tables[opened]
        packed = opened.meta.get(KEY)
        table: Table | None = None
        if isinstance(packed, str):
            try:
                table = Table(packed)
            except ValueError as err:
                _log.warning("the index's %s; searching without score regularization (reindex)", err)
        _tables[opened] = table
        return table


def regularize(
    scored: Sequence[tuple[str, float]],
    neighbours: Table,
    count: int,
    alpha: float,
    depth: int,
) -> list[tuple[int, float]]:
    """(position in ``scored``, new score) of each of ``scored`` ((id, score), best first), best first.

    The best ``depth`` are re-ranked by f(D); an article the table does not know keeps its score
    (as if its neighbours were like it). The rest keep their order, their scores scaled below the
    last re-ranked one, so that the scores still give the order.

    >>> from indexer.neighbours import pack
    >>> table = Table(pack(["a", "b", "c", "x"], [[(2, 0.5)], [(3, 0.5)], [(0, 0.5)], []]))
    >>> regularize([("a", 3.0), ("b", 2.9), ("c", 2.0), ("d", 1.0)], table, 20, 0.5, 3)
    [(0, 2.5), (2, 2.5), (1, 1.45), (3, 0.725)]
    """
    import numpy as np

    top = scored[:depth]
    scores = np.array([score for _, score in top], dtype=np.float64)
    means, has = neighbours.means([ident for ident, _ in top], scores, count)
    smoothed = np.where(has, rounded((1 - alpha) * scores + alpha * means), scores)
    order = np.argsort(-smoothed, kind="stable")  # best first, ties in their first order
    ranked = list(zip(order.tolist(), smoothed[order].tolist(), strict=True))
    rest = scored[depth:]
    if not rest:
        return ranked
    floor = float(smoothed.min()) if len(top) else 0.0
    scale = floor / rest[0][1] * 0.5 if rest[0][1] > 0 else 0.0
    below = rounded(np.array([score for _, score in rest], dtype=np.float64) * scale).tolist()
    return ranked + list(zip(range(depth, depth + len(rest)), below, strict=True))


def rounded(values: Any) -> Any:
    """Each of ``values`` (a float array) rounded to six decimals as Python's ``round(x, 6)`` does: its
    decimal value, halves to even. numpy's ``np.round`` rounds the binary product by 10⁶ instead, which
    parts from Python's near halves (2.5e-06: 3e-06 in Python, 2e-06 in numpy) and would tie or part
    scores otherwise: the few values within a hair of a half (or too large to scale) are rounded by Python.

    >>> import numpy as np
    >>> rounded(np.array([2.5e-06, 1.23456789, -0.0000004, 3.0])).tolist(), np.round(2.5e-06, 6)
    ([3e-06, 1.234568, -0.0, 3.0], np.float64(2e-06))
    """
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore"):
        scaled = values * 1e6  # off the true product by at most |scaled|·2⁻⁵³: the margin below is wider
        out = np.rint(scaled) / 1e6
        doubtful = ~(np.abs(scaled - np.floor(scaled) - 0.5) > 1e-6 + np.abs(scaled) * 2.0**-50)
        doubtful |= ~(np.abs(scaled) < 2.0**52)  # and NaN, infinities
    for i in np.flatnonzero(doubtful).tolist():
        out[i] = round(float(values[i]), 6)
    return out
