"""Run a search request against the current index and return plain data.

The result is JSON-ready (dicts, lists, strings, numbers): the web page, the
JSON API and the command line all render the same thing, and nothing outside
``search`` ever sees a Whoosh object.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as q
from whoosh import sorting
from whoosh.index import Index

from indexer.dates import month_label
from indexer.metadata import facet_key
from indexer.schema import FACET_FIELDS, UNDATED
from indexer.store import current_generation, open_index
from search import query as query_module
from search.query import Filters, filter_query, text_query
from search.snippets import snippet
from search.syntax import parse_query

SORTS = ("relevance", "newest", "oldest")
MAX_LIMIT = 100
MAX_PAGE = 1000
FACET_SIZE = 30  # values shown per facet; one more is fetched to know it was cut


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search needs; validated by ``search.request``."""

    query: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    limit: int = 10
    facets: bool = True
    snippets: bool = True  # batch evaluation needs neither facets nor snippets


class Engine:
    """Searches one index folder, following reindexes as they publish."""

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._index: Index | None = None
        self._meta: dict[str, Any] = {}

    def _current(self) -> tuple[Index, dict[str, Any]]:
        """The current index; reopened when a reindex has published a new one."""
        generation = current_generation(self.index_dir)
        with self._lock:
            if generation != self._generation or self._index is None:
                self._index, self._meta = open_index(self.index_dir)
                self._generation = generation
            return self._index, self._meta

    def warm_up(self) -> None:
        """Open the index and load the analyzers' lexicons (seconds) before the first user waits."""
        self.search(SearchRequest(query="ایران", limit=1))

    def document_count(self) -> int:
        return int(self._current()[0].doc_count())

    @property
    def meta(self) -> dict[str, Any]:
        return self._current()[1]

    def label(self, facet: str, key: str) -> str:
        """The display form of a facet key («آذر ۱۳۹۸» for 1398-09)."""
        if facet == "month":
            return month_display(key)
        return str(self.meta.get("labels", {}).get(facet, {}).get(key, key))

    def search(self, request: SearchRequest) -> dict[str, Any]:
        started = time.perf_counter()
        index, _ = self._current()
        parsed = parse_query(request.query)
        text, highlight = text_query(index.schema, parsed.clauses)
        query = text if text is not None else q.Every()
        sort = request.sort
        if text is None and sort == "relevance":
            sort = "newest"  # nothing to rank by: browsing shows the latest first
        facets = _facets() if request.facets else None
        with index.searcher(weighting=query_module.weighting()) as searcher:
            results = searcher.search(
                query,
                limit=request.page * request.limit,
                filter=filter_query(request.filters),
                sortedby=_sort_facet(sort),
                groupedby=facets,
                terms=False,
            )
            total = len(results)
            first = (request.page - 1) * request.limit
            stem_analyzer = index.schema["text_stem"].analyzer
            hits = [
                self._hit(hit, highlight if request.snippets else None, stem_analyzer)
                for hit in results[first : first + request.limit]
            ]
            facet_values = {name: self._facet(name, results.groups(name)) for name in facets or {}}
        return {
            "query": request.query,
            "total": total,
            "page": request.page,
            "limit": request.limit,
            "pages": max(1, -(-total // request.limit)),
            "sort": sort,
            "hits": hits,
            "facets": facet_values,
            "truncated": parsed.truncated,
            "seconds": round(time.perf_counter() - started, 4),
        }

    def _hit(self, hit: Any, highlight: list[str] | None, analyzer: Any) -> dict[str, Any]:
        stored = hit.fields()
        text = f"{stored['lead']}\n\n{stored['body']}" if stored["lead"] else stored["body"]
        return {
            **self._metadata(stored),
            # sorted by date, Whoosh's "score" is the sort key: no relevance score then
            "score": round(float(hit.score), 4) if isinstance(hit.score, int | float) else None,
            "snippet": snippet(text, highlight, analyzer) if highlight is not None else "",
        }

    def _labels(self, facet: str, values: list[str]) -> list[str]:
        labels: list[str] = []
        for value in values:
            label = self.label(facet, facet_key(value))
            if label not in labels:
                labels.append(label)
        return labels

    def _facet(self, name: str, groups: dict[Any, Any]) -> list[dict[str, Any]]:
        counted = [(key, count) for key, count in groups.items() if key not in (None, "")]
        if name == "month":
            # newest month first, undated last
            counted.sort(key=lambda kc: (kc[0] != UNDATED, kc[0]), reverse=True)
        else:
            counted.sort(key=lambda kc: (-kc[1], kc[0]))
        values = []
        for key, count in counted[: FACET_SIZE + 1 if name != "month" else None]:
            label = self.label(name, key)
            # a month filters by its key; other facets by their display form
            values.append({"value": key if name == "month" else label, "label": label, "count": count})
        return values

    def article(self, ident: str) -> dict[str, Any] | None:
        """One article's stored fields as plain data, or ``None``."""
        index, _ = self._current()
        with index.searcher() as searcher:
            stored = searcher.document(id=ident)
        if stored is None:
            return None
        return {**self._metadata(stored), "lead": stored["lead"], "body": stored["body"]}

    def _metadata(self, stored: dict[str, Any]) -> dict[str, Any]:
        """What hits and article pages show of an article, labels in display form."""
        source = stored["source_label"]
        return {
            "id": stored["id"],
            "url": stored["url"],
            "title": stored["title"],
            "source": self.label("source", facet_key(source)) if source else "",
            "published": stored["date"] or None,
            "tags": self._labels("tag", stored["tags"]),
            "speakers": self._labels("speaker", stored["speakers"]),
        }


def _sort_facet(sort: str) -> sorting.MultiFacet | None:
    """Newest or oldest first, undated articles last either way."""
    if sort == "relevance":
        return None
    return sorting.MultiFacet([
        sorting.FieldFacet("dated", reverse=True),
        sorting.FieldFacet("published", reverse=sort == "newest"),
    ])


PUBLIC_KEYS = ("query", "total", "page", "pages", "sort", "hits", "facets")


def public_result(result: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON of a search: ``kavosh search --json`` and ``/api/search``."""
    return {key: result[key] for key in PUBLIC_KEYS}


def _facets() -> dict[str, sorting.FacetType]:
    facets: dict[str, sorting.FacetType] = {
        name: sorting.FieldFacet(name, allow_overlap=name != "source", maptype=sorting.Count)
        for name in FACET_FIELDS
    }
    facets["month"] = sorting.FieldFacet("month", maptype=sorting.Count)
    return facets


def month_display(key: str) -> str:
    return "بدون تاریخ" if key == UNDATED else month_label(key)
