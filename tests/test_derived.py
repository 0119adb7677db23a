"""``indexer.derived``: data derived once per cache, even by processes that start together."""

from __future__ import annotations

import errno
import hashlib
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import indexer.derived as derived_module
from indexer.derived import derived, derived_tables


def _build(folder: Path) -> dict[str, str]:
    """What a derivation returns; each call leaves a line in ``builds.txt`` and takes a while,
    so a second process asks while the first is still at it."""
    with (folder / "builds.txt").open("a") as builds:
        builds.write("built\n")
    time.sleep(0.5)
    return {"a": "1"}


def _marshal_in(folder: Path) -> object:
    return derived("example", [hashlib], lambda: _build(folder), folder=folder)


def _tables_in(folder: Path) -> object:
    tables = derived_tables("example", [hashlib], lambda: {"words": _build(folder)}, folder=folder)
    return tables.table("words", str).get("a") if tables else None


def _together(folder: Path, fetch: Callable[[Path], object]) -> list[object]:
    """``fetch(folder)`` in two processes started at once."""
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return pool.map(fetch, [folder, folder])


def test_two_processes_on_an_empty_cache_derive_the_data_once(tmp_path: Path) -> None:
    assert _together(tmp_path, _marshal_in) == [{"a": "1"}, {"a": "1"}]
    assert (tmp_path / "builds.txt").read_text() == "built\n"  # the other waited and read the file


def test_two_processes_on_an_empty_cache_derive_the_tables_once(tmp_path: Path) -> None:
    assert _together(tmp_path, _tables_in) == ["1", "1"]
    assert (tmp_path / "builds.txt").read_text() == "built\n"


def test_a_cache_that_cannot_be_written_derives_the_data_each_time(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    for _ in range(2):  # no lock to take, no file to write: derived, not an error
        assert derived("example", [hashlib], lambda: _build(tmp_path), folder=blocked / "cache") == {"a": "1"}
    assert (tmp_path / "builds.txt").read_text() == "built\nbuilt\n"


def test_a_cache_whose_files_cannot_be_locked_derives_without_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """``flock`` raising (ENOLCK on some NFS mounts) reached the user as a traceback: now the data is
    derived and cached without the lock (each process its own, as before the lock), with one note."""

    def no_lock(file: object, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(derived_module.fcntl, "flock", no_lock)
    with caplog.at_level(logging.WARNING, logger="indexer.derived"):
        assert derived("example", [hashlib], lambda: _build(tmp_path), folder=tmp_path) == {"a": "1"}
        assert _tables_in(tmp_path) == "1"
        assert derived("other", [hashlib], lambda: _build(tmp_path), folder=tmp_path) == {"a": "1"}
        assert derived("example", [hashlib], lambda: {"never": "built"}, folder=tmp_path) == {"a": "1"}
    assert (tmp_path / "builds.txt").read_text() == "built\n" * 3  # each derived once, then read
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and str(tmp_path) in notes[0] and "No locks available" in notes[0], notes


def test_threads_that_look_words_up_at_once_each_get_their_own_words_row(tmp_path: Path) -> None:
    """A server's threads share the tables: with one connection between them a lookup returned
    another thread's row, or raised ``sqlite3.InterfaceError``."""
    tables = derived_tables("words", [hashlib], lambda: {"words": {f"k{n}": f"v{n}" for n in range(500)}}, tmp_path)
    assert tables is not None
    table = tables.table("words", str)
    wrong: list[tuple[str, object]] = []

    def look_up(start: int) -> None:
        for n in range(start, start + 5000):
            key = f"k{n % 500}"
            try:
                found: object = table.get(key)
            except Exception as error:  # what another thread's lookup made of this one: a wrong answer too
                found = error
            if found != f"v{n % 500}":
                wrong.append((key, found))

    threads = [threading.Thread(target=look_up, args=(start,)) for start in range(0, 400, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
