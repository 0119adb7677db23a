"""Data derived from hazm's word lists, cached on disk and keyed by what it is derived from.

Deriving the stemmer's lexicon takes seconds (importing hazm pulls in nltk and scipy, then
200,000 words and 350,000 verb forms are re-keyed by their joined spelling); reading the result
back takes a tenth of that, and a command that starts cold pays it every time. The file's name
holds a digest of hazm's version, the Python version (``marshal``'s format is Python's) and the
source of the modules that derive the data: a new hazm or a changed rule derives it again, and an
old file is never read by mistake. ``KAVOSH_CACHE`` chooses the folder (default
``$XDG_CACHE_HOME/kavosh``, else ``~/.cache/kavosh``). A process that finds a file being derived by
another (two commands, or the test suite's two workers, started on an empty cache) waits for it
rather than derive it a second time (``_deriving``).

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> derived("example", [hashlib], lambda: {"a": 1}, folder=Path(folder))
{'a': 1}
>>> derived("example", [hashlib], lambda: {"never": "built"}, folder=Path(folder))
{'a': 1}

A process that looks up a few words (``kavosh search``) need not load a whole list:
``derived_tables`` keeps the same data as SQLite tables, read a key at a time.

>>> tables = derived_tables("example", [hashlib], lambda: {"words": {"a": "1"}}, folder=Path(folder))
>>> words = tables.table("words", str)
>>> "a" in words, "b" in words, words.get("a")
(True, False, '1')
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import logging
import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import sqlite3


def cache_folder() -> Path:
    """Where derived data is kept: ``$KAVOSH_CACHE``, else the user's cache folder."""
    chosen = os.environ.get("KAVOSH_CACHE")
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kavosh"


def _hazm_version() -> str:
    """hazm's installed version, from the name of its ``.dist-info`` folder where there is one:
    ``importlib.metadata`` costs a tenth of a second to import, as much as a whole search.

    >>> from importlib import metadata
    >>> _hazm_version() == metadata.version("hazm")
    True
    """
    spec = importlib.util.find_spec("hazm")
    if spec is not None and spec.origin:
        for info in Path(spec.origin).parent.parent.glob("hazm-*.dist-info"):
            return info.name.removeprefix("hazm-").removesuffix(".dist-info")
    from importlib import metadata

    return metadata.version("hazm")


def _key(sources: Iterable[ModuleType]) -> str:
    digest = hashlib.sha256(f"{sys.version_info[:2]} hazm {_hazm_version()}".encode())
    for module in sources:
        digest.update(Path(module.__file__).read_bytes() if module.__file__ else module.__name__.encode())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _deriving(path: Path) -> Iterator[None]:
    """Held while ``path`` is derived: an exclusive lock on ``path.lock`` beside it, which another
    process deriving the same file waits for (then finds the file written). Where the cache folder
    cannot be written, no lock: each process derives the data for itself, as it must anyway; where
    its files cannot be locked (``flock`` fails), the same, with one note in the log."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = path.with_name(path.name + ".lock").open("a")
    except OSError:
        yield
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        except OSError as error:  # ENOLCK on some NFS mounts, EINVAL: derived without the lock
            _note_no_lock(path.parent, error)
        yield


_UNLOCKED: set[Path] = set()


def _note_no_lock(folder: Path, error: OSError) -> None:
    """One note a folder whose files cannot be locked: each process there derives its own copy."""
    if folder not in _UNLOCKED:
        _UNLOCKED.add(folder)
        logging.getLogger(__name__).warning(
            "%s: cannot lock the cache's files (%s); each process derives its own data", folder, error
        )


def _read_marshal(path: Path) -> object:
    """The data in ``path``; ``FileNotFoundError`` when it is absent, unreadable or cut short."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError) as err:  # derived again and replaced
        raise FileNotFoundError(path) from err


def derived[T](name: str, sources: Iterable[ModuleType], build: Callable[[], T], folder: Path | None = None) -> T:
    """``build()``, or what an earlier ``build()`` from the same source modules left in the cache.

    ``build`` must return what ``marshal`` keeps (str, int, list, tuple, set, dict of those).
    """
    path = (folder or cache_folder()) / f"{name}-{_key(sources)}.marshal"
    with contextlib.suppress(FileNotFoundError):
        return cast(T, _read_marshal(path))
    with _deriving(path):
        with contextlib.suppress(FileNotFoundError):
            return cast(T, _read_marshal(path))  # another process derived it meanwhile
        return _derive(path, name, build)


def _derive[T](path: Path, name: str, build: Callable[[], T]) -> T:
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


def derived_tables(
    name: str, sources: Iterable[ModuleType], build: Callable[[], Mapping[str, Mapping[str, str]]],
    folder: Path | None = None,
) -> Tables | None:
    """The tables ``build()`` returns (table name -> key -> value), as an SQLite file in the cache.

    Built once, like ``derived``; ``None`` where the cache cannot be written (then the caller loads
    the data whole, as ``derived`` gives it).
    """
    path = (folder or cache_folder()) / f"{name}-{_key(sources)}.sqlite"
    if not path.exists():
        with _deriving(path):
            if not path.exists() and not _derive_tables(path, name, build):  # else another process's
                return None
    return Tables(path)


def _derive_tables(path: Path, name: str, build: Callable[[], Mapping[str, Mapping[str, str]]]) -> bool:
    """Write ``build()``'s tables to ``path``; false where the cache cannot be written."""
    import sqlite3  # only here: most commands never open a table

    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".sqlite")
        os.close(handle)
        with contextlib.closing(sqlite3.connect(temporary)) as db, db:
            for table, rows in build().items():
                db.execute(f"CREATE TABLE {table} (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
                db.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows.items())
        os.replace(temporary, path)  # written aside and renamed, as in ``derived``
    except (OSError, sqlite3.Error):
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    return True


class Tables:
    """A read-only SQLite file of ``derived_tables``; each thread of each process opens its own
    connection: a connection must not cross a ``fork``, and one shared by a server's threads gave
    one thread's lookup another's row (and ``InterfaceError``), its statements being cached and
    reused per connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            import sqlite3

            local.db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            local.pid = os.getpid()
        db: sqlite3.Connection = local.db
        return db

    def table[V](self, name: str, decode: Callable[[str], V]) -> Table[V]:
        return Table(self, name, decode)


class Table[V]:
    """``key in table`` and ``table.get(key)`` of one table, each a query (microseconds): nothing is loaded."""

    def __init__(self, tables: Tables, name: str, decode: Callable[[str], V]) -> None:
        self._tables = tables
        self._query = f"SELECT v FROM {name} WHERE k = ?"
        self._decode = decode

    def __contains__(self, key: object) -> bool:
        return self.get(str(key)) is not None

    def get(self, key: str) -> V | None:
        row = self._tables.connection().execute(self._query, (key,)).fetchone()
        return None if row is None else self._decode(row[0])
