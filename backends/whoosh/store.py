"""Where an index lives on disk, and how it is swapped in atomically.

An index folder holds generations, each a complete Whoosh index with a
``kavosh.json`` beside it, and a ``CURRENT`` file naming the one to search.
A reindex builds a new generation, then replaces ``CURRENT`` with
``os.replace`` (atomic on POSIX): a reindex that dies part-way leaves the
previous generation current and whole, and searches never see half an
index. A lock file refuses a second concurrent reindex.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from backends.base import IndexBusy, IndexMissing

CURRENT = "CURRENT"
META = "kavosh.json"
LOCK = ".lock"
PREVIOUS = "previous"  # the metadata key naming the generation that was current before


def current_generation(index_dir: Path) -> Path:
    """The folder of the generation to search, or ``IndexMissing``."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexMissing(f"no index at {index_dir} (run `kavosh reindex` first)") from None
    path = index_dir / name
    if not name or not path.is_dir():
        raise IndexMissing(f"index at {index_dir} names a missing generation {name!r}")
    return path


def read_meta(generation: Path) -> dict[str, Any]:
    """A generation's metadata: labels, stemmer, build summary."""
    meta: dict[str, Any] = json.loads((generation / META).read_text(encoding="utf-8"))
    return meta


def open_index(index_dir: Path, generation: Path | None = None) -> tuple[Index, dict[str, Any]]:
    """The current Whoosh index (or the one in ``generation``), read-only, and its metadata (labels,
    build summary).

    Without mmap: with it, Whoosh copies each segment file of a compound
    segment into memory for every searcher it opens (~250 MB and ~90 ms per
    searcher at 12k articles); read through the file, a searcher costs
    nothing to keep open.
    """
    generation = current_generation(index_dir) if generation is None else generation
    storage = FileStorage(str(generation), supports_mmap=False, readonly=True)
    return storage.open_index(), read_meta(generation)


def publish(index_dir: Path, generation: Path, meta: dict[str, Any]) -> None:
    """Write the metadata, then make ``generation`` the current one.

    Every file of the generation reaches the disk before ``CURRENT`` names
    it (Whoosh does not fsync), so a power loss cannot leave ``CURRENT``
    pointing at a generation whose files were still in the page cache.
    """
    try:
        previous = current_generation(index_dir).name
    except IndexMissing:
        previous = None
    meta = {**meta, PREVIOUS: previous}
    _write_atomic(generation / META, json.dumps(meta, ensure_ascii=False, indent=1))
    for path in generation.iterdir():
        if path.is_file():
            _fsync_file(path)
    _fsync_dir(generation)
    _write_atomic(index_dir / CURRENT, generation.name + "\n")
    _fsync_dir(index_dir)
    clean(index_dir)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean(index_dir: Path) -> list[Path]:
    """Delete every generation but the current one and the one current before it (searches
    may still read it), decided from ``CURRENT``, never from folder age or completeness: a
    generation a killed reindex finished but never published goes too. Without a ``CURRENT``
    that names a generation, the newest complete one is kept. Run under the write lock, at
    the start of a reindex (what a killed one left) and after each publish. The deleted folders.
    """
    generations = sorted(p for p in index_dir.glob("gen-*") if p.is_dir())
    try:
        current = current_generation(index_dir)
        keep = {current.name, str(read_meta(current).get(PREVIOUS) or "")}
    except (IndexMissing, OSError, ValueError):
        complete = [p for p in generations if (p / META).exists()]
        keep = {complete[-1].name} if complete else set()
    gone = [path for path in generations if path.name not in keep]
    for path in gone:
        shutil.rmtree(path, ignore_errors=True)
    return gone


class WriteLock:
    """An exclusive, non-blocking lock on an index folder, released on exit, or by the
    kernel when this process and every process it forked are gone.

    An ``flock`` on a file opened without close-on-fork: the worker processes a parallel
    reindex forks share the lock, so a killed reindex leaves the index locked until its
    workers are gone too (they die with it, ``indexer.lifeline``), and no second reindex
    runs beside them. Programs it executes do not inherit it (close-on-exec).
    """

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / LOCK
        self._fd: int | None = None

    def __enter__(self) -> WriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise IndexBusy(
                f"another reindex is running on {self.path.parent} (pid {holder}); "
                "wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
