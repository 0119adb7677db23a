"""One test class run against every backend, and the OpenSearch backend's parity with Whoosh.

The sample corpus is indexed into Whoosh (the session's ``sample_index``) and into an
OpenSearch alias of its own on the cluster the ``opensearch_urls`` fixture finds; the
OpenSearch cases skip with the reason when there is no cluster (and fail in CI).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from backends import Config
from backends.base import IndexBusy, Plan, Rerank, Term
from indexer.build import reindex
from indexer.parts import WHOLE
from search import neighbours
from search.engine import Engine, SearchRequest, public_result
from search.keyboard import to_latin
from search.query import REGULARIZE, REGULARIZE_DEPTH, REGULARIZE_NEIGHBOURS, Filters

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


REGULARIZATION = (REGULARIZE_NEIGHBOURS, REGULARIZE, REGULARIZE_DEPTH)  # as the engine re-ranks


def _delete_family(client: Any, alias: str) -> None:
    client.indices.delete(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True)


@pytest.fixture(scope="module")
def opensearch_config(opensearch_urls: list[str]) -> Iterator[Config]:
    """The sample corpus in an OpenSearch alias of its own, deleted afterwards."""
    from opensearchpy import OpenSearch

    config = Config(backend="opensearch", urls=tuple(opensearch_urls), alias=f"kavosh-test-{uuid.uuid4().hex[:8]}")
    client = OpenSearch(list(opensearch_urls))
    try:
        yield config
    finally:
        _delete_family(client, config.alias)
        client.close()


@pytest.fixture(scope="module")
def opensearch_engine(opensearch_config: Config) -> Iterator[Engine]:
    summary = reindex([CORPUS], opensearch_config)
    assert summary.indexed == 40
    engine = Engine(opensearch_config)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def whoosh_engine(sample_index: Path) -> Iterator[Engine]:
    engine = Engine(sample_index)
    yield engine
    engine.close()


@pytest.fixture(params=["whoosh", "opensearch"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each backend in turn, over the same sample corpus."""
    found: Engine = request.getfixturevalue(f"{request.param}_engine")
    return found


def _ids(result: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


class TestEveryBackend:
    """What every backend must do, asserted on the sample corpus."""

    def test_a_reranked_search_hands_over_ids_and_scores_and_pages_through_the_new_order(self, engine: Engine) -> None:
        opened = engine.backend.open()
        plan = Plan(query=Term("text", "شهر"), limit=100, wanted=110, facets=("tag",))
        plain = opened.search(plan)
        ranked = [(stored["id"], score) for stored, score in plain.hits]
        assert len(ranked) > 6
        given: list[list[tuple[str, float]]] = []

        def first_five_backwards(scored: list[tuple[str, float]]) -> list[tuple[int, float]]:
            given.append(scored)
            return [(i, 10.0 - i) for i in reversed(range(5))] + [(i, 1.0 / i) for i in range(5, len(scored))]

        pages = [opened.search(replace(plan, first=f, limit=3, rerank=Rerank(5, first_five_backwards))) for f in (0, 3)]
        assert [ident for ident, _ in given[0]] == [ident for ident, _ in ranked[:5]]  # the best depth, no more
        assert [ident for ident, _ in given[1]] == [ident for ident, _ in ranked[:6]]  # as far as the page reaches
        assert [score for _, score in given[0]] == [score for _, score in ranked[:5]]
        shown = [(stored["id"], score) for page in pages for stored, score in page.hits]
        assert shown == [(ranked[i][0], 10.0 - i) for i in (4, 3, 2, 1, 0)] + [(ranked[5][0], 0.2)]
        assert {stored["title"] for page in pages for stored, _ in page.hits} <= {s["title"] for s, _ in plain.hits}
        assert all(page.total == plain.total and page.facets == plain.facets for page in pages)
        newest = opened.search(replace(plan, sort="newest", limit=3, rerank=Rerank(5, first_five_backwards)))
        assert len(given) == 2 and len(newest.hits) == 3  # sorted by date: nothing to re-rank

    def test_a_search_has_the_documented_json(self, engine: Engine) -> None:
        result = public_result(engine.search(SearchRequest(query="کتاب")))
        assert result["total"] == 8
        hit = result["hits"][0]
        assert {"id", "url", "title", "source", "published", "tags", "speakers", "score", "snippet"} <= hit.keys()
        assert hit["score"] > result["hits"][-1]["score"]
        assert {"tag", "speaker", "source", "cited", "category", "month"} <= result["facets"].keys()

    def test_stems_match_other_forms(self, engine: Engine) -> None:
        # «کتابخانه‌ها» is found through its stem in articles that only say «کتابخانه»
        assert len(_ids(engine.search(SearchRequest(query="کتابخانه‌ها")))) >= 3

    def test_phrases_exclusions_and_fields(self, engine: Engine) -> None:
        phrase = _ids(engine.search(SearchRequest(query='"کتابخانه مرکزی"')))
        words = _ids(engine.search(SearchRequest(query="کتابخانه مرکزی", limit=50)))
        assert phrase and set(phrase) < set(words)
        without = _ids(engine.search(SearchRequest(query="کتاب -کودک", limit=50)))
        assert without and set(without) < set(_ids(engine.search(SearchRequest(query="کتاب", limit=50))))
        for ident in without:
            article = engine.article(ident)
            assert article is not None and "کودک" not in article["title"] + article["lead"] + article["body"]
        titled = engine.search(SearchRequest(query="title:کتابخانه", limit=50))
        assert titled["total"] and all("کتابخانه" in hit["title"] for hit in titled["hits"])

    def test_filters_restrict_and_facets_count_every_match(self, engine: Engine) -> None:
        every = engine.search(SearchRequest(query=""))
        tag = every["facets"]["tag"][0]
        narrowed = engine.search(SearchRequest(query="", filters=Filters(tags=(tag["value"],)), limit=100))
        assert narrowed["total"] == tag["count"]
        assert all(tag["value"] in hit["tags"] for hit in narrowed["hits"])

    def test_newest_first_undated_last_and_paging(self, engine: Engine) -> None:
        first = engine.search(SearchRequest(query="", sort="newest", limit=5))
        second = engine.search(SearchRequest(query="", sort="newest", limit=5, page=2))
        dates = [h["published"] for h in first["hits"] + second["hits"]]
        assert dates == sorted(dates, reverse=True) and None not in dates
        oldest = engine.search(SearchRequest(query="", sort="oldest", limit=100))
        published = [h["published"] for h in oldest["hits"]]
        assert published[-1] is None and published[0] == min(p for p in published if p)
        assert first["pages"] == -(-first["total"] // 5)

    def test_keyboard_rescue_uses_the_index_vocabulary(self, engine: Engine) -> None:
        retyped = engine.search(SearchRequest(query=to_latin("کتاب")))  # typed with the Latin layout on
        assert retyped["searched"] is not None and retyped["searched"]["reason"] == "keyboard"
        assert retyped["total"] == 8

    def test_article_related_and_completion(self, engine: Engine) -> None:
        article = engine.article("sample-001")
        assert article is not None and article["title"].startswith("طرح «کتاب در ایستگاه»")
        assert engine.article("no-such-article") is None
        related = engine.related("sample-001")
        assert related and "sample-001" not in [r["id"] for r in related]
        assert any(title.startswith("کتابخانه") for title in engine.complete("کتابخ"))

    def test_stats(self, engine: Engine) -> None:
        stats = engine.stats()
        assert stats["documents"] == 40 and stats["undated"] == 6 and stats["sources"] == 4


# --- parity: the OpenSearch backend answers as the Whoosh backend does -------------------------

#: Queries with and without filters whose facet counts must be identical on both backends.
PARITY = [
    ("کتاب", Filters()),
    ("کتاب", Filters(tags=("فرهنگ",))),
    ("کتابخانه", Filters(sources=("خبرگزاری نمونه",))),
    ("کتاب کودک", Filters(tags=("کتاب",))),
    ('"کتابخانه مرکزی"', Filters()),
    ('"کتابخانه مرکزی"', Filters(months=("1402-02", "1402-07"))),
    ("کتاب -کودک", Filters(tags=("فرهنگ",))),
    ("title:کتابخانه", Filters(tags=("کتاب",))),
    ("سبزدشت", Filters()),
    ("سبزدشت", Filters(tags=("فرهنگ",))),
    ("سبزدشت", Filters(sources=("هفته‌نامه آزمون",))),
    ("شهر", Filters(tags=("حمل‌ونقل",))),
    ("شهر", Filters(months=("1402-03", "undated"))),
    ("شهر", Filters(since=datetime(2023, 1, 1, tzinfo=UTC))),
    ("شهر", Filters(since=datetime(2022, 6, 1, tzinfo=UTC), until=datetime(2023, 6, 1, tzinfo=UTC))),
    ("", Filters(tags=("کتاب",))),
    ("", Filters(sources=("خبرگزاری نمونه",))),
    ("", Filters(months=("undated",))),
    ("آب", Filters(tags=("آب‌وهوا",))),
    ("ورزش", Filters(sources=("هفته‌نامه آزمون", "روزنامه آزمایشی"))),
    ("فناوری", Filters(tags=("فناوری",))),
    ("دانش‌آموزان", Filters(tags=("آموزش",))),
    ("مدرسه", Filters(until=datetime(2023, 12, 31, tzinfo=UTC))),
    ("کشاورزان", Filters(tags=("کشاورزی",))),
    ("نمایشگاه", Filters(tags=("کتاب", "فرهنگ"))),
]


@pytest.mark.parametrize(("query", "filters"), PARITY, ids=[f"{q or '*'}|{f}" for q, f in PARITY])
def test_the_same_matches_and_facet_counts_on_both_backends(
    whoosh_engine: Engine, opensearch_engine: Engine, query: str, filters: Filters
) -> None:
    request = SearchRequest(query=query, filters=filters, limit=100)
    ours, theirs = whoosh_engine.search(request), opensearch_engine.search(request)
    assert theirs["total"] == ours["total"]
    assert set(_ids(theirs)) == set(_ids(ours))
    assert theirs["facets"] == ours["facets"]
    assert theirs["searched"] == ours["searched"] and theirs["suggestion"] == ours["suggestion"]


def test_facets_probed_then_checked_are_exact(
    whoosh_engine: Engine, opensearch_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over several shards the first round probes the facets (``PROBE_BUCKETS`` values a shard) and
    the second counts exactly what can reach the page: the few values left in doubt (``include``),
    or every value. Small probes and pages on the sample (3 shards) take both ways; the counts stay
    Whoosh's."""
    import search.engine
    from backends.opensearch import search as opensearch_search

    taken: list[str] = []
    checks = opensearch_search.OpenSearchIndex._checks

    def spy(self: Any, plan: Any, probed: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = checks(self, plan, probed)
        taken.extend("include" if "include" in agg["terms"] else "every" for agg in found.values())
        return found

    monkeypatch.setattr(opensearch_search.OpenSearchIndex, "_checks", spy)
    assert opensearch_engine.backend.open().shards() > 1
    for shown, probe in ((1, 3), (30, 1)):  # values a facet shows (one more is asked), values probed
        monkeypatch.setattr(search.engine, "FACET_SIZE", shown)
        monkeypatch.setattr(opensearch_search, "PROBE_BUCKETS", probe)
        for query, filters in PARITY[:12]:
            request = SearchRequest(query=query, filters=filters, limit=100)
            ours, theirs = whoosh_engine.search(request), opensearch_engine.search(request)
            assert theirs["facets"] == ours["facets"], (shown, probe, query, filters)
    assert "include" in taken and "every" in taken, taken


def test_parity_covers_at_least_twenty_queries_with_filters() -> None:
    assert sum(1 for _, f in PARITY if f) >= 20


@pytest.mark.parametrize("query", ["کتاب", "کتابخانه مرکزی", "سبزدشت شهر", "آب", "مدرسه"])
def test_the_same_best_article_on_both_backends(whoosh_engine: Engine, opensearch_engine: Engine, query: str) -> None:
    ours = _ids(whoosh_engine.search(SearchRequest(query=query, limit=3)))
    theirs = _ids(opensearch_engine.search(SearchRequest(query=query, limit=3)))
    assert ours[0] == theirs[0]


@pytest.mark.parametrize("query", ["کتاب", "سبزدشت شهر", "کتابخانه مرکزی"])
def test_scores_are_whooshs_bm25_on_both_backends(whoosh_engine: Engine, opensearch_engine: Engine, query: str) -> None:
    # Lucene's idf log(1+(N-df+0.5)/(df+0.5)) on both sides, and the (k1+1) factor Lucene drops through the
    # index's scripted similarity: with Lucene's own BM25 a score was a third of Whoosh's. What is left is
    # the one-byte length norms (Lucene's are coarser).
    request = SearchRequest(query=query, limit=20)
    ours = {hit["id"]: hit["score"] for hit in whoosh_engine.search(request)["hits"]}
    theirs = {hit["id"]: hit["score"] for hit in opensearch_engine.search(request)["hits"]}
    assert ours.keys() == theirs.keys()
    assert all(theirs[ident] == pytest.approx(score, rel=0.05) for ident, score in ours.items()), (ours, theirs)


def test_the_same_neighbours_and_regularization_on_both_backends(
    whoosh_engine: Engine, opensearch_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = SearchRequest(query="شهر", limit=100, facets=False, snippets=False)
    plain = _ids(opensearch_engine.search(request))  # conftest switched regularization off
    scores = [hit["score"] for hit in opensearch_engine.search(request)["hits"]]
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    ours, theirs = (neighbours.of(engine.backend.open()) for engine in (whoosh_engine, opensearch_engine))
    assert theirs is not None and ours is not None and dict(theirs) == dict(ours)  # published with each index
    order = neighbours.regularize(list(zip(plain, scores, strict=True)), theirs, *REGULARIZATION)
    pages = [opensearch_engine.search(replace(request, limit=3, page=p)) for p in (1, 2)]
    assert [ident for page in pages for ident in _ids(page)] == [plain[i] for i, _ in order][:6]


# One body under three URLs (syndicated copies) and another article: fictional text.
HERON_BODY = (  # long enough to be grouped (indexer.manifest.body_digest)
    "حواصیل خاکستری در تالاب سبزدشت دیده شد و پرنده‌نگران شمار آن را ثبت کردند. "
    "به گفته نگهبانان تالاب، آب امسال بیشتر بود و پرندگان مهاجر زودتر از سال گذشته رسیدند."
)
HERONS = [
    {"id": f"heron-{n}", "url": f"https://example.org/heron-{n}", "title": "حواصیل در تالاب",
     "body": HERON_BODY, "source": source, "published": "1401-02-03"}
    for n, source in enumerate(("همشهری", "ایرنا", "ایسنا"))
] + [{"id": "heron-other", "url": "https://example.org/heron-other", "title": "سرشماری پرندگان تالاب",
      "body": "پرنده‌نگران در تالاب سبزدشت حواصیل و فلامینگو شمردند.", "published": "1401-02-04"}]  # fmt: skip


def test_copies_of_one_body_count_once_on_both_backends(
    opensearch_urls: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies are counted over every match, not only the fetched hits: on OpenSearch from the index's
    groups of several documents, read once per version of the index (a cardinality aggregation was off
    by 2 of 11,699 at 12k); then a copy written into the live index in place is followed."""
    import json

    from opensearchpy import OpenSearch

    corpus = tmp_path / "herons.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in HERONS), encoding="utf-8")
    config = Config(backend="opensearch", urls=tuple(opensearch_urls), alias=f"kavosh-test-{uuid.uuid4().hex[:8]}")
    client = OpenSearch(list(opensearch_urls))
    try:
        assert reindex([corpus], config).indexed == 4
        reindex([corpus], tmp_path / "index")
        for target in (tmp_path / "index", config):
            engine = Engine(target)
            for request in (SearchRequest(query="حواصیل"), SearchRequest(query="")):
                result = engine.search(request)
                assert result["total"] == 2, (target, request)
                assert len({hit["id"] for hit in result["hits"]} - {"heron-other"}) == 1
            lone = engine.search(SearchRequest(query="حواصیل", filters=Filters(sources=("ایرنا",))))
            assert lone["total"] == 1 and [h["id"] for h in lone["hits"]] == ["heron-1"]
            engine.close()
        _written_in_place_is_followed(client, config, monkeypatch)
    finally:
        _delete_family(client, config.alias)
        client.close()


def _written_in_place_is_followed(client: Any, config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document written into the index the alias names (not by Kavosh's reindex, which writes a new
    index or a clone): the groups of copies, the vocabulary and the document count read once per opened
    index follow it once the content check's window has passed (0 here; 30 s by default)."""
    import backends.opensearch as opensearch_backend
    from backends.opensearch.documents import analysed, light
    from indexer.article import Article

    engine = Engine(config)
    assert engine.search(SearchRequest(query="تالاب"))["total"] == 2  # the herons' body once, and the other
    before = engine.backend.open()
    assert before.document_count() == 4 and "زاغچه" not in before.term_counts()[0]
    name = before.name
    body = {"query": {"ids": {"values": ["heron-other"]}}, "docvalue_fields": ["group"]}
    group = client.search(index=name, body=body)["hits"]["hits"][0]["fields"]["group"][0]
    other = next(a for a in HERONS if a["id"] == "heron-other")
    copy = Article(id="heron-other-copy", title=other["title"], lead="زاغچه هم دیده شد.", body=other["body"],
                   url="https://example.org/heron-other-copy")  # fmt: skip
    client.index(index=name, id=copy.id, body=analysed(light(copy), "in-place.jsonl", group, "lexicon"), refresh=True)
    monkeypatch.setattr(opensearch_backend, "ALIAS_CHECK_SECONDS", 0.0)
    monkeypatch.setattr(opensearch_backend, "CONTENT_CHECK_SECONDS", 0.0)
    after = engine.backend.open()
    assert after is not before and after.name == name
    assert after.document_count() == 5 and after.term_counts()[0].get("زاغچه") == 1
    # the copy joins the other's group: still two bodies (the groups read before would count three)
    assert engine.search(SearchRequest(query="تالاب"))["total"] == 2
    assert group not in (before.shared_groups() or [])
    assert group in (after.shared_groups() or [])
    engine.close()


def test_a_second_concurrent_reindex_is_refused(opensearch_config: Config, opensearch_engine: Engine) -> None:
    from backends import open_backend

    backend = open_backend(opensearch_config)
    with backend.lock(), pytest.raises(IndexBusy, match="another reindex is running"):
        reindex([CORPUS], opensearch_config)
    backend.close()


def test_an_incremental_reindex_moves_the_alias_atomically_and_cleans_up(
    opensearch_config: Config, opensearch_engine: Engine, tmp_path: Path
) -> None:
    from opensearchpy import OpenSearch

    client = OpenSearch(list(opensearch_config.urls))
    before = set(client.indices.get_alias(name=opensearch_config.alias))
    summary = reindex([CORPUS], opensearch_config)
    assert summary.mode == "incremental" and summary.files_unchanged == summary.files and summary.added == 0
    after = set(client.indices.get_alias(name=opensearch_config.alias))
    assert after != before and len(after) == 1
    assert opensearch_engine.search(SearchRequest(query="کتاب"))["total"] == 8
    # a third run deletes the first index (kept one run for the searches still reading it)
    reindex([CORPUS], opensearch_config)
    assert not before & set(client.indices.get(index=f"{opensearch_config.alias}-*"))
    client.close()


def test_a_reindex_on_every_core_sends_the_same_index_and_restores_its_settings(
    opensearch_config: Config, opensearch_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes analyse and send the bulk requests themselves (the parallel path, forced on the
    sample): the same answers as the one-process index, and the index published with the replicas,
    refresh and translog of ``index.json`` again (a full build runs without them)."""
    from opensearchpy import OpenSearch

    import indexer.build

    monkeypatch.setattr(indexer.build, "PARALLEL_MIN_ARTICLES", 0)
    monkeypatch.setattr(indexer.build, "PARALLEL_MIN_BYTES", 0)
    config = Config(backend="opensearch", urls=opensearch_config.urls, alias=f"{opensearch_config.alias}-procs")
    client = OpenSearch(list(config.urls))
    try:
        assert reindex([CORPUS], config, procs=2).indexed == 40
        name = next(iter(client.indices.get_alias(name=config.alias)))
        settings = client.indices.get_settings(index=name)[name]["settings"]["index"]
        assert settings["number_of_replicas"] == "1"
        assert "refresh_interval" not in settings and "translog" not in settings
        # the replicas were copied as the primary's segment files, not built by indexing every document
        # again from the translog (the build had no commit with its documents until publish flushed)
        # Green is not settled: the balancer may still move a replica to another node (a second
        # recovery of the same shard, in stage INDEX while its files are copied: CI of b974dcb).
        client.cluster.health(
            index=name, wait_for_no_relocating_shards=True, wait_for_no_initializing_shards=True, timeout="60s",
            request_timeout=90,
        )
        replicas = [s for s in client.indices.recovery(index=name)[name]["shards"] if not s["primary"]]
        assert replicas and all(s["stage"] == "DONE" for s in replicas), replicas
        assert all(s["translog"]["total"] == 0 for s in replicas), replicas
        assert all(s["index"]["size"]["total_in_bytes"] > 10_000 for s in replicas), replicas
        engine = Engine(config)
        for query in ("کتاب", "کتابخانه مرکزی", '"کتابخانه مرکزی"', "شهر"):
            request = SearchRequest(query=query, limit=50)
            ours, theirs = opensearch_engine.search(request), engine.search(request)
            assert [(h["id"], h["score"]) for h in theirs["hits"]] == [(h["id"], h["score"]) for h in ours["hits"]]
            assert theirs["facets"] == ours["facets"] and theirs["total"] == ours["total"]
        engine.close()
    finally:
        _delete_family(client, config.alias)
        client.indices.delete(index=f"{config.alias}-kavosh-meta", ignore_unavailable=True)
        client.close()


def test_bulk_actions_carry_the_analysed_document_as_json_made_in_the_worker() -> None:
    """What a worker of the reindex sends: each source already JSON (Persian as UTF-8, not escaped),
    decoding to exactly the analysed document; the parent never sees the analysed form."""
    import json

    from backends.opensearch.documents import analysed, light
    from backends.opensearch.write import _actions
    from indexer.article import Article
    from indexer.stem import DEFAULT_STEMMER

    article = Article(id="w1", title="کتاب‌ها در باران", body="کتابدار گفت: «کتاب‌های نو رسید».", tags=["فرهنگ"],
                      published=datetime(2023, 5, 1, 9, tzinfo=UTC))  # fmt: skip
    doc = light(article)
    (action,) = _actions(([(doc, "/corpus/a.jsonl", "g1")], DEFAULT_STEMMER, "kavosh-x"))
    assert {k: v for k, v in action.items() if k != "_source"} == {"_op_type": "index", "_index": "kavosh-x",
                                                                   "_id": "w1"}  # fmt: skip
    assert isinstance(action["_source"], str) and "کتاب" in action["_source"] and "\\u06" not in action["_source"]
    assert json.loads(action["_source"]) == json.loads(json.dumps(analysed(doc, "/corpus/a.jsonl", "g1",
                                                                           DEFAULT_STEMMER), default=str))  # fmt: skip


def test_a_partial_answer_of_the_cluster_is_asked_again_then_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # tests/test_faults.py: just after a node was killed, one search came back from some shards only
    # and its count was taken for the index's («6 hits instead of 14»). No cluster needed here.
    from backends.base import BackendUnavailable
    from backends.opensearch import search as opensearch_search

    monkeypatch.setattr(opensearch_search, "SHARD_RETRIES", (0.0, 0.0))
    partial, full = {"_shards": {"total": 3, "successful": 2, "failed": 1}}, {"_shards": {"total": 3, "failed": 0}}
    answers = iter([partial, partial, full])
    asked: list[dict[str, Any]] = []

    def search(**params: Any) -> dict[str, Any]:
        asked.append(params)
        return next(answers)

    assert opensearch_search.whole(search, index="i") == full and len(asked) == 3
    with pytest.raises(BackendUnavailable, match="answered from 2 of 3 shards"):
        opensearch_search.whole(lambda **_: partial, index="i")


class _NoIndexCluster:
    """A fake ``OpenSearch`` client of a cluster where the alias names no index (none built yet), or
    named an empty one (``names``) that is deleted between the search and the read of the alias."""

    def __init__(self, searchable: bool = False, names: tuple[str, ...] = ()) -> None:
        self.searchable, self.names = searchable, names
        self.indices = self

    def search(self, **_: Any) -> dict[str, Any]:
        from opensearchpy.exceptions import NotFoundError

        if not self.searchable:
            raise NotFoundError(404, "index_not_found_exception", {})
        return {"_shards": {"failed": 0}, "aggregations": {"index": {"buckets": []}}}  # an empty index

    def get_alias(self, **_: Any) -> dict[str, Any]:
        from opensearchpy.exceptions import NotFoundError

        if not self.names:
            raise NotFoundError(404, "aliases_not_found_exception", {})
        return {name: {"aliases": {}} for name in self.names}

    def close(self) -> None:
        pass


def test_an_alias_naming_no_index_is_said_to_the_operator_and_the_reader(
    monkeypatch: pytest.MonkeyPatch, kavosh: Any
) -> None:
    # current_version answered (None, (0, 0, 0)) and the backend turned the None into IndexMissing: now
    # it says so itself, also when the alias goes between its two requests. No cluster needed here.
    import opensearchpy

    from app import create_app
    from backends.base import IndexMissing
    from backends.opensearch import OpenSearchBackend
    from backends.opensearch.search import current_version

    missing = "no index behind OpenSearch alias 'kavosh-none' (run `kavosh reindex` first)"
    for cluster in (_NoIndexCluster(), _NoIndexCluster(searchable=True)):
        with pytest.raises(IndexMissing) as raised:
            current_version(cluster, "kavosh-none")
        assert str(raised.value) == missing
    assert current_version(_NoIndexCluster(True, ("kavosh-none-1",)), "kavosh-none") == ("kavosh-none-1", (0, 0, 0))

    monkeypatch.setattr(opensearchpy, "OpenSearch", lambda *_, **__: _NoIndexCluster())
    with pytest.raises(IndexMissing, match="no index behind OpenSearch alias 'kavosh-none'"):
        OpenSearchBackend(("http://127.0.0.1:9",), "kavosh-none").open()
    monkeypatch.setenv("KAVOSH_OPENSEARCH_ALIAS", "kavosh-none")
    result = kavosh("search", "باران", "--backend", "opensearch", "--opensearch", "http://127.0.0.1:9")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"kavosh: {missing}\n")
    site = create_app({"TESTING": True, "BACKEND": "opensearch", "OPENSEARCH_URL": "http://127.0.0.1:9"})
    page = site.test_client().get("/", query_string={"q": "باران"})
    assert page.status_code == 503 and "هنوز نمایه‌ای برای جست‌وجو ساخته نشده است" in page.get_data(as_text=True)
    api = site.test_client().get("/api/search", query_string={"q": "باران"})
    assert (api.status_code, api.get_json()) == (503, {"error": missing})


class _FailingCluster:
    """A fake ``OpenSearch`` client whose every request raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.indices = self

    def delete(self, **_: Any) -> None:
        raise self.error


def test_a_reindex_that_fails_forgives_the_cluster_gone_as_it_cleans_up_but_not_a_bug() -> None:
    # discard and the lock's release ran ``except Exception``: a bug there (a TypeError, an AttributeError)
    # was swallowed with the cluster's errors. No cluster needed here.
    from opensearchpy.exceptions import ConnectionError as Unreachable

    from backends.opensearch.write import Lock, OpenSearchGeneration

    for error, hidden in ((Unreachable("N/A", "refused", None), True), (TypeError("a bug"), False)):
        generation = OpenSearchGeneration.__new__(OpenSearchGeneration)
        generation.client, generation.alias = _FailingCluster(error), "a"
        generation.name, generation.part = "a-1", WHOLE
        lock = Lock(_FailingCluster(error), "a")
        for clean_up in (generation.discard, lock._release):
            if hidden:
                clean_up()
            else:
                with pytest.raises(TypeError, match="a bug"):
                    clean_up()
