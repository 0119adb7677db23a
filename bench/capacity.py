"""What the cluster itself can take: bulk documents/s and query latency of Kavosh-shaped documents.

``python -m bench.capacity --opensearch URL --docs 100000`` makes the benchmark corpus (the shared
articles and, beyond them, articles made from their sentences, as ``python -m bench`` does),
analyses every article once with Kavosh's own tokenizer and stemmer (timed apart: that is the
feeding machines' work), then times the cluster's side alone: bulk loading the pre-analysed
documents (whitespace-analysed surface and stem fields, keyword facet fields, a date, the original
text stored) and a query mix of the Hamshahri queries' terms over those fields with three terms
aggregations (facets), top 10. ``docs/scaling.md`` projects from these figures; the end-to-end
figures of ``kavosh reindex --backend opensearch`` are the main bench's.

Only the standard library: the cluster's REST API over ``urllib``, bulk requests from threads.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import corpus, queries
from bench.anchor import call
from bench.stats import percentile
from indexer.normalize import normalize
from indexer.stem import DEFAULT_STEMMER, get_stemmer
from indexer.tokenize import word_tokens

INDEX = "capacity"
TEXT = {"type": "text", "analyzer": "whitespace", "norms": True}
STEM = {"type": "text", "analyzer": "whitespace", "index_options": "freqs"}
KEYWORD = {"type": "keyword"}


def mapping(shards: int, replicas: int) -> dict[str, Any]:
    """Kavosh's field layout: analysed text, keyword facets, a date, the original text stored only."""
    return {
        "settings": {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": "-1"},
        "mappings": {
            "properties": {
                "title": TEXT,
                "text": TEXT,
                "title_stem": STEM,
                "text_stem": STEM,
                "tag": KEYWORD,
                "source": KEYWORD,
                "speaker": KEYWORD,
                "year": KEYWORD,
                "published": {"type": "date"},
                "original": {"type": "object", "enabled": False},  # title, lead, body: shown, never searched
            }
        },
    }


def analyse(record: dict[str, Any]) -> dict[str, Any]:
    """One record as Kavosh would send it: terms and stems joined by spaces, facets, the original."""
    stem = get_stemmer(DEFAULT_STEMMER).many
    title = [t.text for t in word_tokens(record["title"])]
    text = [t.text for t in word_tokens(f"{record['lead']}\n\n{record['body']}")]
    published = record.get("published")
    return {
        "title": " ".join(title),
        "text": " ".join(text),
        "title_stem": " ".join(stem(title)) if title else "",
        "text_stem": " ".join(stem(text)) if text else "",
        "tag": [normalize(t) for t in record["tags"]],
        "source": normalize(record["source"] or ""),
        "speaker": [normalize(s) for s in record["speakers"]],
        "year": published[:4] if published else None,
        "published": published,
        "original": {"title": record["title"], "lead": record["lead"], "body": record["body"]},
    }


def batches(docs: Sequence[dict[str, Any]], ids: Sequence[str], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(docs), size):
        lines: list[dict[str, Any]] = []
        for doc, doc_id in zip(docs[start : start + size], ids[start : start + size], strict=True):
            lines += [{"index": {"_index": INDEX, "_id": doc_id}}, doc]
        yield lines


def bulk(url: str, docs: Sequence[dict[str, Any]], ids: Sequence[str], clients: int, size: int = 500) -> float:
    """Seconds to bulk-load ``docs`` from ``clients`` threads, refreshed and searchable at the end."""

    def send(lines: list[dict[str, Any]]) -> None:
        answer = call(url, "/_bulk", lines, method="POST", ndjson=True)
        if answer.get("errors"):
            first = next(item for item in answer["items"] if "error" in next(iter(item.values())))
            raise RuntimeError(f"bulk indexing failed: {first}")

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(send, lines) for lines in batches(docs, ids, size)]:
            future.result()
    call(url, f"/{INDEX}/_refresh", method="POST")
    return time.perf_counter() - started


def query_body(terms: list[str], stems: list[str]) -> dict[str, Any]:
    """Kavosh's shape of a ranked search: terms and stems per field, weighted, with three facets."""
    should = [{"term": {f: {"value": t, "boost": b}}} for t in terms for f, b in (("title", 1.5), ("text", 1.0))]
    should += [
        {"term": {f: {"value": s, "boost": b}}} for s in stems for f, b in (("title_stem", 0.6), ("text_stem", 0.4))
    ]
    return {
        "query": {"bool": {"should": should, "minimum_should_match": 1}},
        "size": 10,
        "_source": ["original.title"],
        "track_total_hits": True,
        "aggs": {f: {"terms": {"field": f, "size": 9}} for f in ("tag", "source", "year")},
    }


def latencies(url: str, bodies: list[dict[str, Any]], passes: int) -> dict[str, float]:
    """p50 and p95 in ms of the bodies, one client, after one warming pass."""
    for body in bodies:
        call(url, f"/{INDEX}/_search", body, method="POST")
    times = []
    for _ in range(passes):
        for body in bodies:
            started = time.perf_counter()
            call(url, f"/{INDEX}/_search", body, method="POST")
            times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1), "queries": len(times)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.splitlines()[0])
    parser.add_argument("--opensearch", action="append", required=True, help="A node's URL; repeat per cluster.")
    parser.add_argument("--docs", type=int, default=None, help="Corpus size (default: every shared article).")
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--clients", type=int, default=2, help="Threads sending bulk requests.")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--out", type=Path, default=corpus.ROOT / "var" / "bench" / "capacity.json")
    args = parser.parse_args(argv)
    paths = corpus.default_paths()
    if not paths:
        print("bench.capacity: the shared corpora are absent (../shared)", file=sys.stderr)
        return 2
    records = corpus.build_records(corpus.load_articles(paths).articles, args.docs)
    started = time.process_time()
    docs = [analyse(r) for r in records]
    analysis_s = time.process_time() - started
    ids = [r["id"] for r in records]
    mix = queries.read_queries(corpus.SHARED / "eval/hamshahri/queries.tsv")
    stem = get_stemmer(DEFAULT_STEMMER).many
    bodies = []
    for text in mix:
        terms = [t.text for t in word_tokens(text)]
        bodies.append(query_body(terms, stem(terms)))
    results: dict[str, Any] = {
        "docs": len(docs),
        "chars": sum(map(corpus.characters, records)),
        "analysis_docs_per_cpu_s": round(len(docs) / analysis_s, 1),
        "clusters": {},
    }
    for url in args.opensearch:
        url = url.rstrip("/")
        nodes = call(url, "/_cluster/health")["number_of_data_nodes"]
        replicas = 1 if nodes > 1 else 0
        if INDEX in call(url, "/_aliases"):
            call(url, f"/{INDEX}", method="DELETE")
        call(url, f"/{INDEX}", mapping(args.shards, replicas), method="PUT")
        seconds = bulk(url, docs, ids, args.clients)
        call(url, f"/_cluster/health/{INDEX}?wait_for_status={'green' if replicas else 'yellow'}&timeout=120s")
        stats = call(url, f"/{INDEX}/_stats/store,docs")["_all"]
        heap = call(url, "/_nodes/stats/jvm")["nodes"].values()
        results["clusters"][url] = {
            "nodes": nodes,
            "shards": args.shards,
            "replicas": replicas,
            "bulk_docs_per_s": round(len(docs) / seconds, 1),
            "bulk_seconds": round(seconds, 1),
            "primary_store_mb": round(stats["primaries"]["store"]["size_in_bytes"] / 2**20, 1),
            "total_store_mb": round(stats["total"]["store"]["size_in_bytes"] / 2**20, 1),
            "heap_used_mb": [round(n["jvm"]["mem"]["heap_used_in_bytes"] / 2**20) for n in heap],
            **latencies(url, bodies, args.passes),
        }
        call(url, f"/{INDEX}", method="DELETE")
        print(json.dumps(results["clusters"][url]), file=sys.stderr, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
