"""Faults on a real three-node cluster: a node SIGKILLed under query load, then the whole cluster down.

The shared cluster (``make cluster``) is used by other test files at the same time, so these tests
start a private cluster of their own with the same tooling (``cluster/nodes.sh``, other ports, another
cluster name) and kill its nodes. With one replica of each shard, searches keep succeeding once the
cluster has rerouted (the replicas of the dead node's primaries promoted): how many failed during
the reroute is reported (printed, and written to ``$KAVOSH_ARTIFACTS/faults.json``), none may fail
after it. ``kavosh stats`` and ``/healthz`` then say yellow. With every node down the site shows a
Persian error page with status 503, the API a JSON error, the CLI one line and a non-zero exit.

Skipped with the reason without Java, Maven or a built ``cluster/``; required in CI.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opensearch_cluster
import pytest
from conftest import CORPUS, Kavosh
from opensearch_cluster import LocalNode, PrivateCluster, request

from app import create_app
from backends import Config
from search.engine import Engine, SearchRequest

QUERIES = ("کتاب", "شهر", "مدرسه", "مردم", "باران")  # words of the sample corpus (corpus/)
LOAD_LIMIT = 2000  # queries at most in one load, whatever happens
LOAD_SECONDS = 300.0  # and seconds at most (a loaded 2-core machine answers a few searches a second)
AFTER = 30  # searches that must all succeed once the cluster has rerouted


@dataclass
class Private:
    """The private cluster, its nodes, and the options that point Kavosh at it."""

    cluster: PrivateCluster
    nodes: list[LocalNode]
    options: list[str] = field(default_factory=list)

    @property
    def urls(self) -> str:
        return ",".join(node.url for node in self.nodes)

    def cluster_config(self) -> Config:
        return Config.from_options("opensearch", opensearch=self.urls)

    def app_config(self) -> dict[str, str]:
        return {"BACKEND": "opensearch", "OPENSEARCH_URL": self.urls}


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory, kavosh: Kavosh) -> Iterator[Private]:
    reason = opensearch_cluster.built()
    if reason:
        if opensearch_cluster.required():
            pytest.fail(f"the fault tests must run here, but {reason}", pytrace=False)
        pytest.skip(reason)
    http, transport = opensearch_cluster.free_ports(3)
    cluster = PrivateCluster(tmp_path_factory.mktemp("faults") / "cluster", http, transport, "kavosh-faults")
    try:
        nodes = cluster.start(3)
        private = Private(cluster, nodes)
        private.options = ["--backend", "opensearch", "--opensearch", private.urls]
        result = kavosh("reindex", str(CORPUS), *private.options, "--quiet")
        assert result.exit_code == 0, result.output
        yield private
    finally:
        cluster.stop()


@dataclass
class Load:
    """Searches in a thread, bounded in count and time; each outcome kept with its time."""

    engine: Engine
    outcomes: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, "" or the error)
    stop: threading.Event = field(default_factory=threading.Event)
    totals: dict[str, int] = field(default_factory=dict)  # each query's total with every node up

    def run(self) -> None:
        started = time.monotonic()
        for number in range(LOAD_LIMIT):
            if self.stop.is_set() or time.monotonic() - started > LOAD_SECONDS:
                return
            query = QUERIES[number % len(QUERIES)]
            try:
                total = self.engine.search(SearchRequest(query=query, limit=5))["total"]
                # a search that "succeeds" with part of the shards missing is a failure too
                error = "" if total == self.totals[query] else f"{total} hits instead of {self.totals[query]}"
            except Exception as err:  # every failure counts, whatever its kind: that is the measurement
                error = f"{type(err).__name__}: {err}"
            self.outcomes.append((time.monotonic(), error))

    def between(self, start: float, end: float = float("inf")) -> list[str]:
        return [error for moment, error in self.outcomes if start <= moment < end]


def _health(node: LocalNode) -> dict[str, Any]:
    answer: dict[str, Any] = request(node.url, "/_cluster/health", timeout=5)
    return answer


def _victim(nodes: list[LocalNode]) -> LocalNode:
    """The node to kill: not the elected manager, holding a copy of Kavosh's indexes, a primary
    when one is there (its replica is then promoted). With one shard (``KAVOSH_OPENSEARCH_SHARDS=1``)
    the index and its replica are on two of the three nodes, so one of them is never the manager."""
    manager = request(nodes[0].url, "/_cat/cluster_manager?format=json")[0]["node"]
    shards = request(nodes[0].url, "/_cat/shards?format=json")
    copies = [s for s in shards if not s["index"].startswith(".") and s["node"] != manager]
    chosen = min(copies, key=lambda s: s["prirep"] != "p")["node"]
    return next(n for n in nodes if n.name == chosen)


def _report(figures: dict[str, Any]) -> None:
    print("faults:", json.dumps(figures))
    folder = os.environ.get("KAVOSH_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "faults.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")


def test_sigkill_one_node_under_load_then_yellow(private: Private, kavosh: Kavosh) -> None:
    engine = Engine(private.cluster_config())
    load = Load(engine, totals={q: engine.search(SearchRequest(query=q, limit=5))["total"] for q in QUERIES})
    assert all(load.totals.values()), load.totals  # every query finds something
    thread = threading.Thread(target=load.run, daemon=True)
    thread.start()
    while len(load.outcomes) < 20 and thread.is_alive():  # the load is running before the kill
        time.sleep(0.05)
    victim = _victim(private.nodes)
    survivors = [n for n in private.nodes if n is not victim]
    killed = time.monotonic()
    os.kill(victim.pid, signal.SIGKILL)
    deadline = killed + 90
    health: dict[str, Any] = {}
    while time.monotonic() < deadline:  # rerouted: the node is gone and every primary is active
        try:
            health = _health(survivors[0])
        except OSError:  # a loaded survivor may not answer within 5 s while it reroutes: ask again
            time.sleep(0.1)  # one that refuses at once would otherwise be asked in a busy loop
            continue
        if health["number_of_nodes"] == 2 and health["status"] == "yellow":
            break
        time.sleep(0.1)
    rerouted = time.monotonic()
    assert health.get("status") == "yellow" and health["number_of_nodes"] == 2, health
    done_before = len(load.outcomes)
    while len(load.outcomes) < done_before + AFTER and thread.is_alive():
        time.sleep(0.05)
    load.stop.set()
    thread.join(timeout=30)
    during, after = load.between(killed, rerouted), load.between(rerouted)
    _report({
        "killed": victim.name,
        "reroute_seconds": round(rerouted - killed, 2),
        "searches_during_reroute": len(during),
        "failed_during_reroute": sum(1 for e in during if e),
        "errors_during_reroute": sorted({e for e in during if e})[:5],
        "searches_after": len(after),
        "failed_after": sum(1 for e in after if e),
    })  # fmt: skip
    assert len(after) >= AFTER
    assert [e for e in after if e] == []

    stats = kavosh("stats", *private.options, "--json")
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["health"] == "yellow"
    app = create_app(private.app_config())
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200  # yellow still serves every search
    assert answer.get_json()["status"] == "yellow"


def test_cluster_down_is_a_clear_error_everywhere(private: Private, kavosh: Kavosh) -> None:
    app = create_app(private.app_config())
    client = app.test_client()
    assert client.get("/?q=کتاب").status_code == 200  # up: the app works
    private.cluster.stop()

    page = client.get("/?q=کتاب")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "Traceback" not in html
    assert "دسترس" in html  # «در دسترس نیست»: the Persian error page
    api = client.get("/api/search?q=کتاب")
    assert api.status_code == 503
    assert api.is_json and set(api.get_json()) == {"error"}
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["status"] == "unavailable"

    for args in (("search", "کتاب"), ("stats",)):
        result = kavosh(*args, *private.options)
        assert result.exit_code != 0
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
