"""What an index holds, file by file: the memory of an incremental reindex.

For every corpus file the manifest keeps its content hash, its format, the
documents it gave (id, URL, body digest, facet values, date), the errors
met reading it, and the files whose documents it duplicated. From that a
reindex knows what to read again, which documents to delete, which copies
are duplicates, and the display labels of facet values, without reading
the index back.

>>> m = Manifest()
>>> doc = DocEntry(id="a", url="https://x/1", digest="d1")
>>> m.claim(doc, "/c/one.jsonl")
>>> m.duplicate_of(DocEntry(id="b", url="https://x/1", digest="d2"))
('url', '/c/one.jsonl')
>>> m.same_body(DocEntry(id="c", url="", digest="d1"))
True
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from indexer.article import Article
from indexer.metadata import clean_label, facet_key
from indexer.normalize import normalize

#: Facets whose values get a display label: the commonest clean spelling.
LABELLED = ("tag", "speaker", "source", "cited", "category")

# Bodies shorter than this (headline-only items) are too short to call two
# articles the same.
_MIN_DIGEST_CHARS = 100
_SPACES = re.compile(r"\s+")


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (files may be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def body_digest(body: str) -> str:
    """A digest equal for bodies that differ only in spelling variants and spacing, '' for short ones.

    >>> body_digest("x" * 120) == body_digest(" " + "x" * 120 + "\\n")
    True
    >>> body_digest("کوتاه")
    ''
    """
    text = _SPACES.sub(" ", normalize(body)).strip()
    if len(text) < _MIN_DIGEST_CHARS:
        return ""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class DocEntry:
    """One indexed document, as the manifest remembers it."""

    id: str
    url: str = ""
    digest: str = ""
    published: str = ""  # ISO date with zone, or ''
    facets: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, article: Article, digest: str) -> DocEntry:
        facets = {
            "tag": article.tags,
            "speaker": article.speakers,
            "source": [article.source] if article.source else [],
            "cited": article.cited,
            "category": article.categories,
        }
        return cls(
            id=article.id,
            url=article.url.strip(),
            digest=digest,
            published=article.published.isoformat() if article.published else "",
            facets={name: list(values) for name, values in facets.items() if values},
        )


@dataclass
class FileEntry:
    """One corpus file: its hash, format, documents, errors and what it duplicated."""

    hash: str
    format: str = ""
    docs: list[DocEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was guessed or repaired reading it
    deps: set[str] = field(default_factory=set)  # files holding the first copy of a duplicate
    duplicates: Counter[str] = field(default_factory=Counter)  # copies not indexed, by kind
    relative: str = ""  # its path in the corpus folder it was found in, which decides its part (``indexer.parts``)

    def to_json(self) -> dict[str, Any]:
        return {
            "hash": self.hash,
            "format": self.format,
            "docs": [asdict(doc) for doc in self.docs],
            "errors": self.errors,
            "notes": self.notes,
            "deps": sorted(self.deps),
            "duplicates": dict(self.duplicates),
            **({"relative": self.relative} if self.relative else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileEntry:
        return cls(
            hash=data["hash"],
            format=data.get("format", ""),
            docs=[DocEntry(**doc) for doc in data.get("docs", [])],
            errors=list(data.get("errors", [])),
            notes=list(data.get("notes", [])),
            deps=set(data.get("deps", [])),
            duplicates=Counter(data.get("duplicates", {})),
            relative=data.get("relative", ""),
        )


class Manifest:
    """Every file of an index, and who owns each id, URL and body."""

    FILE = "files.json"

    def __init__(self, files: dict[str, FileEntry] | None = None) -> None:
        self.files: dict[str, FileEntry] = dict(files or {})
        self._owners: dict[tuple[str, str], str] = {}
        for path, entry in self.files.items():
            for doc in entry.docs:
                self.claim(doc, path)

    @classmethod
    def load(cls, generation: Path) -> Manifest:
        data = json.loads((generation / cls.FILE).read_text(encoding="utf-8"))
        return cls({path: FileEntry.from_json(entry) for path, entry in data["files"].items()})

    def save(self, generation: Path) -> None:
        data = {"files": {path: self.files[path].to_json() for path in sorted(self.files)}}
        tmp = generation / f".{self.FILE}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, generation / self.FILE)

    def stale(self, hashes: dict[Path, str]) -> list[str]:
        """Files whose documents must leave the index: gone, changed, or
        duplicates of documents that are leaving (so their own copy returns)."""
        current = {str(path): digest for path, digest in hashes.items()}
        stale = {path for path, entry in self.files.items() if current.get(path) != entry.hash}
        grew = True
        while grew:
            grew = False
            for path, entry in self.files.items():
                if path not in stale and entry.deps & stale:
                    stale.add(path)
                    grew = True
        return sorted(stale)

    def without(self, paths: list[str]) -> Manifest:
        gone = set(paths)
        return Manifest({path: entry for path, entry in self.files.items() if path not in gone})

    def claim(self, doc: DocEntry, path: str) -> None:
        """Record that ``path`` holds the indexed copy of ``doc``."""
        for kind, value in (("id", doc.id), ("url", doc.url), ("body", doc.digest)):
            if value:
                self._owners.setdefault((kind, value), path)

    def duplicate_of(self, doc: DocEntry) -> tuple[str, str] | None:
        """(``'url'``/``'id'``, owning file) if ``doc`` is already indexed."""
        for kind, value in (("url", doc.url), ("id", doc.id)):
            owner = self._owners.get((kind, value)) if value else None
            if owner:
                return kind, owner
        return None

    def same_body(self, doc: DocEntry) -> bool:
        """Whether an indexed document has the same body (``doc`` is then grouped with it)."""
        return bool(doc.digest) and ("body", doc.digest) in self._owners

    def grouped(self) -> int:
        """Documents indexed beside another with the same body (searches show one of them)."""
        digests = Counter(doc.digest for entry in self.files.values() for doc in entry.docs if doc.digest)
        return sum(count - 1 for count in digests.values())

    def document_count(self) -> int:
        return sum(len(entry.docs) for entry in self.files.values())

    def formats(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for entry in self.files.values():
            if entry.docs:
                counts[entry.format] += len(entry.docs)
        return counts

    def duplicates(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for entry in self.files.values():
            counts.update(entry.duplicates)
        return counts

    def errors(self) -> list[str]:
        return [error for path in sorted(self.files) for error in self.files[path].errors]

    def notes(self) -> list[str]:
        return [note for path in sorted(self.files) for note in self.files[path].notes]

    def labels(self) -> dict[str, dict[str, str]]:
        """For each facet, key -> the commonest clean spelling of the value."""
        spellings: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        for entry in self.files.values():
            for doc in entry.docs:
                for facet, values in doc.facets.items():
                    for value in values:
                        key = facet_key(value)
                        if key:
                            spellings[facet][key][clean_label(value)] += 1
        return {
            facet: {key: _commonest(counts) for key, counts in sorted(keys.items())}
            for facet, keys in spellings.items()
        }

    def date_range(self) -> list[str] | None:
        dates = [doc.published for entry in self.files.values() for doc in entry.docs if doc.published]
        return [min(dates, key=datetime.fromisoformat), max(dates, key=datetime.fromisoformat)] if dates else None


def _commonest(counts: Counter[str]) -> str:
    # Ties go to the alphabetically first spelling, so labels do not depend on file order.
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
