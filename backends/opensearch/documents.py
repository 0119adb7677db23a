"""An article as OpenSearch indexes it: Kavosh's own tokens in whitespace-analysed fields.

Analysis runs here, in Python, exactly as for Whoosh (``indexer.analysis``), so both
engines match the same terms. The surface-form fields keep Whoosh's positions: each
position is one whitespace-separated token, the terms standing there (a word and its
compound parts) joined by U+001F, which the index's ``pattern_capture`` filter splits
again at one position; a position with no term gets a filler that matches nothing.

>>> analysed_positions("کتاب‌ها و دفترها")
'کتابها\\x1fکتاب و دفترها'
"""

from __future__ import annotations

from datetime import UTC
from functools import cache
from typing import Any

from backends.whoosh.schema import to_document  # the fields of an article, whatever the engine
from indexer.analysis import exact_analyzer, stem_analyzer
from indexer.article import Article
from indexer.stem import DEFAULT_STEMMER

SAME_POSITION = "\x1f"  # joins the terms at one position
NO_TERM = "\x1e"  # a position without a term (never a query term)
#: Fields shown on result and article pages: what Whoosh stores.
STORED = ("id", "title", "url", "lead", "body", "date", "tags", "speakers", "quotes",
          "source_label", "cited_labels", "categories")  # fmt: skip
KEYWORDS = ("tag", "speaker", "cited", "category")


@cache
def _analyzers(stemmer: str) -> tuple[Any, Any]:
    return exact_analyzer(), stem_analyzer(stemmer)


def analysed_positions(text: str) -> str:
    """The surface-form terms of ``text``, one whitespace-separated token per position."""
    exact, _ = _analyzers(DEFAULT_STEMMER)
    at: dict[int, list[str]] = {}
    for token in exact(text, positions=True):
        at.setdefault(token.pos, []).append(token.text)
    if not at:
        return ""
    return " ".join(SAME_POSITION.join(at[p]) if p in at else NO_TERM for p in range(max(at) + 1))


def stems_of(text: str, stemmer: str) -> list[str]:
    """The stems of ``text`` as the stem fields index them."""
    _, stems = _analyzers(stemmer)
    return [t.text for t in stems(text)]


def light(article: Article) -> dict[str, Any]:
    """The fields of an article before analysis (cheap; raises on an article that cannot be held)."""
    return to_document(article)


def analysed(doc: dict[str, Any], path: str, group: str, stemmer: str) -> dict[str, Any]:
    """The OpenSearch source of a ``light`` document (the slow part: Kavosh's analysis)."""
    text_positions = analysed_positions(doc["text"])
    text_stems = stems_of(doc["text"], stemmer)
    source: dict[str, Any] = {
        "id": doc["id"],
        "file": path,
        "group": group,
        "title": analysed_positions(doc["title"]),
        "text": text_positions,
        "title_stem": " ".join(stems_of(doc["title"], stemmer)),
        "text_stem": " ".join(text_stems),
        "vocab": sorted({t for token in text_positions.split() for t in token.split(SAME_POSITION)} - {NO_TERM}),
        "vocab_stem": sorted(set(text_stems)),
        "month": doc["month"],
        "year": doc["month"][:4] if doc["dated"] == "1" else doc["month"],
        "dated": doc["dated"],
        "stored": {name: doc[name] for name in STORED},
    }
    for name in KEYWORDS:
        source[name] = [key for key in doc[name].split(",") if key]
    if doc.get("source"):
        source["source"] = doc["source"]
    if doc.get("published") is not None:
        source["published"] = doc["published"].replace(tzinfo=UTC).isoformat()
    return source
