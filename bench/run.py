"""``python -m bench``: prepare the corpus, run the sections, write ``var/bench/``."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import cli, cluster, corpus, queries, report, web
from bench.measure import folder_bytes, run_child, wait_quiet
from bench.stats import median_runs, ratio

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("analysis", "reindex", "query", "web", "cli", "cluster")
#: What runs unless ``--only`` says otherwise: the cluster section needs Java and starts JVMs.
DEFAULT_SECTIONS = ("analysis", "reindex", "query", "web", "cli")
HAMSHAHRI_QUERIES = corpus.SHARED / "eval/hamshahri/queries.tsv"
SHARD = 250  # articles a file in the corpus Kavosh and bare Whoosh read
#: Untimed passes of the mix before the cluster section times one, on every backend alike. A node's
#: JVM compiles its hot code after thousands of calls: on a fresh 3-node cluster the nodes' CPU per
#: request fell from 33 to 13 ms over the first ~250 requests (12k, docs/scaling.md), so one pass
#: timed a cluster still compiling. Whoosh's figures do not move after the first (nothing to compile).
CLUSTER_WARM_PASSES = 3
#: The query section's Kavosh row for each mode of score regularization (``search.neighbours``).
REGULARIZED = {"off": "kavosh-noreg", "on": "kavosh"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="Seconds: the sample corpus (corpus/), one run, short web load (for CI)."
    )
    parser.add_argument(
        "--corpus", nargs="+", type=Path, help="Files or folders to read (default: the shared corpora in ../shared)."
    )
    parser.add_argument(
        "--docs",
        default="all",
        help="Comma-separated corpus sizes: 'all' (every article read) or a number; "
        "more than exist are made from real sentences (e.g. all,100000).",
    )
    parser.add_argument(
        "--only",
        default=",".join(DEFAULT_SECTIONS),
        help=f"Sections to run, of {','.join(SECTIONS)} (default: all but cluster).",
    )
    parser.add_argument(
        "--cluster-nodes",
        default="1,3",
        help="Section cluster: the OpenSearch clusters to start, by number of nodes (1 and/or 3).",
    )
    parser.add_argument(
        "--engines",
        help="Comma-separated engines to reindex and query (default all: kavosh,kavosh-procs,whoosh,fts5,tantivy).",
    )
    parser.add_argument("--runs", type=int, default=3, help="Runs of each figure; the median is reported.")
    parser.add_argument(
        "--reindex-runs", type=int, help="Runs of each reindex (default: --runs); they are the slow part."
    )
    parser.add_argument("--procs", type=int, default=2, help="Processes for the multi-core Kavosh reindex.")
    parser.add_argument(
        "--regularize",
        default="off,on",
        help="Section query: Kavosh's score regularization in these modes, taking turns on the same index "
        "(off,on: rows kavosh-noreg and kavosh, and their ratio; on: the kavosh row alone).",
    )
    parser.add_argument("--queries", type=int, default=100, help="Queries in the mix besides Hamshahri's.")
    parser.add_argument("--analysis-docs", type=int, default=2000, help="Articles timed by the analysis section.")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent web clients.")
    parser.add_argument("--web-seconds", type=float, help="Duration of each web load (default 30, 2 with --quick).")
    parser.add_argument("--cli-word", default="ایران", help="The word of the `kavosh search WORD` row (section cli).")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--keep",
        type=Path,
        help="Prepare each size in DIR/docs-SIZE and keep it (corpus and indexes); a later run with the same "
        "DIR, sizes and seed reuses the corpus, and without 'reindex' in --only, the indexes found there.",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench", help="Where results go.")
    args = parser.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    args.engines = [e.strip() for e in args.engines.split(",")] if args.engines else None
    modes = [m.strip() for m in args.regularize.split(",") if m.strip()]
    if not modes or set(modes) - set(REGULARIZED) or len(set(modes)) < len(modes):
        parser.error(f"--regularize: expected off, on or off,on (got {args.regularize!r})")
    args.regularize = modes
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"--only: unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    try:
        args.cluster_nodes = [int(n) for n in args.cluster_nodes.split(",") if n.strip()]
    except ValueError:
        parser.error(f"--cluster-nodes: expected numbers separated by commas (got {args.cluster_nodes!r})")
    if set(args.cluster_nodes) - set(cluster.PORTS):
        parser.error(f"--cluster-nodes: a bench cluster has {' or '.join(map(str, cluster.PORTS))} nodes")
    if args.quick:
        args.corpus = args.corpus or [corpus.SAMPLE_CORPUS]
        args.runs, args.queries, args.analysis_docs = 1, 12, 200
    if args.web_seconds is None:  # a --web-seconds given beside --quick is kept (tests/test_bench.py: 1 s)
        args.web_seconds = 2.0 if args.quick else 30.0
    try:
        args.sizes = [None if s.strip() == "all" else int(s) for s in args.docs.split(",")]
    except ValueError:
        parser.error(f"--docs: expected 'all' or numbers separated by commas (got {args.docs!r})")
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def engines(args: argparse.Namespace) -> dict[str, tuple[str, dict[str, Any]]]:
    """Reindex tasks by engine name: (task, extra arguments)."""
    table: dict[str, tuple[str, dict[str, Any]]] = {"kavosh": ("reindex_kavosh", {"procs": 1})}
    if args.procs > 1:
        table["kavosh-procs"] = ("reindex_kavosh", {"procs": args.procs})
    table["whoosh"] = ("reindex_whoosh", {})
    table["fts5"] = ("reindex_fts5", {})
    if importlib.util.find_spec("tantivy"):
        table["tantivy"] = ("reindex_tantivy", {})
    else:
        log("tantivy is not installed (pip install -e '.[bench]'): skipped")
    if args.engines:
        table = {name: task for name, task in table.items() if name in args.engines}
    return table


def reindex_section(
    args: argparse.Namespace, work: Path, files: dict[str, Path], chars: int, runs: int
) -> dict[str, Any]:
    """Every engine ``runs`` times, interleaved so load on the machine falls on all alike."""
    table = engines(args)
    if args.keep and "reindex" not in args.only:  # the index of an earlier run is searched again
        kept = {name for name in table if _index_of(work, _family(name)) is not None}
        for name in sorted(kept):
            log(f"reindex {name}: kept index {_index_of(work, _family(name))} reused")
        table = {name: task for name, task in table.items() if name not in kept}
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in table}
    for run in range(runs):
        for name, (task, extra) in table.items():
            index = work / f"index-{name}"
            shutil.rmtree(index, ignore_errors=True)
            source = files["peer"] if name in ("fts5", "tantivy") else files["articles"]
            log(f"reindex {name} run {run + 1}/{runs}")
            wait_quiet()
            try:
                out = run_child(task, {"corpus": str(source), "index": str(index), **extra})
            except RuntimeError as err:
                log(str(err))
                out = {"error": str(err).splitlines()[0]}
            if "error" in out:
                results[name] = [out]
                continue
            out["index_mb"] = folder_bytes(index) / 2**20
            out["docs_per_s"] = out["docs"] / out["seconds"]
            out["chars_per_s"] = chars / out["seconds"]
            results[name].append(out)
    return {name: rs[0] if "error" in rs[0] else median_runs(rs) for name, rs in results.items() if rs}


def query_section(args: argparse.Namespace, work: Path, mix: list[queries.Query]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, task in (("kavosh", "query_kavosh"), ("fts5", "query_fts5"), ("tantivy", "query_tantivy")):
        index = _index_of(work, name)
        if index is None or (args.engines and name not in map(_family, args.engines)):  # a kept one not asked for
            continue
        feed = {"index": str(index), "mix": queries.to_json(mix), "passes": args.runs}
        if name != "kavosh":
            log(f"query {name}: {len(mix)} queries × {args.runs} passes")
            out[name] = run_child(task, feed)
            continue
        log(f"query {name}: {len(mix)} queries × {args.runs} passes, regularization {' and '.join(args.regularize)}")
        out.update(kavosh_rows(run_child(task, {**feed, "regularize": args.regularize}), _load()))
    return out


def kavosh_rows(measured: dict[str, Any], load: list[float]) -> dict[str, Any]:
    """The query task's modes as rows (``REGULARIZED``); the regularized row has, when both ran,
    ``regularization``: its p50 and p95 ÷ the unregularized row's, and the machine's load after.

    >>> rows = kavosh_rows({"modes": {"off": {"p50_ms": 10.0, "p95_ms": 40.0},
    ...                               "on": {"p50_ms": 11.0, "p95_ms": 42.0}}, "peak_mb": 90}, [1.0])
    >>> sorted(rows), rows["kavosh"]["regularization"], rows["kavosh-noreg"]["peak_mb"]
    (['kavosh', 'kavosh-noreg'], {'p50_ms': 1.1, 'p95_ms': 1.05, 'load_average': [1.0]}, 90)
    """
    modes = measured.pop("modes")
    rows = {REGULARIZED[mode]: {**measured, **row} for mode, row in modes.items()}
    if "off" in modes and "on" in modes:
        rows["kavosh"]["regularization"] = {
            "p50_ms": round(modes["on"]["p50_ms"] / modes["off"]["p50_ms"], 3),
            "p95_ms": round(modes["on"]["p95_ms"] / modes["off"]["p95_ms"], 3),
            "load_average": load,
        }
    return rows


def _family(engine: str) -> str:
    """The engine whose index ``engine`` builds: Kavosh with processes builds Kavosh's."""
    return "kavosh" if engine == "kavosh-procs" else engine


def _index_of(work: Path, name: str) -> Path | None:
    """The index an engine built in this run (Kavosh's from either reindex)."""
    names = [name, f"{name}-procs"] if name == "kavosh" else [name]
    return next((work / f"index-{n}" for n in names if (work / f"index-{n}").exists()), None)


def web_section(args: argparse.Namespace, work: Path, mix: list[queries.Query], docs: int) -> dict[str, Any]:
    urls = web.paths(mix)
    singles, many = [], []
    index = _index_of(work, "kavosh")
    if index is None:
        raise RuntimeError("the web section needs a Kavosh index: keep kavosh or kavosh-procs in --engines")
    with web.server(index) as port:
        web.load(port, urls, 1, min(3.0, args.web_seconds))  # warm the server's caches
        for run in range(args.runs):
            log(f"web run {run + 1}/{args.runs}: 1 client, then {args.clients} clients, {args.web_seconds:g} s each")
            singles.append(web.load(port, urls, 1, args.web_seconds))
            many.append(web.load(port, urls, args.clients, args.web_seconds))
    single, concurrent = median_runs(singles), median_runs(many)
    concurrent["errors"] = sum(r["errors"] for r in many)  # any error in any run counts
    return {"docs": docs, "single": single, "concurrent": concurrent}


def cluster_section(
    args: argparse.Namespace,
    work: Path,
    files: dict[str, Path],
    chars: int,
    mix: list[queries.Query],
    measured: dict[str, Any],
    keep: Callable[[dict[str, Any]], None] = lambda rows: None,
) -> dict[str, Any]:
    """The same documents and queries on the Whoosh backend and on OpenSearch clusters of 1 and 3 nodes.

    Whoosh's figures are the reindex and query sections' of this run when they ran (Kavosh with
    ``--procs`` processes), else measured here first. Each cluster is started fresh, loaded by
    ``kavosh reindex`` with the same processes, asked the same mix, and stopped. ``keep`` is
    given the rows measured so far after each backend (a long run stopped part-way keeps them).
    """
    rows: dict[str, Any] = {}
    reindexed = measured.get("reindex", {}).get("kavosh-procs") or measured.get("reindex", {}).get("kavosh")
    index = _index_of(work, "kavosh")
    if reindexed is None or "error" in reindexed or index is None:
        index = work / "index-kavosh-procs"
        shutil.rmtree(index, ignore_errors=True)
        log(f"cluster: reindex whoosh, {args.procs} processes")
        wait_quiet()
        feed = {"corpus": str(files["articles"]), "index": str(index), "procs": args.procs}
        reindexed = run_child("reindex_kavosh", feed)
        reindexed["index_mb"] = folder_bytes(index) / 2**20
    asked = measured.get("query", {}).get("kavosh")
    if asked is None:
        log(f"cluster: query whoosh, {len(mix)} queries × {args.runs} passes")
        asked = run_child("query_kavosh", {"index": str(index), "mix": queries.to_json(mix), "passes": args.runs,
                                           "warm": CLUSTER_WARM_PASSES})  # fmt: skip
    rows["whoosh"] = {"reindex": reindexed, "query": asked, "load_average": _load()}
    keep(_with_speeds(rows, chars))
    for nodes in args.cluster_nodes:
        name = f"opensearch-{nodes}"
        log(f"cluster: starting {nodes} node(s)")
        try:
            with cluster.running(nodes) as place:
                log(f"cluster: reindex {name}, {args.procs} processes")
                wait_quiet()
                feed = {"corpus": str(files["articles"]), "opensearch": place.urls, "procs": args.procs}
                reindexed = run_child("reindex_kavosh", {**feed, "cluster_pids": cluster.pids(place)})
                log(f"cluster: query {name}, {len(mix)} queries × {args.runs} passes")
                asked = run_child("query_kavosh", {"opensearch": place.urls, "mix": queries.to_json(mix),
                                                   "passes": args.runs, "warm": CLUSTER_WARM_PASSES})  # fmt: skip
        except RuntimeError as err:
            log(str(err))
            rows[name] = {"error": str(err).splitlines()[0]}
        else:
            rows[name] = {"reindex": reindexed, "query": asked, "load_average": _load()}
        keep(_with_speeds(rows, chars))
    return _with_speeds(rows, chars)


def _with_speeds(rows: dict[str, Any], chars: int) -> dict[str, Any]:
    """``rows`` with each reindex's documents/s and characters/s, and the ratios to Whoosh's."""
    for row in rows.values():
        if "reindex" in row:
            row["reindex"]["docs_per_s"] = row["reindex"]["docs"] / row["reindex"]["seconds"]
            row["reindex"]["chars_per_s"] = chars / row["reindex"]["seconds"]
    return cluster_ratios(rows)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cluster_ratios(rows: dict[str, Any]) -> dict[str, Any]:
    """Each backend's reindex docs/s and query p50/p95 divided by the Whoosh backend's.

    >>> rows = {"whoosh": {"reindex": {"docs_per_s": 100.0}, "query": {"p50_ms": 20.0, "p95_ms": 60.0}},
    ...         "opensearch-3": {"reindex": {"docs_per_s": 150.0}, "query": {"p50_ms": 10.0, "p95_ms": 24.0}}}
    >>> cluster_ratios(rows)["opensearch-3"]["ratios"]
    {'docs_per_s': 1.5, 'p50_ms': 0.5, 'p95_ms': 0.4}
    """
    whoosh = rows.get("whoosh", {})
    for row in rows.values():
        if "error" in row:
            continue
        row["ratios"] = {
            "docs_per_s": ratio(row["reindex"].get("docs_per_s"), whoosh.get("reindex", {}).get("docs_per_s")),
            "p50_ms": ratio(row["query"].get("p50_ms"), whoosh.get("query", {}).get("p50_ms")),
            "p95_ms": ratio(row["query"].get("p95_ms"), whoosh.get("query", {}).get("p95_ms")),
        }
    return rows


#: The file of a prepared size that says what its corpus is (``prepare``; ``--keep`` reuses it).
PREPARED = "corpus.json"


def prepare(args: argparse.Namespace, articles: list[Any], size: int | None, work: Path) -> dict[str, Any]:
    """The size's records, written as the engines read them (unless ``work`` already holds the same)."""
    records = corpus.build_records(articles, size, seed=args.seed)
    # Kavosh reads the articles as a corpus of many files, as the real ones are (the work per
    # file is what its processes share); the peers read one file of normalized text.
    files = {"articles": work / "articles", "peer": work / "peer.jsonl"}
    chars = sum(map(corpus.characters, records))
    what = {"docs": len(records), "chars": chars, "seed": args.seed, "ids": [records[0]["id"], records[-1]["id"]]}
    marker = work / PREPARED
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == what:
        log(f"corpus kept in {work} reused")
    else:
        marker.unlink(missing_ok=True)
        for old in [files["articles"], *work.glob("index-*")]:  # indexes of another corpus are not reused
            shutil.rmtree(old, ignore_errors=True)
        for start in range(0, len(records), SHARD):
            corpus.write_jsonl(records[start : start + SHARD], files["articles"] / f"part-{start // SHARD:05d}.jsonl")
        corpus.write_jsonl(map(corpus.peer_record, records), files["peer"])
        marker.write_text(json.dumps(what), encoding="utf-8")  # last: a run stopped part-way writes it again
    return {"records": records, "files": files, "chars": chars}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    paths = args.corpus or corpus.default_paths()
    if not paths:
        log("no corpus: ../shared is absent; use --corpus PATH or --quick (the sample corpus)")
        return 2
    started = time.monotonic()
    log(f"reading {', '.join(map(str, paths))}")
    loaded = corpus.load_articles(paths)
    log(f"{len(loaded.articles):,} articles, {len(loaded.skipped)} skipped")
    results: dict[str, Any] = {
        "date": report.now(),
        "machine": report.machine(),
        "versions": report.versions(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "corpus"},
        "corpus": [str(p) for p in paths],
        "articles_read": len(loaded.articles),
        "skipped": loaded.skipped[:20],
        "skipped_count": len(loaded.skipped),
        "runs": args.runs,
        "sizes": [],
    }
    hamshahri = queries.read_queries(HAMSHAHRI_QUERIES) if HAMSHAHRI_QUERIES.exists() and not args.quick else []
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["KAVOSH_BENCH_CHILDREN"] = str(args.out / "children.jsonl")  # read by bench.child
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.out) as tmp:
        work_root = args.keep or Path(tmp)
        for number, size in enumerate(args.sizes):
            work = work_root / f"docs-{size or 'all'}"
            prepared = prepare(args, loaded.articles, size, work)
            records = prepared["records"]
            docs = len(records)
            log(f"corpus of {docs:,} articles, {prepared['chars']:,} characters")
            if number == 0 and "analysis" in args.only:
                sample = [
                    {"text": f"{r['title']}\n\n{r['lead']}\n\n{r['body']}"} for r in records[: args.analysis_docs]
                ]
                corpus.write_jsonl(sample, work / "texts.jsonl")
                log(f"analysis: {len(sample):,} texts × {args.runs} runs")
                analysis = run_child("analysis", {"texts": str(work / "texts.jsonl"), "runs": args.runs})
                analysis["ratio_vs_hazm"] = ratio(
                    analysis["analysis_chars_per_s"], analysis["hazm_normalizer_chars_per_s"]
                )
                results["analysis"] = analysis
            size_result: dict[str, Any] = {"docs": docs, "chars": prepared["chars"]}
            size_result["load_average"] = _load()
            needs_index = any(s in args.only for s in ("reindex", "query", "web", "cli"))
            if needs_index:
                runs = (args.reindex_runs or args.runs) if "reindex" in args.only else 1
                size_result["reindex"] = reindex_section(args, work, prepared["files"], prepared["chars"], runs)
            mix = queries.query_mix(records, hamshahri, args.queries, args.seed)
            if "query" in args.only:
                size_result["query"] = query_section(args, work, mix)
            if "cluster" in args.only:

                def keep(rows: dict[str, Any], size_result: dict[str, Any] = size_result) -> None:
                    # written as each backend ends: a run of hours stopped part-way keeps what it measured
                    partial = {**results, "sizes": [*results["sizes"], {**size_result, "cluster": rows}]}
                    write({**partial, "partial": True, "targets": report.targets(partial)}, args.out, quiet=True)

                size_result["cluster"] = cluster_section(args, work, prepared["files"], prepared["chars"], mix,
                                                         size_result, keep)  # fmt: skip
                size_result["load_average_after"] = _load()
            if "reindex" not in args.only:
                size_result.pop("reindex", None)
            results["sizes"].append(size_result)
            if len(args.sizes) > 1:  # a long run's finished sizes are kept if a later one fails
                write({**results, "partial": True, "targets": report.targets(results)}, args.out, quiet=True)
            if number == 0 and "web" in args.only:
                results["web"] = web_section(args, work, mix, docs)
            if number == 0 and "cli" in args.only:
                index = _index_of(work, "kavosh")
                if index is None:
                    raise RuntimeError("the cli section needs a Kavosh index: keep kavosh or kavosh-procs in --engines")
                log(f"cli: kavosh search {args.cli_word} × {args.runs}, now and before")
                results["cli"] = {"docs": docs, **cli.measure(index, work, args.cli_word, args.runs)}
            del records, prepared
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    results["targets"] = report.targets(results)
    results["seconds"] = round(time.monotonic() - started, 1)
    write(results, args.out)
    return 0


def write(results: dict[str, Any], out: Path, quiet: bool = False) -> None:
    stamp = results["date"].replace(":", "").replace("+0000", "Z")
    text = report.table(results)
    for name in (f"bench-{stamp}", "latest"):
        (out / f"{name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        (out / f"{name}.md").write_text(text, encoding="utf-8")
    if quiet:
        return
    print(text)
    log(f"results in {out / 'latest.json'} and {out / 'latest.md'} ({results['seconds']} s)")
