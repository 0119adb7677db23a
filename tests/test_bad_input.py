"""No single bad record or file stops a reindex; nothing good is lost beside a bad line.

Each case is one an attack on loopback found to abort a run, or to lose or garble good
text (issue 18 §1, §2, §7): the run goes on, the bad record or file is named with its
path (and line) and counted, and the good ones are indexed as written.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from indexer.build import MAX_ARTICLE_CHARS, reindex
from indexer.readers import ReadError, find_files
from indexer.readers.base import collect_notes, read_text
from indexer.readers.jsonl import read as read_jsonl
from search.engine import Engine, SearchRequest

ROOT = Path(__file__).resolve().parents[1]


def record(ident: str, word: str, **extra: Any) -> str:
    fields = {"id": ident, "title": f"خبر {word}", "body": f"{word} در شهر دیده شد.", **extra}
    return json.dumps(fields, ensure_ascii=False)


def found(index: Path, query: str) -> set[str]:
    result = Engine(index).search(SearchRequest(query=query, limit=100, facets=False))
    return {hit["id"] for hit in result["hits"]}


def reasons(skipped: list[str]) -> dict[str, str]:
    """``path[:line]`` → reason, from a summary's skipped lines."""
    return dict(line.split(": ", 1) for line in skipped)


# --- §1: one bad record or file never aborts the run -----------------------------------------


def test_no_bad_record_or_file_aborts_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [
        record("a1", "پرستو"),
        "[" * 200_000,  # RecursionError in json.loads
        record("a3", "کبوتر", published=12345),  # not a string (AttributeError)
        record("a4", "شاهین", published="9999-12-31T23:59:59-14:00"),  # OverflowError
        record("a6", "قناری"),
    ]
    (corpus / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "nested.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # a deeply nested array
    odd_name = corpus / os.fsdecode(b"caf\xe9.jsonl")  # a file name that is not UTF-8
    odd_name.write_text(record("n1", "بلبل") + "\n", encoding="utf-8")
    locked = corpus / "locked.jsonl"
    locked.write_text(record("l1", "طوطی") + "\n", encoding="utf-8")
    real_digest = __import__("indexer.build", fromlist=["file_digest"]).file_digest

    def digest(path: Path) -> str:  # root reads a chmod 000 file: the kernel's refusal, simulated
        if path.name == "locked.jsonl":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return str(real_digest(path))

    monkeypatch.setattr("indexer.build.file_digest", digest)

    summary = reindex([corpus], tmp_path / "index")

    index = tmp_path / "index"
    assert found(index, "پرستو") == {"a1"}
    assert found(index, "قناری") == {"a6"}
    mixed = corpus / "mixed.jsonl"
    why = reasons(summary.skipped)
    assert why[f"{mixed}:2"] == "invalid JSON (nested too deeply)"
    assert why[f"{mixed}:3"] == "'published' must be a date string, not int"
    assert why[f"{mixed}:4"] == "not a valid date: '9999-12-31T23:59:59-14:00' (out of range)"
    assert why[str(corpus / "nested.json")] == "invalid JSON (nested too deeply)"
    assert why[f"{corpus}/caf\\xe9.jsonl"] == "skipped: the file name is not UTF-8 (rename the file)"
    assert why[str(locked)] == "cannot read: Permission denied"
    assert len(summary.skipped) == 6
    assert summary.indexed == 2


def test_the_cli_names_each_bad_file_and_exits_0(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.jsonl").write_text(record("g1", "پرستو") + "\n" + "[" * 200_000 + "\n", encoding="utf-8")
    (corpus / os.fsdecode(b"bad\xff.jsonl")).write_text(record("b1", "کبوتر") + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "kavosh", "reindex", str(corpus), "--index", str(tmp_path / "index"), "--quiet"],
        capture_output=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    out = run.stdout.decode("utf-8")  # every byte printed is UTF-8
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in run.stderr
    assert "skipped 2:" in out
    assert f"{corpus}/good.jsonl:2: invalid JSON (nested too deeply)" in out
    assert f"{corpus}/bad\\xff.jsonl: skipped: the file name is not UTF-8" in out


def test_a_reader_that_fails_part_way_ends_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever a reader raises (here a bug no check foresaw), that file is named and the run goes on.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(record("a1", "پرستو") + "\n", encoding="utf-8")
    (corpus / "b.txt").write_text("خبر کبوتر\n\nکبوتر در شهر دیده شد.", encoding="utf-8")

    def broken(path: Path) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr("indexer.readers.page.read", broken)
    summary = reindex([corpus], tmp_path / "index")
    assert found(tmp_path / "index", "پرستو") == {"a1"}
    assert summary.skipped == [f"{corpus / 'b.txt'}: cannot read the rest of the file (KeyError: 'surprise')"]


# --- §2: guess only when the whole file fits; lose the bad line only ----------------------------


def test_utf8_with_one_bad_byte_stays_utf8_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "one-bad-byte.txt"
    path.write_bytes("خبر قناری\n\n".encode() + "قناری در باغ خواند. ".encode() * 20 + b"\xff" + "پایان.".encode())
    with collect_notes() as notes:
        text = read_text(path)
    assert text.startswith("خبر قناری") and "\ufffd" in text
    first = path.read_bytes().index(b"\xff")
    assert notes == [f"{path}: 1 invalid UTF-8 sequence(s) replaced by U+FFFD (the first at byte {first})"]
    summary = reindex([path], tmp_path / "index")
    assert found(tmp_path / "index", "قناری") == {"one-bad-byte"}
    assert summary.notes == notes


def test_windows_1256_is_guessed_and_said(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("خبر قديمي\n\nمتن قديمي درباره شاهين در ويندوز.".encode("cp1256"))
    summary = reindex([path], tmp_path / "index")
    assert found(tmp_path / "index", "شاهین") == {"old"}
    guessed = "not UTF-8 (invalid continuation byte at byte 0): decoded as Windows-1256 (guessed)"
    assert summary.notes == [f"{path}: {guessed}"]


def test_jsonl_loses_only_the_line_with_a_nul_or_bad_utf8(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_bytes(
        record("a1", "پرستو").encode() + b"\n"
        + record("a2", "کبوتر").encode().replace("کبوتر".encode(), b"\x00", 1) + b"\n"  # a raw NUL byte
        + record("a3", "شاهین").encode().replace("شاهین".encode(), b"\xff\xfe", 1) + b"\n"  # not UTF-8
        + record("a4", "قناری").encode() + b"\n"
    )  # fmt: skip
    items = list(read_jsonl(path))
    assert [i.id for i in items if not isinstance(i, ReadError)] == ["a1", "a4"]
    assert [str(i) for i in items if isinstance(i, ReadError)] == [
        f"{path}:2: invalid JSON (Invalid control character at column 28)",
        f"{path}:3: not UTF-8 (invalid start byte at byte 30 of the line)",
    ]


def test_csv_keeps_every_row_beside_a_huge_field(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    rows = [
        "id,title,body",
        "c1,خبر پرستو,پرستو در شهر دیده شد.",
        f'c2,خبر بلند,"{"کلمه " * 40_000}"',  # 200,000 characters: more than the csv module's 131,072
        f'c3,خبر بسیار بلند,"{"کلمه " * (MAX_ARTICLE_CHARS // 5 + 1)}"',  # more than an article may hold
        "c4,خبر قناری,قناری در باغ خواند.",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = reindex([path], tmp_path / "index")
    assert found(tmp_path / "index", "قناری") == {"c4"}
    assert found(tmp_path / "index", "کلمه") == {"c2"}
    assert len(summary.skipped) == 1
    assert summary.skipped[0].startswith(f"{path}: ") and "'c3'" in summary.skipped[0]


def test_control_characters_never_reach_stored_text(tmp_path: Path) -> None:
    from app import create_app

    path = tmp_path / "news.jsonl"
    path.write_text(
        json.dumps({"id": "x1", "title": "خبر\u0000 پرستو\u0001", "body": "پرستو\u001f در\u007f شهر\ud800 دیده شد."})
        + "\n",
        encoding="utf-8",
    )
    reindex([path], tmp_path / "index")
    client = create_app({"INDEX": str(tmp_path / "index"), "TESTING": True}).test_client()
    article = client.get("/api/article/x1").get_json()
    assert (article["title"], article["body"]) == ("خبر پرستو", "پرستو در شهر دیده شد.")


# --- §7: odd files are skipped and named ---------------------------------------------------------


def test_symlink_loops_fifos_and_broken_links_are_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.jsonl").write_text(record("g1", "پرستو") + "\n", encoding="utf-8")
    os.symlink("loop.jsonl", corpus / "loop.jsonl")
    os.symlink("nowhere.jsonl", corpus / "broken.jsonl")
    os.mkfifo(corpus / "pipe.jsonl")
    problems: list[ReadError] = []
    assert list(find_files([corpus], problems)) == [corpus / "good.jsonl"]
    assert sorted(map(str, problems)) == [
        f"{corpus / 'broken.jsonl'}: skipped: a broken symbolic link",
        f"{corpus / 'loop.jsonl'}: skipped: a symbolic link loop",
        f"{corpus / 'pipe.jsonl'}: skipped: a FIFO, not a regular file",
    ]
    summary = reindex([corpus, corpus / "pipe.jsonl"], tmp_path / "index")  # named or found, never opened
    assert summary.indexed == 1
    assert len(summary.skipped) == 4
