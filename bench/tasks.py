"""What one child process measures: one engine's reindex, query run, or the analysis speeds.

Each function takes the JSON arguments the parent sent and returns JSON-ready figures. They
run in a fresh interpreter (``bench.child``) so each engine's peak memory and warm-up are its own.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import peers
from bench.corpus import read_jsonl
from bench.queries import Query, from_json
from bench.stats import median, percentile

# --- reindex ---------------------------------------------------------------------------------


def _target(args: dict[str, Any]) -> Any:
    """Where Kavosh writes and searches: the Whoosh folder ``index``, or the cluster at ``opensearch``."""
    from backends import Config

    if args.get("opensearch"):
        return Config(backend="opensearch", urls=tuple(args["opensearch"]), alias=args.get("alias", "bench"))
    return args["index"]


def reindex_kavosh(args: dict[str, Any]) -> dict[str, Any]:
    """``indexer.build.reindex`` as ``kavosh reindex`` runs it, with ``procs`` when it has that option.

    On a cluster (``opensearch``: its URLs) the nodes' CPU time (``cluster_pids``) counts in
    ``cores`` too, and ``index_mb`` is the primaries' store."""
    from bench.cluster import cpu_seconds
    from indexer.build import reindex
    from indexer.stem import DEFAULT_STEMMER, get_stemmer

    options: dict[str, Any] = {}
    procs = args.get("procs")
    if procs:
        parameters = inspect.signature(reindex).parameters
        name = next((n for n in ("procs", "jobs") if n in parameters), None)
        if name is None and procs > 1:
            return {"error": "indexer.build.reindex has no procs/jobs option"}
        if name:
            options[name] = procs
    # Loading the stemmer's lexicon is a fixed cost of every start (seconds), not throughput:
    # timed apart, as ``startup_s``.
    started = time.perf_counter()
    get_stemmer(DEFAULT_STEMMER)("ایران")
    loaded = time.perf_counter()
    target = _target(args)
    nodes = args.get("cluster_pids", [])
    cpu, cluster_cpu = _cpu_seconds(), cpu_seconds(nodes)
    summary = reindex([args["corpus"]], target if args.get("opensearch") else Path(target), **options)
    seconds = time.perf_counter() - loaded
    cpu = _cpu_seconds() - cpu  # this process and every worker it waited for
    cluster_cpu = cpu_seconds(nodes) - cluster_cpu
    out = {"seconds": seconds, "startup_s": loaded - started, "docs": summary.indexed, "cpu_s": cpu,
           "cores": round((cpu + cluster_cpu) / seconds, 2)}  # fmt: skip
    if args.get("opensearch"):
        out |= {"python_cores": round(cpu / seconds, 2), "cluster_cores": round(cluster_cpu / seconds, 2),
                "index_mb": _primaries_mb(target)}  # fmt: skip
    return out


def _primaries_mb(config: Any) -> float:
    from backends import open_backend

    backend = open_backend(config)
    try:
        return float(backend.open().stats()["index_bytes"]) / 2**20
    finally:
        backend.close()


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _bare_schema() -> Any:
    """Kavosh's schema with every text field analysed by a plain ``RegexTokenizer``."""
    from whoosh.analysis import RegexTokenizer
    from whoosh.fields import TEXT, Schema

    from backends.whoosh.schema import make_schema

    fields = {}
    for name, field in make_schema().items():
        if isinstance(field, TEXT):
            phrase = type(field.format).__name__ == "Positions"
            field = TEXT(analyzer=RegexTokenizer(), stored=field.stored, phrase=phrase)
        fields[name] = field
    return Schema(**fields)


def reindex_whoosh(args: dict[str, Any]) -> dict[str, Any]:
    """Bare Whoosh: the same documents and writer settings, no Persian analysis."""
    from whoosh import index as whoosh_index

    from backends.whoosh.schema import to_document
    from indexer.readers import find_files, read_file

    folder = Path(args["index"])
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(folder), _bare_schema())
    writer = ix.writer(limitmb=256)
    docs = 0
    for path in find_files([args["corpus"]]):
        for article in read_file(path):
            if not isinstance(article, Exception):
                writer.add_document(**to_document(article))
                docs += 1
    writer.commit()
    return {"seconds": time.perf_counter() - started, "docs": docs}


def _reindex_peer(build: Callable[..., int]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def run(args: dict[str, Any]) -> dict[str, Any]:
        folder = Path(args["index"])
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        docs = build(read_jsonl(Path(args["corpus"])), folder)
        return {"seconds": time.perf_counter() - started, "docs": docs}

    return run


# --- queries ---------------------------------------------------------------------------------


def _one_pass(search: Callable[[Query], Any], mix: list[Query]) -> tuple[dict[str, list[float]], list[float]]:
    """Each query's wall milliseconds by kind, and its CPU milliseconds (this thread's) in mix order."""
    times: dict[str, list[float]] = {}
    cpu: list[float] = []
    for query in mix:
        started, started_cpu = time.perf_counter(), time.thread_time()
        search(query)
        times.setdefault(query.kind, []).append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return times, cpu


def _summary(passes: list[tuple[dict[str, list[float]], list[float]]], queries: int, warm: int) -> dict[str, Any]:
    """The median over passes of each pass's p50 and p95 (wall), and of its p95 by kind."""
    p50s, p95s, by_kind = [], [], {}
    for times, _ in passes:
        every = [t for ts in times.values() for t in ts]
        p50s.append(percentile(every, 50))
        p95s.append(percentile(every, 95))
        for kind, ts in times.items():
            by_kind.setdefault(kind, []).append(percentile(ts, 95))
    return {
        "queries": queries,
        "p50_ms": median(p50s),
        "p95_ms": median(p95s),
        "p95_ms_by_kind": {kind: median(v) for kind, v in sorted(by_kind.items())},
        "warm_passes": warm,
    }


def _latencies(search: Callable[[Query], Any], mix: list[Query], passes: int, warm: int = 1) -> dict[str, Any]:
    """``warm`` untimed passes (caches warm, as in a running server), then ``passes`` timed ones."""
    for _ in range(warm):
        for query in mix:
            search(query)
    return _summary([_one_pass(search, mix) for _ in range(passes)], len(mix), warm)


def _regularization(mode: str) -> None:
    """Score regularization (``search.neighbours.of``) off or on for the searches that follow:
    set here, whatever the environment said (the tests' conftest turns it off)."""
    if mode == "off":
        os.environ["KAVOSH_NEIGHBOURS"] = ""
    else:
        os.environ.pop("KAVOSH_NEIGHBOURS", None)


def _in_turns(
    search: Callable[[Query], Any], mix: list[Query], passes: int, warm: int, modes: list[str]
) -> dict[str, Any]:
    """Score regularization in each of ``modes`` ("off", "on") on the same engine, taking turns:
    every round times one pass of each, in the order off, on then on, off (so neither always goes
    first), and load on the machine falls on both alike. ``reranked``: the searches a mode's timed
    passes re-ranked by the neighbours (``search.neighbours.regularize`` called), 0 when off."""
    import search.neighbours as neighbours

    regularize, reranked = neighbours.regularize, [0]

    def counted(*args: Any, **kwargs: Any) -> Any:
        reranked[0] += 1
        return regularize(*args, **kwargs)

    neighbours.regularize = counted  # looked up at each call by search.engine._rerank
    try:
        for _ in range(warm):
            for mode in modes:
                _regularization(mode)
                for query in mix:
                    search(query)
        timed: dict[str, list[tuple[dict[str, list[float]], list[float]]]] = {mode: [] for mode in modes}
        counts = dict.fromkeys(modes, 0)
        for round_ in range(passes):
            for mode in modes if round_ % 2 == 0 else modes[::-1]:
                _regularization(mode)
                before = reranked[0]
                timed[mode].append(_one_pass(search, mix))
                counts[mode] += reranked[0] - before
    finally:
        neighbours.regularize = regularize
    out: dict[str, Any] = {}
    for mode, runs in timed.items():
        row = _summary(runs, len(mix), warm)
        every_pass = [[t for ts in times.values() for t in ts] for times, _ in runs]
        row["p95_ms_passes"] = [round(percentile(p, 95), 2) for p in every_pass]
        row["p50_ms_passes"] = [round(percentile(p, 50), 2) for p in every_pass]
        row["cpu_p50_ms"] = median([percentile(cpu, 50) for _, cpu in runs])
        row["cpu_p95_ms"] = median([percentile(cpu, 95) for _, cpu in runs])
        row["reranked"] = counts[mode]
        row["searches"] = len(mix) * passes
        out[mode] = row
    return out


def query_kavosh(args: dict[str, Any]) -> dict[str, Any]:
    """``search.engine.Engine`` with facets and snippets, as the web page asks.

    With ``regularize`` (modes of score regularization, e.g. ["off", "on"]): each mode's figures
    under ``modes``, measured taking turns on the one engine (``_in_turns``)."""
    from search.engine import Engine
    from search.request import from_params

    engine = Engine(_target(args))
    engine.warm_up()
    mix = from_json(args["mix"])
    requests = {id(q): from_params(q.params) for q in mix}

    def search(query: Query) -> Any:
        return engine.search(requests[id(query)])

    modes = args.get("regularize")
    if modes:
        return {"modes": _in_turns(search, mix, args["passes"], args.get("warm", 1), list(modes))}
    return _latencies(search, mix, args["passes"], args.get("warm", 1))


def query_fts5(args: dict[str, Any]) -> dict[str, Any]:
    return _latencies(peers.Fts5Searcher(Path(args["index"])).search, from_json(args["mix"]), args["passes"])


def query_tantivy(args: dict[str, Any]) -> dict[str, Any]:
    return _latencies(peers.TantivySearcher(Path(args["index"])).search, from_json(args["mix"]), args["passes"])


# --- analysis --------------------------------------------------------------------------------


def analysis(args: dict[str, Any]) -> dict[str, Any]:
    """Characters/s of our analysis and of hazm's Normalizer on the same texts, each the median of runs."""
    from hazm import Normalizer
    from whoosh.formats import Positions

    from backends.whoosh.schema import make_schema
    from indexer.normalize import normalize
    from indexer.stem import clear_cache
    from indexer.tokenize import word_tokens

    texts = [r["text"] for r in read_jsonl(Path(args["texts"]))]
    chars = sum(map(len, texts))
    schema = make_schema()
    exact, stem = schema["text"].analyzer, schema["text_stem"].analyzer
    # What Whoosh's formats ask the analyzers for when a document is added: positions for the
    # surface field (Positions), only the terms for the stem field (Frequency).
    exact_args = {"positions": isinstance(schema["text"].format, Positions), "boosts": True, "mode": "index"}
    stem_args = {"positions": isinstance(schema["text_stem"].format, Positions), "boosts": True, "mode": "index"}

    def index_time(text: str) -> None:
        # what a reindex does to one text: its surface-form field, then its stem field
        for _ in exact(text, **exact_args):
            pass
        for _ in stem(text, **stem_args):
            pass

    hazm = Normalizer()
    variants: dict[str, Callable[[str], Any]] = {
        "analysis": index_time,
        "tokenize": word_tokens,
        "normalize": normalize,
        "hazm_normalizer": hazm.normalize,
    }
    result: dict[str, Any] = {"texts": len(texts), "chars": chars}
    for function in variants.values():
        function(texts[0])  # warm: the lexicon and hazm's word lists load once
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    # The variants take turns within each run, so a change in the machine's load falls on all
    # of them alike; each is timed in CPU seconds of this (single-threaded) process, which the
    # load of other processes on a shared machine does not inflate.
    for _ in range(args["runs"]):
        for name, function in variants.items():
            # Every run is a first pass over these texts, as a reindex meets new ones: the stem
            # cache that the warm-up and the runs before filled would make later runs unrealistically fast.
            clear_cache()
            started = time.process_time()
            for text in texts:
                function(text)
            seconds[name].append(time.process_time() - started)
    for name, timed in seconds.items():
        result[f"{name}_chars_per_s"] = chars / median(timed)
    digest = hashlib.sha256()
    for text in texts:
        for analyzer in (exact, stem):
            digest.update("\x1f".join(f"{t.text}@{t.pos}" for t in analyzer(text, positions=True)).encode())
            digest.update(b"\x1e")
    result["tokens_sha256"] = digest.hexdigest()[:16]
    return result


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "reindex_kavosh": reindex_kavosh,
    "reindex_whoosh": reindex_whoosh,
    "reindex_fts5": _reindex_peer(peers.fts5_build),
    "reindex_tantivy": _reindex_peer(peers.tantivy_build),
    "query_kavosh": query_kavosh,
    "query_fts5": query_fts5,
    "query_tantivy": query_tantivy,
    "analysis": analysis,
}
