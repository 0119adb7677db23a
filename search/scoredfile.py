"""A file of scored neighbours, ``key -> [(neighbour, score), ...]`` in ``marshal``, that a make
target builds beside the index and searches read once per modification.

Word associations (``search.associations``) are such a file (the articles' nearest articles are
not: every reindex publishes them with the index, ``search.neighbours``). They only re-order what a
query matches, so a missing file means "off" and a file that cannot be read is named in a warning
(once per modification) while searches go on without it: a broken file must not stop the site or
the command line.
"""

from __future__ import annotations

import logging
import marshal
import os
import threading
import time
from pathlib import Path

Table = dict[str, list[tuple[str, float]]]
#: Seconds a table is used before its file is looked at again (a rebuild replaces it): a search
#: does not pay a ``stat`` each time, as ``backends.opensearch`` looks at its alias.
CHECK_SECONDS = 2.0


class ScoredFile:
    """One kind of scored file: where it lives by default, the variable naming another, what a
    warning calls the file, the make target that builds it, what searches go without when it
    cannot be read, and the logger (its module's) that says so.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> kind = ScoredFile(folder / "t.marshal", "KAVOSH_DOCTEST_TABLE", "test", "make t", "tests", __name__)
    >>> kind.table()
    {}
    >>> _ = (folder / "t.marshal").write_bytes(marshal.dumps({"a": [("b", 0.5)]}))
    >>> kind.table()  # the file is looked at again only after ``check_seconds``
    {}
    >>> kind.check_seconds = 0
    >>> kind.table()
    {'a': [('b', 0.5)]}
    """

    def __init__(self, default: Path, variable: str, what: str, target: str, without: str, logger: str) -> None:
        self.default, self.variable, self.what, self.target, self.without = default, variable, what, target, without
        self._log = logging.getLogger(logger)
        self._lock = threading.Lock()
        self._loaded: dict[Path, tuple[float, Table]] = {}
        self._checked: dict[Path, float] = {}  # when each file was last looked at (monotonic)
        self.check_seconds = CHECK_SECONDS

    def path(self) -> Path | None:
        """The file searches read: ``$variable`` when set ("" for none), else the default."""
        named = os.environ.get(self.variable)
        if named is None:
            return self.default
        return Path(named) if named else None

    def table(self, file: Path | None = None) -> Table:
        """The table in ``file`` (default: ``path()``), read once per modification, looked at
        every ``CHECK_SECONDS`` at most; empty when there is no such file or it cannot be read
        (then named in a warning)."""
        file = file if file is not None else self.path()
        if file is None:
            return {}
        now = time.monotonic()
        with self._lock:
            found = self._loaded.get(file)
            if found is not None and now - self._checked[file] < self.check_seconds:
                return found[1]
        try:
            modified = file.stat().st_mtime
        except FileNotFoundError:  # remembered too: most installations have no such file
            with self._lock:
                self._loaded[file], self._checked[file] = (-1.0, {}), now
            return {}
        with self._lock:
            self._checked[file] = now
            found = self._loaded.get(file)
            if found is None or found[0] != modified:
                try:
                    read = self.read(file)
                except ValueError as err:
                    self._log.warning("%s; searching without %s", err, self.without)
                    read = {}
                found = self._loaded[file] = (modified, read)
            return found[1]

    def read(self, file: Path) -> Table:
        """The table in ``file``; ``ValueError`` naming the file when it is not one."""
        try:
            data = marshal.loads(file.read_bytes())
            if not isinstance(data, dict):
                raise TypeError("not a dict")
            return {str(k): [(str(n), float(s)) for n, s in v] for k, v in data.items()}
        except (ValueError, EOFError, TypeError) as err:
            raise ValueError(f"{file}: not a {self.what} file ({err}): run {self.target}") from err
