"""The OpenSearch side of a search: the index behind the alias, asked with one bool query.

Statistics are gathered over all shards first (``dfs_query_then_fetch``), so a term's
idf is the whole index's, as on Whoosh (OpenSearch itself skips that round, and the
separate fetch, when the index has one shard, as ``KAVOSH_OPENSEARCH_SHARDS=1`` makes it). Facet counts
are terms aggregations over every match; copies of one body are thinned from the fetched
hits as on Whoosh.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from backends.base import BackendUnavailable, Found, IndexMissing, Plan
from backends.opensearch.query import to_dsl
from backends.opensearch.write import call

#: Facet values counted per field (a month facet shows them all; others show the top ones).
FACET_BUCKETS = 2000
#: Values each shard ranks per facet before the best are merged (OpenSearch's default for 2,000),
#: when there are several shards; an index of one shard counts exactly the values asked for.
SHARD_BUCKETS = FACET_BUCKETS * 3 // 2 + 10
#: Values each shard sends per facet shown in part (``Plan.facet_limits``) in a first round that a
#: second round follows (feedback), when there are several shards: the second round then counts
#: exactly the few values that can reach the page, or every value when the first cannot tell which
#: (``_checks``). 3,010 a shard each time cost 36% of the cluster's CPU at 12k (docs/scaling.md).
PROBE_BUCKETS = 100
#: Terms aggregations order values as Kavosh shows them: the most frequent, ties by value.
ORDER = [{"_count": "desc"}, {"_key": "asc"}]
#: Distinct body groups counted exactly up to this many (OpenSearch's cardinality is exact below it).
GROUP_PRECISION = 40_000
#: Body groups of several documents (syndicated copies) listed per index up to this many: the copies
#: a search matches are then counted exactly and cheaply (a terms aggregation over those groups
#: alone); an index with more counts the distinct bodies with a cardinality aggregation.
SHARED_GROUPS_MAX = 10_000
#: Terms read per request when gathering the vocabulary. A composite aggregation visits every
#: document for each page, so the fewer pages the faster: 50,000 terms a page, not 10,000, halved
#: the 12k index's load (14-16 s to 6-7 s at load 8; docs/scaling.md). The cluster refuses a page
#: above ``search.max_buckets`` (65,535 by default).
VOCABULARY_PAGE = 50_000
#: Hits whose stored fields come with the ranked list; beyond, only the page's are fetched.
INLINE_SOURCES = 200


#: What tells one state of an index's searchable documents from another: (documents, sum and
#: maximum of their sequence numbers). Writing, deleting or replacing a document changes it.
Version = tuple[int, float, float]


def current_version(client: Any, alias: str) -> tuple[str, Version | None]:
    """The index ``alias`` names and the ``Version`` of what searches see in it, in one request;
    ``IndexMissing`` when it names none (no reindex yet, or the alias was deleted).

    A size-0 search of the alias: its matches grouped by ``_index``, with the sum and maximum of
    ``_seq_no`` (every write gives a document a higher sequence number than any before it in its
    shard, a delete takes one away, so a change to what a refresh made visible changes them). An
    index without documents has no group: then the alias is read (``write.current_index``). An
    answer missing shards (a node lost, its replicas not yet promoted) tells no version: ``None``.
    """
    from opensearchpy import exceptions

    seq = {"sum": {"sum": {"field": "_seq_no"}}, "max": {"max": {"field": "_seq_no"}}}
    body = {"size": 0, "track_total_hits": True,
            "aggs": {"index": {"terms": {"field": "_index", "size": 2}, "aggs": seq}}}  # fmt: skip
    try:
        found = call(client.search, index=alias, body=body, expected=(exceptions.NotFoundError,))
    except exceptions.NotFoundError:
        raise _missing(alias) from None
    buckets = found["aggregations"]["index"]["buckets"]
    if found.get("_shards", {}).get("failed"):
        return _named(client, alias), None
    if len(buckets) == 1:
        one = buckets[0]
        return str(one["key"]), (int(one["doc_count"]), float(one["sum"]["value"]), float(one["max"]["value"]))
    return _named(client, alias), (0, 0.0, 0.0)  # empty, or two indexes while the alias moves


def _named(client: Any, alias: str) -> str:
    """The index the alias names now (it may have been deleted since the search of it)."""
    from backends.opensearch.write import current_index

    name = current_index(client, alias)
    if name is None:
        raise _missing(alias)
    return name


def _missing(alias: str) -> IndexMissing:
    # An operator's message (the command line's); the site shows its own Persian one (app.UNAVAILABLE).
    return IndexMissing(f"no index behind OpenSearch alias {alias!r} (run `kavosh reindex` first)")


#: How often a read that some shards did not answer is asked again, and how long to wait before each.
#: Just after a node is lost, a coordinating node may still route to its shard copies for a moment;
#: the other copies answer once the cluster state has reached it (tests/test_faults.py).
SHARD_RETRIES = (0.2, 0.4, 0.8)


def whole(method: Any, **params: Any) -> dict[str, Any]:
    """A search or count answered by every shard: a partial answer (``_shards.failed``) is asked again
    (``SHARD_RETRIES``), then ``BackendUnavailable``, never taken for the whole index's.

    >>> answers = iter([{"_shards": {"total": 3, "successful": 2, "failed": 1}}, {"_shards": {"failed": 0}}])
    >>> whole(lambda **_: next(answers))
    {'_shards': {'failed': 0}}
    """
    for pause in (*SHARD_RETRIES, None):
        result: dict[str, Any] = call(method, **params)
        shards = result.get("_shards") or {}
        if not shards.get("failed"):
            return result
        if pause is not None:
            time.sleep(pause)
    raise BackendUnavailable(
        f"the OpenSearch cluster answered from {shards.get('successful', 0)} of {shards.get('total', '?')} shards"
    )


class OpenSearchIndex:
    """One concrete index as it was when opened: the alias's index, in one ``Version`` of its documents
    (``OpenSearchBackend.open`` opens it again when they change), so what is read once per opened
    index (vocabulary, groups of copies, document count) is that version's."""

    def __init__(
        self, client: Any, name: str, meta: dict[str, Any], version: Version | None = None, opened_at: float = 0.0
    ) -> None:
        self.client = client
        self.name = name
        self.meta = meta
        self.version = version
        self.opened_at = opened_at
        self._lock = threading.Lock()
        self._counts: tuple[dict[str, int], dict[str, int]] | None = None
        # the version counted the documents already (0 for an empty index or while the alias moved: counted)
        self._documents: int | None = version[0] if version and version[0] else None
        self._shards: int | None = None
        self._shared: list[str] | None = None
        self._shared_read = False

    def _search(self, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        return whole(self.client.search, index=self.name, body=body, search_type="dfs_query_then_fetch", **params)

    def search(self, plan: Plan) -> Found:
        query = to_dsl(plan.query) if plan.query is not None else {"match_all": {}}
        filters = [to_dsl(plan.filters)] if plan.filters is not None else []
        relevance = plan.sort == "relevance"
        counts = {"aggs": self._aggregations(plan), "track_total_hits": True}
        feedback = plan.feedback if plan.query is not None and relevance else None
        facets: dict[str, Any] = {}
        if feedback is not None and not feedback.adds:
            # Feedback that only re-ranks leaves the matches as they are: the first round counts
            # them (total, copies, facets) while it finds the best documents; the second only ranks
            # (no count: Lucene may skip the documents that cannot enter the page), and over several
            # shards finishes the facets the first only probed (the same matches: the same counts).
            probe = self.shards() > 1
            first_counts = {"aggs": self._aggregations(plan, probe), "track_total_hits": True} if probe else counts
            first = self._search(self._body(query, filters, plan, feedback.docs, ["stored"]) | first_counts)
            query = self._expanded(query, first, plan)
            second: dict[str, Any] = {"track_total_hits": False}
            checks = self._checks(plan, first.get("aggregations", {})) if probe else {}
            if checks:
                second["aggs"] = checks
            result = self._search(self._body(query, filters, plan) | second)
            counted = first
            facets = result.get("aggregations", {})
        else:
            if feedback is not None:  # it may add documents: the counts are the expanded query's
                body = self._body(query, filters, plan, feedback.docs, ["stored"]) | {"track_total_hits": False}
                query = self._expanded(query, self._search(body), plan)
            result = counted = self._search(self._body(query, filters, plan) | counts)
        hits = result["hits"]["hits"]
        total = int(counted["hits"]["total"]["value"])
        shown = hits
        if plan.collapse:
            seen: set[str] = set()
            shown = []
            for hit in hits:
                group = (hit.get("fields", {}).get("group") or [hit["_id"]])[0]
                if group not in seen:
                    seen.add(group)
                    shown.append(hit)
            total = min(total, _bodies(total, counted.get("aggregations", {})))
        page = slice(plan.first, plan.first + plan.limit)
        scored: list[tuple[dict[str, Any], float | None]]
        rerank = plan.reranking
        if rerank is not None:
            # the ranked list came without sources: only the page's are fetched, after the re-ranking
            head = shown[: max(rerank.depth, plan.first + plan.limit)]
            order = rerank.order([(hit["_id"], float(hit["_score"])) for hit in head])
            scored = [(head[i], score) for i, score in order[page]]
        else:
            scored = [(hit, float(hit["_score"]) if relevance else None) for hit in shown[page]]
        stored = self._stored([hit for hit, _ in scored])
        found = Found(total=total)
        found.hits = [(stored[hit["_id"]], score) for hit, score in scored]
        for name in plan.facets:
            buckets = (facets.get(name) or counted["aggregations"][name])["buckets"]
            found.facets[name] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        return found

    def _body(
        self, query: dict[str, Any], filters: list[Any], plan: Plan, size: int | None = None, source: Any = None
    ) -> dict[str, Any]:
        """The ranked (or dated) list of ``plan``: ``size`` hits, by default the ``wanted`` ones."""
        size = plan.wanted if size is None else size
        body: dict[str, Any] = {
            "query": {"bool": {"must": [query], "filter": filters}},
            "size": size,
            "_source": source or (["stored"] if size <= INLINE_SOURCES and plan.reranking is None else False),
            "docvalue_fields": ["group"],
        }
        if plan.sort == "relevance" and plan.query is not None:
            body["sort"] = [{"_score": "desc"}, {"id": "asc"}]
        else:
            order = "desc" if plan.sort == "newest" else "asc"
            body["sort"] = [{"dated": "desc"}, {"published": {"order": order, "missing": "_last"}}, {"id": "asc"}]
        return body

    def _aggregations(self, plan: Plan, probe: bool = False) -> dict[str, Any]:
        """Distinct bodies and facet values over every match; with ``probe``, the facets shown in
        part only probed (``PROBE_BUCKETS`` a shard, all of them merged back), for ``_checks``."""
        aggs: dict[str, Any] = {}
        if plan.collapse:  # copies of one body count once in the total, over every match (as on Whoosh)
            shared = self.shared_groups()
            if shared is None:
                aggs["_groups"] = {"cardinality": {"field": "group", "precision_threshold": GROUP_PRECISION}}
            elif shared:  # every shard returns each of these groups it matches: exact
                copies = {"terms": {"field": "group", "size": len(shared), "shard_size": len(shared)}}
                aggs["_copies"] = {"filter": {"terms": {"group": shared}}, "aggs": {"groups": copies}}
        shards = self.shards()
        for name in plan.facets:
            size = min(plan.facet_limits.get(name, FACET_BUCKETS), FACET_BUCKETS)
            if probe and name in plan.facet_limits:
                # the best merged values (a size above the shard size would raise the shard size to it)
                aggs[name] = _terms(name, PROBE_BUCKETS, PROBE_BUCKETS)
            else:
                # only the buckets shown travel; several shards each rank as many as before (the same
                # counts), one shard counts every value itself: exact with no excess ranked and sent
                aggs[name] = _terms(name, size, size if shards == 1 else SHARD_BUCKETS)
        return aggs

    def _checks(self, plan: Plan, probed: dict[str, Any]) -> dict[str, Any]:
        """The second round's aggregations that make the first round's probed facets exact.

        A shard's probe lists its most frequent values; the values it left out have at most its last
        count each, and ``doc_count_error_upper_bound`` sums that bound over the shards that left any
        out (0: every value was sent, the counts are exact). With the shown-th merged count above that
        bound, no unsent value can reach the page, and a value can only if its count plus the bound
        reaches the shown-th: those few are counted exactly (``include``; the merged list is cut at
        ``PROBE_BUCKETS``, so its last count must be below that). Otherwise every value is counted (as
        without a probe). OpenSearch's per-value error bounds are not used: they said 2
        for values every shard had sent."""
        checks: dict[str, Any] = {}
        for name, limit in plan.facet_limits.items():
            if name not in probed:
                continue
            agg = probed[name]
            bound = int(agg.get("doc_count_error_upper_bound", -1))
            if bound == 0:
                continue  # every shard sent every value it has: exact
            buckets = agg["buckets"]
            size = min(limit, FACET_BUCKETS)
            shown = int(buckets[size - 1]["doc_count"]) if len(buckets) >= size else 0
            floor = shown - bound  # the least count a value sent can have and still reach the page
            # (the merged list is cut at PROBE_BUCKETS: a value cut off has at most the last one's count)
            listed = len(buckets) < PROBE_BUCKETS or int(buckets[-1]["doc_count"]) < floor
            if 0 < bound < shown and listed:
                chosen = [b["key"] for b in buckets if int(b["doc_count"]) >= floor]
                checks[name] = _terms(name, len(chosen), len(chosen))
                checks[name]["terms"]["include"] = chosen
            else:
                checks[name] = _terms(name, size, SHARD_BUCKETS)
        return checks

    def shards(self) -> int:
        """Primary shards of the index (read once: it cannot change)."""
        with self._lock:
            if self._shards is None:
                found = call(self.client.indices.get_settings, index=self.name, name="index.number_of_shards")
                self._shards = int(found[self.name]["settings"]["index"]["number_of_shards"])
            return self._shards

    def shared_groups(self) -> list[str] | None:
        """Body groups holding two documents or more, read once per index (a composite aggregation
        over ``group``, paged as the vocabulary is); ``None`` when there are more than
        ``SHARED_GROUPS_MAX``. Counting the copies among these few groups, not the distinct groups
        of every match, took the cardinality's cost off each search (docs/scaling.md)."""
        with self._lock:
            if not self._shared_read:
                shared: list[str] | None = []
                for group, count in self._values("group"):
                    if count > 1 and shared is not None:
                        shared.append(group)
                        if len(shared) > SHARED_GROUPS_MAX:
                            shared = None  # too many to list: the rest is not read
                            break
                self._shared, self._shared_read = shared, True
            return self._shared

    def _stored(self, hits: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """The stored fields of ``hits``, by id (fetched when the ranked list did not bring them)."""
        found = {hit["_id"]: hit["_source"]["stored"] for hit in hits if "_source" in hit}
        missing = [hit["_id"] for hit in hits if hit["_id"] not in found]
        if missing:
            docs = call(self.client.mget, index=self.name, body={"ids": missing}, _source=["stored"])["docs"]
            found.update({doc["_id"]: doc["_source"]["stored"] for doc in docs if doc.get("found")})
        return found

    def _expanded(self, query: dict[str, Any], first: dict[str, Any], plan: Plan) -> dict[str, Any]:
        """``query`` with the expansion ``plan.feedback`` draws from the first round's best results."""
        assert plan.feedback is not None
        hits = first["hits"]["hits"][: plan.feedback.docs]
        best = [(float(hit["_score"]), hit["_source"]["stored"]) for hit in hits]
        _, stems = self.term_counts()
        expansion = plan.feedback.expand(best, lambda t: stems.get(t, 0), self.document_count())
        if expansion is None:
            return query
        if plan.feedback.adds:
            return {"bool": {"should": [query, to_dsl(expansion)], "minimum_should_match": 1}}
        return {"bool": {"must": [query], "should": [to_dsl(expansion)]}}

    def document(self, ident: str) -> dict[str, Any] | None:
        found = call(self.client.mget, index=self.name, body={"ids": [ident]}, _source=["stored"])["docs"][0]
        return found["_source"]["stored"] if found.get("found") else None

    def complete(self, words: Sequence[str], limit: int) -> list[str]:
        """Titles holding ``words``, the last one as a prefix, newest first."""
        must: list[Any] = [{"term": {"title": w}} for w in words[:-1]]
        must.append({"prefix": {"title": words[-1]}})
        body = {
            "query": {"bool": {"filter": must}},
            "size": limit,
            "_source": ["stored.title"],
            "sort": [{"dated": "desc"}, {"published": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
        }
        return [str(hit["_source"]["stored"]["title"]) for hit in self._search(body)["hits"]["hits"]]

    def document_count(self) -> int:
        with self._lock:
            if self._documents is None:
                self._documents = int(whole(self.client.count, index=self.name)["count"])
            return self._documents

    def term_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Documents per term of ``text`` and ``text_stem``, from the cluster (composite aggregations)."""
        with self._lock:
            if self._counts is None:
                self._counts = (self._vocabulary("vocab"), self._vocabulary("vocab_stem"))
            return self._counts

    def _vocabulary(self, field: str) -> dict[str, int]:
        return dict(self._values(field))

    def _values(self, field: str) -> Iterator[tuple[str, int]]:
        """(value, documents) of every value of the doc-values field ``field``, in composite pages."""
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {"size": VOCABULARY_PAGE, "sources": [{"term": {"terms": {"field": field}}}]}
            if after is not None:
                composite["after"] = after
            body = {"size": 0, "aggs": {"vocabulary": {"composite": composite}}}
            result = whole(self.client.search, index=self.name, body=body)["aggregations"]["vocabulary"]
            for bucket in result["buckets"]:
                yield bucket["key"]["term"], int(bucket["doc_count"])
            after = result.get("after_key")
            if not result["buckets"] or after is None:
                return

    def stats(self) -> dict[str, Any]:
        health = call(self.client.cluster.health, index=self.name)
        undated = whole(self.client.count, index=self.name, body={"query": {"term": {"dated": "0"}}})["count"]
        store = call(self.client.indices.stats, index=self.name, metric="store")
        return {
            "documents": int(whole(self.client.count, index=self.name)["count"]),
            "undated": int(undated),
            "index_bytes": int(store["_all"]["primaries"]["store"]["size_in_bytes"]),
            "index_path": self.name,
            "health": health["status"],  # green, yellow (a replica missing) or red
            "cluster_nodes": health["number_of_nodes"],
        }

    def close(self) -> None:
        """Nothing to close: the client belongs to the backend."""


def _terms(field: str, size: int, shard_size: int) -> dict[str, Any]:
    """A terms aggregation of ``field``: ``size`` values, ``shard_size`` from each shard, as shown.

    >>> _terms("tag", 31, 100)["terms"]["order"]
    [{'_count': 'desc'}, {'_key': 'asc'}]
    """
    return {"terms": {"field": field, "order": ORDER, "size": size, "shard_size": shard_size}}


def _bodies(total: int, aggregations: dict[str, Any]) -> int:
    """Distinct bodies among ``total`` matches, from the count of ``_aggregations``.

    >>> _bodies(10, {"_copies": {"groups": {"buckets": [{"key": "g", "doc_count": 3}]}}})
    8
    >>> _bodies(10, {"_groups": {"value": 9}}), _bodies(10, {})
    (9, 10)
    """
    if "_groups" in aggregations:
        return int(aggregations["_groups"]["value"])
    if "_copies" in aggregations:
        return total - sum(int(bucket["doc_count"]) - 1 for bucket in aggregations["_copies"]["groups"]["buckets"])
    return total  # no body of this index has copies
