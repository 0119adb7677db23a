"""Run a search request against the current index and return plain data.

The result is JSON-ready (dicts, lists, strings, numbers): the web page, the
JSON API and the command line all render the same thing, and nothing outside
``backends`` ever sees an engine's object. The engine here is the same for
every backend: it forgives the query, builds the plan of analysed terms
(``search.query``), lets the backend run it, and labels and snippets the hits.
"""

from __future__ import annotations

import functools
import heapq
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from backends import Config, open_backend
from backends.base import FACET_FIELDS, SORTS, UNDATED, AnyOf, Backend, Feedback, Opened, Plan, Query, Rerank, Term
from indexer.article import drop_control_characters
from indexer.dates import jalali_date, month_label
from indexer.manifest import body_digest
from indexer.metadata import facet_key as _facet_key
from indexer.stem import DEFAULT_STEMMER, Stemmer, get_stemmer, is_lexeme, load_lexicon
from indexer.tokenize import term_columns, word_tokens
from search import associations, decompound, snippets, suggest
from search import neighbours as neighbours_module
from search import query as query_module
from search import related as related_module
from search.display import display_text
from search.query import Filters, filter_query, text_query
from search.quotes import restricted_speakers, speaker_quote, who_said_what
from search.syntax import parse_query
from search.timeline import timeline

__all__ = ["FACET_FIELDS", "SORTS", "UNDATED", "Engine", "SearchRequest", "public_result"]

MAX_LIMIT = 100
MAX_PAGE = 1000
GROUP_SLACK = 10  # hits fetched beyond the page, to fill it when copies of one body are thinned out
FACET_SIZE = 30  # values shown per facet; one more is fetched to know it was cut
RELATED_CANDIDATES = 40  # the engine's best matches for an article's profile, scored by ``search.related``

#: Every hit's source, tags and speakers are labelled through their keys, and normalizing a
#: value costs more than the rest of its label: the same few thousand values recur, so remembered.
facet_key = functools.lru_cache(maxsize=2**16)(_facet_key)


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

    def __post_init__(self) -> None:
        # Lone surrogates (from the Python API or a file name) cannot be written as UTF-8 in the
        # result, and control characters are not text: the query is searched without them.
        object.__setattr__(self, "query", drop_control_characters(self.query))


class Engine:
    """Searches one backend's current index, following reindexes as they publish."""

    def __init__(self, index: Backend | Config | str | os.PathLike[str]) -> None:
        self.backend = open_backend(index)
        self._opened: Opened | None = None  # the index the last search used (for labels)

    def _current(self) -> Opened:
        """The current index; the backend reopens it when a reindex has published a new one."""
        self._opened = self.backend.open()
        return self._opened

    def prepare(self) -> None:
        """Open the current index and load the word lists a search reads (the index's vocabulary, the
        stemmer's lexicon, the articles' neighbours, the word associations), so that the ``seconds``
        of the next search are its own."""
        suggest.lexicon(self._current()).stem("")
        neighbours_module.of(self._current())  # decoded once per index
        if query_module.ASSOCIATED:
            associations.neighbours()

    def warm_up(self) -> None:
        """Open the index and load the analyzers' lexicons (seconds) before the first user waits."""
        self.search(SearchRequest(query="ایران", limit=1))  # lengths, facet lists, postings
        self.search(SearchRequest(query="", limit=1))  # dates
        load_lexicon()  # whole, as a server stems many words (a search alone reads a few from disk)
        suggest.is_english("")  # the English word list, read on the first Latin query otherwise

    def document_count(self) -> int:
        return self._current().document_count()

    def stats(self) -> dict[str, Any]:
        """Figures about the current index, for ``kavosh stats``."""
        opened = self._current()
        meta = opened.meta
        labels = meta.get("labels", {})
        summary = meta.get("summary", {})
        figures = opened.stats()
        return {
            "backend": self.backend.name,
            "documents": figures["documents"],
            "sources": len(labels.get("source", {})),
            "tags": len(labels.get("tag", {})),
            "speakers": len(labels.get("speaker", {})),
            "categories": len(labels.get("category", {})),
            "date_range": meta.get("dates"),
            "date_range_jalali": [jalali_date(d) for d in meta["dates"]] if meta.get("dates") else None,
            "undated": figures["undated"],
            "formats": summary.get("formats", {}),
            "index_bytes": figures["index_bytes"],
            "index_path": figures["index_path"],
            "last_reindex": meta.get("built"),
            "last_summary": summary,
            "stemmer": meta.get("stemmer"),
            **{k: v for k, v in figures.items() if k not in ("documents", "undated", "index_bytes", "index_path")},
        }

    @property
    def meta(self) -> dict[str, Any]:
        return self._current().meta

    def close(self) -> None:
        """Close what the backend keeps open (searchers, connections)."""
        self.backend.close()

    def label(self, facet: str, key: str) -> str:
        """The display form of a facet key («آذر ۱۳۹۸» for 1398-09)."""
        if facet == "month":
            return month_display(key)
        # the labels of the index the last search opened (asking the backend per label costs)
        meta = self._opened.meta if self._opened is not None else self.meta
        return str(meta.get("labels", {}).get(facet, {}).get(key, key))

    def _stemmer(self, opened: Opened) -> str:
        return str(opened.meta.get("stemmer") or DEFAULT_STEMMER)

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """Search; unless ``request.literal``, forgive the keyboard layout and spelling.

        ``result["searched"]`` says what was searched when it is not what was
        typed ({"query", "original", "reason": "keyboard" or "spelling"}): a
        query that finds nothing gets its spelling correction's results.
        ``result["suggestion"]`` is a corrected query to offer, or ``None``.
        """
        started = time.perf_counter()
        opened = self._current()
        lexicon = suggest.lexicon(opened)
        variants = suggest.variant_finder(lexicon)
        forgiven = suggest.Forgiven(request.query, None, None)
        if not request.literal:
            forgiven = suggest.forgive(request.query, lexicon)
        result = self._search(opened, request, forgiven.query, variants)
        searched, suggestion = forgiven.searched, forgiven.suggestion
        if suggestion is not None and result["total"] == 0:
            result = self._search(opened, request, suggestion, variants)
            searched, suggestion = {"query": suggestion, "original": request.query, "reason": "spelling"}, None
        elif searched is None and suggestion and suggest.found_as_variants(request.query, suggestion, lexicon):
            # applied already (the correction is a spelling the search matched): said once, not offered
            searched, suggestion = {"query": suggestion, "original": request.query, "reason": "spelling"}, None
        result.update(
            timeline=timeline(result["facets"].get("month", [])),
            query=request.query,
            suggestion=suggestion,
            searched=searched,
            truncated=result["truncated"] or parse_query(request.query).truncated,
            seconds=round(time.perf_counter() - started, 4),
        )
        return result

    def _search(
        self, opened: Opened, request: SearchRequest, text_: str, variants: query_module.Variants | None
    ) -> dict[str, Any]:
        parsed = parse_query(text_)
        stemmer = self._stemmer(opened)
        lexicon = suggest.lexicon(opened)
        split = _splitter(lexicon)
        text, _ = text_query(stemmer, parsed.clauses, variants, _associate(lexicon), split)
        sort = request.sort
        if text is None and sort == "relevance":
            sort = "newest"  # nothing to rank by: browsing shows the latest first
        first, limit = (request.page - 1) * request.limit, request.limit
        rerank = _rerank(neighbours_module.of(opened)) if sort == "relevance" else None
        found = opened.search(
            Plan(
                query=text,
                filters=filter_query(request.filters),
                sort=sort,
                first=first,
                limit=limit,
                wanted=max(first + limit, rerank.depth if rerank else 0) + GROUP_SLACK,
                facets=(*FACET_FIELDS, "month") if request.facets else (),
                facet_limits=dict.fromkeys(FACET_FIELDS, FACET_SIZE + 1),  # what ``_facet`` shows; months: all
                feedback=self._feedback(parsed.clauses, stemmer) if query_module.FEEDBACK else None,
                b=query_module.BM25_B,
                k1=query_module.BM25_K1,
                rerank=rerank,
            )
        )
        total = found.total
        stems = get_stemmer(stemmer)
        marked = _with_parts(variants, split, lexicon)  # a word's parts are marked as the word
        want = snippets.wanted(parsed.clauses, stems, marked) if request.snippets else None
        quoted = restricted_speakers(request.filters.speakers, parsed.clauses)
        hits = [self._hit(stored, score, want, stems, quoted) for stored, score in found.hits]
        facet_values = {name: self._facet(name, counts) for name, counts in found.facets.items()}
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

    def _feedback(self, clauses: Any, stemmer: str) -> Feedback | None:
        """Pseudo-relevance feedback (RM3): the telling stems of the first round's best results."""
        if not any(c.kind == "word" and c.field is None and not c.negated for c in clauses):
            return None
        words = query_module.feedback_words(clauses, stemmer)
        stems = get_stemmer(stemmer)

        def expand(best: list[tuple[float, dict[str, Any]]], df: Any, documents: int) -> Query | None:
            if len(best) < query_module.FEEDBACK_MIN_DOCS:
                return None  # too few results to learn from
            docs = []
            for score, stored in best:
                text = _text(stored)[: query_module.FEEDBACK_CHARS]
                docs.append((score, feedback_stems(text, stems)))
            terms = query_module.feedback_terms(docs, df, documents)
            return query_module.feedback_expansion(terms, words)

        return Feedback(docs=query_module.FEEDBACK_DOCS, expand=expand, adds=query_module.FEEDBACK_ADDS)

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
            # the most frequent first (then by key, which is unique): only the shown ones are
            # ordered, as tuples compared in C, where a tag facet counts thousands of values
            best = heapq.nsmallest(FACET_SIZE + 1, [(-count, key) for key, count in counted])
            counted = [(key, -negated) for negated, key in best]
        values = []
        for key, count in counted:
            label = self.label(name, key)
            # a month filters by its key; other facets by their display form
            values.append({"value": key if name == "month" else label, "label": label, "count": count})
        return values

    def article(self, ident: str) -> dict[str, Any] | None:
        """One article's stored fields as plain data, or ``None``."""
        stored = self._current().document(ident)
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
        """Articles that share what is rare in this one (``search.related``); none rather than a bad one.

        The candidates are the article's nearest articles as the reindex found them (``search.neighbours``,
        the ones that re-rank searches), fetched in one request; an index without them (built in parts,
        or ``$KAVOSH_NEIGHBOURS`` "") or an article they do not list, or list with none (nothing was
        near enough when the reindex compared), falls back to the engine's best matches for the
        article's key stems, tags and speakers (docs/reading.md). Copies of its own body (listed by
        ``copies``) are left out.
        """
        opened = self._current()
        stored = opened.document(ident)
        if stored is None:
            return []
        lex = suggest.lexicon(opened)
        stemmer = get_stemmer(opened.meta.get("stemmer") or DEFAULT_STEMMER)

        def profile(fields: dict[str, Any], chars: int = related_module.CANDIDATE_CHARS) -> related_module.Profile:
            return related_module.profile(fields, stemmer, lambda s: lex.stems.get(s, 0), lex.documents, chars)

        own = profile(stored, related_module.READ_CHARS)
        if len(own.terms) < related_module.MIN_SHARED_TERMS:
            return []
        table = neighbours_module.of(opened)
        near = table.get(ident) if table is not None else None
        if near:  # an empty list is no answer: the search below may still find a related article
            found = _nearest(opened, [other for other, _ in near])
        else:
            parts: list[Query] = [Term("text_stem", t, w) for t, w in own.terms.items()]
            parts += [Term("tag", k) for k in own.tags] + [Term("speaker", k) for k in own.speakers]
            wanted = RELATED_CANDIDATES
            plan = Plan(query=AnyOf(tuple(parts)), limit=wanted, wanted=wanted + GROUP_SLACK)
            found = [fields for fields, _ in opened.search(plan).hits]
        body = body_digest(stored["body"])
        candidates = [
            (fields, profile(fields))
            for fields in found
            if fields["id"] != ident and not (body and body_digest(fields["body"]) == body)
        ]
        return [self._metadata(dict(fields)) for fields in related_module.rank(own, candidates, limit)]

    def copies(self, ident: str, limit: int = 20) -> list[dict[str, Any]]:
        """Other articles with this one's body (syndicated copies under other URLs), which
        searches merge into one hit: each with its source."""
        opened = self._current()
        stored = opened.document(ident)
        body = body_digest(stored["body"]) if stored is not None else ""
        if not body:
            return []
        plan = Plan(query=None, filters=Term("group", body), sort="newest", limit=limit, wanted=limit, collapse=False)
        return [self._metadata(fields) for fields, _ in opened.search(plan).hits if fields["id"] != ident]

    def complete(self, text: str, limit: int = 8) -> list[str]:
        """Headlines for a query being typed: titles holding its words, the last one as a prefix.

        Titles rather than index terms, because terms are canonical forms («کتابخانهها»)
        that a reader would not type; newest first.
        """
        opened = self._current()
        found = self._complete(opened, text, limit)
        if not found:  # typed on the other keyboard layout: the search page's rescue (``suggest.keyboard``)
            retyped = suggest.keyboard(text, suggest.lexicon(opened), prefix=True)
            if retyped is not None:
                found = self._complete(opened, retyped, limit)
        return found

    def _complete(self, opened: Opened, text: str, limit: int) -> list[str]:
        terms = [t.text for t in word_tokens(text)]
        if not terms or len(terms[-1]) < 2 or len(terms) > 8:
            return []
        return [display_text(title) for title in opened.complete(terms, limit)]

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


def _nearest(opened: Opened, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The stored fields of the articles ``ids``, in that order, copies of one body once (as a search
    lists them), in one request."""
    if not ids:
        return []
    plan = Plan(query=None, filters=AnyOf(tuple(Term("id", i) for i in ids)), sort="newest",
                limit=len(ids), wanted=len(ids))  # fmt: skip
    order = {ident: i for i, ident in enumerate(ids)}
    return sorted((fields for fields, _ in opened.search(plan).hits), key=lambda fields: order[fields["id"]])


def _associate(lexicon: suggest.Lexicon) -> query_module.Associate | None:
    """Stems associated with query stems (``search.associations``), both rare enough to name a
    topic (in at most ``FEEDBACK_MAX_DF`` of the articles, as feedback stems) and in the index."""
    if not query_module.ASSOCIATED:
        return None
    table = associations.neighbours()
    if not table:
        return None
    common = query_module.FEEDBACK_MAX_DF * lexicon.documents

    def associate(stems: Sequence[str]) -> list[tuple[str, float]]:
        rare = [s for s in stems if lexicon.stems.get(s, 0) <= common]
        found = associations.associated(rare, table, query_module.ASSOCIATED, query_module.ASSOCIATED_SIMILARITY)
        return [(t, w) for t, w in found if 0 < lexicon.stems.get(t, 0) <= common]

    return associate


def _rerank(neighbours: neighbours_module.Table | None) -> Rerank | None:
    """The best ``REGULARIZE_DEPTH`` results re-ranked by their neighbours' scores
    (``search.neighbours.regularize``) by the backend's ids and scores, before stored fields are read;
    none when regularization is off or the index has no table."""
    if not neighbours or not query_module.REGULARIZE:
        return None
    count, alpha, depth = query_module.REGULARIZE_NEIGHBOURS, query_module.REGULARIZE, query_module.REGULARIZE_DEPTH
    return Rerank(depth, lambda scored: neighbours_module.regularize(scored, neighbours, count, alpha, depth))


def _splitter(lexicon: suggest.Lexicon) -> query_module.Split | None:
    """Rare words cut into common parts by the index's counts of surface forms (``search.decompound``);
    never a word the dictionary lists as one («چهارمحال», «فروزان», «خشکسالی»: names and words whose
    parts would mislead), only one it does not know («همسرداری»)."""
    if not query_module.DECOMPOUND_WEIGHT:
        return None
    ratio = query_module.DECOMPOUND_RATIO
    return lambda word: None if is_lexeme(word) else decompound.split(word, lexicon.terms.get, ratio)


def _with_parts(
    variants: query_module.Variants | None, split: query_module.Split | None, lexicon: suggest.Lexicon
) -> query_module.Variants | None:
    """``variants`` and, for a word ``split`` cuts, its parts: a snippet marks them as the word they stand for."""
    if split is None:
        return variants

    def spellings(word: str) -> list[tuple[str, str]]:
        found = list(variants(word)) if variants is not None else []
        return found + [(part, lexicon.stem(part)) for part in split(word) or ()]

    return spellings


def feedback_stems(text: str, stemmer: Stemmer) -> list[str]:
    """The stems of ``text``'s terms, compounds' parts left out: the stem analyzer's tokens that are
    not parts (``tests/test_fast_paths.py``), without making a Whoosh token for each term."""
    return stemmer.many(term_columns(text, offsets=False).texts)


def _text(stored: dict[str, Any]) -> str:
    """An article's title, lead and body as one text (what feedback and more-like-this read)."""
    return "\n\n".join(stored[name] for name in ("title", "lead", "body") if stored[name])


PUBLIC_KEYS = (
    "query", "total", "page", "pages", "sort", "hits", "facets", "timeline", "searched", "suggestion", "truncated"
)  # fmt: skip


def public_result(result: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON of a search: ``kavosh search --json`` and ``/api/search``."""
    return {key: result[key] for key in PUBLIC_KEYS}


@functools.lru_cache(maxsize=4096)  # every search labels each month its facet holds: the same few hundred
def month_display(key: str) -> str:
    return "بدون تاریخ" if key == UNDATED else month_label(key)
