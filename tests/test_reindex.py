"""A reindex that never loses anything: incremental, deduplicated, atomic, alone.

The kill and concurrency tests run ``python -m kavosh reindex`` as a real
process and kill it (SIGKILL) part-way, or race a second one against it.
"""

from __future__ import annotations

import errno
import json
import marshal
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backends.whoosh import write
from backends.whoosh.scorer import COLUMNS
from backends.whoosh.search import VOCABULARY, count_terms
from backends.whoosh.store import META, current_generation, open_index
from backends.whoosh.write import new_generation
from indexer.build import MAX_ARTICLE_CHARS, NothingIndexed, reindex
from indexer.manifest import Manifest
from indexer.readers import ReadError
from search.engine import Engine, SearchRequest

ROOT = Path(__file__).resolve().parents[1]

_LONG = "این متن نمونه به اندازه کافی بلند است تا دو متن یکسان را بتوان یکی دانست. " * 3


def write_jsonl(path: Path, *records: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def article(ident: str, word: str, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "title": f"خبر {word}", "body": f"{word} در شهر دیده شد. {ident}", **extra}


def found(index: Path, query: str) -> set[str]:
    result = Engine(index).search(SearchRequest(query=query, limit=100, facets=False))
    return {hit["id"] for hit in result["hits"]}


# --- incremental ------------------------------------------------------------------------------


def test_second_run_reads_nothing_when_nothing_changed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"))
    write_jsonl(corpus / "b.jsonl", article("b1", "شاهین"))
    first = reindex([corpus], tmp_path / "index")
    second = reindex([corpus], tmp_path / "index")
    assert (first.mode, first.files_read, first.added) == ("rebuild", 2, 2)
    assert (second.mode, second.files_read, second.files_unchanged, second.added) == ("incremental", 0, 2, 0)
    assert second.indexed == 2
    assert found(tmp_path / "index", "شاهین") == {"b1"}


def test_nothing_changed_keeps_the_segments_and_what_was_derived_from_them(tmp_path: Path) -> None:
    """A reindex with nothing changed commits nothing (Whoosh would write a new table of contents and
    may merge segments) and copies the vocabulary and columns instead of counting the whole index."""
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"))
    write_jsonl(corpus / "b.jsonl", article("b1", "شاهین"))
    reindex([corpus], tmp_path / "index")
    first = current_generation(tmp_path / "index")
    reindex([corpus], tmp_path / "index")
    second = current_generation(tmp_path / "index")
    assert second != first
    derived = {VOCABULARY, COLUMNS}
    whoosh_files = {p.name for p in second.iterdir()} - derived - {META, Manifest.FILE}
    assert whoosh_files == {p.name for p in first.iterdir()} - derived - {META, Manifest.FILE}
    for name in derived:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name
    assert Engine(tmp_path / "index").meta["summary"]["files_read"] == 0
    assert found(tmp_path / "index", "پرستو") == {"a1"}


def test_a_changed_file_is_read_again_and_its_old_articles_leave(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"), article("a2", "کبوتر"))
    write_jsonl(corpus / "b.jsonl", article("b1", "شاهین"))
    index = tmp_path / "index"
    reindex([corpus], index)
    write_jsonl(corpus / "a.jsonl", article("a1", "قناری"))

    summary = reindex([corpus], index)

    assert (summary.files_read, summary.files_unchanged, summary.added, summary.removed) == (1, 1, 1, 2)
    assert found(index, "قناری") == {"a1"}
    assert found(index, "پرستو") == set()
    assert found(index, "کبوتر") == set()
    assert found(index, "شاهین") == {"b1"}
    assert Engine(index).document_count() == 2
    # a1 was there and is written again (changed); a2 is gone (removed); b1 was not touched
    assert (summary.changed, summary.unchanged) == (1, 1)
    assert summary.articles_line() == "0 added, 1 changed, 1 removed, 1 unchanged"


def test_the_summary_of_a_run_with_nothing_changed(tmp_path: Path, kavosh: Any) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"), article("a2", "کبوتر"))
    index = tmp_path / "index"
    assert kavosh("reindex", str(corpus), "--index", str(index), "-q").exit_code == 0
    again = kavosh("reindex", str(corpus), "--index", str(index), "-q").stdout.splitlines()
    assert re.fullmatch(
        rf"nothing changed in {re.escape(str(index))} \(\d+\.\d s\): 0 added, 0 changed, 0 removed, 2 unchanged",
        again[0],
    )
    assert again[1] == (
        "incremental: 0 files read, 1 unchanged, 0 gone; articles: 0 added, 0 changed, 0 removed, 2 unchanged"
    )


def test_a_new_generation_is_never_a_folder_that_exists(tmp_path: Path) -> None:
    # Two reindexes in the same microsecond (or a clock that repeats itself) must not share a
    # folder: a failed reindex removes the folder it was building, which would be the live index.
    now = 1_700_000_000_123_456_789
    first = new_generation(tmp_path, now)
    (first / "kept").write_text("live", encoding="utf-8")
    second = new_generation(tmp_path, now)
    assert second != first and second.is_dir() and not any(second.iterdir())
    assert (first / "kept").read_text(encoding="utf-8") == "live"
    assert sorted([second.name, first.name]) == [first.name, second.name]  # names sort by age
    assert new_generation(tmp_path, now + 10**9).name > second.name


def test_a_deleted_file_leaves_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"))
    gone = write_jsonl(corpus / "b.jsonl", article("b1", "شاهین"))
    index = tmp_path / "index"
    reindex([corpus], index)
    gone.unlink()

    summary = reindex([corpus], index)

    assert (summary.files_removed, summary.removed, summary.indexed) == (1, 1, 1)
    assert found(index, "شاهین") == set()
    assert found(index, "پرستو") == {"a1"}


def test_rebuild_reads_everything_again(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "a.jsonl", article("a1", "پرستو"))
    reindex([corpus], tmp_path / "index")
    summary = reindex([corpus], tmp_path / "index", rebuild=True)
    assert (summary.mode, summary.files_read, summary.added) == ("rebuild", 1, 1)


def test_another_stemmer_starts_over(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "a.jsonl", article("a1", "پرستو"))
    reindex([corpus], tmp_path / "index")
    summary = reindex([corpus], tmp_path / "index", stemmer="none")
    assert summary.mode == "rebuild"
    assert Engine(tmp_path / "index").meta["stemmer"] == "none"


def test_labels_follow_the_articles_that_remain(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", *(article(f"a{n}", "پرستو", tags=["محیط زیست"]) for n in range(2)))
    changing = write_jsonl(corpus / "b.jsonl", *(article(f"b{n}", "شاهین", tags=["محیط‌زیست"]) for n in range(3)))
    index = tmp_path / "index"
    reindex([corpus], index)
    assert Engine(index).meta["labels"]["tag"] == {"محیطزیست": "محیط\u200cزیست"}
    changing.unlink()
    reindex([corpus], index)
    assert Engine(index).meta["labels"]["tag"] == {"محیطزیست": "محیط زیست"}


def test_errors_of_unchanged_files_are_reported_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"))
    (corpus / "broken.jsonl").write_text("not json\n", encoding="utf-8")
    first = reindex([corpus], tmp_path / "index")
    second = reindex([corpus], tmp_path / "index")
    expected = f"{corpus / 'broken.jsonl'}:1: invalid JSON (Expecting value at column 1)"
    assert first.skipped == second.skipped == [expected]


# --- duplicates -------------------------------------------------------------------------------


def test_one_document_per_url_and_id_one_hit_per_body(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "1.jsonl", article("x1", "پرستو", url="https://example.org/1"))
    write_jsonl(corpus / "2.jsonl", article("x2", "کبوتر", url="https://example.org/1"))  # same URL
    write_jsonl(corpus / "3.jsonl", {"id": "y1", "title": "یک", "body": _LONG, "url": "https://example.org/2"})
    write_jsonl(corpus / "4.jsonl", {"id": "y2", "title": "دو", "body": _LONG + " ", "url": "https://example.org/3"})
    write_jsonl(corpus / "5.jsonl", article("x1", "قناری"))  # same id

    summary = reindex([corpus], tmp_path / "index")

    assert summary.indexed == 3
    assert summary.duplicates == {"url": 1, "id": 1}
    assert summary.grouped == 1
    assert found(tmp_path / "index", "کبوتر") == set()
    assert found(tmp_path / "index", "پرستو") == {"x1"}
    # identical bodies are both indexed, and searches show the group once
    assert Engine(tmp_path / "index").document_count() == 3
    result = Engine(tmp_path / "index").search(SearchRequest(query="متن نمونه", facets=False))
    assert [hit["id"] for hit in result["hits"]] == ["y1"] and result["total"] == 1


def test_when_the_first_copy_goes_the_duplicate_comes_back(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    first = write_jsonl(corpus / "1.jsonl", article("x1", "پرستو", url="https://example.org/1"))
    write_jsonl(corpus / "2.jsonl", article("x2", "کبوتر", url="https://example.org/1"))
    index = tmp_path / "index"
    reindex([corpus], index)
    first.unlink()

    summary = reindex([corpus], index)

    assert found(index, "کبوتر") == {"x2"}
    assert summary.duplicates == {}
    assert summary.indexed == 1


def test_duplicates_are_counted_in_every_summary(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "1.jsonl", article("x1", "پرستو", url="https://example.org/1"))
    write_jsonl(corpus / "2.jsonl", article("x2", "کبوتر", url="https://example.org/1"))
    reindex([corpus], tmp_path / "index")
    assert reindex([corpus], tmp_path / "index").duplicates == {"url": 1}


# --- bad input --------------------------------------------------------------------------------


@pytest.fixture
def messy_corpus(tmp_path: Path) -> Path:
    """Good files beside every kind of bad input the issue lists."""
    corpus = tmp_path / "messy"
    write_jsonl(corpus / "good.jsonl", article("g1", "پرستو"), article("g2", "کبوتر"))
    with open(corpus / "good.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"id": "g3", "title": "بی‌متن"}\n')  # a record with no body
        handle.write('{"id": "g4", "title": "نیمه\n')  # an invalid line
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (corpus / "truncated.jsonl").write_text('{"id": "t1", "title": "خبر", "bo', encoding="utf-8")
    # Windows-1256 has only the Arabic yeh, as old Persian text does
    (corpus / "old.txt").write_bytes("خبر قديمي\n\nمتن قديمي درباره شاهين در ويندوز.".encode("cp1256"))
    (corpus / "wide.txt").write_bytes(b"\xff\xfe" + "خبر تازه\n\nمتن تازه درباره قناری.".encode("utf-16-le"))
    return corpus


def test_bad_input_is_named_and_the_rest_is_indexed(messy_corpus: Path, tmp_path: Path) -> None:
    big = "خبر بزرگ\n\n" + ("سطری از یک پرونده بسیار بزرگ و نادرست. " * 1500 + "\n\n") * 600
    (messy_corpus / "huge.txt").write_text(big, encoding="utf-8")
    assert (messy_corpus / "huge.txt").stat().st_size > 50 * 2**20

    summary = reindex([messy_corpus], tmp_path / "index")

    assert found(tmp_path / "index", "پرستو") == {"g1"}
    assert found(tmp_path / "index", "شاهین") == {"old"}  # Windows-1256, read correctly
    assert found(tmp_path / "index", "قناری") == {"wide"}  # UTF-16 with a BOM, read correctly
    assert summary.indexed == 4
    reasons = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in summary.skipped}
    good = messy_corpus / "good.jsonl"
    assert reasons == {
        f"{good}:3": "no body",
        f"{good}:4": reasons[f"{good}:4"],
        str(messy_corpus / "empty.txt"): "empty file",
        str(messy_corpus / "binary.txt"): "binary file (contains NUL bytes), not text",
        f"{messy_corpus / 'truncated.jsonl'}:1": reasons[f"{messy_corpus / 'truncated.jsonl'}:1"],
        str(messy_corpus / "huge.txt"): reasons[str(messy_corpus / "huge.txt")],
    }
    assert reasons[f"{good}:4"].startswith("invalid JSON")
    assert reasons[f"{messy_corpus / 'truncated.jsonl'}:1"].startswith("invalid JSON")
    assert f"the limit is {MAX_ARTICLE_CHARS:,}" in reasons[str(messy_corpus / "huge.txt")]


def test_strict_stops_at_the_first_bad_file_and_keeps_the_index(messy_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    reindex([messy_corpus / "good.jsonl"], index, strict=False)
    before = current_generation(index)
    with pytest.raises(ReadError, match="binary file"):
        reindex([messy_corpus], index, strict=True)
    assert current_generation(index) == before
    assert found(index, "پرستو") == {"g1"}


def test_only_bad_input_changes_nothing(messy_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    reindex([messy_corpus / "good.jsonl"], index)
    with pytest.raises(NothingIndexed, match="empty file"):
        reindex([messy_corpus / "empty.txt", messy_corpus / "binary.txt"], index)
    assert found(index, "کبوتر") == {"g2"}


def test_a_full_disk_leaves_the_previous_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"))
    index = tmp_path / "index"
    reindex([corpus], index)
    before = current_generation(index)
    write_jsonl(corpus / "b.jsonl", article("b1", "شاهین"))

    def full(self: Manifest, generation: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Manifest, "save", full)
    with pytest.raises(OSError, match="No space left"):
        reindex([corpus], index)

    assert current_generation(index) == before
    assert sorted(p.name for p in index.glob("gen-*")) == [before.name]
    assert found(index, "پرستو") == {"a1"}
    assert found(index, "شاهین") == set()


# --- a real process, killed or raced ----------------------------------------------------------


def _big_corpus(folder: Path, files: int = 300, per_file: int = 6) -> Path:
    for n in range(files):
        records = [
            {
                "id": f"big-{n}-{k}",
                "title": f"گزارش شماره {n} درباره باغ",
                "body": ("درختان باغ در پاییز برگ ریختند و باغبان آنها را جمع کرد. " * 20) + f"شماره {n} {k}",
            }
            for k in range(per_file)
        ]
        write_jsonl(folder / f"part-{n:04d}.jsonl", *records)
    return folder


def _start(index: Path, *paths: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kavosh", "reindex", *map(str, paths), "--index", str(index), "--log-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _wait_for_progress(process: subprocess.Popen[str]) -> str:
    """Block until the reindex has indexed some files (it holds the lock by then)."""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("indexing: "):
            return line
    raise AssertionError(f"reindex ended without progress (exit {process.wait()})")


@pytest.fixture
def old_index(tmp_path: Path) -> Path:
    index = tmp_path / "index"
    reindex([write_jsonl(tmp_path / "old.jsonl", article("old1", "پرستو"))], index)
    return index


def test_a_killed_reindex_leaves_the_previous_index_whole(old_index: Path, tmp_path: Path) -> None:
    before = current_generation(old_index)
    with _start(old_index, _big_corpus(tmp_path / "big")) as process:
        _wait_for_progress(process)
        process.send_signal(signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL

    assert current_generation(old_index) == before
    assert found(old_index, "پرستو") == {"old1"}
    assert found(old_index, "باغ") == set()
    # the next reindex is not blocked by the dead one, and cleans up after it
    summary = reindex([tmp_path / "old.jsonl"], old_index)
    assert summary.indexed == 1
    assert len(list(old_index.glob("gen-*"))) <= 2


def test_a_second_reindex_is_refused_and_searches_go_on(old_index: Path, tmp_path: Path, kavosh: Any) -> None:
    from app import create_app

    with _start(old_index, _big_corpus(tmp_path / "big", files=400)) as process:
        _wait_for_progress(process)
        second = subprocess.run(
            [sys.executable, "-m", "kavosh", "reindex", str(tmp_path / "old.jsonl"), "--index", str(old_index)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert second.returncode == 1
        assert f"another reindex is running on {old_index} (pid {process.pid})" in second.stderr
        # searches keep working while the first one runs: the library, the CLI and the web
        assert found(old_index, "پرستو") == {"old1"}
        cli = kavosh("search", "پرستو", "--index", str(old_index), "--json")
        assert [hit["id"] for hit in json.loads(cli.stdout)["hits"]] == ["old1"]
        client = create_app({"INDEX": str(old_index), "TESTING": True}).test_client()
        response = client.get("/api/search", query_string={"q": "پرستو"})
        assert response.status_code == 200
        assert [hit["id"] for hit in response.get_json()["hits"]] == ["old1"]
        assert process.poll() is None, "the first reindex should still be running"
        assert process.wait(timeout=600) == 0
    assert found(old_index, "باغ")
    assert found(old_index, "پرستو") == set()  # the index now mirrors the big corpus alone


def test_the_cli_reports_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kavosh: Any) -> None:
    corpus = write_jsonl(tmp_path / "a.jsonl", article("a1", "پرستو"))

    def full(self: Manifest, generation: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Manifest, "save", full)
    result = kavosh("reindex", str(corpus), "--index", str(tmp_path / "index"))
    assert result.exit_code == 1
    assert "No space left on device; the previous index is unchanged" in result.stderr


def test_log_progress_lines(tmp_path: Path, kavosh: Any) -> None:
    corpus = tmp_path / "corpus"
    for n in range(3):
        write_jsonl(corpus / f"{n}.jsonl", article(f"a{n}", "پرستو"))
    result = kavosh("reindex", str(corpus), "--index", str(tmp_path / "index"), "--log-progress")
    lines = [f"indexing: {n}/3 files, {n} articles added" for n in (1, 2, 3)]
    assert result.stderr.splitlines() == [*lines, "indexing: all files read; computing similar articles"]
    again = kavosh("reindex", str(corpus), "--index", str(tmp_path / "index"), "--log-progress")
    assert "similar articles" not in again.stderr  # nothing changed: the index's neighbours are kept


# The lock is held until a killed reindex's workers are gone, and they die with it:
# tests/test_after_kill.py.


# --- parallel ---------------------------------------------------------------------------------


def _stored(index: Path) -> dict[str, tuple[list[str], str]]:
    """Each document's stored speakers and the speaker keys it is indexed under."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(current_generation(index)))
    with ix.searcher() as searcher:
        keys: dict[int, list[str]] = {}
        for term in searcher.lexicon("speaker"):
            for docnum in searcher.postings("speaker", term).all_ids():
                keys.setdefault(docnum, []).append(term.decode())
        return {
            fields["id"]: (fields["speakers"], ",".join(sorted(keys.get(docnum, []))))
            for docnum, fields in enumerate(searcher.all_stored_fields())
        }


def test_a_parallel_reindex_builds_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fictional articles over several files, more than one batch of Whoosh's writer (100 documents)
    # a process; «رضایی» alone is resolved across the corpus.
    corpus = tmp_path / "corpus"
    for n in range(6):
        records = [
            article(f"f{n}-{i}", "پرستو", body=f"محمد رضایی، رئیس سازمان، گفت: کار {n} {i} تمام شد.") for i in range(40)
        ]
        records.append(article(f"f{n}-s", "شاهین", body=f"دکتر رضایی گفت: کار {n} ادامه دارد."))
        records.append(article("f0-0", "تکراری"))  # a duplicate id: counted, not indexed
        write_jsonl(corpus / f"{n}.jsonl", *records)
    serial = reindex([corpus], tmp_path / "serial", procs=1)
    # Small enough to fork for: the speaker pass in a pool, the writing in sub-processes.
    monkeypatch.setattr("indexer.build.PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr("indexer.build.PARALLEL_MIN_BYTES", 1)
    asides: list[Path] = []

    class Aside(write.VocabularyAside):
        def __init__(self, generation: Path) -> None:
            asides.append(generation)
            super().__init__(generation)

    monkeypatch.setattr(write, "VocabularyAside", Aside)
    parallel = reindex([corpus], tmp_path / "parallel", procs=2)
    assert serial.to_json() | {"seconds": 0} == parallel.to_json() | {"seconds": 0}
    # the vocabulary was counted in a process of its own, beside the columns, and is the serial one
    assert asides == [current_generation(tmp_path / "parallel")]
    vocabularies = [
        marshal.loads((current_generation(tmp_path / i) / VOCABULARY).read_bytes()) for i in ("serial", "parallel")
    ]
    assert vocabularies[0] == vocabularies[1] == count_terms(open_index(tmp_path / "parallel")[0])
    assert (parallel.indexed, parallel.duplicates) == (246, {"id": 6})
    stored = _stored(tmp_path / "parallel")
    assert stored == _stored(tmp_path / "serial")
    assert stored["f3-s"][0] == ["محمد رضایی"]  # «دکتر رضایی» is the one رضایی the corpus names
    assert stored["f3-s"][1] == stored["f3-0"][1] != ""
    from whoosh import index as whoosh_index

    with whoosh_index.open_dir(str(current_generation(tmp_path / "parallel"))).searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2  # one segment a writing process: it ran in parallel


def test_the_vocabulary_counted_aside_raises_its_error_here(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A failure in the process that counts the vocabulary fails the reindex, with no traceback printed."""
    from whoosh.index import EmptyIndexError

    with pytest.raises(EmptyIndexError):
        write.VocabularyAside(tmp_path / "not-an-index").join()
    assert capfd.readouterr().err == ""


def test_the_vocabulary_is_counted_at_reindex_time(tmp_path: Path) -> None:
    """Every search reads the index's term counts (spelling rescue): the reindex writes them once."""
    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو"), article("a2", "کبوتر"))
    reindex([corpus], tmp_path / "index")
    write_jsonl(corpus / "b.jsonl", article("b1", "شاهین"))
    reindex([corpus], tmp_path / "index")  # incremental: counted again, not copied
    generation = current_generation(tmp_path / "index")
    terms, stems = marshal.loads((generation / VOCABULARY).read_bytes())
    assert (terms, stems) == count_terms(open_index(tmp_path / "index")[0])
    assert terms["شاهین"] == terms["پرستو"] == 1


def test_the_speaker_word_list_is_derived_once(tmp_path: Path) -> None:
    """A reindex loads it before forking its workers: derived from hazm in one process, it kept a
    two-process reindex on one core; from the cache it takes a fraction of that, hazm unimported."""
    code = "import sys\nfrom indexer.speakers.words import load_lexicons\nload_lexicons()\nprint('hazm' in sys.modules)"
    env = {**os.environ, "KAVOSH_CACHE": str(tmp_path / "cache")}
    # the stemmer's lexicon the run has derived already (6 CPU s): only the speaker words are at stake
    (tmp_path / "cache").mkdir()
    for lexicon in Path(os.environ["KAVOSH_CACHE"]).glob("stemmer-*"):
        shutil.copy2(lexicon, tmp_path / "cache" / lexicon.name)
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                           check=True).stdout.strip() for _ in range(2)]  # fmt: skip
    assert runs == ["True", "False"]
    assert any(p.name.startswith("speaker-words-") for p in (tmp_path / "cache").iterdir())


def test_the_columns_are_built_at_reindex_time(tmp_path: Path) -> None:
    """Every search reads lengths, dates, groups and facet values per document; a ``kavosh search``
    process built them from the posting lists each time (seconds at 12k articles): the reindex
    writes them once, and they are what a search would build (after an incremental reindex too)."""
    from backends.base import FACET_FIELDS
    from backends.whoosh.scorer import COLUMNS, Columns
    from backends.whoosh.store import open_index

    corpus = tmp_path / "corpus"
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو", tags=["پرنده"], published="2020-01-05"),
                article("a2", "کبوتر", tags=["پرنده", "شهر"], source="خبرگزاری نمونه"))  # fmt: skip
    reindex([corpus], tmp_path / "index")
    write_jsonl(corpus / "a.jsonl", article("a1", "پرستو", tags=["کوچ"]))  # a1 changed, a2 gone
    write_jsonl(corpus / "b.jsonl", article("b1", "شاهین", tags=["پرنده"], published="2021-03-01"))
    reindex([corpus], tmp_path / "index")  # incremental: built again, not copied
    generation = current_generation(tmp_path / "index")
    with open_index(tmp_path / "index")[0].searcher() as searcher:
        built, saved = Columns(searcher), Columns(searcher, generation / COLUMNS)
        assert saved._saved is not None
        for field in searcher.schema.scorable_names():
            assert saved.lengths(searcher, field).tolist() == built.lengths(searcher, field).tolist(), field
        assert saved.numbers(searcher, "published").tolist() == built.numbers(searcher, "published").tolist()
        assert saved.keys(searcher, "group")[1] == built.keys(searcher, "group")[1]
        assert saved.keys(searcher, "group")[0].tolist() == built.keys(searcher, "group")[0].tolist()
        for field in (*FACET_FIELDS, "month"):
            (docs, codes, names), (docs2, codes2, names2) = saved.pairs(searcher, field), built.pairs(searcher, field)
            assert (docs.tolist(), codes.tolist(), names) == (docs2.tolist(), codes2.tolist(), names2), field
        live = saved.live
        assert saved.count(searcher, "tag", live) == {"پرنده": 1, "کوچ": 1}
