"""The ``kavosh`` command line on the sample corpus (``corpus/``: 32 JSONL records, 8 pages)."""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kavosh.cli import main
from kavosh.server import options

Kavosh = Callable[..., Result]
CORPUS = Path(__file__).resolve().parents[1] / "corpus"

RESULT_KEYS = {
    "query", "total", "page", "pages", "sort", "hits", "facets", "timeline", "searched", "suggestion", "truncated"
}  # fmt: skip
HIT_KEYS = {
    "id", "url", "title", "source", "published", "tags", "speakers", "cited", "categories", "score", "snippet", "quote"
}  # fmt: skip
FACETS = {"tag", "speaker", "source", "cited", "category", "month"}
FACET_VALUE_KEYS = {"value", "label", "count"}


def search(kavosh: Kavosh, index: Path, *args: str) -> dict[str, Any]:
    result = kavosh("search", *args, "--json", "--index", str(index), "--limit", "100")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def ids(data: dict[str, Any]) -> set[str]:
    return {hit["id"] for hit in data["hits"]}


# --- reindex ----------------------------------------------------------------------------------


def test_reindex_summary_line(sample_reindex: tuple[Path, Result]) -> None:
    index, result = sample_reindex
    assert result.exit_code == 0
    assert re.fullmatch(
        rf"indexed 40 articles from 9 files \(jsonl 32, page 8\) into {re.escape(str(index))} in \d+\.\d s\n"
        r"rebuild: 9 files read, 0 unchanged, 0 gone; articles: 40 added, 0 changed, 0 removed, 0 unchanged\n",
        result.stdout,
    )


def test_reindex_missing_path(kavosh: Kavosh, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = kavosh("reindex", str(missing), "--index", str(tmp_path / "index"))
    assert result.exit_code == 2
    assert result.stderr == f"kavosh: {missing}: no such file or folder\n"
    assert not (tmp_path / "index").exists()


def test_reindex_of_only_bad_files_keeps_the_previous_index(kavosh: Kavosh, tmp_path: Path) -> None:
    index = tmp_path / "index"
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g1", "title": "باران", "body": "باران بارید."}) + "\n", encoding="utf-8")
    assert kavosh("reindex", str(good), "--index", str(index)).exit_code == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.jsonl").write_bytes(b"")
    (bad / "broken.jsonl").write_text("not json\n", encoding="utf-8")
    (bad / "image.txt").write_bytes(b"\x89PNG\x00\x00")

    result = kavosh("reindex", str(bad), "--index", str(index))

    assert result.exit_code == 1
    assert result.stderr.startswith("kavosh: no article could be indexed: ")
    assert str(bad / "broken.jsonl") + ":1: invalid JSON" in result.stderr
    assert ids(search(kavosh, index, "باران")) == {"g1"}
    assert sorted(p.name for p in index.glob("gen-*")) == [(index / "CURRENT").read_text().strip()]


def test_reindex_skips_and_reports_bad_records(kavosh: Kavosh, tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text(
        '{"id": "a", "title": "ت", "body": "ب"}\nnot json\n{"id": "a", "title": "ت", "body": "ب"}\n', encoding="utf-8"
    )
    result = kavosh("reindex", str(corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [
        "duplicates not indexed again: 1 (1 same id)",
        "skipped 1:",
        f"  {corpus}:2: invalid JSON (Expecting value at column 1)",
    ]


def test_reindex_strict_stops_at_a_bad_record(kavosh: Kavosh, tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text('{"id": "a", "title": "ت", "body": "ب"}\nnot json\n', encoding="utf-8")
    result = kavosh("reindex", str(corpus), "--index", str(tmp_path / "index"), "--strict")
    assert result.exit_code == 1
    assert "(--strict: nothing was changed)" in result.stderr
    assert not (tmp_path / "index" / "CURRENT").exists()


# --- search -----------------------------------------------------------------------------------


def test_search_json_has_the_documented_keys(kavosh: Kavosh, sample_index: Path) -> None:
    data = search(kavosh, sample_index, "کتاب")
    assert set(data) == RESULT_KEYS
    assert (data["query"], data["page"], data["pages"], data["sort"]) == ("کتاب", 1, 1, "relevance")
    assert data["total"] == len(data["hits"]) > 0
    for hit in data["hits"]:
        assert set(hit) == HIT_KEYS
    assert set(data["facets"]) == FACETS
    for values in data["facets"].values():
        for value in values:
            assert set(value) == FACET_VALUE_KEYS


def test_search_without_query_browses_newest_first(kavosh: Kavosh, sample_index: Path) -> None:
    data = search(kavosh, sample_index)
    assert (data["total"], data["sort"]) == (40, "newest")
    dates = [hit["published"] for hit in data["hits"] if hit["published"]]
    assert dates == sorted(dates, reverse=True)
    # 34 dated articles, then the undated ones
    assert len(dates) == 34 and all(hit["published"] is None for hit in data["hits"][34:])


def test_undated_articles_are_found_and_filtered(kavosh: Kavosh, sample_index: Path) -> None:
    undated = search(kavosh, sample_index, "", "--month", "undated")
    assert undated["total"] == 6
    assert all(hit["published"] is None for hit in undated["hits"])
    some = undated["hits"][0]
    assert some["id"] in ids(search(kavosh, sample_index, some["title"]))


def test_search_category_and_cited_filters(kavosh: Kavosh, tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    records = [
        {"id": "a", "title": "باران", "body": "باران بارید.", "categories": ["اجتماعی"], "cited": ["مهر"]},
        {"id": "b", "title": "باران", "body": "باران آمد.", "categories": ["اجتماعي "], "cited": ["ایسنا"]},
        {"id": "c", "title": "باران", "body": "باران نیامد.", "categories": ["ورزشی"], "cited": ["مهر"]},
    ]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    index = tmp_path / "index"
    assert kavosh("reindex", str(corpus), "--index", str(index), "--quiet").exit_code == 0
    assert ids(search(kavosh, index, "باران", "--category", "اجتماعی")) == {"a", "b"}
    assert ids(search(kavosh, index, "باران", "--cited", "مهر")) == {"a", "c"}
    assert ids(search(kavosh, index, "باران", "--category", "اجتماعی", "--cited", "مهر")) == {"a"}
    facets = search(kavosh, index, "باران")["facets"]
    assert facets["category"][0] == {"value": "اجتماعی", "label": "اجتماعی", "count": 2}


def test_search_facets(kavosh: Kavosh, sample_index: Path) -> None:
    facets = search(kavosh, sample_index)["facets"]
    assert facets["source"] == [
        {"value": "خبرگزاری نمونه", "label": "خبرگزاری نمونه", "count": 11},
        {"value": "روزنامه آزمایشی", "label": "روزنامه آزمایشی", "count": 10},
        {"value": "کاوش\u200cنما", "label": "کاوش\u200cنما", "count": 10},
        {"value": "هفته\u200cنامه آزمون", "label": "هفته\u200cنامه آزمون", "count": 9},
    ]
    # the four tag spellings of the corpus (محيط زيست, آب و هوا, حمل و نقل, كتاب) fold into the pool of 10
    assert {v["label"]: v["count"] for v in facets["tag"]} == {
        "محیط زیست": 9, "آموزش": 8, "سلامت": 8, "فناوری": 8, "آب\u200cوهوا": 7,
        "فرهنگ": 7, "کتاب": 7, "حمل\u200cونقل": 6, "ورزش": 6, "کشاورزی": 6,
    }  # fmt: skip
    assert len(facets["speaker"]) == 8
    assert facets["month"][0] == {"value": "1402-12", "label": "اسفند ۱۴۰۲", "count": 2}
    assert facets["month"][-1] == {"value": "undated", "label": "بدون تاریخ", "count": 6}
    assert sum(v["count"] for v in facets["month"]) == 40


ENVIRONMENT = {"page-04", "page-06", "sample-007", "sample-010", "sample-020", "sample-023", "sample-026",
               "sample-030", "sample-032"}  # fmt: skip


@pytest.mark.parametrize(
    "tag",
    [
        "محیط زیست",  # as the pool writes it
        "محيط زيست",  # Arabic yeh
        "محیط‌زیست",  # a ZWNJ instead of the space
    ],
)
def test_search_tag_filter(kavosh: Kavosh, sample_index: Path, tag: str) -> None:
    data = search(kavosh, sample_index, "--tag", tag)
    assert ids(data) == ENVIRONMENT
    assert all("محیط زیست" in hit["tags"] for hit in data["hits"])


def test_search_source_filter(kavosh: Kavosh, sample_index: Path) -> None:
    data = search(kavosh, sample_index, "--source", "روزنامه آزمايشي")  # Arabic yeh
    assert data["total"] == 10
    assert {hit["source"] for hit in data["hits"]} == {"روزنامه آزمایشی"}


def test_search_since_until_jalali_one_day(kavosh: Kavosh, sample_index: Path) -> None:
    # «until» with a date alone includes that whole day
    data = search(kavosh, sample_index, "--since", "1402-03-21", "--until", "۱۴۰۲/۰۳/۲۱")
    assert ids(data) == {"page-01", "sample-005"}


def test_search_since_jalali_year(kavosh: Kavosh, sample_index: Path) -> None:
    data = search(kavosh, sample_index, "--since", "۱۴۰۲/۰۱/۰۱", "--until", "1402-12-29")
    assert data["total"] == 20  # the months of 1402 in the month facet: 2+2+2+1+1+1+3+1+2+3+2
    assert all(hit["published"] >= "2023-03-21" for hit in data["hits"])


def test_search_bad_date_exits_2(kavosh: Kavosh, sample_index: Path) -> None:
    result = kavosh("search", "--since", "دیروز", "--index", str(sample_index))
    assert result.exit_code == 2
    assert result.stderr.startswith("kavosh: since: not a date: 'دیروز'")


def test_search_without_index_exits_1(kavosh: Kavosh, tmp_path: Path) -> None:
    result = kavosh("search", "کتاب", "--index", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert result.stderr == f"kavosh: no index at {tmp_path / 'none'} (run `kavosh reindex` first)\n"


def test_search_text_output(kavosh: Kavosh, sample_index: Path) -> None:
    result = kavosh("search", "شهابی", "--index", str(sample_index), "--no-bidi")
    assert result.exit_code == 0
    assert result.stdout.startswith("1 نتیجه  (")
    assert "  1. رصد بارش شهابی در آسمان صاف ارغوان  [page-07]\n" in result.stdout  # shown with Persian ی


# --- the terminal: bidi per visual line, a closed pipe, Jalali filters, start-up ---------------


def test_bidi_off_and_auto_print_logical_order_when_not_a_terminal(kavosh: Kavosh, sample_index: Path) -> None:
    off = kavosh("search", "کتاب", "--index", str(sample_index), "--bidi", "off").stdout
    auto = kavosh("search", "کتاب", "--index", str(sample_index)).stdout  # click's runner is no terminal
    assert _without_times(auto) == _without_times(off)
    assert "2023-06-11" in off and "کتاب" in off


def test_bidi_on_wraps_to_the_terminal_then_reorders_each_line(
    kavosh: Kavosh, sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("KAVOSH_BIDI", "on")
    shown = kavosh("search", "کتاب", "--index", str(sample_index)).stdout.splitlines()
    plain = kavosh("search", "کتاب", "--index", str(sample_index), "--bidi", "off").stdout.splitlines()
    assert max(map(len, shown)) <= 40 < max(map(len, plain))
    dates = [d for line in plain for d in re.findall(r"\d{4}-\d{2}-\d{2}", line)]
    assert dates and all(any(d in line for line in shown) for d in dates)  # never 50-10-0202 or 05-01-2020
    assert "ﺏﺎﺘﮐ" in "".join(shown)  # «کتاب» shaped (its joined forms) and in visual order
    # every line of a wrapped snippet starts where the one before ended, in reading order: the
    # logical text of the visual lines, read right to left, is the snippet
    first = next(i for i, line in enumerate(plain) if line.startswith("  1. "))
    snippet = plain[first + 2].strip()
    start = next(i for i, line in enumerate(shown) if line.startswith("  1. "))
    block = [line.strip() for line in shown[start + 1 :]]
    block = block[: next((i for i, line in enumerate(block) if re.match(r"\d+\. ", line)), len(block))]
    read = " ".join(_logical(line) for line in block)
    assert _unshaped(snippet) in read


def _unshaped(text: str) -> str:
    """Letters in their plain forms (NFKC: «ﻻ» is «لا»), without what shaping drops (ZWNJ, harakat)."""
    import unicodedata

    return re.sub("[\u200c\u064b-\u065f]", "", unicodedata.normalize("NFKC", text))


def _logical(line: str) -> str:
    """A visual line read back: the right-to-left order undone word by word, then letters unshaped."""
    words = line.split(" ")
    return _unshaped(" ".join(w if re.search(r"[A-Za-z0-9]", w) else w[::-1] for w in reversed(words)))


def _without_times(output: str) -> str:
    return re.sub(r"\(\d+ ms\)", "", output)


def test_bidi_mode_must_be_known(kavosh: Kavosh, sample_index: Path) -> None:
    result = CliRunner().invoke(main, ["search", "کتاب", "--index", str(sample_index), "--bidi", "sometimes"])
    assert result.exit_code == 2 and "'sometimes' is not one of 'auto', 'on', 'off'" in result.output


def test_search_into_a_closed_pipe_exits_quietly(sample_index: Path) -> None:
    """``kavosh search … | head``: the reader goes away; the command stops with 0 and no message."""
    command = [sys.executable, "-m", "kavosh", "search", "کتاب", "--index", str(sample_index), "--limit", "50"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # before the command has written anything: its first write fails
        error = process.stderr.read()
        code = process.wait(timeout=300)
    assert (code, error) == (0, b"")


def test_search_jalali_year(kavosh: Kavosh, sample_index: Path) -> None:
    by_year = search(kavosh, sample_index, "--year", "۱۴۰۲")
    by_dates = search(kavosh, sample_index, "--since", "1402-01-01", "--until", "1402-12-29")
    assert by_year["total"] == 20 and ids(by_year) == ids(by_dates)


def test_search_month_of_a_year(kavosh: Kavosh, sample_index: Path) -> None:
    month = search(kavosh, sample_index, "--year", "1402", "--month", "3")
    assert ids(month) == ids(search(kavosh, sample_index, "--month", "1402-03")) and month["total"] == 3


def test_search_month_number_needs_a_year(kavosh: Kavosh, sample_index: Path) -> None:
    result = kavosh("search", "--month", "3", "--index", str(sample_index))
    assert result.exit_code == 2 and "is a month of which year?" in result.stderr


def test_search_reports_the_searchs_own_time(
    kavosh: Kavosh, sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading the index's word lists (seconds, once a process) is not the query's time."""
    from search import suggest

    loading = suggest.Lexicon.__init__

    def slow(self: suggest.Lexicon, index: Any) -> None:
        time.sleep(2)
        loading(self, index)

    monkeypatch.setattr(suggest.Lexicon, "__init__", slow)
    monkeypatch.setattr(suggest, "_lexicons", type(suggest._lexicons)())  # loaded afresh, slowly
    output = kavosh("search", "کتاب", "--index", str(sample_index), "--bidi", "off").stdout
    milliseconds = int(re.search(r"\((\d+) ms\)", output).group(1))  # type: ignore[union-attr]
    assert milliseconds < 2000


def _modules_after(*args: str, env: dict[str, str]) -> set[str]:
    code = "import sys\nfrom kavosh.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    code += "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    return set(run.stderr.split())


def test_commands_load_only_what_they_need(sample_index: Path) -> None:
    import os

    # The run's cache (tests/conftest.py: empty when the run starts), which earlier tests may have
    # filled already: deriving the lists again in a cache of this test's own cost seconds of hazm.
    # That a list is derived once and then read from the cache: test_reindex.py, indexer/derived.py.
    env = dict(os.environ)
    cache = Path(env["KAVOSH_CACHE"])
    stats = _modules_after("stats", "--index", str(sample_index), env=env)
    assert not {"hazm", "nltk", "indexer.speakers", "indexer.build"} & stats
    _modules_after("search", "کتاب", "--index", str(sample_index), env=env)  # derives the word lists if none are
    searched = _modules_after("search", "کتاب", "--index", str(sample_index), env=env)
    assert "backends.whoosh.scorer" in searched
    assert not {"hazm", "nltk", "indexer.speakers", "indexer.build"} & searched  # the lists come from the cache
    # issue 16: a search starts in a fraction of a second (the bench's cli section); none of these
    # is needed for it (readers, --bidi on's shaping, the site, the cluster's client, numpy.ma)
    unneeded = {"indexer.readers", "arabic_reshaper", "bidi", "importlib.metadata", "flask", "opensearchpy", "numpy.ma"}
    assert not unneeded & searched
    assert "stemmer" in {p.name.split("-")[0] for p in cache.iterdir()}


# --- batch, evaluate, parse, stats ------------------------------------------------------------


@pytest.fixture
def queries(tmp_path: Path) -> tuple[Path, Path]:
    queries = tmp_path / "queries.tsv"
    queries.write_text("# qid<TAB>query\n1\tشهابی\n2\tکتاب\n", encoding="utf-8")
    qrels = tmp_path / "qrels.txt"
    # query 1 finds its one relevant article first; query 2 never finds its (a weather report)
    qrels.write_text("1 0 page-07 1\n2 0 sample-002 1\n", encoding="utf-8")
    return queries, qrels


def test_evaluate(kavosh: Kavosh, sample_index: Path, queries: tuple[Path, Path]) -> None:
    result = kavosh(
        "evaluate", "--queries", str(queries[0]), "--qrels", str(queries[1]), "--index", str(sample_index), "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == pytest.approx({"MAP": 0.5, "P@10": 0.05, "nDCG@10": 0.5})


def test_evaluate_text(kavosh: Kavosh, sample_index: Path, queries: tuple[Path, Path]) -> None:
    result = kavosh("evaluate", "--queries", str(queries[0]), "--qrels", str(queries[1]), "--index", str(sample_index))
    assert result.stdout == "MAP 0.5000  P@10 0.0500  nDCG@10 0.5000\n"


def test_evaluate_tune_cross_validates_a_grid(
    kavosh: Kavosh, sample_index: Path, queries: tuple[Path, Path]
) -> None:
    grid = ["--tune", "FEEDBACK_WEIGHT=1,2", "--tune", "FEEDBACK=False"]
    result = kavosh("evaluate", "--queries", str(queries[0]), "--qrels", str(queries[1]), "--index",
                    str(sample_index), *grid, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["MAP"] == pytest.approx(0.5)
    assert [s["setting"] for s in scores["settings"]] == [
        "FEEDBACK_WEIGHT=1 FEEDBACK=False",
        "FEEDBACK_WEIGHT=2 FEEDBACK=False",
    ]
    # two judged queries make two folds; the settings tie, so each fold keeps the first
    assert scores["CV MAP"] == pytest.approx(0.5)
    assert scores["chosen"] == ["FEEDBACK_WEIGHT=1 FEEDBACK=False"] * 2


def test_evaluate_tune_names_a_bad_setting(kavosh: Kavosh, sample_index: Path, queries: tuple[Path, Path]) -> None:
    result = kavosh("evaluate", "--queries", str(queries[0]), "--qrels", str(queries[1]), "--index",
                    str(sample_index), "--tune", "FEEDBACK_WIEGHT=1")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == "kavosh: --tune 'FEEDBACK_WIEGHT=1': search.query has no setting FEEDBACK_WIEGHT\n"


def test_batch_writes_a_trec_run(
    kavosh: Kavosh, sample_index: Path, queries: tuple[Path, Path], tmp_path: Path
) -> None:
    run = tmp_path / "run.txt"
    result = kavosh("search", "--batch", str(queries[0]), "--run", str(run), "--index", str(sample_index))
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in run.read_text(encoding="utf-8").splitlines()]
    assert lines[0][:4] == ["1", "Q0", "page-07", "1"]
    assert [line[0] for line in lines] == ["1"] + ["2"] * 8  # «کتاب» is in 8 articles
    assert [int(line[3]) for line in lines if line[0] == "2"] == list(range(1, 9))
    assert all(len(line) == 6 and line[1] == "Q0" and line[5] == "kavosh" for line in lines)
    scores = [float(line[4]) for line in lines if line[0] == "2"]
    assert scores == sorted(scores, reverse=True)


def test_batch_without_run_exits_2(kavosh: Kavosh, sample_index: Path, queries: tuple[Path, Path]) -> None:
    result = kavosh("search", "--batch", str(queries[0]), "--index", str(sample_index))
    assert result.exit_code == 2
    assert result.stderr == "kavosh: --batch needs --run FILE\n"


def test_parse_prints_json_lines(kavosh: Kavosh) -> None:
    result = kavosh("parse", str(CORPUS / "pages"))
    assert result.exit_code == 0, result.output
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in articles] == [f"page-0{n}" for n in range(1, 9)]
    assert articles[0]["tags"] == ["کتاب", "فرهنگ"]
    assert articles[0]["published"] == "2023-06-11T00:00:00+03:30"


def test_parse_reports_bad_records_and_exits_1(kavosh: Kavosh, tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text('{"id": "a", "title": "ت", "body": "ب"}\n{"body": "ب"}\n', encoding="utf-8")
    result = kavosh("parse", str(corpus))
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert result.stderr == f"kavosh: {corpus}:2: no title\n"


def test_stats_json(kavosh: Kavosh, sample_index: Path) -> None:
    result = kavosh("stats", "--json", "--index", str(sample_index))
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert {k: stats[k] for k in ("documents", "tags", "speakers", "sources", "stemmer", "undated")} == {
        "documents": 40, "tags": 10, "speakers": 8, "sources": 4, "stemmer": "lexicon", "undated": 6,
    }  # fmt: skip
    assert stats["date_range"][0].startswith("2022-04-26") and stats["date_range"][1].startswith("2024-03-12")
    assert stats["index_bytes"] == sum(p.stat().st_size for p in Path(stats["index_path"]).iterdir())
    assert stats["last_summary"]["skipped"] == []
    assert stats["last_reindex"] == json.loads((Path(stats["index_path"]) / "kavosh.json").read_text())["built"]


def test_stats_text(kavosh: Kavosh, sample_index: Path) -> None:
    lines = kavosh("stats", "--index", str(sample_index)).stdout.splitlines()
    assert lines[0] == "    documents: 40"
    # Jalali beside Gregorian, as the site shows dates: 6 Ordibehesht 1401 .. 22 Esfand 1402
    assert "   date range: 2022-04-26 .. 2024-03-12  (Jalali 1401-02-06 .. 1402-12-22)" in lines


def test_stats_json_has_the_jalali_range(kavosh: Kavosh, sample_index: Path) -> None:
    stats = json.loads(kavosh("stats", "--json", "--index", str(sample_index)).stdout)
    assert stats["date_range_jalali"] == ["1401-02-06", "1402-12-22"]


# --- serve ------------------------------------------------------------------------------------


def test_serve_options_pick_the_worker_kind() -> None:
    one = options("127.0.0.1", 5000, workers=2, threads=1)
    assert (one["workers"], one["threads"], one["bind"]) == (2, 1, ["127.0.0.1:5000"])
    assert options("::1", 80, workers=3, threads=4)["threads"] == 4
    assert options("::1", 80, workers=3, threads=4)["bind"] == ["[::1]:80"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("stemmer", ["snowball", "lexicon"])
def test_serve_loads_the_indexs_word_lists_before_the_workers_fork(
    kavosh: Kavosh, tmp_path: Path, stemmer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import indexer.stem
    from kavosh.server import share_word_lists

    assert kavosh("reindex", str(CORPUS), "--index", str(tmp_path / "index"), "--stemmer", stemmer, "-q").exit_code == 0
    loaded: list[str] = []
    monkeypatch.setattr(indexer.stem, "get_stemmer", loaded.append)
    try:
        share_word_lists(str(tmp_path / "index"))
        assert gc.get_freeze_count() > 0  # the collector will not write into them in the workers
        share_word_lists(str(tmp_path / "nothing"))  # no index yet: the workers will say so
    finally:
        gc.unfreeze()
    assert loaded == [stemmer, "lexicon"]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to count worker processes")
def test_serve_runs_the_site_in_worker_processes(kavosh: Kavosh, sample_index: Path) -> None:
    """``kavosh serve --workers 2``: gunicorn with two worker processes serving the page, API and articles.

    Two connections opened and left silent (as browsers preconnect) must not hold the two workers.
    """
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = ["serve", "--index", str(sample_index), "--port", str(port), "--workers", "2"]
    server = subprocess.Popen([sys.executable, "-m", "kavosh", *command], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                status, body = _get(f"{base}/api/search?limit=100&q=" + urllib.parse.quote("کتاب"))
                break
            except OSError:
                assert time.monotonic() < deadline, "kavosh serve did not answer in 120 s"
                time.sleep(0.3)
        assert len(_children(server.pid)) == 2
        assert status == 200
        silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
        found = json.loads(body)
        assert found["total"] > 0 and found == search(kavosh, sample_index, "کتاب")  # the CLI's own JSON
        first = found["hits"][0]
        status, page = _get(f"{base}/article/{urllib.parse.quote(first['id'])}")
        assert status == 200 and html.escape(first["title"], quote=False) in page
        assert _get(f"{base}/article/no-such-article")[0] == 404
        status, page = _get(f"{base}/?q=" + urllib.parse.quote("کتاب"))
        assert status == 200 and html.escape(first["title"], quote=False) in page
        for connection in silent:
            connection.close()
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]
    assert server.returncode == 0, output
    assert f"Kavosh: {base}/  (index {sample_index}, 2 workers × 1 threads)" in output


# --- help -------------------------------------------------------------------------------------

COMMANDS = ["evaluate", "evaluate-speakers", "parse", "reindex", "search", "serve", "speaker-names", "stats"]


def test_the_commands() -> None:
    assert sorted(main.commands) == COMMANDS


def test_format_choices_are_the_readers() -> None:
    from indexer.readers import FORMATS
    from kavosh import cli

    assert cli.FORMATS == FORMATS


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=["kavosh", *COMMANDS])
def test_every_command_has_help(kavosh: Kavosh, command: list[str]) -> None:
    result = kavosh(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {' '.join(command)}".rstrip())


# --- reindex progress -----------------------------------------------------------------------------


def test_reindex_eta_comes_from_the_recent_rate_not_the_first_file() -> None:
    """The run the issue saw: the speaker pass took the first 30 s, then 4,840 files at ~55 a second.
    Click's estimate at the first file was «1 day 06:04»; ours waits, then follows the rate."""
    from kavosh.progress import RollingRate

    rate = RollingRate()
    rate.add(now=30.0, done=1, articles=1)
    assert (rate.eta(total=4840), rate.articles_per_second()) == (None, None)  # nothing to go by yet
    estimates = []
    for tick in range(1, 89):  # a report every second, 55 files and 60 articles each
        rate.add(now=30.0 + tick, done=1 + 55 * tick, articles=1 + 60 * tick)
        estimates.append((tick, rate.eta(total=4840)))
    known = [(tick, eta) for tick, eta in estimates if eta is not None]
    assert known[0][0] <= 5  # a few seconds of indexing are enough
    for tick, eta in known:
        truth = (4840 - 1 - 55 * tick) / 55
        assert abs(eta - truth) <= 1.0
    assert rate.articles_per_second() == 60.0
