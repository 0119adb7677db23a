"""Build an index from corpus files: read, analyse, write, publish.

A reindex reads every file it is given, skips (and reports) what it cannot
use, writes a new generation and only then makes it current (see
``indexer.store``), so the previous index stays searchable throughout and
after a failure.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from indexer.article import Article
from indexer.dates import TEHRAN
from indexer.metadata import facet_key
from indexer.normalize import normalize
from indexer.readers import ReadError, find_files, required_reader
from indexer.schema import make_schema, to_document
from indexer.stem import DEFAULT_STEMMER
from indexer.store import WriteLock, publish

#: Called after each file: (files done, files in all, articles indexed so far).
Progress = Callable[[int, int, int], None]


class NothingIndexed(Exception):
    """No article could be read from the given paths."""


@dataclass
class Summary:
    """What a reindex did, for the command line and ``kavosh.json``."""

    indexed: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)  # "path[:line]: reason"
    duplicates: int = 0
    formats: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "files": self.files,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "formats": dict(self.formats),
            "seconds": round(self.seconds, 2),
        }


class _Labels:
    """Counts the spellings of each facet value to display the commonest."""

    def __init__(self) -> None:
        self.spellings: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))

    def add(self, facet: str, values: Iterable[str]) -> None:
        for value in values:
            key = facet_key(value)
            if key:
                self.spellings[facet][key][normalize(value)] += 1

    def to_json(self) -> dict[str, dict[str, str]]:
        return {
            facet: {key: counts.most_common(1)[0][0] for key, counts in sorted(keys.items())}
            for facet, keys in self.spellings.items()
        }


def reindex(
    paths: Iterable[str | Path],
    index_dir: Path,
    *,
    stemmer: str = DEFAULT_STEMMER,
    fmt: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Index every article under ``paths`` into a new generation of ``index_dir``.

    Raises ``ReadError`` (file not found, or any bad input with ``strict``),
    ``IndexBusy`` (another reindex runs) or ``NothingIndexed``; in each case
    the current index is left as it was.
    """
    started = time.monotonic()
    files = list(find_files(paths))
    summary = Summary(files=len(files))
    labels = _Labels()
    seen: dict[str, str] = {}
    index_dir = Path(index_dir)
    with WriteLock(index_dir):
        generation = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns() % 10**6:06d}"
        generation.mkdir(parents=True)
        ix = whoosh_index.create_in(str(generation), make_schema(stemmer))
        writer = ix.writer(limitmb=256)
        try:
            for done, path in enumerate(files, start=1):
                _index_file(path, fmt, strict, writer, summary, labels, seen)
                if progress:
                    progress(done, len(files), summary.indexed)
            if summary.indexed == 0:
                raise NothingIndexed("no article could be indexed" + _first_reasons(summary))
            writer.commit()
        except BaseException:
            writer.cancel()
            shutil.rmtree(generation, ignore_errors=True)
            raise
        summary.seconds = time.monotonic() - started
        publish(
            index_dir,
            generation,
            {
                "labels": labels.to_json(),
                "stemmer": stemmer,
                "built": datetime.now(TEHRAN).isoformat(timespec="seconds"),
                "summary": summary.to_json(),
            },
        )
    return summary


def _index_file(
    path: Path,
    fmt: str | None,
    strict: bool,
    writer: Any,
    summary: Summary,
    labels: _Labels,
    seen: dict[str, str],
) -> None:
    try:
        reader = required_reader(path, fmt)
        for item in reader.read(path):
            if isinstance(item, ReadError):
                _skip(summary, item, strict)
                continue
            if item.id in seen:
                summary.duplicates += 1
                _skip(summary, ReadError(path, f"duplicate id {item.id!r} (first in {seen[item.id]})"), strict)
                continue
            seen[item.id] = str(path)
            _add(writer, item, labels)
            summary.indexed += 1
            summary.formats[reader.NAME] += 1
    except ReadError as err:
        _skip(summary, err, strict)


def _add(writer: Any, article: Article, labels: _Labels) -> None:
    writer.add_document(**to_document(article))
    labels.add("tag", article.tags)
    labels.add("speaker", article.speakers)
    labels.add("source", [article.source] if article.source else [])


def _skip(summary: Summary, error: ReadError, strict: bool) -> None:
    if strict:
        raise error
    summary.skipped.append(str(error))


def _first_reasons(summary: Summary) -> str:
    if not summary.skipped:
        return " (no files found)" if summary.files == 0 else ""
    return ": " + "; ".join(summary.skipped[:3])
