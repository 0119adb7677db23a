"""The Whoosh side of a search: one open generation, scored with numpy (``scorer``).

Nothing Whoosh leaves this module: plans come in as plain trees, stored
fields, scores and facet counts go out as dicts and numbers.
"""

from __future__ import annotations

import marshal
import threading
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as q
from whoosh import sorting
from whoosh.index import Index

from backends.base import Found, Plan
from backends.whoosh import scorer
from backends.whoosh.lower import to_whoosh, weighting


class WhooshIndex:
    """One generation of a Whoosh index, searched by any number of threads."""

    def __init__(self, index: Index, meta: dict[str, Any], generation: Path) -> None:
        self.index = index
        self.meta = meta
        self.generation = generation
        self._lock = threading.Lock()
        self._local = threading.local()  # each thread's open searcher
        self._open: list[Any] = []  # all of them, to close them with the index
        self._finalizer = weakref.finalize(self, _close_all, self._open)
        self._column_cache: scorer.Columns | None = None

    def close(self) -> None:
        """Close every searcher kept open (also done when this is garbage-collected)."""
        self._finalizer()

    def _searcher(self) -> Any:
        """This thread's searcher, kept open between searches.

        Opening one copies every segment file into memory (~90 ms at 12k
        articles): more than a whole search. Whoosh searchers are not safe
        across threads, so each thread keeps its own.
        """
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is None:
            searcher = local.searcher = self.index.searcher(weighting=weighting())
            with self._lock:
                self._open.append(searcher)
        return searcher

    def _columns(self, searcher: Any) -> scorer.Columns:
        """The per-document arrays of this generation."""
        with self._lock:
            if self._column_cache is None:
                self._column_cache = scorer.Columns(searcher, self.generation / scorer.COLUMNS)
            return self._column_cache

    def search(self, plan: Plan) -> Found:
        searcher = self._searcher()
        columns = self._columns(searcher)
        score = scorer.Scorer(searcher, columns, plan.b, plan.k1)
        matched = score.evaluate(to_whoosh(plan.query)) if plan.query is not None else score.every()
        allowed = score.evaluate(to_whoosh(plan.filters)).mask if plan.filters is not None else None
        if allowed is not None:
            matched = scorer.Scored(matched.scores, matched.mask & allowed)
        read: dict[int, dict[str, Any]] = {}  # stored fields feedback read: the page's best hits again

        def stored(docnum: int) -> dict[str, Any]:
            found = read.get(docnum)
            if found is None:
                found = read[docnum] = searcher.stored_fields(docnum)
            return found

        if plan.feedback is not None and plan.query is not None and plan.sort == "relevance":
            matched = self._feedback(searcher, score, matched, plan, stored)
            if allowed is not None:  # articles feedback may add pass the filters too
                matched = scorer.Scored(matched.scores, matched.mask & allowed)
        if plan.sort == "relevance":
            ranked = scorer.top(matched, plan.wanted)
        else:
            ranked = scorer.by_date(columns, searcher, matched.mask, plan.sort == "newest", plan.wanted)
        shown, hidden = _one_per_group(columns, searcher, ranked, matched.mask) if plan.collapse else (ranked, 0)
        page = slice(plan.first, plan.first + plan.limit)
        picked: list[tuple[int, float | None]]
        rerank = plan.reranking
        if rerank is not None:
            # ids from a column, not the stored fields: only the page's are read (decompressed)
            head = shown[: max(rerank.depth, plan.first + plan.limit)]
            ids = columns.ids(searcher)
            order = rerank.order(list(zip([ids[d] for d in head], matched.scores[head].tolist(), strict=True)))
            picked = [(head[i], score) for i, score in order[page]]
        else:
            relevance = plan.sort == "relevance"
            picked = [(d, float(matched.scores[d]) if relevance else None) for d in shown[page]]
        hits = [(stored(docnum), score) for docnum, score in picked]
        limits = plan.facet_limits
        facets = {name: columns.count(searcher, name, matched.mask, limits.get(name)) for name in plan.facets}
        return Found(total=int(matched.mask.sum()) - hidden, hits=hits, facets=facets)

    def _feedback(
        self,
        searcher: Any,
        score: scorer.Scorer,
        matched: scorer.Scored,
        plan: Plan,
        stored: Callable[[int], dict[str, Any]],
    ) -> scorer.Scored:
        """``matched`` rescored with the expansion ``plan.feedback`` draws from its best results."""
        assert plan.feedback is not None
        best = scorer.top(matched, plan.feedback.docs)
        columns = score.columns
        expansion_query = plan.feedback.expand(
            [(float(matched.scores[d]), stored(d)) for d in best],
            lambda t: columns.doc_frequency(searcher, "text_stem", t),
            searcher.doc_count(),
        )
        if expansion_query is None:
            return matched
        expansion = score.evaluate(to_whoosh(expansion_query))
        mask = matched.mask | expansion.mask if plan.feedback.adds else matched.mask
        return scorer.Scored(matched.scores + expansion.scores * mask, mask)

    def document(self, ident: str) -> dict[str, Any] | None:
        with self.index.searcher() as searcher:
            stored: dict[str, Any] | None = searcher.document(id=ident)
        return stored

    def complete(self, words: Sequence[str], limit: int) -> list[str]:
        """Titles holding ``words``, the last one as a prefix, newest first."""
        query = q.And([*(q.Term("title", t) for t in words[:-1]), q.Prefix("title", words[-1])])
        with self.index.searcher() as searcher:
            results = searcher.search(query, limit=limit, sortedby=sort_facet("newest"))
            return [str(hit["title"]) for hit in results]

    def document_count(self) -> int:
        return int(self.index.doc_count())

    def term_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Documents per term of the text and its stems: counted at reindex time (``VOCABULARY``),
        counted here for a generation from before that (seconds at 12k articles)."""
        try:
            terms, stems = marshal.loads((self.generation / VOCABULARY).read_bytes())
        except FileNotFoundError:
            return count_terms(self.index)
        return terms, stems

    def stats(self) -> dict[str, Any]:
        generation = self.generation
        with self.index.searcher() as searcher:
            undated = searcher.doc_frequency("dated", "0")
        return {
            "documents": int(self.index.doc_count()),
            "undated": int(undated),
            "index_bytes": sum(p.stat().st_size for p in generation.iterdir() if p.is_file()),
            "index_path": str(generation),
        }


#: The file of a generation that holds ``count_terms``: read by every command that searches, where
#: counting the terms took seconds at 12k articles, and reading the file a tenth of a second.
VOCABULARY = "vocabulary.marshal"


def count_terms(index: Index) -> tuple[dict[str, int], dict[str, int]]:
    """Documents per term of the ``text`` and ``text_stem`` fields."""
    terms: dict[str, int] = {}
    stems: dict[str, int] = {}
    with index.reader() as reader:
        # segment by segment: merging the segments' lexicons is 4 times slower
        for leaf, _ in reader.leaf_readers():
            for field, counts in (("text", terms), ("text_stem", stems)):
                for term, info in leaf.iter_field(field):
                    word = term.decode()
                    counts[word] = counts.get(word, 0) + info.doc_frequency()
    return terms, stems


def _close_all(searchers: list[Any]) -> None:
    while searchers:
        searchers.pop().close()


def _one_per_group(
    columns: scorer.Columns, searcher: Any, ranked: list[int], matched: Any
) -> tuple[list[int], int]:
    """The ranked documents with one article per body group (the best placed), and how many
    of the ``matched`` documents are hidden copies.

    Articles with the same body under different URLs share a ``group``
    (see ``indexer.build``). Groups are rare, so the fetched top documents (with
    the plan's spare) are thinned here; the copies are counted over every matched
    document, so every page of a search reports the same total.
    """
    if "group" not in searcher.schema:
        return ranked, 0
    groups, _ = columns.keys(searcher, "group")
    seen: set[int] = set()
    shown = []
    # the keys as Python ints at once: a numpy scalar a document cost ~1 µs each, and a re-ranked
    # search thins a few hundred
    for docnum, key in zip(ranked, groups[np.asarray(ranked, dtype=np.int64)].tolist(), strict=True):
        if key not in seen:
            seen.add(key)
            shown.append(docnum)
    return shown, int(matched.sum()) - _distinct(groups[matched])


def _distinct(values: Any) -> int:
    """How many distinct values an integer array holds: ``len(np.unique(values))`` without it
    (``np.unique`` imports ``numpy.ma``, a twentieth of a second at every command's start).

    >>> _distinct(np.array([3, 1, 3, 2, 1])), _distinct(np.array([], dtype=np.int64))
    (3, 0)
    """
    ordered = np.sort(values)
    return int(ordered.size and 1 + np.count_nonzero(ordered[1:] != ordered[:-1]))


def sort_facet(sort: str) -> sorting.MultiFacet | None:
    """Newest or oldest first, undated articles last either way."""
    if sort == "relevance":
        return None
    return sorting.MultiFacet(
        [
            sorting.FieldFacet("dated", reverse=True),
            sorting.FieldFacet("published", reverse=sort == "newest"),
        ]
    )
