"""Corpus readers: one module a format, chosen by content and file name.

A reader module has ``NAME``, ``detect(path, head) -> bool`` and
``read(path)``, which yields ``Article`` objects and, for a bad record,
a ``ReadError`` (the rest of the file is still read). A file that cannot be
read at all raises ``ReadError``. Adding a format is adding a module to
``READERS``; more specific readers come first, the plain-text page last:
detection looks at the content (ir-news's ``###`` header, a JSON array, a
CSV header with title and body columns) before the file name, and
``--format`` forces a reader.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from indexer.article import Article
from indexer.readers import farsnews, hamshahri, irnews, jsonl, page, table
from indexer.readers.base import ReadError

READERS: tuple[ModuleType, ...] = (irnews, farsnews, jsonl, hamshahri, table, page)
FORMATS = tuple(reader.NAME for reader in READERS)

__all__ = [
    "FORMATS",
    "READERS",
    "ReadError",
    "find_corpus_files",
    "find_files",
    "read_file",
    "reader_for",
    "required_reader",
]


def reader_for(path: Path, fmt: str | None = None) -> ModuleType | None:
    """The reader for a file, or ``None`` when no format fits it."""
    if fmt:
        forced = next((r for r in READERS if fmt == r.NAME), None)
        if forced is None:
            raise ReadError(path, f"unknown format {fmt!r} (supported: {', '.join(FORMATS)})")
        return forced
    try:
        with open(path, "rb") as handle:
            head = handle.read(2048).decode("utf-8", "ignore")
    except OSError:
        head = ""
    return next((r for r in READERS if r.detect(path, head)), None)


# Documentation that travels with corpora; skipped inside folders, read
# when named explicitly.
_NOT_CORPUS = re.compile(r"(README|LICEN[CS]E|PROVENANCE|CHANGELOG|NOTICE)(\..*)?", re.IGNORECASE)


def find_files(paths: Iterable[str | Path], problems: list[ReadError] | None = None) -> Iterator[Path]:
    """Every file under the given files and folders, sorted; hidden files and
    corpus documentation (README, LICENSE, PROVENANCE) inside folders skipped.

    What is not a regular file that can be named in the index (a symbolic link
    loop or a broken link, a FIFO or a device, a name that is not UTF-8) is
    skipped, and named in ``problems`` when it is given. A path that does not
    exist raises ``ReadError``.
    """
    return (path for path, _ in find_corpus_files(paths, problems))


def find_corpus_files(
    paths: Iterable[str | Path], problems: list[ReadError] | None = None
) -> Iterator[tuple[Path, str]]:
    """``find_files``, each file with its path relative to the given folder it was found in
    (``/``-separated; the name of a file given itself): the same wherever the corpus is mounted."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                hidden = any(part.startswith(".") for part in rel)
                if hidden or _NOT_CORPUS.fullmatch(child.name) or child.is_dir():
                    continue
                problem = _not_a_corpus_file(child)
                if problem is None:
                    yield child, "/".join(rel)
                elif problems is not None:
                    problems.append(problem)
        elif path.exists() or path.is_symlink():
            problem = _not_a_corpus_file(path)
            if problem is None:
                yield path, path.name
            elif problems is not None:
                problems.append(problem)
        else:
            raise ReadError(path, "no such file or folder")


def _not_a_corpus_file(path: Path) -> ReadError | None:
    """Why ``path`` cannot be read as a corpus file, or ``None``."""
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return ReadError(path, "skipped: the file name is not UTF-8 (rename the file)")
    try:
        mode = path.stat().st_mode  # follows links
    except OSError as err:
        if err.errno == errno.ELOOP:
            return ReadError(path, "skipped: a symbolic link loop")
        if path.is_symlink():
            return ReadError(path, "skipped: a broken symbolic link")
        return ReadError(path, f"skipped: {err.strerror or err}")
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return ReadError(path, f"skipped: {kind}, not a regular file")


def read_file(path: Path, fmt: str | None = None) -> Iterator[Article | ReadError]:
    """The articles of one file (and ``ReadError`` for its bad records).

    Raises ``ReadError`` for a file no reader understands or cannot read.
    """
    yield from required_reader(path, fmt).read(path)


def required_reader(path: Path, fmt: str | None = None) -> ModuleType:
    """The reader for a file, or a ``ReadError`` saying no format fits it."""
    reader = reader_for(path, fmt)
    if reader is None:
        raise ReadError(path, f"unknown format (supported: {', '.join(FORMATS)}; use --format)")
    return reader
