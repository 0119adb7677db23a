"""The cluster ``make cluster`` starts: real OpenSearch nodes, as the issue and docs/cluster.md say.

Skipped with the reason when no cluster runs (no Java, no Maven, not started); required in CI.
"""

from __future__ import annotations

from opensearch_cluster import LocalNode, cluster_dir, request


def test_cluster_is_green_with_every_node(opensearch_urls: list[str]) -> None:
    for url in opensearch_urls:  # every node answers for the same cluster
        health = request(url, "/_cluster/health?wait_for_status=green&timeout=60s")
        assert health["status"] == "green"
        assert health["number_of_nodes"] == health["number_of_data_nodes"] >= 1


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
