"""Where the postings live: one room per engine behind one small interface (``backends.base``).

The engine is chosen by a configuration string, here and nowhere else:
``--backend whoosh|opensearch`` (``$KAVOSH_BACKEND``), with ``--index`` (a
folder, for Whoosh) or ``--opensearch URL[,URL...]`` (``$KAVOSH_OPENSEARCH_URL``).

>>> Config.from_options().backend in BACKENDS
True
>>> Config.from_options(opensearch="http://a:9200, http://b:9200").urls
('http://a:9200', 'http://b:9200')
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from backends.base import Backend

#: Backend name -> "module:class"; each class has ``from_config(Config)``.
BACKENDS = {
    "whoosh": "backends.whoosh:WhooshBackend",
    "opensearch": "backends.opensearch:OpenSearchBackend",
}
DEFAULT_BACKEND = "whoosh"
#: Where the Whoosh index lives unless ``--index`` or ``KAVOSH_INDEX`` says otherwise.
DEFAULT_INDEX = Path("var") / "index"
#: The OpenSearch alias searches go through (each full reindex builds a new index behind it).
DEFAULT_ALIAS = "kavosh"
DEFAULT_URL = "http://127.0.0.1:9200"


class BadConfig(ValueError):
    """An unknown backend name or an unusable location."""


@dataclass(frozen=True)
class Config:
    """Which engine, and where."""

    backend: str = DEFAULT_BACKEND
    index: Path = DEFAULT_INDEX  # Whoosh: the index folder
    urls: tuple[str, ...] = (DEFAULT_URL,)  # OpenSearch: nodes to talk to
    alias: str = DEFAULT_ALIAS  # OpenSearch: the alias searched

    @classmethod
    def from_options(
        cls,
        backend: str | None = None,
        index: str | os.PathLike[str] | None = None,
        opensearch: str | None = None,
        alias: str | None = None,
    ) -> Config:
        """Options, else ``$KAVOSH_BACKEND``, ``$KAVOSH_INDEX``, ``$KAVOSH_OPENSEARCH_URL``,
        ``$KAVOSH_OPENSEARCH_ALIAS``, else the defaults."""
        env = os.environ
        name = (backend or env.get("KAVOSH_BACKEND") or DEFAULT_BACKEND).strip().lower()
        if name not in BACKENDS:
            raise BadConfig(f"unknown backend {name!r} (choose one of: {', '.join(BACKENDS)})")
        urls = tuple(
            u.strip() for u in (opensearch or env.get("KAVOSH_OPENSEARCH_URL") or DEFAULT_URL).split(",") if u.strip()
        )
        if not urls:
            raise BadConfig("--opensearch needs at least one URL (http://host:9200)")
        return cls(
            backend=name,
            index=Path(index or env.get("KAVOSH_INDEX") or DEFAULT_INDEX),
            urls=urls,
            alias=alias or env.get("KAVOSH_OPENSEARCH_ALIAS") or DEFAULT_ALIAS,
        )


def open_backend(config: Backend | Config | str | os.PathLike[str]) -> Backend:
    """The backend a configuration names; a bare path is a Whoosh index folder, a backend itself."""
    if isinstance(config, (str, os.PathLike)):
        config = Config(index=Path(config))
    if not isinstance(config, Config):
        return config
    module, _, name = BACKENDS[config.backend].partition(":")
    backend: Backend = getattr(importlib.import_module(module), name).from_config(config)
    return backend
