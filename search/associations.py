"""Word associations learned from the corpora: for a stem, the stems used in like contexts.

The worst dev queries ask for a topic in words its articles do not use («همسرداری» where the
articles say «ازدواج», «همسر»). ``make associations`` trains word vectors (gensim's word2vec) on
the shared corpora's stems and writes each stem's nearest neighbours with their cosine
similarity to a small file (``indexer.associations``); a search reads it once, when first needed.
Without the file a search runs as before.

The file is a ``marshal`` dict: stem -> [(neighbour, similarity), ...], best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from search.scoredfile import ScoredFile, Table

#: Where ``make associations`` writes the file; ``$KAVOSH_ASSOCIATIONS`` names another ("" for none).
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "var" / "associations.marshal"

Neighbours = Table

_FILE = ScoredFile(
    DEFAULT_PATH, "KAVOSH_ASSOCIATIONS", "word-associations", "make associations", "word associations", __name__
)


#: The associations file a search reads (``None``: switched off), and its table read once per
#: modification, empty without one (``search.scoredfile``).
path = _FILE.path
neighbours = _FILE.table


def associated(stems: Sequence[str], table: Neighbours, count: int, least: float) -> list[tuple[str, float]]:
    """Up to ``count`` neighbours of each of ``stems`` with a similarity of at least ``least``, each
    once with its best similarity, leaving out the stems themselves.

    >>> table = {"همسرداری": [("همسر", 0.7), ("ازدواج", 0.6), ("زناشویی", 0.5)], "اسلام": [("دین", 0.6)]}
    >>> associated(["همسرداری", "اسلام"], table, 2, 0.55)
    [('همسر', 0.7), ('ازدواج', 0.6), ('دین', 0.6)]
    """
    best: dict[str, float] = {}
    own = set(stems)
    for stem in stems:
        for neighbour, similarity in table.get(stem, [])[:count]:
            if similarity >= least and neighbour not in own:
                best[neighbour] = max(best.get(neighbour, 0.0), similarity)
    return list(best.items())
