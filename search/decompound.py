"""Decompounding: a rare word written as one that joins two common words («همسرداری» = همسر + داری).

Persian often writes a compound glued, with neither space nor ZWNJ, and the articles about its
topic then use its parts: a query on «همسرداری» (keeping a spouse) is answered by articles that
say «همسر». As German and Dutch retrieval does (Koehn & Knight 2003, "Empirical methods for
compound splitting"), a word is split where its parts are both words of the index and the
geometric mean of their document counts beats the word's own count, here by a margin:
``ratio`` times, so that only a word far rarer than its parts is split (a common word such as
«نمایشگاه» stays whole: its parts are no more telling than itself). Parts are at least
``MIN_PART`` letters, and an inflection is no part (the stemmer strips «های» already). A word the
index does not hold is left to the spelling correction (``search.suggest``), which says what it
searched instead («شهرتهران» -> «شهر تهران»).

The counts are the index's (``search.suggest.Lexicon``), so the split follows the corpus
searched, and both backends build the same query from the same counts.

>>> counts = {"همسر": 124, "داری": 118, "همسرداری": 5, "نمایش": 452, "گاه": 285, "نمایشگاه": 215}
>>> split("همسرداری", counts.get, ratio=10)
('همسر', 'داری')
>>> split("نمایشگاه", counts.get, ratio=10) is None
True
"""

from __future__ import annotations

import math
from collections.abc import Callable

#: Fewest letters of a part: shorter pieces («هم», «بی») are affixes or function words, and the
#: compounds they begin are known (``indexer.stem.COMPOUND_HEADS``).
MIN_PART = 3
#: Suffixes the stemmer strips, which are never a part of their own («ناامنیهای» is ناامنی's plural).
INFLECTIONS = frozenset(
    ["ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "ترین", "تر", "ات", "ان", "ین"]
)


def split(word: str, documents: Callable[[str], int | None], ratio: float) -> tuple[str, str] | None:
    """The two parts of ``word`` with the highest geometric mean of ``documents`` counts, when that
    mean is at least ``ratio`` times the count of ``word`` itself; else ``None``.

    >>> counts = {"خشک": 96, "سالی": 131, "خشکسالی": 35, "ناامنی": 85, "های": 19, "ناامنیهای": 7}
    >>> split("خشکسالی", counts.get, ratio=3), split("خشکسالی", counts.get, ratio=4)
    (('خشک', 'سالی'), None)
    >>> split("ناامنیهای", counts.get, ratio=1) is None  # an inflection is no part
    True
    >>> split("ناامنی", counts.get, ratio=1) is None  # no cut into two words of the index
    True
    >>> split("خشکسال", counts.get, ratio=1) is None  # not in the index: the spelling correction's
    True
    """
    whole = documents(word) or 0
    if not whole or len(word) < 2 * MIN_PART or word[:1].isascii() or word.isdigit():
        return None
    best: tuple[float, tuple[str, str]] | None = None
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        first, second = word[:cut], word[cut:]
        if second in INFLECTIONS:
            continue
        mean = math.sqrt((documents(first) or 0) * (documents(second) or 0))
        if mean and (best is None or mean > best[0]):
            best = (mean, (first, second))
    if best is None or best[0] < ratio * whole:
        return None
    return best[1]
