"""Where a search's time goes on the cluster: the bench's mix on Whoosh and OpenSearch in turns.

``python -m bench.searchprofile --index DIR --opensearch URL[,URL] --alias A [--alias B ...] --mix
MIX.json`` runs every query of a mix (``bench.queries.to_json``) through ``search.engine.Engine``
with facets and snippets, as the web page asks, on each target in turn (the load of a shared
machine falls on all alike), one warm pass then ``--passes`` timed ones, and prints per target and
kind of query the p50 and p95 of the whole search and, on a cluster, the requests a search made,
the cluster's own ``took`` summed over them and the round trips' wall time (``took`` + HTTP + JSON).
The figures of docs/scaling.md's search profile come from it; nothing in the suite runs it.

>>> percentile([1.0, 2.0, 3.0, 4.0], 50)
2.5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.stats import percentile


class Recorder:
    """Wraps an opensearch-py transport: counts requests, sums ``took`` and the round trips."""

    def __init__(self, transport: Any) -> None:
        self.inner = transport.perform_request
        self.requests = 0
        self.took_ms = 0.0
        self.wall_ms = 0.0
        transport.perform_request = self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = self.inner(*args, **kwargs)
        self.wall_ms += (time.perf_counter() - started) * 1000
        self.requests += 1
        if isinstance(result, dict) and "took" in result:
            self.took_ms += float(result["took"])
        elif isinstance(result, dict) and "responses" in result:  # _msearch
            self.took_ms += float(result.get("took", 0))
        return result

    def reset(self) -> tuple[int, float, float]:
        out = (self.requests, self.took_ms, self.wall_ms)
        self.requests, self.took_ms, self.wall_ms = 0, 0.0, 0.0
        return out


def engines(args: argparse.Namespace) -> dict[str, tuple[Any, Recorder | None]]:
    from backends import Config
    from search.engine import Engine

    found: dict[str, tuple[Any, Recorder | None]] = {}
    if args.index:
        found["whoosh"] = (Engine(args.index), None)
    for alias in args.alias:
        engine = Engine(Config(backend="opensearch", urls=tuple(args.opensearch.split(",")), alias=alias))
        found[f"opensearch:{alias}"] = (engine, Recorder(engine.backend.client.transport))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.searchprofile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", help="a Whoosh index of the same documents")
    parser.add_argument("--opensearch", default="http://127.0.0.1:9200")
    parser.add_argument("--alias", action="append", default=[], help="an OpenSearch alias (repeatable)")
    parser.add_argument("--mix", type=Path, required=True, help="the query mix (JSON, bench.queries.to_json)")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--profile", help="cProfile the timed passes of this target into --profile-out")
    parser.add_argument("--profile-out", type=Path, default=Path("searchprofile.prof"))
    args = parser.parse_args(argv)
    from bench.queries import from_json
    from search.request import from_params

    mix = from_json(json.loads(args.mix.read_text(encoding="utf-8")))
    requests = [from_params(q.params) for q in mix]
    targets = engines(args)
    for engine, _ in targets.values():
        engine.warm_up()
    times: dict[str, dict[str, list[float]]] = {name: {} for name in targets}
    cluster: dict[str, dict[str, list[tuple[int, float, float]]]] = {name: {} for name in targets}
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    load = [os.getloadavg()[0]]
    for number in range(1 + args.passes):
        for engine, recorder in targets.values():
            if recorder is not None:  # a timed search must not be answered from the shards' request cache
                engine.backend.client.indices.clear_cache(index=engine.backend.alias, request=True)
                recorder.reset()
        for query, request in zip(mix, requests, strict=True):
            for name, (engine, recorder) in targets.items():
                if recorder is not None:
                    recorder.reset()
                on = profiler is not None and number > 0 and name == args.profile
                if on:
                    profiler.enable()
                started = time.perf_counter()
                engine.search(request)
                elapsed = (time.perf_counter() - started) * 1000
                if on:
                    profiler.disable()
                if number == 0:
                    continue  # the warm pass
                times[name].setdefault(query.kind, []).append(elapsed)
                times[name].setdefault("all", []).append(elapsed)
                if recorder is not None:
                    figures = recorder.reset()
                    cluster[name].setdefault(query.kind, []).append(figures)
                    cluster[name].setdefault("all", []).append(figures)
        load.append(os.getloadavg()[0])
    if profiler is not None:
        profiler.dump_stats(str(args.profile_out))
    whoosh = times.get("whoosh", {}).get("all")
    print(f"load average during the run: {min(load):.1f}-{max(load):.1f}")
    print("target | kind | n | p50 ms | p95 ms | p95 x whoosh | mean ms | requests | took ms (mean)"
          " | round trips ms (mean) | Python ms (mean: the search less its round trips)")  # fmt: skip
    for name, kinds in times.items():
        for kind in ["all", *sorted(k for k in kinds if k != "all")]:
            ts = kinds[kind]
            base = times.get("whoosh", {}).get(kind) if whoosh else None
            ratio = f"{percentile(ts, 95) / percentile(base, 95):.2f}" if base else "-"
            row = f"{name} | {kind} | {len(ts)} | {percentile(ts, 50):.1f} | {percentile(ts, 95):.1f} | {ratio}"
            row += f" | {statistics.mean(ts):.1f}"
            figures = cluster[name].get(kind)
            if figures:
                trips = statistics.mean(f[2] for f in figures)
                row += (
                    f" | {statistics.mean(f[0] for f in figures):.2f}"
                    f" | {statistics.mean(f[1] for f in figures):.1f}"
                    f" | {trips:.1f} | {statistics.mean(ts) - trips:.1f}"
                )
            print(row)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
