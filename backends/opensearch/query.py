"""The plain query tree (``backends.base``) as one OpenSearch bool query.

Scores add up as Whoosh's do under ``backends.whoosh.scorer``: ``AnyOf`` is a
``should`` (the parts that match add), ``AllOf`` a ``must``, ``Boosted`` a ``must``
with an optional ``should``, ``Excluding`` a ``must_not``. A phrase is filtered by
``match_phrase`` and scored as the sum of its terms (as on Whoosh); keyword terms
score their boost alone, as Whoosh scores unscorable fields.

>>> from backends.base import AnyOf, Term
>>> to_dsl(AnyOf((Term("text", "ایران", 0.2), Term("tag", "سیاست"))))["bool"]["should"][1]
{'constant_score': {'filter': {'term': {'tag': 'سیاست'}}, 'boost': 1.0}}
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from backends import base

#: Fields scored by BM25; every other field is a keyword, matched without a score of its own.
TEXT_FIELDS = frozenset(base.TEXT_FIELDS)


def to_dsl(node: base.Query) -> dict[str, Any]:
    """The OpenSearch query for one node of the tree."""
    match node:
        case base.Term(field, text, boost) if field in TEXT_FIELDS:
            return {"term": {field: {"value": text, "boost": boost}}}
        case base.Term(field, text, boost):
            return {"constant_score": {"filter": {"term": {field: text}}, "boost": boost}}
        case base.Phrase(field, words, boost):
            return {
                "bool": {
                    "filter": [{"match_phrase": {field: " ".join(words)}}],
                    "must": [{"term": {field: {"value": w, "boost": boost}}} for w in words],
                }
            }
        case base.AnyOf(parts):
            if not parts:
                return {"match_none": {}}
            return {"bool": {"should": [to_dsl(p) for p in parts], "minimum_should_match": 1}}
        case base.AllOf(parts):
            return {"bool": {"must": [to_dsl(p) for p in parts]}} if parts else {"match_none": {}}
        case base.Boosted(required, optional):
            return {"bool": {"must": [to_dsl(required)], "should": [to_dsl(optional)]}}
        case base.Excluding(positive, negative):
            return {"bool": {"must": [to_dsl(positive)], "must_not": [to_dsl(negative)]}}
        case base.Every():
            return {"match_all": {}}
        case base.Nothing():
            return {"match_none": {}}
        case base.DateRange(start, end):
            bounds = {}
            if start is not None:
                bounds["gte"] = _iso(start)
            if end is not None:
                bounds["lte"] = _iso(end)
            return {"range": {"published": bounds}}
    raise TypeError(f"no OpenSearch query for {type(node).__name__}")


def _iso(moment: datetime) -> str:
    """A naive UTC moment as OpenSearch reads it."""
    return moment.replace(tzinfo=UTC).isoformat()
