"""Score regularization: an article's score is smoothed with its nearest articles' (Diaz 2005).

Relevant articles of a topic resemble each other more than they resemble the rest, so an article
whose nearest articles (by their words: ``indexer.neighbours``, built by ``make neighbours``) also
score high is likelier relevant than one that scores high alone, and one that uses other words
than the query («ازدواج» for «همسرداری») is lifted by neighbours that use the query's. The
engine re-ranks its best ``depth`` results by

    f(D) = (1 - alpha) · s(D) + alpha · Σ w(D, D') · s(D')

over D's ``count`` nearest articles D', w their similarities normalised to sum to 1, s(D') the
score of D' if it is among the best ``depth``, else 0. A search reads the file once, when first
needed; without it a search runs as before. The file is a ``marshal`` dict:
id -> [(id, similarity), ...], best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from search.scoredfile import ScoredFile
from search.scoredfile import Table as Table  # re-exported: the engine names it

#: Where ``make neighbours`` writes the file; ``$KAVOSH_NEIGHBOURS`` names another ("" for none).
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "var" / "neighbours.marshal"

_FILE = ScoredFile(
    DEFAULT_PATH, "KAVOSH_NEIGHBOURS", "neighbours", "make neighbours", "score regularization", __name__
)


#: The neighbours file a search reads (``None``: switched off), and its table read once per
#: modification, empty without one (``search.scoredfile``).
path = _FILE.path
table = _FILE.table


def regularize(
    scored: Sequence[tuple[str, float]], neighbours: Table, count: int, alpha: float, depth: int
) -> list[tuple[int, float]]:
    """(position in ``scored``, new score) of each of ``scored`` ((id, score), best first), best first.

    The best ``depth`` are re-ranked by f(D); an article the table does not know keeps its score
    (as if its neighbours were like it). The rest keep their order, their scores scaled below the
    last re-ranked one, so that the scores still give the order.

    >>> table = {"a": [("c", 0.5)], "b": [("x", 0.5)], "c": [("a", 0.5)]}
    >>> regularize([("a", 3.0), ("b", 2.9), ("c", 2.0), ("d", 1.0)], table, 20, 0.5, 3)
    [(0, 2.5), (2, 2.5), (1, 1.45), (3, 0.725)]
    """
    top = scored[:depth]
    known = dict(top)
    smoothed: list[tuple[int, float]] = []
    for i, (ident, score) in enumerate(top):
        near = neighbours.get(ident, [])[:count]
        total = sum(similarity for _, similarity in near)
        if not near or total <= 0:
            smoothed.append((i, score))
            continue
        around = sum(similarity * known.get(other, 0.0) for other, similarity in near) / total
        smoothed.append((i, round((1 - alpha) * score + alpha * around, 6)))
    smoothed.sort(key=lambda item: (-item[1], item[0]))
    rest = scored[depth:]
    if not rest:
        return smoothed
    floor = min((score for _, score in smoothed), default=0.0)
    scale = floor / rest[0][1] * 0.5 if rest[0][1] > 0 else 0.0
    return smoothed + [(depth + i, round(score * scale, 6)) for i, (_, score) in enumerate(rest)]
