"""Where the OpenSearch tests find a cluster, or why they cannot run.

A cluster is the comma-separated URLs in ``KAVOSH_OPENSEARCH_URL`` (an operator's own cluster),
or else the nodes that ``make cluster`` started, found by the ``node-N.port`` and ``node-N.pid``
files they write under ``var/cluster/`` (``KAVOSH_CLUSTER_DIR`` elsewhere). When none answers,
the cluster tests skip with the reason: no Java, no Maven, or no cluster started. In CI
(``CI=true``, or ``KAVOSH_REQUIRE_CLUSTER=1``) they fail instead: ``.ci/run`` starts the cluster,
so a cluster that is not up there is a broken build, not a missing tool.

Only the standard library (and ``bench.cluster``, which needs no more): the fixtures work before
any OpenSearch client is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cluster import nodes_env

ROOT = Path(__file__).resolve().parents[1]


def required() -> bool:
    """Must the cluster tests run (CI), rather than skip?"""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("KAVOSH_REQUIRE_CLUSTER") == "1"


def cluster_dir() -> Path:
    """Where ``make cluster`` keeps the nodes' PID and port files, data and logs."""
    return Path(os.environ.get("KAVOSH_CLUSTER_DIR") or ROOT / "var" / "cluster")


@dataclass(frozen=True)
class LocalNode:
    """One node started by ``make cluster``: its name, PID and HTTP URL."""

    name: str
    pid: int
    url: str


def local_nodes(folder: Path | None = None) -> list[LocalNode]:
    """The nodes whose ``node-N.port`` file says they serve (a node writes it once started).

    >>> local_nodes(Path("/nonexistent"))
    []
    """
    folder = folder or cluster_dir()
    nodes = []
    for port_file in sorted(folder.glob("node-*.port")):
        name = port_file.stem
        try:
            port = int(port_file.read_text().strip())
            pid = int((folder / f"{name}.pid").read_text().strip())
        except (OSError, ValueError):
            continue  # a node being stopped removes its files: not a node to test against
        nodes.append(LocalNode(name, pid, f"http://127.0.0.1:{port}"))
    return nodes


def split_urls(raw: str) -> list[str]:
    """Comma-separated URLs, as ``KAVOSH_OPENSEARCH_URL`` holds them, trailing slashes dropped.

    >>> split_urls("http://a:9200/, http://b:9200")
    ['http://a:9200', 'http://b:9200']
    >>> split_urls("")
    []
    """
    return [url.strip().rstrip("/") for url in raw.split(",") if url.strip()]


def request(url: str, path: str, body: Any = None, method: str | None = None, timeout: float = 30) -> Any:
    """JSON from ``url + path``; an HTTP error raises ``urllib.error.HTTPError``."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def health(url: str, timeout: float = 5) -> dict[str, Any] | None:
    """``_cluster/health`` of the cluster behind ``url``, or None when nothing answers there."""
    try:
        answer = request(url, "/_cluster/health", timeout=timeout)
    except (OSError, ValueError):  # URLError and refused connections are OSErrors
        return None
    return answer if isinstance(answer, dict) else None


def green_wait() -> float:
    """Seconds a test waits for a cluster to turn green: as long as ``cluster/nodes.sh start`` waits
    (``KAVOSH_CLUSTER_WAIT``, 300 s), for on a loaded CI machine the replicas of the indexes other
    tests write may take minutes to be allocated."""
    return float(os.environ.get("KAVOSH_CLUSTER_WAIT") or 300)


def wait_for_green(url: str, seconds: float | None = None, ask: float = 10, pace: float = 1) -> dict[str, Any]:
    """``_cluster/health`` of the cluster behind ``url`` once it is green, or the last answer when
    ``seconds`` (``green_wait()``) have passed without: not green (``status``, the shards not yet
    allocated), or ``{"error": ...}`` when nothing answered. Each request asks the cluster to wait up
    to ``ask`` s (it answers 408 with the health when it is still not green), and the client waits
    longer than that; a request answered sooner is repeated after ``pace`` s, never in a busy loop."""
    deadline = time.monotonic() + (green_wait() if seconds is None else seconds)
    while True:
        started = time.monotonic()
        wait = max(1, round(min(ask, deadline - started)))
        try:
            last = request(url, f"/_cluster/health?wait_for_status=green&timeout={wait}s", timeout=wait + 30)
        except urllib.error.HTTPError as error:  # 408: not green within ``wait``; the body is the health
            try:
                last = json.loads(error.read().decode("utf-8"))
            except ValueError:
                last = {"error": f"HTTP {error.code} {error.reason}"}
        except (OSError, ValueError) as error:  # refused, timed out, not JSON
            last = {"error": f"{type(error).__name__}: {error}"}
        if not isinstance(last, dict):
            last = {"error": f"not a health answer: {last!r}"}
        if last.get("status") == "green" or time.monotonic() >= deadline:
            return last
        time.sleep(max(0.0, started + pace - time.monotonic()))


def missing_tools() -> str | None:
    """Why ``make cluster`` cannot run here, or None when Java and Maven are on PATH."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if not missing:
        return None
    tools = " and ".join(missing)
    return f"{tools} not on PATH: the OpenSearch cluster tests need Java 17 and Maven for `make cluster`"


def find_cluster() -> tuple[list[str], str]:
    """(the URLs of a cluster that answers, "") or ([], why there is none)."""
    urls = split_urls(os.environ.get("KAVOSH_OPENSEARCH_URL", ""))
    if urls:
        if any(health(url) for url in urls):
            return urls, ""
        return [], f"KAVOSH_OPENSEARCH_URL={','.join(urls)} does not answer"
    nodes = local_nodes()
    if nodes and any(health(node.url) for node in nodes):
        return [node.url for node in nodes], ""
    none = f"no OpenSearch cluster is running (no node answers from {cluster_dir()}): start one with `make cluster`"
    return [], missing_tools() or none


def free_ports(count: int, first_http: int = 9210, last_http: int = 9290) -> tuple[int, int]:
    """(first HTTP port, first transport port) of ``count`` free consecutive ports each, beside the
    shared cluster's 9200/9300: HTTP in 9210..9290, transport the same + 100."""
    for http in range(first_http, last_http + 1, 10):
        ports = [*range(http, http + count), *range(http + 100, http + 100 + count)]
        if all(_free(port) for port in ports):
            return http, http + 100
    raise RuntimeError(f"no {count} free ports from {first_http} to {last_http + count - 1} (and +100)")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass(frozen=True)
class PrivateCluster:
    """A cluster of its own that a test may kill nodes of, started by ``cluster/nodes.sh``."""

    folder: Path
    http: int
    transport: int
    name: str

    def env(self) -> dict[str, str]:
        return {**os.environ, **nodes_env(self.folder, self.http, self.transport, self.name)}

    def start(self, count: int = 3) -> list[LocalNode]:
        """Start the nodes that are not running and wait for green (``nodes.sh`` fails otherwise)."""
        run = subprocess.run([str(ROOT / "cluster" / "nodes.sh"), "start", str(count)], env=self.env(),
                             capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
        if run.returncode != 0:
            raise RuntimeError(f"cluster/nodes.sh start failed:\n{run.stdout}{run.stderr}")
        # Green counts a node once it joins by transport; it writes its port file only once it
        # serves HTTP, which can come a moment later: wait (bounded) until every node's file is there.
        deadline = time.monotonic() + 60
        while len(nodes := local_nodes(self.folder)) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        if len(nodes) < count:
            raise RuntimeError(f"{self.folder}: {len(nodes)} of {count} nodes wrote their port file within 60 s")
        return nodes

    def stop(self) -> None:
        subprocess.run([str(ROOT / "cluster" / "nodes.sh"), "stop"], env=self.env(),
                       capture_output=True, text=True, timeout=120, check=True)  # fmt: skip


def built() -> str | None:
    """Why ``cluster/nodes.sh`` cannot start nodes here, or None when ``make cluster`` has built it."""
    if not (ROOT / "cluster" / "target" / "classpath.txt").is_file():
        return missing_tools() or "cluster/ is not built: run `make cluster` once"
    return missing_tools()


@contextmanager
def alias_env(alias: str) -> Iterator[None]:
    """``$KAVOSH_OPENSEARCH_ALIAS`` set for the commands run inside (the CLI has no option for it)."""
    before = os.environ.get("KAVOSH_OPENSEARCH_ALIAS")
    os.environ["KAVOSH_OPENSEARCH_ALIAS"] = alias
    try:
        yield
    finally:
        if before is None:
            del os.environ["KAVOSH_OPENSEARCH_ALIAS"]
        else:
            os.environ["KAVOSH_OPENSEARCH_ALIAS"] = before
