"""Data derived from hazm's word lists, cached on disk and keyed by what it is derived from.

Deriving the stemmer's lexicon takes seconds (importing hazm pulls in nltk and scipy, then
200,000 words and 350,000 verb forms are re-keyed by their joined spelling); reading the result
back takes a tenth of that, and a command that starts cold pays it every time. The file's name
holds a digest of hazm's version, the Python version (``marshal``'s format is Python's) and the
source of the modules that derive the data: a new hazm or a changed rule derives it again, and an
old file is never read by mistake. ``KAVOSH_CACHE`` chooses the folder (default
``$XDG_CACHE_HOME/kavosh``, else ``~/.cache/kavosh``).

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> derived("example", [hashlib], lambda: {"a": 1}, folder=Path(folder))
{'a': 1}
>>> derived("example", [hashlib], lambda: {"never": "built"}, folder=Path(folder))
{'a': 1}
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import cast


def cache_folder() -> Path:
    """Where derived data is kept: ``$KAVOSH_CACHE``, else the user's cache folder."""
    chosen = os.environ.get("KAVOSH_CACHE")
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kavosh"


def _key(sources: Iterable[ModuleType]) -> str:
    digest = hashlib.sha256(f"{sys.version_info[:2]} hazm {metadata.version('hazm')}".encode())
    for module in sources:
        digest.update(Path(module.__file__).read_bytes() if module.__file__ else module.__name__.encode())
    return digest.hexdigest()[:16]


def derived[T](name: str, sources: Iterable[ModuleType], build: Callable[[], T], folder: Path | None = None) -> T:
    """``build()``, or what an earlier ``build()`` from the same source modules left in the cache.

    ``build`` must return what ``marshal`` keeps (str, int, list, tuple, set, dict of those).
    """
    path = (folder or cache_folder()) / f"{name}-{_key(sources)}.marshal"
    try:
        return cast(T, marshal.loads(path.read_bytes()))
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, TypeError):
        pass  # unreadable or cut short: derived again and replaced below
    data = build()
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a process reading meanwhile sees the whole file or none.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(data))  # type: ignore[arg-type]  # T is what marshal keeps
        os.replace(temporary, path)
    except OSError:
        # A read-only or full disk: every run derives the data again, slower but right.
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return data
