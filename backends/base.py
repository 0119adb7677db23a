"""The seam between what Kavosh computes and where the postings live.

Above it, written once: readers, analysis, speakers, query syntax, spelling and
keyboard rescue, snippets, facet labels, the site, the API and the CLI. Below
it, one room per engine (``backends.whoosh``, ``backends.opensearch``), each
holding both its sides: how an index is written and how it is searched.

What crosses the seam is plain: analysed terms in a small query tree (the
words Kavosh's own analyzer made, with their weights), filters, a sort, a
page; and back, stored fields, scores and facet counts as dicts and numbers.
Each engine runs the tree the way it does best (numpy over Whoosh postings,
a bool query on OpenSearch), so both rank with the same BM25 and field weights.

>>> AnyOf((Term("text", "ایران", 0.2), Term("text_stem", "ایران", 1.0))).terms()
[('text', 'ایران'), ('text_stem', 'ایران')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from indexer.article import Article
    from indexer.manifest import Manifest
    from indexer.parts import Part

UNDATED = "undated"  # the month facet value of an article without a date
FACET_FIELDS = ("tag", "speaker", "source", "cited", "category")
#: The text fields, each indexed from Kavosh's analysis: surface forms (with
#: positions, for phrases) and stems.
TEXT_FIELDS = ("title", "text", "title_stem", "text_stem")
SORTS = ("relevance", "newest", "oldest")


class IndexMissing(Exception):
    """There is no index at the given location yet."""


class IndexBusy(Exception):
    """Another reindex holds the lock on this index."""


class BackendUnavailable(Exception):
    """The search engine cannot be reached or refused the request (a cluster down)."""


class KeptUnreadable(Exception):
    """What the previous reindex kept with the index (``Generation.kept``) cannot be read back: a
    corrupt or missing part of it. The reindex does without it (it reads the files again) and says why."""


# --- the query tree: analysed terms, nothing engine-specific ----------------------------------


class Query:
    """A node of a query over analysed terms."""

    def children(self) -> Sequence[Query]:
        return ()

    def terms(self) -> list[tuple[str, str]]:
        """(field, term) of every term under this node, in order."""
        found: list[tuple[str, str]] = []
        for child in self.children():
            found.extend(child.terms())
        return found


@dataclass(frozen=True)
class Term(Query):
    """One analysed term of a field, scored by BM25 times ``boost`` (keyword fields: matched only)."""

    field: str
    text: str
    boost: float = 1.0

    def terms(self) -> list[tuple[str, str]]:
        return [(self.field, self.text)]


@dataclass(frozen=True)
class Phrase(Query):
    """Terms at consecutive positions of one field; scored as the sum of its terms."""

    field: str
    words: tuple[str, ...]
    boost: float = 1.0

    def terms(self) -> list[tuple[str, str]]:
        return [(self.field, w) for w in self.words]


@dataclass(frozen=True)
class AnyOf(Query):
    """Documents matching any part; the scores of the parts that match add up."""

    parts: tuple[Query, ...]

    def children(self) -> Sequence[Query]:
        return self.parts


@dataclass(frozen=True)
class AllOf(Query):
    """Documents matching every part; the scores add up."""

    parts: tuple[Query, ...]

    def children(self) -> Sequence[Query]:
        return self.parts


@dataclass(frozen=True)
class Boosted(Query):
    """Documents matching ``required``, with the scores of ``optional`` added where it matches too."""

    required: Query
    optional: Query

    def children(self) -> Sequence[Query]:
        return (self.required, self.optional)


@dataclass(frozen=True)
class Excluding(Query):
    """Documents matching ``positive`` and not ``negative``."""

    positive: Query
    negative: Query

    def children(self) -> Sequence[Query]:
        return (self.positive, self.negative)


@dataclass(frozen=True)
class Every(Query):
    """Every document, unscored."""


@dataclass(frozen=True)
class Nothing(Query):
    """No document (a filter value that analyses to nothing)."""


@dataclass(frozen=True)
class DateRange(Query):
    """Documents published in [start, end] (UTC, naive; either may be open); unscored."""

    start: datetime | None
    end: datetime | None


# --- what a search asks and gets --------------------------------------------------------------

#: (score, stored fields) of the best first-round documents, a document frequency of
#: ``text_stem`` terms, the number of documents -> the expansion query (or ``None``).
Expand = Callable[[list[tuple[float, dict[str, Any]]], Callable[[str], int], int], Query | None]


@dataclass(frozen=True)
class Feedback:
    """Pseudo-relevance feedback: the engine scores ``expand``'s query over the first round's results."""

    docs: int  # first-round documents handed to ``expand``
    expand: Expand
    adds: bool = False  # may feedback add documents the query did not match?


#: (id, score) of the best ranked documents, best first -> (position in that list, new score) of
#: each, best first: a re-ranking the engine computes above the seam.
Order = Callable[[list[tuple[str, float]]], list[tuple[int, float]]]


@dataclass(frozen=True)
class Rerank:
    """A re-ranking of the best results by the engine (score regularization, ``search.neighbours``).

    The backend hands ``order`` the ids and scores of its best ``depth`` ranked documents (copies
    of one body thinned; more when the page reaches further), without reading their stored fields,
    and pages through the order it returns: only the page's stored fields are read.
    ``Plan.wanted`` must cover ``depth`` and the copies thinned from it.
    """

    depth: int
    order: Order


@dataclass(frozen=True)
class Plan:
    """One search as the engine runs it."""

    query: Query | None  # None: every document (browsing)
    filters: Query | None = None  # a filter: restricts, never scores
    sort: str = "relevance"  # one of SORTS
    first: int = 0  # the first hit of the page, counted after thinning copies
    limit: int = 10
    wanted: int = 20  # ranked documents fetched to fill the page after thinning copies
    facets: Sequence[str] = ()  # fields whose values to count over every match
    # At most this many values of a facet are needed: the most frequent, ties by value, their
    # counts exact (an engine may return more); a facet not named here: every value.
    facet_limits: Mapping[str, int] = field(default_factory=dict)
    feedback: Feedback | None = None
    b: float = 0.75  # BM25 parameters
    k1: float = 1.2
    collapse: bool = True  # one hit per body group (syndicated copies); False lists every copy
    rerank: Rerank | None = None  # sorted by relevance with a query: the page is cut from its order

    @property
    def reranking(self) -> Rerank | None:
        """``rerank`` where it applies (a query sorted by relevance), else ``None``: each backend
        asks this, so they cannot disagree on when the engine's order is used."""
        return self.rerank if self.query is not None and self.sort == "relevance" else None


@dataclass
class Found:
    """What an engine found: the page's hits (stored fields, score), the total, facet counts."""

    total: int  # matches, less the copies of one body met among the fetched ones
    hits: list[tuple[dict[str, Any], float | None]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class Opened(Protocol):
    """One published index, open for searching (a Whoosh generation, an OpenSearch index behind the alias)."""

    meta: dict[str, Any]  # labels, stemmer, build summary, date range, the articles' neighbours (packed)

    def search(self, plan: Plan) -> Found: ...

    def document(self, ident: str) -> dict[str, Any] | None: ...

    def complete(self, words: Sequence[str], limit: int) -> list[str]: ...

    def document_count(self) -> int: ...

    def term_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Documents per term of ``text`` and of ``text_stem``: the vocabulary spelling works on."""
        ...

    def stats(self) -> dict[str, Any]:
        """Engine figures for ``kavosh stats``: documents, undated, index_bytes, index_path, health."""
        ...


# --- the write side ---------------------------------------------------------------------------


class Writer(Protocol):
    """Adds and deletes documents of one generation being built."""

    def delete_file(self, path: str, ids: Sequence[str]) -> int:
        """Remove the documents a corpus file gave (``ids``); how many were removed."""
        ...

    def document(self, article: Article) -> Any:
        """What the engine stores for an article; raises ``ValueError`` (or ``TypeError``,
        ``OverflowError``) for an article it cannot hold, which the reindex skips and names."""
        ...

    def add(self, document: Any, path: str, group: str) -> None:
        """Add a ``document()`` from corpus file ``path``, in body group ``group``."""
        ...

    def commit(self) -> None: ...

    def cancel(self) -> None: ...


class Generation(Protocol):
    """A new index being built by one reindex: published whole, or discarded."""

    incremental: bool  # started from the current index's documents
    manifest: Manifest | None  # the current index's manifest when incremental (every part's files)
    waiting: list[int]  # after ``publish`` by one of N parts: the parts still running (then not yet current)

    def writer(self, procs: int, parallel: bool) -> Writer: ...

    def publish(self, manifest: Manifest, meta: dict[str, Any]) -> None:
        """Make the new index current (a part: record its share; the last part makes it current)."""
        ...

    def discard(self) -> None: ...

    def keep(self, name: str, data: bytes) -> None:
        """Keep ``data`` with the new index under ``name``: published with it, discarded with it, and
        what ``kept`` gives the next reindex that starts from it (``indexer.vectors``: the articles'
        stem counts, so that it need not read the articles it keeps again)."""
        ...

    def kept(self, name: str) -> bytes | None:
        """What the reindex that published the index this one starts from kept under ``name``;
        ``None`` when it kept nothing so named, or this one starts from nothing."""
        ...


class Backend(Protocol):
    """One engine at one location (an index folder, a cluster and an alias)."""

    name: str
    parts: bool  # may N machines feed one index in parallel (``--part K/N``)?
    location: str  # the folder, or the cluster's URLs and alias
    description: str  # for messages: «index var/index», «opensearch http://127.0.0.1:9200 (alias kavosh)»

    def open(self) -> Opened:
        """The current index (reopened only when a reindex has published a new one)."""
        ...

    def lock(self, part: Part | None = None) -> AbstractContextManager[Any]:
        """Held for a whole reindex (or one part of it); raises ``IndexBusy`` when another holds it."""
        ...

    def begin(self, *, stemmer: str, fmt: str | None, rebuild: bool, part: Part | None = None) -> Generation: ...

    def close(self) -> None: ...


def walk(query: Query) -> Iterator[Query]:
    """Every node of a tree, parents first."""
    yield query
    for child in query.children():
        yield from walk(child)
