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
from indexer.tokenize import word_tokens
from search import query as query_module
from search import suggest
from search.query import Filters, filter_query, text_query
from search.snippets import snippet
from search.syntax import parse_query

SORTS = ("relevance", "newest", "oldest")
MAX_LIMIT = 100
MAX_PAGE = 1000
GROUP_SLACK = 10  # hits fetched beyond the page, to fill it when copies of one body are thinned out
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
    literal: bool = False  # search exactly as typed: no keyboard-layout or spelling rescue (``literal=1``)


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
        suggest.is_english("")  # the English word list, read on the first Latin query otherwise

    def document_count(self) -> int:
        return int(self._current()[0].doc_count())

    def stats(self) -> dict[str, Any]:
        """Figures about the current index, for ``kavosh stats``."""
        index, meta = self._current()
        generation = self._generation
        size = sum(p.stat().st_size for p in generation.iterdir() if p.is_file()) if generation else 0
        labels = meta.get("labels", {})
        summary = meta.get("summary", {})
        with index.searcher() as searcher:
            undated = searcher.doc_frequency("dated", "0")
        return {
            "documents": int(index.doc_count()),
            "sources": len(labels.get("source", {})),
            "tags": len(labels.get("tag", {})),
            "speakers": len(labels.get("speaker", {})),
            "categories": len(labels.get("category", {})),
            "date_range": meta.get("dates"),
            "undated": int(undated),
            "formats": summary.get("formats", {}),
            "index_bytes": size,
            "index_path": str(generation),
            "last_reindex": meta.get("built"),
            "last_summary": summary,
            "stemmer": meta.get("stemmer"),
        }

    @property
    def meta(self) -> dict[str, Any]:
        return self._current()[1]

    def label(self, facet: str, key: str) -> str:
        """The display form of a facet key («آذر ۱۳۹۸» for 1398-09)."""
        if facet == "month":
            return month_display(key)
        return str(self.meta.get("labels", {}).get(facet, {}).get(key, key))

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """Search; unless ``request.literal``, forgive the keyboard layout and spelling.

        ``result["searched"]`` says what was searched when it is not what was
        typed ({"query", "original", "reason": "keyboard" or "spelling"}): a
        query that finds nothing gets its spelling correction's results.
        ``result["suggestion"]`` is a corrected query to offer, or ``None``.
        """
        started = time.perf_counter()
        index, _ = self._current()
        lexicon = suggest.lexicon(index)
        variants = suggest.variant_finder(lexicon)
        forgiven = suggest.Forgiven(request.query, None, None)
        if not request.literal:
            forgiven = suggest.forgive(request.query, lexicon)
        result = self._search(index, request, forgiven.query, variants)
        searched, suggestion = forgiven.searched, forgiven.suggestion
        if suggestion is not None and result["total"] == 0:
            result = self._search(index, request, suggestion, variants)
            searched, suggestion = {"query": suggestion, "original": request.query, "reason": "spelling"}, None
        result.update(query=request.query, suggestion=suggestion, searched=searched,
                      truncated=result["truncated"] or parse_query(request.query).truncated,
                      seconds=round(time.perf_counter() - started, 4))
        return result

    def _search(self, index: Index, request: SearchRequest, text_: str,
                variants: query_module.Variants | None) -> dict[str, Any]:
        parsed = parse_query(text_)
        text, highlight = text_query(index.schema, parsed.clauses, variants)
        query = text if text is not None else q.Every()
        sort = request.sort
        if text is None and sort == "relevance":
            sort = "newest"  # nothing to rank by: browsing shows the latest first
        facets = _facets() if request.facets else None
        with index.searcher(weighting=query_module.weighting()) as searcher:
            if text is not None and sort == "relevance" and query_module.FEEDBACK:
                query = self._feedback(searcher, query, request, parsed.clauses)
            results = searcher.search(
                query,
                limit=request.page * request.limit + GROUP_SLACK,
                filter=filter_query(request.filters),
                sortedby=_sort_facet(sort),
                groupedby=facets,
                terms=False,
            )
            shown, hidden = _one_per_group(searcher, results)
            total = len(results) - hidden
            first = (request.page - 1) * request.limit
            stem_analyzer = index.schema["text_stem"].analyzer
            hits = [
                self._hit(hit, highlight if request.snippets else None, stem_analyzer)
                for hit in shown[first : first + request.limit]
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
        }

    def _feedback(self, searcher: Any, query: q.Query, request: SearchRequest, clauses: Any) -> q.Query:
        """``query`` expanded with the telling stems of its own best results (RM3)."""
        words = sum(1 for c in clauses if c.kind == "word" and c.field is None and not c.negated)
        if not words:
            return query
        first = searcher.search(query, limit=query_module.FEEDBACK_DOCS, filter=filter_query(request.filters),
                                terms=False)
        # scored_length (at most FEEDBACK_DOCS) is enough to compare, and len() would count every match
        if first.scored_length() < query_module.FEEDBACK_MIN_DOCS:
            return query  # too few results to learn from
        analyzer = searcher.schema["text_stem"].analyzer
        docs = []
        for hit in first:
            stored = hit.fields()
            text = "\n\n".join(stored[name] for name in ("title", "lead", "body") if stored[name])
            docs.append((float(hit.score), [t.text for t in analyzer(text) if not t.part]))
        terms = query_module.feedback_terms(docs, lambda t: searcher.doc_frequency("text_stem", t),
                                            searcher.doc_count())
        return query_module.feedback_query(query, terms, words)

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

    def related(self, ident: str, limit: int = 5) -> list[dict[str, Any]]:
        """Articles sharing the most telling stems of this one (Whoosh's more-like-this)."""
        index, _ = self._current()
        with index.searcher(weighting=query_module.weighting()) as searcher:
            docnum = searcher.document_number(id=ident)
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            # text_stem is neither stored nor vectored: give its text back to be analysed
            text = "\n\n".join(stored[name] for name in ("title", "lead", "body") if stored[name])
            results = searcher.more_like(docnum, "text_stem", text=text, top=limit, numterms=12)
            return [self._metadata(hit.fields()) for hit in results]

    def complete(self, text: str, limit: int = 8) -> list[str]:
        """Headlines for a query being typed: titles holding its words, the last one as a prefix.

        Titles rather than index terms, because terms are canonical forms («کتابخانهها»)
        that a reader would not type; newest first.
        """
        terms = [t.text for t in word_tokens(text)]
        if not terms or len(terms[-1]) < 2 or len(terms) > 8:
            return []
        query = q.And([*(q.Term("title", t) for t in terms[:-1]), q.Prefix("title", terms[-1])])
        index, _ = self._current()
        with index.searcher() as searcher:
            results = searcher.search(query, limit=limit, sortedby=_sort_facet("newest"))
            return [str(hit["title"]) for hit in results]

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
            "cited": self._labels("cited", stored.get("cited_labels", [])),
            "categories": self._labels("category", stored.get("categories", [])),
        }


def _one_per_group(searcher: Any, results: Any) -> tuple[list[Any], int]:
    """The hits with one article per body group (the best placed), and how many were hidden.

    Articles with the same body under different URLs share a ``group``
    (see ``indexer.build``). Whoosh's own collapsing scores and sorts every
    matching document; groups are rare, so the fetched top hits (with
    ``GROUP_SLACK`` spare) are thinned here instead, and the total is lowered
    by the copies met among them.
    """
    if "group" not in searcher.schema:
        return list(results), 0
    column = searcher.reader().column_reader("group")
    seen: set[Any] = set()
    shown = []
    for hit in results:
        key = column[hit.docnum]
        if key not in seen:
            seen.add(key)
            shown.append(hit)
    return shown, len(results.top_n) - len(shown)


def _sort_facet(sort: str) -> sorting.MultiFacet | None:
    """Newest or oldest first, undated articles last either way."""
    if sort == "relevance":
        return None
    return sorting.MultiFacet([
        sorting.FieldFacet("dated", reverse=True),
        sorting.FieldFacet("published", reverse=sort == "newest"),
    ])


PUBLIC_KEYS = ("query", "total", "page", "pages", "sort", "hits", "facets", "searched", "suggestion", "truncated")


def public_result(result: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON of a search: ``kavosh search --json`` and ``/api/search``."""
    return {key: result[key] for key in PUBLIC_KEYS}


class _SegmentValues(sorting.OverlappingCategorizer):  # type: ignore[misc]
    """Whoosh's categorizer for many-valued facets, with each segment's value lists kept.

    Whoosh lists every document's tags (speakers) by walking all the field's postings
    on every search: a fifth of a search's time at 12k documents. A segment never
    changes once written, so its lists are built once, keyed by its id (random, and
    shared only by the copies of a segment that incremental reindexes make, whose
    documents are the same).
    """

    _lists: Any

    def set_searcher(self, segment_searcher: Any, docoffset: int) -> None:
        reader = segment_searcher.reader()
        segment = reader.segment() if hasattr(reader, "segment") else None
        if self._use_vectors or self._use_column or segment is None:
            super().set_searcher(segment_searcher, docoffset)
            return
        key = (segment.segment_id(), segment_searcher.doc_count_all(), self._fieldname)
        lists = _SEGMENT_VALUES.get(key)
        if lists is None:
            super().set_searcher(segment_searcher, docoffset)
            if len(_SEGMENT_VALUES) >= 64:  # old generations' segments: drop them all
                _SEGMENT_VALUES.clear()
            _SEGMENT_VALUES[key] = self._lists
            return
        self._segment_searcher = segment_searcher
        self._lists = lists


_SEGMENT_VALUES: dict[tuple[str, int, str], list[list[str]]] = {}


class _ManyValuedFacet(sorting.FieldFacet):  # type: ignore[misc]
    def categorizer(self, global_searcher: Any) -> sorting.Categorizer:
        return _SegmentValues(global_searcher, self.fieldname)


def _facets() -> dict[str, sorting.FacetType]:
    facets: dict[str, sorting.FacetType] = {
        name: _ManyValuedFacet(name, allow_overlap=True, maptype=sorting.Count)
        if name != "source"
        else sorting.FieldFacet(name, maptype=sorting.Count)
        for name in FACET_FIELDS
    }
    facets["month"] = sorting.FieldFacet("month", maptype=sorting.Count)
    return facets


def month_display(key: str) -> str:
    return "بدون تاریخ" if key == UNDATED else month_label(key)
