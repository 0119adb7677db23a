"""The plain query tree (``backends.base``) as Whoosh query objects, which ``scorer`` evaluates.

>>> from backends.base import AnyOf, Term
>>> to_whoosh(AnyOf((Term("text", "ایران", 0.2),)))
Or([Term('text', 'ایران', boost=0.2)])
"""

from __future__ import annotations

from datetime import datetime

from whoosh import query as q
from whoosh import scoring

from backends import base

#: Whoosh's BM25 for its own more-like-this and the searchers' idf (ranking itself is ``scorer``'s).
BM25_B = 0.75
BM25_K1 = 1.2


def weighting(b: float = BM25_B, k1: float = BM25_K1) -> scoring.BM25F:
    """The same BM25 as a Whoosh weighting, for Whoosh's own more-like-this."""
    return scoring.BM25F(B=b, K1=k1)


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
