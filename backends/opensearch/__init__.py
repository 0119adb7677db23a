"""A cluster: an OpenSearch index behind an alias, written and searched with ``opensearch-py``.

``mapping`` and ``index.json`` say what is indexed, ``documents`` analyses an article
(Kavosh's own analysis, in Python), ``write`` builds a new index and moves the alias,
``query`` and ``search`` search the index the alias names.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from backends.opensearch.search import OpenSearchIndex, current_version
from backends.opensearch.write import Lock, OpenSearchGeneration, call, read_meta
from indexer.parts import WHOLE, Part

if TYPE_CHECKING:
    from backends import Config

# opensearch-py logs every failed request with its traceback; with no logging configured Python
# prints that on stderr. Kavosh reports a cluster error itself, in one line (``write.call``).
logging.getLogger("opensearch").addHandler(logging.NullHandler())

#: Seconds a request may take (a bulk of analysed documents, an aggregation over every match).
TIMEOUT = 120
#: Seconds between two looks at where the alias points (a reindex elsewhere may move it).
ALIAS_CHECK_SECONDS = 2.0
#: Seconds an opened index is kept when its content changed in place (documents written into the
#: index the alias names, not by Kavosh's reindex, which writes a new index or a clone): after that,
#: the next search opens it again, so its vocabulary, shared groups and document count follow.
#: Re-reading the vocabulary costs seconds, hence at most once per window however often it is written.
CONTENT_CHECK_SECONDS = 30.0


class OpenSearchBackend:
    """An alias on a cluster; searches follow the alias as reindexes move it."""

    name = "opensearch"
    parts = True  # N machines may feed one index (``--part K/N``)

    def __init__(self, urls: tuple[str, ...], alias: str) -> None:
        from opensearchpy import OpenSearch

        self.urls = urls
        self.alias = alias
        self.location = f"{','.join(urls)} alias {alias}"
        self.description = f"opensearch {','.join(urls)} (alias {alias})"
        # Sniffing off: the nodes named are the ones to use (a cluster behind a proxy or in
        # containers advertises addresses a client may not reach).
        self.client = OpenSearch(list(urls), timeout=TIMEOUT, max_retries=2, retry_on_timeout=True,
                                 sniff_on_start=False, sniff_on_connection_fail=False)  # fmt: skip
        self._lock = threading.Lock()
        self._opened: OpenSearchIndex | None = None
        self._checked = 0.0

    @classmethod
    def from_config(cls, config: Config) -> OpenSearchBackend:
        return cls(config.urls, config.alias)

    def open(self) -> OpenSearchIndex:
        """The index the alias names, as it is now: a new ``OpenSearchIndex`` (whose vocabulary, shared
        groups and document count are read again when needed) when the alias moved, or when the
        documents searches see changed and the opened one is older than ``CONTENT_CHECK_SECONDS``.
        One request every ``ALIAS_CHECK_SECONDS`` at most tells both (``current_version``)."""
        import time

        with self._lock:
            now = time.monotonic()
            opened = self._opened
            if opened is not None and now - self._checked < ALIAS_CHECK_SECONDS:
                return opened
            name, version = current_version(self.client, self.alias)  # IndexMissing when it names none
            changed = opened is not None and version is not None and opened.version != version
            if opened is None or opened.name != name or (changed and now - opened.opened_at >= CONTENT_CHECK_SECONDS):
                found = read_meta(self.client, self.alias, name) or {}
                self._opened = OpenSearchIndex(self.client, name, found.get("meta", {}), version, opened_at=now)
                opened = self._opened
            self._checked = now
            return opened

    def lock(self, part: Part | None = None) -> AbstractContextManager[Any]:
        return Lock(self.client, self.alias, part or WHOLE)

    def begin(self, *, stemmer: str, fmt: str | None, rebuild: bool, part: Part | None = None) -> OpenSearchGeneration:
        return OpenSearchGeneration(self.client, self.alias, stemmer=stemmer, fmt=fmt, rebuild=rebuild,
                                    urls=self.urls, part=part or WHOLE)  # fmt: skip

    def health(self) -> dict[str, Any]:
        health: dict[str, Any] = call(self.client.cluster.health)
        return health

    def close(self) -> None:
        self.client.close()
