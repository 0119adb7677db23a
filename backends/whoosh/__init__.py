"""The embedded engine: a Whoosh index in a folder of generations (Kavosh's default).

``store`` keeps the generations and publishes them atomically, ``schema`` says
what is indexed, ``write`` builds a generation, ``search`` and ``scorer`` search one.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backends.whoosh.search import WhooshIndex
from backends.whoosh.store import WriteLock, current_generation, open_index
from backends.whoosh.write import WhooshGeneration

if TYPE_CHECKING:
    from backends import Config
    from indexer.parts import Part


def _whole(part: Part | None) -> None:
    if part is not None and part.total > 1:
        raise ValueError(f"--part {part}: a Whoosh index is a folder written by one machine; use --backend opensearch")


class WhooshBackend:
    """A Whoosh index folder; searches follow reindexes as they publish."""

    name = "whoosh"
    parts = False  # one folder on one machine

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self.location = str(self.index_dir)
        self.description = f"index {self.location}"
        self._lock = threading.Lock()
        self._opened: WhooshIndex | None = None

    @classmethod
    def from_config(cls, config: Config) -> WhooshBackend:
        return cls(config.index)

    def open(self) -> WhooshIndex:
        """The current generation; reopened when a reindex has published a new one."""
        generation = current_generation(self.index_dir)
        with self._lock:
            if self._opened is None or self._opened.generation != generation:
                # The old one closes its searchers once no search holds it any more. The generation
                # read above, not ``CURRENT`` again: a reindex may have published since, and its
                # index under this one's name read this one's columns (lengths, dates, deletions).
                index, meta = open_index(self.index_dir, generation)
                self._opened = WhooshIndex(index, meta, generation)
            return self._opened

    def lock(self, part: Part | None = None) -> AbstractContextManager[Any]:
        _whole(part)
        return WriteLock(self.index_dir)

    def begin(self, *, stemmer: str, fmt: str | None, rebuild: bool, part: Part | None = None) -> WhooshGeneration:
        _whole(part)
        return WhooshGeneration(self.index_dir, stemmer=stemmer, fmt=fmt, rebuild=rebuild)

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.close()
                self._opened = None
