"""The cluster ``make cluster`` starts: real OpenSearch nodes, as the issue and docs/cluster.md say.

Skipped with the reason when no cluster runs (no Java, no Maven, not started); required in CI.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from opensearch_cluster import LocalNode, cluster_dir, green_wait, request, wait_for_green


def test_cluster_is_green_with_every_node(opensearch_urls: list[str]) -> None:
    for url in opensearch_urls:  # every node answers for the same cluster
        health = wait_for_green(url)  # the indexes other tests write may leave replicas to allocate a while
        assert health.get("status") == "green", f"{url}: not green after {green_wait():.0f} s: {health}"
        assert health["number_of_nodes"] == health["number_of_data_nodes"] >= 1


class _Health(http.server.BaseHTTPRequestHandler):
    """A node that answers ``_cluster/health`` from ``answers`` in turn (the last one again and again)."""

    answers: ClassVar[list[tuple[int, dict[str, Any]]]] = []
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        code, body = self.answers[min(len(self.asked), len(self.answers)) - 1]
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def health_node() -> Iterator[tuple[str, type[_Health]]]:
    class Node(_Health):  # answers and requests of its own
        answers: ClassVar[list[tuple[int, dict[str, Any]]]] = []
        asked: ClassVar[list[str]] = []

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Node)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", Node
    finally:
        server.shutdown()
        server.server_close()


def test_the_wait_for_green_asks_again_until_green(health_node: tuple[str, type[_Health]]) -> None:
    """A yellow cluster (OpenSearch answers 408 with the health when ``wait_for_status`` times out) is
    asked again until it is green; the first 408 used to fail the test on a loaded CI machine."""
    url, node = health_node
    yellow = {"status": "yellow", "timed_out": True, "unassigned_shards": 2}
    node.answers = [(408, yellow), (408, yellow), (200, {"status": "green", "number_of_nodes": 3})]
    assert wait_for_green(url, seconds=60, ask=2, pace=0.01) == {"status": "green", "number_of_nodes": 3}
    assert node.asked == ["/_cluster/health?wait_for_status=green&timeout=2s"] * 3


def test_the_wait_for_green_ends_with_the_last_health(health_node: tuple[str, type[_Health]]) -> None:
    url, node = health_node
    node.answers = [(408, {"status": "yellow", "timed_out": True, "unassigned_shards": 2})]
    assert wait_for_green(url, seconds=0.3, ask=5, pace=0.05)["unassigned_shards"] == 2
    assert node.asked[-1] == "/_cluster/health?wait_for_status=green&timeout=1s"  # never past the deadline
    refused = wait_for_green("http://127.0.0.1:9", seconds=0.1)  # the discard port: nothing listens
    assert refused["error"].startswith("URLError: ")


def test_make_cluster_starts_three_nodes_on_loopback(local_cluster: list[LocalNode]) -> None:
    assert [node.name for node in local_cluster] == ["node-1", "node-2", "node-3"]
    assert [node.url for node in local_cluster] == [f"http://127.0.0.1:{port}" for port in (9200, 9201, 9202)]
    health = request(local_cluster[0].url, "/_cluster/health")
    assert health["number_of_nodes"] == 3
    assert health["cluster_name"] == "kavosh"


def test_each_node_pid_file_names_the_process_serving_its_port(local_cluster: list[LocalNode]) -> None:
    for node in local_cluster:
        answer = request(node.url, "/_nodes/_local/process,http,settings")
        (info,) = answer["nodes"].values()
        assert info["name"] == node.name
        assert info["process"]["id"] == node.pid  # `make cluster-stop` and the fault tests kill this PID
        assert all(address.startswith("127.0.0.1:") for address in info["http"]["bound_address"])
        assert info["settings"]["path"]["data"] == [str(cluster_dir() / node.name / "data")]
        assert info["settings"]["path"]["logs"] == str(cluster_dir() / node.name / "logs")


def test_analysis_common_is_loaded_with_the_builtin_persian_analyzer(opensearch_urls: list[str]) -> None:
    text = "کتاب‌های ایران و جهان"
    persian = request(opensearch_urls[0], "/_analyze", {"analyzer": "persian", "text": text})
    # Lucene's Persian analysis: ZWNJ splits, «های» and «و» are stop words, ک and ی fold to Arabic letters
    assert [t["token"] for t in persian["tokens"]] == ["كتاب", "ايران", "جهان"]
    whitespace = request(opensearch_urls[0], "/_analyze", {"analyzer": "whitespace", "text": text})
    # the analyzer Kavosh's pre-analysed fields use: tokens exactly as Kavosh wrote them
    assert [t["token"] for t in whitespace["tokens"]] == ["کتاب‌های", "ایران", "و", "جهان"]


def test_disk_watermarks_are_off(opensearch_urls: list[str]) -> None:
    # a nearly full developer disk must not make the test indexes read-only
    answer = request(opensearch_urls[0], "/_cluster/settings?include_defaults=true&flat_settings=true")
    settings = {**answer["defaults"], **answer["persistent"], **answer["transient"]}
    assert settings["cluster.routing.allocation.disk.threshold_enabled"] == "false"


def test_every_node_runs_painless_for_kavoshs_scripted_bm25(opensearch_urls: list[str]) -> None:
    # backends/opensearch/index.json scores with Whoosh's BM25 through a painless scripted similarity
    plugins = request(opensearch_urls[0], "/_cat/plugins?format=json")
    nodes = request(opensearch_urls[0], "/_cluster/health")["number_of_nodes"]
    assert sum(1 for p in plugins if p["component"] == "org.opensearch.painless.PainlessPlugin") == nodes
