"""The bench's own OpenSearch clusters: started and stopped by their PIDs around a measurement.

``cluster/nodes.sh`` starts the nodes (as ``make cluster`` does) in a folder and on ports of the
bench's own, so a bench never touches the cluster the tests or other work use: 3 nodes on HTTP
9220-9222 (transport 9320-9322), 1 node on 9230 (9330), each in ``var/bench/cluster-N``. The
nodes' CPU time is read from ``/proc`` by their PIDs, so the bench can say how many cores a
reindex used, the cluster's share included.

>>> layout(3).urls
('http://127.0.0.1:9220', 'http://127.0.0.1:9221', 'http://127.0.0.1:9222')
>>> layout(1).env()["KAVOSH_CLUSTER_TRANSPORT_PORT"]
'9330'
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODES_SH = ROOT / "cluster" / "nodes.sh"
#: First HTTP and transport port of a cluster of N nodes (nodes take consecutive ports).
PORTS = {1: (9230, 9330), 3: (9220, 9320)}
HEAP = "512m"  # as ``make cluster``'s nodes


@dataclass(frozen=True)
class Layout:
    """Where a bench cluster of ``nodes`` nodes lives and listens."""

    nodes: int
    http: int
    transport: int
    folder: Path

    @property
    def name(self) -> str:
        return f"kavosh-bench-{self.nodes}"

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(f"http://127.0.0.1:{self.http + n}" for n in range(self.nodes))

    def env(self) -> dict[str, str]:
        """The variables ``cluster/nodes.sh`` reads for this cluster."""
        return nodes_env(self.folder, self.http, self.transport, self.name, os.environ.get("KAVOSH_BENCH_HEAP", HEAP))


def nodes_env(folder: Path, http: int, transport: int, name: str, heap: str | None = None) -> dict[str, str]:
    """The variables ``cluster/nodes.sh`` reads to start or stop a cluster of its own beside
    ``make cluster``'s: its folder, first HTTP and transport ports, cluster name (and heap).
    The bench's clusters and the tests' private ones (``tests/opensearch_cluster.py``) use it.

    >>> nodes_env(Path("/tmp/c"), 9210, 9310, "kavosh-x")["KAVOSH_CLUSTER_HTTP_PORT"]
    '9210'
    """
    env = {
        "KAVOSH_CLUSTER_DIR": str(folder),
        "KAVOSH_CLUSTER_HTTP_PORT": str(http),
        "KAVOSH_CLUSTER_TRANSPORT_PORT": str(transport),
        "KAVOSH_CLUSTER_NAME": name,
    }
    if heap is not None:
        env["KAVOSH_CLUSTER_HEAP"] = heap
    return env


def layout(nodes: int, root: Path = ROOT / "var" / "bench") -> Layout:
    """The bench's cluster of ``nodes`` nodes (1 or 3)."""
    if nodes not in PORTS:
        raise ValueError(f"a bench cluster has 1 or 3 nodes, not {nodes}")
    http, transport = PORTS[nodes]
    return Layout(nodes, http, transport, root / f"cluster-{nodes}")


def pids(place: Layout) -> list[int]:
    """The PIDs the nodes wrote (``node-N.pid``)."""
    found = []
    for path in sorted(place.folder.glob("node-*.pid")):
        try:
            found.append(int(path.read_text().strip()))
        except (OSError, ValueError):
            continue
    return found


def cpu_seconds(process_ids: list[int]) -> float:
    """User + system CPU seconds the processes used so far (``/proc/PID/stat``); 0 for one gone.

    >>> cpu_seconds([os.getpid()]) > 0
    True
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in process_ids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def _nodes_sh(place: Layout, *args: str) -> None:
    env = {**os.environ, **place.env()}
    done = subprocess.run(["bash", str(NODES_SH), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"cluster/nodes.sh {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    print(done.stdout.strip(), file=sys.stderr, flush=True)


@contextmanager
def running(nodes: int) -> Iterator[Layout]:
    """A fresh bench cluster of ``nodes`` nodes (its old data removed), stopped by PID afterwards."""
    import shutil

    place = layout(nodes)
    if not (ROOT / "cluster" / "target" / "classpath.txt").exists():
        raise RuntimeError("the cluster section needs cluster/ built: run `make cluster/target/.built` first")
    _nodes_sh(place, "stop")  # a cluster a killed bench left behind
    shutil.rmtree(place.folder, ignore_errors=True)
    try:
        _nodes_sh(place, "start", str(nodes))
        yield place
    finally:
        _nodes_sh(place, "stop")
        shutil.rmtree(place.folder, ignore_errors=True)
