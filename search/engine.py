"""Run a search request against the current index and return plain data.

The result is JSON-ready (dicts, lists, strings, numbers): the web page, the
JSON API and the command line all render the same thing, and nothing outside
``search`` ever sees a Whoosh object.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as q
from whoosh import sorting
from whoosh.index import Index

from indexer.dates import jalali_date, month_label
from indexer.metadata import facet_key
from indexer.schema import FACET_FIELDS, UNDATED
from indexer.stem import DEFAULT_STEMMER, get_stemmer
from indexer.store import current_generation, open_index
from indexer.tokenize import word_tokens
from search import query as query_module
from search import scorer, snippets, suggest
from search.display import display_text
from search.query import Filters, filter_query, text_query
from search.quotes import restricted_speakers, speaker_quote, who_said_what
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
        self._local = threading.local()  # each thread's open searcher
        self._open: list[Any] = []  # all of them, to close them with the engine
        self._finalizer = weakref.finalize(self, _close_all, self._open)
        self._columns_of: Index | None = None  # the generation whose arrays are in _column_cache
        self._column_cache: scorer.Columns | None = None

    def _current(self) -> tuple[Index, dict[str, Any]]:
        """The current index; reopened when a reindex has published a new one."""
        generation = current_generation(self.index_dir)
        with self._lock:
            if generation != self._generation or self._index is None:
                self._index, self._meta = open_index(self.index_dir)
                self._generation = generation
            return self._index, self._meta

    def prepare(self) -> None:
        """Open the current index and load the word lists a search reads (the index's vocabulary, the
        stemmer's lexicon), so that the ``seconds`` of the next search are its own."""
        index, _ = self._current()
        suggest.lexicon(index).stem("")

    def warm_up(self) -> None:
        """Open the index and load the analyzers' lexicons (seconds) before the first user waits."""
        self.search(SearchRequest(query="ایران", limit=1))  # lengths, facet lists, postings
        self.search(SearchRequest(query="", limit=1))  # dates
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
            "date_range_jalali": [jalali_date(d) for d in meta["dates"]] if meta.get("dates") else None,
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
        # the labels of the generation the last search opened (reading CURRENT per label costs)
        meta = self._meta if self._index is not None else self.meta
        return str(meta.get("labels", {}).get(facet, {}).get(key, key))

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
        elif searched is None and suggestion and suggest.found_as_variants(request.query, suggestion, lexicon):
            # applied already (the correction is a spelling the search matched): said once, not offered
            searched, suggestion = {"query": suggestion, "original": request.query, "reason": "spelling"}, None
        result.update(
            query=request.query,
            suggestion=suggestion,
            searched=searched,
            truncated=result["truncated"] or parse_query(request.query).truncated,
            seconds=round(time.perf_counter() - started, 4),
        )
        return result

    def _searcher(self, index: Index) -> Any:
        """This thread's searcher of ``index``, kept open between searches.

        Opening one copies every segment file into memory (~90 ms at 12k
        articles): more than a whole search. Whoosh searchers are not safe
        across threads, so each thread keeps its own, replaced (and closed)
        when a reindex publishes a new generation.
        """
        local = self._local
        if getattr(local, "index", None) is not index:
            old = getattr(local, "searcher", None)
            local.searcher, local.index = index.searcher(weighting=query_module.weighting()), index
            with self._lock:
                if old is not None:
                    self._open.remove(old)
                    old.close()
                self._open.append(local.searcher)
        return local.searcher

    def close(self) -> None:
        """Close every searcher this engine keeps open (also done when it is garbage-collected)."""
        self._finalizer()

    def _columns(self, index: Index, searcher: Any) -> scorer.Columns:
        """The per-document arrays of the generation ``index`` belongs to."""
        with self._lock:
            if self._columns_of is not index or self._column_cache is None:
                self._columns_of, self._column_cache = index, scorer.Columns(searcher)
            return self._column_cache

    def _search(
        self, index: Index, request: SearchRequest, text_: str, variants: query_module.Variants | None
    ) -> dict[str, Any]:
        parsed = parse_query(text_)
        text, _ = text_query(index.schema, parsed.clauses, variants)
        sort = request.sort
        if text is None and sort == "relevance":
            sort = "newest"  # nothing to rank by: browsing shows the latest first
        searcher = self._searcher(index)
        columns = self._columns(index, searcher)
        score = scorer.Scorer(searcher, columns, query_module.BM25_B, query_module.BM25_K1)
        matched = score.evaluate(text) if text is not None else score.every()
        filters = filter_query(request.filters)
        allowed = score.evaluate(filters).mask if filters is not None else None
        if allowed is not None:
            matched = scorer.Scored(matched.scores, matched.mask & allowed)
        if text is not None and sort == "relevance" and query_module.FEEDBACK:
            matched = self._feedback(searcher, score, matched, parsed.clauses)
            if allowed is not None:  # articles feedback may add (``FEEDBACK_ADDS``) pass the filters too
                matched = scorer.Scored(matched.scores, matched.mask & allowed)
        wanted = request.page * request.limit + GROUP_SLACK
        if sort == "relevance":
            ranked = scorer.top(matched, wanted)
        else:
            ranked = scorer.by_date(columns, searcher, matched.mask, sort == "newest", wanted)
        shown, hidden = _one_per_group(columns, searcher, ranked)
        total = int(matched.mask.sum()) - hidden
        first = (request.page - 1) * request.limit
        stemmer = get_stemmer(self.meta.get("stemmer") or DEFAULT_STEMMER)
        want = snippets.wanted(parsed.clauses, stemmer, variants) if request.snippets else None
        quoted = restricted_speakers(request.filters.speakers, parsed.clauses)
        hits = [
            self._hit(
                searcher.stored_fields(docnum),
                float(matched.scores[docnum]) if sort == "relevance" else None,
                want,
                stemmer,
                quoted,
            )
            for docnum in shown[first : first + request.limit]
        ]
        facet_values = {}
        if request.facets:
            for name in (*FACET_FIELDS, "month"):
                facet_values[name] = self._facet(name, columns.count(searcher, name, matched.mask))
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

    def _feedback(self, searcher: Any, score: scorer.Scorer, matched: scorer.Scored, clauses: Any) -> scorer.Scored:
        """``matched`` rescored with the telling stems of its own best results (RM3)."""
        words = sum(1 for c in clauses if c.kind == "word" and c.field is None and not c.negated)
        if not words:
            return matched
        best = scorer.top(matched, query_module.FEEDBACK_DOCS)
        if len(best) < query_module.FEEDBACK_MIN_DOCS:
            return matched  # too few results to learn from
        analyzer = searcher.schema["text_stem"].analyzer
        docs = []
        for docnum in best:
            stored = searcher.stored_fields(docnum)
            text = "\n\n".join(stored[name] for name in ("title", "lead", "body") if stored[name])
            text = text[: query_module.FEEDBACK_CHARS]
            docs.append((float(matched.scores[docnum]), [t.text for t in analyzer(text) if not t.part]))
        columns = score.columns
        terms = query_module.feedback_terms(
            docs, lambda t: columns.doc_frequency(searcher, "text_stem", t), searcher.doc_count()
        )
        expansion = score.evaluate(query_module.feedback_expansion(terms, words))
        mask = matched.mask | expansion.mask if query_module.FEEDBACK_ADDS else matched.mask
        return scorer.Scored(matched.scores + expansion.scores * mask, mask)

    def _hit(
        self,
        stored: dict[str, Any],
        score: float | None,
        want: snippets.Wanted | None,
        stemmer: Any,
        quoted: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        text = f"{stored['lead']}\n\n{stored['body']}" if stored["lead"] else stored["body"]
        # Restricted to a speaker: their words are the snippet (search/quotes.py).
        said = speaker_quote(stored.get("quotes"), quoted) if want is not None else None
        if said is not None:
            text = said[1]
        return {
            **self._metadata(stored),
            "score": round(score, 4) if score is not None else None,  # sorted by date: no relevance score
            "snippet": snippets.snippet(text, want, stemmer) if want is not None else "",
            "quote": {"speaker": self.label("speaker", facet_key(said[0])), "text": said[1]} if said else None,
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
        return {
            **self._metadata(stored),
            "lead": display_text(stored["lead"]),
            "body": display_text(stored["body"]),
            "quotes": [
                {**entry, "speaker": self.label("speaker", facet_key(entry["speaker"]))}
                for entry in who_said_what(stored.get("quotes"))
            ],
        }

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
        index, _ = self._current()
        found = self._complete(index, text, limit)
        if not found:  # typed on the other keyboard layout: the search page's rescue (``suggest.keyboard``)
            retyped = suggest.keyboard(text, suggest.lexicon(index), prefix=True)
            if retyped is not None:
                found = self._complete(index, retyped, limit)
        return found

    def _complete(self, index: Index, text: str, limit: int) -> list[str]:
        terms = [t.text for t in word_tokens(text)]
        if not terms or len(terms[-1]) < 2 or len(terms) > 8:
            return []
        query = q.And([*(q.Term("title", t) for t in terms[:-1]), q.Prefix("title", terms[-1])])
        with index.searcher() as searcher:
            results = searcher.search(query, limit=limit, sortedby=_sort_facet("newest"))
            return [display_text(str(hit["title"])) for hit in results]

    def _metadata(self, stored: dict[str, Any]) -> dict[str, Any]:
        """What hits and article pages show of an article, labels in display form."""
        source = stored["source_label"]
        return {
            "id": stored["id"],
            "url": stored["url"],
            "title": display_text(stored["title"]),
            "source": self.label("source", facet_key(source)) if source else "",
            "published": stored["date"] or None,
            "tags": self._labels("tag", stored["tags"]),
            "speakers": self._labels("speaker", stored["speakers"]),
            "cited": self._labels("cited", stored.get("cited_labels", [])),
            "categories": self._labels("category", stored.get("categories", [])),
        }


def _close_all(searchers: list[Any]) -> None:
    while searchers:
        searchers.pop().close()


def _one_per_group(columns: scorer.Columns, searcher: Any, ranked: list[int]) -> tuple[list[int], int]:
    """The ranked documents with one article per body group (the best placed), and how many were hidden.

    Articles with the same body under different URLs share a ``group``
    (see ``indexer.build``). Groups are rare, so the fetched top documents (with
    ``GROUP_SLACK`` spare) are thinned here, and the total is lowered by the
    copies met among them.
    """
    if "group" not in searcher.schema:
        return ranked, 0
    groups, _ = columns.keys(searcher, "group")
    seen: set[int] = set()
    shown = []
    for docnum in ranked:
        key = int(groups[docnum])
        if key not in seen:
            seen.add(key)
            shown.append(docnum)
    return shown, len(ranked) - len(shown)


def _sort_facet(sort: str) -> sorting.MultiFacet | None:
    """Newest or oldest first, undated articles last either way."""
    if sort == "relevance":
        return None
    return sorting.MultiFacet(
        [
            sorting.FieldFacet("dated", reverse=True),
            sorting.FieldFacet("published", reverse=sort == "newest"),
        ]
    )


PUBLIC_KEYS = ("query", "total", "page", "pages", "sort", "hits", "facets", "searched", "suggestion", "truncated")


def public_result(result: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON of a search: ``kavosh search --json`` and ``/api/search``."""
    return {key: result[key] for key in PUBLIC_KEYS}


def month_display(key: str) -> str:
    return "بدون تاریخ" if key == UNDATED else month_label(key)
