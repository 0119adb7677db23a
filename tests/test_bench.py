"""The benchmark harness: its pure parts, and a tiny run so it cannot rot."""

from __future__ import annotations

import http.server
import importlib.util
import json
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench import cluster, corpus, queries, report, run, web
from bench.stats import median_runs, percentile, ratio
from indexer.article import Article
from indexer.normalize import FOLD, compose_hamza_and_madda, fold, fold_repeats

ROOT = Path(__file__).resolve().parents[1]

# Fictional articles: three shapes, sentences ending in «.», «؟» and «!».
_ARTICLES = [
    Article(
        id="t1",
        title="باران در شهر کوهستانی",
        body="ابرها از غرب آمدند. باران تا شب بارید. خیابان ها خیس شد.",
        source="خبرگزاری نمونه",
        tags=["هوا"],
        published=datetime(2020, 1, 5, 8, tzinfo=UTC),
    ),
    Article(
        id="t2",
        title="قطار تازه به ایستگاه رسید",
        body="مسافران شاد بودند؟ قطار ساعت هفت رسید!\n\nسفر آرام گذشت.",
        source="روزنامه نمونه",
        tags=["حمل و نقل", "سفر"],
        published=datetime(2020, 6, 1, 12, tzinfo=UTC),
    ),
    Article(
        id="t3",
        title="کتابخانه محله بازگشایی شد",
        body="کتاب های نو رسید. کودکان قصه شنیدند. کتابدار خوشحال بود.",
        source="",
        tags=[],
        published=None,
    ),
]


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([5.0, 1.0, 3.0], 0) == 1.0
    assert percentile([5.0, 1.0, 3.0], 100) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_median_runs_takes_each_figure_s_median() -> None:
    merged = median_runs([{"p95": 9.0, "engine": "x"}, {"p95": 1.0, "engine": "x"}, {"p95": 4.0, "engine": "x"}])
    assert merged == {"p95": 4.0, "engine": "x", "runs": 3}
    assert ratio(2.0, 4.0) == 0.5
    assert ratio(2.0, None) is None


def test_made_up_corpus_is_deterministic_and_made_of_real_sentences() -> None:
    first = corpus.build_records(_ARTICLES, 50, seed=7)
    assert first == corpus.build_records(_ARTICLES, 50, seed=7)
    assert first != corpus.build_records(_ARTICLES, 50, seed=8)
    assert [r["id"] for r in first[:3]] == ["t1", "t2", "t3"]
    made = first[3:]
    assert len({r["id"] for r in first}) == 50
    real_sentences = {s for a in _ARTICLES for s in corpus._sentences(a.body)}
    for rec in made:
        sentences = [s for paragraph in rec["body"].split("\n\n") for s in corpus._sentences(paragraph)]
        assert sentences and set(sentences) <= real_sentences
        assert rec["title"] in {a.title for a in _ARTICLES}
        if rec["published"]:
            assert "2020-01-05" <= rec["published"][:10] <= "2020-06-01"


def test_a_smaller_corpus_is_a_seeded_sample_of_the_real_one() -> None:
    sample = corpus.build_records(_ARTICLES, 2, seed=1)
    assert len(sample) == 2 and {r["id"] for r in sample} <= {"t1", "t2", "t3"}
    assert sample == corpus.build_records(_ARTICLES, 2, seed=1)


def test_peer_record_is_normalized_text_with_facet_keys() -> None:
    rec = corpus.record(Article(id="p", title="كتاب", body="مي\u00a0رود", tags=["محيط زيست"], source="مهر"))
    peer = corpus.peer_record(rec)
    assert peer["title"] == "کتاب" and "ي" not in peer["text"]
    assert peer["month"] == "undated" and peer["tags"] and peer["source"]


def test_query_mix_has_every_kind_and_is_deterministic() -> None:
    records = [corpus.record(a) for a in _ARTICLES]
    mix = queries.query_mix(records, ["باران شهر"], count=24, seed=3)
    assert mix == queries.query_mix(records, ["باران شهر"], count=24, seed=3)
    assert {m.kind for m in mix} == {"words", "hamshahri", "phrase", "filtered"}
    for m in mix:
        assert m.words and m.params["q"][0]
        if m.kind == "filtered":
            assert len(m.params) == 2 and m.filters
    assert queries.from_json(queries.to_json(mix)) == mix


def test_targets_say_met_missed_or_not_measured() -> None:
    results = {
        "analysis": {"ratio_vs_hazm": 7.0},
        "sizes": [
            {
                "docs": 12_000,
                "reindex": {"kavosh": {"docs_per_s": 90.0, "peak_mb": 300.0}, "whoosh": {"docs_per_s": 100.0}},
                "query": {"kavosh": {"p95_ms": 80.0}},
            }
        ],
    }
    rows = {row["target"]: row["met"] for row in report.targets(results)}
    assert rows["analysis chars/s ÷ hazm Normalizer"] is True
    assert rows["12000 docs: reindex docs/s ÷ bare Whoosh"] is True
    assert rows["12000 docs: query p95 with facets"] is False


def test_regularization_off_and_on_are_two_rows_their_ratio_a_target() -> None:
    measured = {
        "modes": {
            "off": {"p50_ms": 20.0, "p95_ms": 50.0, "p95_ms_passes": [50.0, 51.0], "reranked": 0, "searches": 250},
            "on": {"p50_ms": 21.0, "p95_ms": 55.0, "p95_ms_passes": [55.0, 54.0], "reranked": 240, "searches": 250},
        },
        "peak_mb": 800.0,
    }
    query = run.kavosh_rows(measured, [1.5, 1.2, 1.0])
    assert query["kavosh"]["regularization"] == {"p50_ms": 1.05, "p95_ms": 1.1, "load_average": [1.5, 1.2, 1.0]}
    assert "regularization" not in query["kavosh-noreg"] and query["kavosh-noreg"]["peak_mb"] == 800.0
    results = {"date": "d", "machine": {"cpu": "c", "cores": 2, "load_average": [1]}, "runs": 2,
               "sizes": [{"docs": 100_000, "query": query}]}  # fmt: skip
    rows = {row["target"]: row for row in report.targets(results)}
    assert rows["100000 docs: query p95, score regularization on ÷ off"]["met"] is False  # 1.1 > 1.05
    text = report.table(results)
    assert "| 100,000 | off | 20.0 | 50.0 | 50.0 / 51.0 |" in text
    assert "| 100,000 | on ÷ off | 1.050× | 1.100× |" in text
    assert run.kavosh_rows({"modes": {"on": {"p50_ms": 1.0, "p95_ms": 2.0}}}, [1.0]) == {
        "kavosh": {"p50_ms": 1.0, "p95_ms": 2.0}
    }  # on alone: no ratio, no target
    for wrong in ("on,on", "of", ""):
        with pytest.raises(SystemExit):
            run.parse_args(["--regularize", wrong])
    assert run.parse_args(["--regularize", "on, off"]).regularize == ["on", "off"]


def _cluster_rows(docs_per_s: float, p95_ms: float) -> dict[str, object]:
    whoosh = {"reindex": {"docs_per_s": 100.0}, "query": {"p50_ms": 20.0, "p95_ms": 60.0}}
    other = {"reindex": {"docs_per_s": docs_per_s, "cores": 1.9, "python_cores": 1.2, "cluster_cores": 0.7},
             "query": {"p50_ms": 15.0, "p95_ms": p95_ms}}  # fmt: skip
    return run.cluster_ratios({"whoosh": whoosh, "opensearch-3": other, "opensearch-1": {"error": "no java"}})


def test_cluster_targets_are_ratios_to_the_whoosh_backend_and_p95_counts_from_100k() -> None:
    results = {"sizes": [{"docs": 12_000, "cluster": _cluster_rows(120.0, 50.0)},
                         {"docs": 100_000, "cluster": _cluster_rows(90.0, 31.0)}]}  # fmt: skip
    rows = {row["target"]: (row["measured"], row["met"]) for row in report.targets(results)}
    assert rows == {
        "analysis chars/s ÷ hazm Normalizer": (None, None),
        "12000 docs: OpenSearch, 3 nodes: reindex docs/s ÷ Whoosh backend's": (1.2, True),
        "100000 docs: OpenSearch, 3 nodes: reindex docs/s ÷ Whoosh backend's": (0.9, False),
        "100000 docs: OpenSearch, 3 nodes: query p95 ÷ Whoosh backend's": (0.52, False),
    }
    table = report.table({"date": "d", "machine": {"cpu": "c", "cores": 2, "load_average": [1.0]}, "runs": 1,
                          **results})  # fmt: skip
    assert "| 100,000 | OpenSearch, 3 nodes | 90.0 | 0.90 | 1.90 (1.20 + 0.70) |" in table
    assert "| 12,000 | OpenSearch, 1 node | no java |" in table
    assert "| docs | engine |" not in table  # no reindex or query section ran: no empty table


def test_bench_clusters_keep_off_the_ports_of_the_tests_and_the_parity_cluster() -> None:
    taken = set(range(9200, 9203)) | set(range(9300, 9303)) | set(range(9210, 9220)) | set(range(9310, 9320))
    for nodes in (1, 3):
        place = cluster.layout(nodes, Path("/tmp/x"))
        ports = {place.http + n for n in range(nodes)} | {place.transport + n for n in range(nodes)}
        assert not ports & taken and len(place.urls) == nodes
    with pytest.raises(ValueError, match="1 or 3 nodes"):
        cluster.layout(2)
    assert run.parse_args(["--only", "cluster", "--cluster-nodes", "3"]).cluster_nodes == [3]
    assert "cluster" not in run.parse_args([]).only  # it starts JVMs: only when asked


# Letters that compose with a following madda or hamza (as NFC does, and FARSI YEH), and the marks: a
# text of table characters alone almost never puts one after the other (a newcomer's run found it,
# CI's did not), so pieces of letter + marks are drawn as often as single characters.
_MARKS = [chr(cp) for cp in range(0x064B, 0x0656)]
_COMPOSING = "\u0627\u0628\u0648\u064a\u06c1\u06cc\u06d2\u06d5"
_FOLD_TEXT = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(_COMPOSING), st.lists(st.sampled_from(_MARKS), min_size=1, max_size=3).map("".join)
        ).map("".join),
        st.sampled_from([chr(c) for c in (*FOLD.table, 0x627, 0x628, 0x20, 0x200C, 0x61)]),
    )
).map("".join)


# The harness's optimisations must keep behaviour: the regex fold is the translate table, after the
# letter + madda/hamza pairs are composed (as NFC composes them: «ا» + U+0653 is «آ», not «ا»), and
# a letter typed three times or more is kept once (fold_repeats, after the table: «ييي» is «ی» + tatweels).
@settings(max_examples=500)
@given(_FOLD_TEXT)
@example("\u0627\u0653")  # ALEF + MADDA ABOVE: found on a fresh clone
@example("\u064a\u0654")  # ARABIC YEH + HAMZA ABOVE: found on a fresh clone
@example("\u064a\u064a\u064a")  # ARABIC YEH three times: found in CI after fold_repeats joined fold
def test_fast_fold_equals_the_translate_table(text: str) -> None:
    assert fold(text) == fold_repeats(compose_hamza_and_madda(text).translate(FOLD.table))


def test_tiny_run_writes_the_table_and_json(tmp_path: Path) -> None:
    """``python -m bench --quick`` on 8 sample-corpus articles: every section runs and reports."""
    out = tmp_path / "bench"
    # two web clients are concurrent enough to prove the section (each is a new interpreter)
    quick = ["--quick", "--docs", "8", "--web-seconds", "1", "--clients", "2", "--out", str(out)]
    quick += ["--keep", str(tmp_path / "kept")]  # the corpus and indexes stay (reuse: the test below)
    run = subprocess.run(
        [sys.executable, "-m", "bench", *quick],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert results["versions"]["whoosh"] and results["machine"]["cores"]
    size = results["sizes"][0]
    assert size["docs"] == 8
    engines = ["kavosh", "whoosh", "fts5"] + (["tantivy"] if importlib.util.find_spec("tantivy") else [])
    for engine in engines:
        assert size["reindex"][engine]["docs"] == 8, engine
        assert size["reindex"][engine]["docs_per_s"] > 0 and size["reindex"][engine]["peak_mb"] > 0
    assert size["reindex"]["kavosh"]["cores"] > 0 and "| cores used |" in run.stdout  # CPU s ÷ wall s
    for engine in ("kavosh", "kavosh-noreg", "fts5"):
        assert 0 < size["query"][engine]["p50_ms"] <= size["query"][engine]["p95_ms"]
    # Score regularization off and on, taking turns on the same index: the off row's searches were
    # never re-ranked by the neighbours, the on row's were (though conftest turns it off for tests).
    off, on = size["query"]["kavosh-noreg"], size["query"]["kavosh"]
    assert off["reranked"] == 0 and on["reranked"] > 0 and off["searches"] == on["searches"] > 0
    assert on["regularization"]["p95_ms"] > 0 and "| 8 | on ÷ off |" in run.stdout
    assert results["analysis"]["hazm_normalizer_chars_per_s"] > 0
    assert results["web"]["concurrent"]["requests"] > 0 and results["web"]["concurrent"]["errors"] == 0
    assert results["web"]["concurrent"]["clients"] == 2
    assert results["options"]["web_seconds"] == 1.0  # --quick keeps a --web-seconds given beside it
    assert "| docs | engine |" in run.stdout and (out / "latest.md").read_text(encoding="utf-8") == run.stdout[:-1]
    command = results["cli"]  # `kavosh search WORD` in new processes: now, and the way it was before
    assert command["now"]["seconds"] > 0 and command["before"]["cpu_s"] > 0 and command["first"]["seconds"] > 0
    assert command["speedup"] > 0 and "| before ÷ now |" in run.stdout
    assert any(row["target"].endswith("`kavosh search WORD` before ÷ now") for row in results["targets"])
    kept = tmp_path / "kept" / "docs-8"
    assert json.loads((kept / "corpus.json").read_text(encoding="utf-8"))["docs"] == 8  # run.PREPARED
    assert {p.name for p in kept.glob("index-*")} >= {"index-kavosh", "index-kavosh-procs", "index-fts5"}


def test_a_kept_corpus_and_index_are_reused_for_the_query_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--keep DIR`` without ``reindex`` in ``--only``: the corpus is not written again and an index
    found there is searched, not rebuilt; another corpus in the folder drops its indexes."""
    options = ["--docs", "5", "--only", "query", "--engines", "kavosh", "--keep", str(tmp_path)]
    args = run.parse_args(options)
    work = tmp_path / "docs-5"
    first = run.prepare(args, _ARTICLES, 5, work)
    assert [r["id"] for r in first["records"]] == ["t1", "t2", "t3", "bench-000000", "bench-000001"]
    part = work / "articles" / "part-00000.jsonl"
    assert len(part.read_text(encoding="utf-8").splitlines()) == 5
    (work / "index-kavosh-procs").mkdir()  # as a two-process reindex leaves it
    part.write_text("", encoding="utf-8")  # were the corpus written again, this would be refilled
    again = run.prepare(args, _ARTICLES, 5, work)
    assert again["records"] == first["records"] and part.read_text(encoding="utf-8") == ""

    def no_child(task: str, feed: dict[str, object]) -> dict[str, object]:
        raise AssertionError(f"{task} ran although the index was kept")

    monkeypatch.setattr(run, "run_child", no_child)
    assert run.reindex_section(args, work, again["files"], again["chars"], 1) == {}
    assert run._index_of(work, "kavosh") == work / "index-kavosh-procs"

    other = run.prepare(run.parse_args([*options, "--seed", "7"]), _ARTICLES, 5, work)
    assert other["records"] != first["records"] and not list(work.glob("index-*"))
    assert len(part.read_text(encoding="utf-8").splitlines()) == 5


def test_web_load_counts_answers_and_errors_from_every_client() -> None:
    """``bench.web.load``: client processes in parallel, each answer timed, each non-200 an error."""
    seen: set[str] = set()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real server allows

        def do_GET(self) -> None:
            seen.add(str(self.client_address[1]))  # the client's port: one per connection
            status = 200 if self.path == "/ok" else 500
            body = b"{}"
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer((web.HOST, 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        result = web.load(httpd.server_address[1], ["/ok", "/fail"], clients=3, seconds=1.0)
    finally:
        httpd.shutdown()
        httpd.server_close()
    # Each client alternates /ok and /fail: as many errors as answers, give or take one per client.
    assert result["clients"] == 3 and result["requests"] > 10
    assert abs(result["errors"] - result["requests"]) <= 3
    assert 0 < result["p50_ms"] <= result["p95_ms"] and result["rps"] == result["requests"] / result["seconds"]
    assert len(seen) == 3  # three connections, one per client process


def test_the_cluster_section_hands_over_each_backend_as_it_ends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The children and the clusters are replaced (no JVM here); what is checked is the harness:
    # after Whoosh and after each cluster, the rows so far, with their ratios, go to ``keep``.
    from contextlib import contextmanager

    figures = {"reindex_kavosh": {"seconds": 10.0, "docs": 100}, "query_kavosh": {"p50_ms": 20.0, "p95_ms": 40.0}}
    monkeypatch.setattr(run, "run_child", lambda task, args: dict(figures[task]))
    monkeypatch.setattr(run, "folder_bytes", lambda folder: 0)

    @contextmanager
    def running(nodes: int):  # type: ignore[no-untyped-def]
        if nodes == 1:
            raise RuntimeError("cluster/nodes.sh start 1 failed:\nnode-1 exited")
        yield cluster.layout(nodes, tmp_path)

    monkeypatch.setattr(cluster, "running", running)
    args = run.parse_args(["--only", "cluster", "--runs", "1"])
    kept: list[dict[str, object]] = []
    rows = run.cluster_section(args, tmp_path, {"articles": tmp_path}, 1000, [], {}, lambda r: kept.append(dict(r)))
    assert [list(k) for k in kept] == [
        ["whoosh"],
        ["whoosh", "opensearch-1"],
        ["whoosh", "opensearch-1", "opensearch-3"],
    ]
    assert rows["opensearch-1"] == {"error": "cluster/nodes.sh start 1 failed:"}
    assert rows["opensearch-3"]["ratios"] == {"docs_per_s": 1.0, "p50_ms": 1.0, "p95_ms": 1.0}
