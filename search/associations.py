"""Word associations learned from the corpora: for a stem, the stems used in like contexts.

The worst dev queries ask for a topic in words its articles do not use («همسرداری» where the
articles say «ازدواج», «همسر»). ``make associations`` trains word vectors (gensim's word2vec) on
the shared corpora's stems and writes each stem's nearest neighbours with their cosine
similarity to a small file (``indexer.associations``); a search reads it once per modification.
Associations only re-order what a query matches, so a missing file means "off", and a file that
cannot be read is named in a warning (once per modification) while searches go on without it: a
broken file must not stop the site or the command line.

The file is a ``marshal`` dict: stem -> [(neighbour, similarity), ...], best first.
"""

from __future__ import annotations

import logging
import marshal
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

#: Where ``make associations`` writes the file; ``$KAVOSH_ASSOCIATIONS`` names another ("" for none).
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "var" / "associations.marshal"
#: Seconds a table is used before its file is looked at again (a rebuild replaces it): a search
#: does not pay a ``stat`` each time, as ``backends.opensearch`` looks at its alias.
CHECK_SECONDS = 2.0

Neighbours = dict[str, list[tuple[str, float]]]

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_loaded: dict[Path, tuple[float, Neighbours]] = {}  # file -> (its modification time, its table)
_checked: dict[Path, float] = {}  # when each file was last looked at (monotonic)


def path() -> Path | None:
    """The associations file a search reads: ``$KAVOSH_ASSOCIATIONS`` when set ("" for none), else
    ``DEFAULT_PATH``."""
    named = os.environ.get("KAVOSH_ASSOCIATIONS")
    if named is None:
        return DEFAULT_PATH
    return Path(named) if named else None


def neighbours(file: Path | None = None) -> Neighbours:
    """The table in ``file`` (default: ``path()``), read once per modification, looked at every
    ``CHECK_SECONDS`` at most; empty when there is no such file or it cannot be read (then named
    in a warning).

    >>> import tempfile
    >>> file = Path(tempfile.mkdtemp()) / "associations.marshal"
    >>> neighbours(file)
    {}
    >>> _ = file.write_bytes(marshal.dumps({"نهنگ": [("دلفین", 0.5)]}))
    >>> neighbours(file)  # the file is looked at again only after ``CHECK_SECONDS``
    {}
    >>> _checked[file] -= CHECK_SECONDS  # the window is over
    >>> neighbours(file)
    {'نهنگ': [('دلفین', 0.5)]}
    """
    file = file if file is not None else path()
    if file is None:
        return {}
    now = time.monotonic()
    with _lock:
        found = _loaded.get(file)
        if found is not None and now - _checked[file] < CHECK_SECONDS:
            return found[1]
    try:
        modified = file.stat().st_mtime
    except FileNotFoundError:  # remembered too: most installations have no such file
        with _lock:
            _loaded[file], _checked[file] = (-1.0, {}), now
        return {}
    with _lock:
        _checked[file] = now
        found = _loaded.get(file)
        if found is None or found[0] != modified:
            try:
                table = _read(file)
            except ValueError as err:
                _log.warning("%s; searching without word associations", err)
                table = {}
            found = _loaded[file] = (modified, table)
        return found[1]


def _read(file: Path) -> Neighbours:
    """The table in ``file``; ``ValueError`` naming the file when it is not one."""
    try:
        data = marshal.loads(file.read_bytes())
        if not isinstance(data, dict):
            raise TypeError("not a dict")
        return {str(k): [(str(n), float(s)) for n, s in v] for k, v in data.items()}
    except (ValueError, EOFError, TypeError) as err:
        raise ValueError(f"{file}: not a word-associations file ({err}): run make associations") from err


def associated(stems: Sequence[str], table: Neighbours, count: int, least: float) -> list[tuple[str, float]]:
    """Up to ``count`` neighbours of each of ``stems`` with a similarity of at least ``least``, each
    once with its best similarity, leaving out the stems themselves.

    >>> table = {"همسرداری": [("همسر", 0.7), ("ازدواج", 0.6), ("زناشویی", 0.5)], "اسلام": [("دین", 0.6)]}
    >>> associated(["همسرداری", "اسلام"], table, 2, 0.55)
    [('همسر', 0.7), ('ازدواج', 0.6), ('دین', 0.6)]
    """
    best: dict[str, float] = {}
    own = set(stems)
    for stem in stems:
        for neighbour, similarity in table.get(stem, [])[:count]:
            if similarity >= least and neighbour not in own:
                best[neighbour] = max(best.get(neighbour, 0.0), similarity)
    return list(best.items())
