"""The plain query tree (``backends.base``) as Whoosh query objects, which ``scorer`` evaluates.

>>> from backends.base import AnyOf, Term
>>> to_whoosh(AnyOf((Term("text", "ایران", 0.2),)))
Or([Term('text', 'ایران', boost=0.2)])
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from whoosh import query as q
from whoosh import scoring

from backends import base

#: Whoosh's BM25 for its own more-like-this and the searchers' idf (ranking itself is ``scorer``'s).
BM25_B = 0.75
BM25_K1 = 1.2


class LuceneIdfBM25F(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's BM25F with Lucene's (Robertson-Sparck Jones) idf, log(1 + (N - df + 0.5) / (df + 0.5)),
    instead of Whoosh's log(N / (df + 1)) + 1: Whoosh's +1 lifts the words in much of the news
    towards the rare ones that name a topic. 5-fold cross-validated MAP on the Hamshahri dev queries
    0.8809 against 0.8681 (docs/evaluation.md). N counts every document, as Whoosh's idf does."""

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        return lucene_idf(searcher.get_parent().doc_count_all(), searcher.get_parent().doc_frequency(fieldname, text))


def lucene_idf(documents: int, df: int) -> float:
    """Lucene's BM25 idf of a term in ``df`` of ``documents`` documents (never negative).

    >>> round(lucene_idf(1000, 1), 4), round(lucene_idf(1000, 999), 4)
    (6.5033, 0.0015)
    """
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


def weighting(b: float = BM25_B, k1: float = BM25_K1) -> scoring.BM25F:
    """The BM25 that ``scorer`` computes, as a Whoosh weighting: the searchers' idf comes from it, and
    Whoosh's own more-like-this and ``tests/test_scorer.py``'s reference scores use it."""
    return LuceneIdfBM25F(B=b, K1=k1)


def to_whoosh(node: base.Query) -> q.Query:
    """The Whoosh query for one node of the tree."""
    match node:
        case base.Term(field, text, boost):
            return q.Term(field, text, boost=boost)
        case base.Phrase(field, words, boost):
            return q.Phrase(field, list(words), boost=boost)
        case base.AnyOf(parts):
            return q.Or([to_whoosh(p) for p in parts])
        case base.AllOf(parts):
            return q.And([to_whoosh(p) for p in parts])
        case base.Boosted(required, optional):
            return q.AndMaybe(to_whoosh(required), to_whoosh(optional))
        case base.Excluding(positive, negative):
            return q.AndNot(to_whoosh(positive), to_whoosh(negative))
        case base.Every():
            return q.Every()
        case base.Nothing():
            return q.NullQuery
        case base.DateRange(start, end):
            return q.DateRange("published", _naive(start), _naive(end))
    raise TypeError(f"no Whoosh query for {type(node).__name__}")


def _naive(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=None) if moment is not None else None
