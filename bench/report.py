"""The results: machine, versions and date; the targets; one Markdown table."""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.stats import ratio

ROOT = Path(__file__).resolve().parents[1]
#: Score regularization's p95 cost (issue 20: "p95 with facets at 100k no worse than today's"):
#: on ÷ off at most this, about what the off passes alone vary by on a shared machine.
REGULARIZATION_P95 = 1.05


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as handle:
        cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "system": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "kavosh": commit,
        "python": platform.python_version(),
        "whoosh": _version("whoosh-reloaded"),
        "hazm": _version("hazm"),
        "sqlite": sqlite3.sqlite_version,
        "tantivy": _version("tantivy"),
        "gunicorn": _version("gunicorn"),
    }


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issue 6: wanted, measured, met (``None`` when not measured in this run)."""
    rows: list[dict[str, Any]] = []

    def add(name: str, measured: float | None, wanted: float, higher_is_better: bool, unit: str) -> None:
        met = None if measured is None else (measured >= wanted if higher_is_better else measured <= wanted)
        rows.append(
            {
                "target": name,
                "wanted": f"{'≥' if higher_is_better else '≤'} {wanted:g}{unit}",
                "measured": None if measured is None else round(measured, 2),
                "unit": unit,
                "met": met,
            }
        )

    analysis = results.get("analysis") or {}
    add("analysis chars/s ÷ hazm Normalizer", analysis.get("ratio_vs_hazm"), 6, True, "×")
    for size in results.get("sizes", []):
        docs = size["docs"]
        engines = {name: r for name, r in size.get("reindex", {}).items() if "error" not in r}
        kavosh = engines.get("kavosh")
        best = engines.get("kavosh-procs") or kavosh
        bare = engines.get("whoosh")
        if best and bare:
            add(
                f"{docs} docs: reindex docs/s ÷ bare Whoosh",
                ratio(best["docs_per_s"], bare["docs_per_s"]),
                0.8,
                True,
                "×",
            )
        if kavosh and engines.get("kavosh-procs"):
            add(
                f"{docs} docs: reindex both cores ÷ one process",
                ratio(engines["kavosh-procs"]["docs_per_s"], kavosh["docs_per_s"]),
                1.5,
                True,
                "×",
            )
        query = size.get("query", {}).get("kavosh")
        if query:
            add(f"{docs} docs: query p95 with facets", query["p95_ms"], 50 if docs <= 20_000 else 250, False, " ms")
        if query and "regularization" in query:  # issue 20: ranking stays within the query budget
            add(f"{docs} docs: query p95, score regularization on ÷ off", query["regularization"]["p95_ms"],
                REGULARIZATION_P95, False, "×")  # fmt: skip
        if best and docs >= 100_000:
            add(f"{docs} docs: reindex peak memory", best["peak_mb"], 1536, False, " MB")
        for name, row in size.get("cluster", {}).items():
            if name == "whoosh" or "ratios" not in row:
                continue
            label = f"{docs} docs: {_backend(name)}"
            add(f"{label}: reindex docs/s ÷ Whoosh backend's", row["ratios"]["docs_per_s"], 1, True, "×")
            if docs >= 100_000:
                add(f"{label}: query p95 ÷ Whoosh backend's", row["ratios"]["p95_ms"], 0.5, False, "×")
    command = results.get("cli")
    if command:
        add(f"{command['docs']} docs: `kavosh search WORD` before ÷ now", command["speedup"], 5, True, "×")
    web = results.get("web")
    if web:
        many, one = web["concurrent"], web["single"]
        add(f"web {many['clients']} clients: errors", many["errors"], 0, False, "")
        add(
            f"web {many['clients']} clients p95 ÷ single-client p95",
            ratio(many["p95_ms"], one["p95_ms"]),
            3,
            False,
            "×",
        )
    return rows


def _backend(name: str) -> str:
    """``opensearch-3`` as 'OpenSearch, 3 nodes'.

    >>> _backend("opensearch-1"), _backend("whoosh")
    ('OpenSearch, 1 node', 'Whoosh')
    """
    if name.startswith("opensearch-"):
        nodes = int(name.rsplit("-", 1)[1])
        return f"OpenSearch, {nodes} node{'s' if nodes > 1 else ''}"
    return name.capitalize()


def cluster_table(results: dict[str, Any]) -> list[str]:
    """The cluster section: each backend's reindex and query figures and their ratios to Whoosh's."""
    sizes = [size for size in results.get("sizes", []) if size.get("cluster")]
    if not sizes:
        return []
    lines = [
        "",
        "Kavosh on the Whoosh backend and on OpenSearch (same documents, same queries with facets, snippets and "
        "feedback; cores: CPU seconds of the reindex and its workers, and of the cluster's JVMs, ÷ wall seconds):",
        "",
        "| docs | backend | docs/s | ×Whoosh | cores used (Python + cluster) | index MB | query p50 ms "
        "| query p95 ms | p50 ×Whoosh | p95 ×Whoosh | load average |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in sizes:
        for name, row in size["cluster"].items():
            if "error" in row:
                lines.append(f"| {size['docs']:,} | {_backend(name)} | {row['error']} |||||||||")
                continue
            r, q, x = row["reindex"], row["query"], row.get("ratios", {})
            cores = _f(r.get("cores"), 2)
            if "python_cores" in r:
                cores += f" ({_f(r['python_cores'], 2)} + {_f(r['cluster_cores'], 2)})"
            load = ", ".join(f"{v:g}" for v in row.get("load_average", []))
            lines.append(
                f"| {size['docs']:,} | {_backend(name)} | {_f(r.get('docs_per_s'), 1)} | {_f(x.get('docs_per_s'), 2)} "
                f"| {cores} | {_f(r.get('index_mb'), 1)} | {_f(q.get('p50_ms'), 1)} | {_f(q.get('p95_ms'), 1)} "
                f"| {_f(x.get('p50_ms'), 2)} | {_f(x.get('p95_ms'), 2)} | {load} |"
            )
    return lines


def regularization_table(results: dict[str, Any]) -> list[str]:
    """Kavosh's queries with score regularization off and on, taking turns on the same index."""
    sizes = [size for size in results.get("sizes", []) if "regularization" in size.get("query", {}).get("kavosh", {})]
    if not sizes:
        return []
    lines = [
        "",
        "Score regularization off and on, the same index and queries (facets, snippets), taking turns in one "
        "process (rounds off → on, on → off, …): medians of the timed passes, wall time; CPU: the searching "
        "thread's; re-ranked: searches re-ranked by the neighbours:",
        "",
        "| docs | regularization | p50 ms | p95 ms | p95 of each pass | CPU p50 ms | CPU p95 ms | re-ranked "
        "| load average after |",
        "|---:|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for size in sizes:
        off, on = size["query"]["kavosh-noreg"], size["query"]["kavosh"]
        ratios = on["regularization"]
        load = ", ".join(f"{v:g}" for v in ratios.get("load_average", []))
        for label, row in (("off", off), ("on", on)):
            passes = " / ".join(f"{v:.1f}" for v in row.get("p95_ms_passes", []))
            lines.append(
                f"| {size['docs']:,} | {label} | {_f(row['p50_ms'], 1)} | {_f(row['p95_ms'], 1)} | {passes} "
                f"| {_f(row.get('cpu_p50_ms'), 1)} | {_f(row.get('cpu_p95_ms'), 1)} "
                f"| {row.get('reranked', '—')} of {row.get('searches', '—')} | {load if label == 'on' else ''} |"
            )
        p50, p95 = _f(ratios["p50_ms"], 3), _f(ratios["p95_ms"], 3)
        lines.append(f"| {size['docs']:,} | on ÷ off | {p50}× | {p95}× | | | | | |")
    return lines


def _f(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(results: dict[str, Any]) -> str:
    """The results as Markdown: engines by corpus size, then analysis, web and targets."""
    lines = [
        f"Benchmark {results['date']} · {results['machine']['cpu']} · {results['machine']['cores']} cores · "
        f"load {results['machine']['load_average']} · medians of {results['runs']} runs",
    ]
    if any(size.get("reindex") or size.get("query") for size in results.get("sizes", [])):
        lines += [
            "",
            "| docs | engine | docs/s | chars/s | ×bare Whoosh | cores used | peak MB | index MB | query p50 ms "
            "| query p95 ms |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
    for size in results.get("sizes", []):
        reindex, query = size.get("reindex", {}), size.get("query", {})
        bare = reindex.get("whoosh", {}).get("docs_per_s")
        for engine in dict.fromkeys([*reindex, *query]):
            r, q = reindex.get(engine, {}), query.get(engine, {})
            if "error" in r:
                lines.append(f"| {size['docs']:,} | {engine} | {r['error']} ||||||||")
                continue
            lines.append(
                f"| {size['docs']:,} | {engine} | {_f(r.get('docs_per_s'), 1)} | {_f(r.get('chars_per_s'))} "
                f"| {_f(ratio(r.get('docs_per_s'), bare), 2)} | {_f(r.get('cores'), 2)} | {_f(r.get('peak_mb'))} "
                f"| {_f(r.get('index_mb'), 1)} | {_f(q.get('p50_ms'), 1)} | {_f(q.get('p95_ms'), 1)} |"
            )
    lines += cluster_table(results)
    lines += regularization_table(results)
    analysis = results.get("analysis")
    if analysis:
        lines += [
            "",
            f"Analysis of {analysis['texts']:,} texts ({analysis['chars']:,} characters):",
            "",
            "| analyser | chars/s | ×hazm Normalizer |",
            "|---|---:|---:|",
        ]
        hazm = analysis["hazm_normalizer_chars_per_s"]
        for name in ("analysis", "tokenize", "normalize", "hazm_normalizer"):
            value = analysis[f"{name}_chars_per_s"]
            lines.append(f"| {name} | {_f(value)} | {_f(ratio(value, hazm), 2)} |")
    web = results.get("web")
    if web:
        lines += [
            "",
            f"Web `/api/search` at {web['docs']:,} docs, loopback:",
            "",
            "| clients | seconds | requests/s | p50 ms | p95 ms | errors |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for row in (web["single"], web["concurrent"]):
            lines.append(
                f"| {row['clients']} | {_f(row['seconds'], 0)} | {_f(row['rps'], 1)} | {_f(row['p50_ms'], 1)} "
                f"| {_f(row['p95_ms'], 1)} | {row['errors']} |"
            )
    command = results.get("cli")
    if command:
        lines += [
            "",
            f"`kavosh search {command['word']}` at {command['docs']:,} docs, a new process each run "
            "(before: no cached word lists, vocabulary counted by the command):",
            "",
            "| run | seconds | CPU s |",
            "|---|---:|---:|",
        ]
        for name, label in (("before", "before (cold)"), ("first", "now, first run (fills the cache)"), ("now", "now")):
            row = command[name]
            lines.append(f"| {label} | {_f(row['seconds'], 2)} | {_f(row['cpu_s'], 2)} |")
        lines.append(f"| before ÷ now | {_f(command['speedup'], 2)}× | {_f(command['speedup_cpu'], 2)}× |")
    rows = results.get("targets") or []
    if rows:
        lines += ["", "| target | wanted | measured | met |", "|---|---|---:|---|"]
        for row in rows:
            met = {True: "yes", False: "**no**", None: "not measured"}[row["met"]]
            measured = "—" if row["measured"] is None else f"{_f(row['measured'], 2)}{row['unit']}"
            lines.append(f"| {row['target']} | {row['wanted']} | {measured} | {met} |")
    return "\n".join(lines) + "\n"
