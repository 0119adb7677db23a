"""The Whoosh side of a reindex: a new generation folder, written, then published or removed.

An incremental reindex copies the current generation and updates the copy;
a full one starts from an empty index. Either way ``store.publish`` makes it
current only when complete (see ``backends.whoosh.store``).

What every search reads is derived once here, after the documents are written: the
vocabulary (``VOCABULARY``), the columns (``COLUMNS``) and each segment's phrase positions
(``positions``). After a parallel write the vocabulary is counted in a forked process
(``VocabularyAside``) while this one builds the columns and the positions and saves the
manifest: otherwise one core does all of it while the other waits (a few percent of a
reindex's CPU, but nearly a tenth of its time on two cores).
"""

from __future__ import annotations

import marshal
import multiprocessing
import shutil
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from backends.base import FACET_FIELDS, IndexMissing, KeptUnreadable
from backends.whoosh.flush import FastCodec
from backends.whoosh.pool import PooledMpWriter, PooledSegmentWriter
from backends.whoosh.positions import write as write_positions
from backends.whoosh.schema import SCHEMA_VERSION, make_schema, to_document
from backends.whoosh.scorer import COLUMNS, save_columns
from backends.whoosh.search import VOCABULARY, count_terms
from backends.whoosh.store import META, clean, current_generation, publish, read_meta
from indexer.article import Article
from indexer.manifest import Manifest

#: The files a reindex keeps with a generation for the next one (``keep``): «kept-stems».
KEPT_PREFIX = "kept-"


def new_generation(index_dir: Path, now: int | None = None) -> Path:
    """A new, empty generation folder, named by its creation time (``now``, in ns) so names sort
    by age; never a folder that exists (whatever the clock says), since a failed reindex removes
    the folder it was building.
    """
    stamp = time.time_ns() if now is None else now
    while True:
        seconds, ns = divmod(stamp, 10**9)
        path = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S', time.localtime(seconds))}-{ns // 1000:06d}"
        try:
            path.mkdir(parents=True)
            return path
        except FileExistsError:
            stamp += 1000  # taken within this microsecond: the next one


def base_generation(index_dir: Path, stemmer: str, fmt: str | None, rebuild: bool) -> Path | None:
    """The generation to update, or ``None`` to build from nothing."""
    if rebuild:
        return None
    try:
        generation = current_generation(index_dir)
        meta = read_meta(generation)
    except (IndexMissing, OSError, ValueError):  # no index, or unreadable metadata: build anew
        return None
    same = meta.get("schema") == SCHEMA_VERSION and meta.get("stemmer") == stemmer and meta.get("format") == fmt
    return generation if same and (generation / Manifest.FILE).exists() else None


def _read(generation: Path) -> Index:
    """The index in ``generation`` read through its files, not mmap: with mmap Whoosh copies every
    segment file into memory for each searcher (at 5,000 articles 117 MB of the reindex's peak,
    at 100k most of its 1.9 GB), as ``store.open_index`` explains."""
    return FileStorage(str(generation), supports_mmap=False, readonly=True).open_index()


def write_vocabulary(generation: Path) -> None:
    """Count the terms of the index in ``generation`` into its ``VOCABULARY`` file."""
    (generation / VOCABULARY).write_bytes(marshal.dumps(count_terms(_read(generation))))


class VocabularyAside:
    """``write_vocabulary`` in a forked process; ``join`` waits for it and raises its error here.

    Its exception comes back through a pipe (no traceback on the terminal): an ``OSError`` (a
    full disk) stays one, so the reindex reports it as it reports its own.
    """

    def __init__(self, generation: Path) -> None:
        context = multiprocessing.get_context("fork")  # the index modules are loaded already
        self._results, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_count_aside, args=(generation, sender), daemon=True)
        self._process.start()
        sender.close()

    def join(self) -> None:
        try:
            error = self._results.recv()
        except EOFError:  # it died before it could say why (killed)
            error = OSError(f"the process counting the vocabulary ended with exit code {self._process.exitcode}")
        finally:
            self._process.join()
            self._results.close()
        if error is not None:
            raise error

    def stop(self) -> None:
        """Stop it (the generation is being discarded)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._results.close()


def _count_aside(generation: Path, results: Connection) -> None:
    try:
        write_vocabulary(generation)
        results.send(None)
    except BaseException as err:  # sent back whole, raised by ``join``
        try:
            results.send(err)
        except Exception:  # an exception pickle cannot carry: its words
            results.send(OSError(f"cannot count the vocabulary: {type(err).__name__}: {err}"))
    finally:
        results.close()


class WhooshWriter:
    """Whoosh's writer for one generation: one segment, or one per process. ``committed`` is called
    after a commit. Whoosh's writer is opened by the first change: a reindex with nothing changed
    opens none and commits nothing (``changed`` stays false), so the generation stays the copy of
    the current one it began as (a commit writes a new table of contents and may merge segments)."""

    def __init__(self, ix: Index, procs: int, parallel: bool, committed: Callable[[], None] | None = None) -> None:
        self._committed = committed
        self._open: Callable[[], Any]
        if procs > 1 and parallel:
            # Sub-writers analyse and write their own segments; the parent reads, dedupes and feeds them.
            self._open = lambda: PooledMpWriter(ix, procs, limitmb=256 // procs, multisegment=True, codec=FastCodec())
        else:
            self._open = lambda: PooledSegmentWriter(ix, limitmb=256, codec=FastCodec())
        self._writer: Any = None

    @property
    def changed(self) -> bool:
        return self._writer is not None

    def _opened(self) -> Any:
        if self._writer is None:
            self._writer = self._open()
        return self._writer

    def delete_file(self, path: str, ids: Sequence[str]) -> int:
        return int(self._opened().delete_by_term("file", path))

    def document(self, article: Article) -> dict[str, Any]:
        return to_document(article)

    def add(self, document: dict[str, Any], path: str, group: str) -> None:
        self._opened().add_document(file=path, group=group, **document)

    def commit(self) -> None:
        if self._writer is None:
            return
        self._writer.commit()
        if self._committed:
            self._committed()

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()


class WhooshGeneration:
    """A generation folder being built."""

    def __init__(self, index_dir: Path, *, stemmer: str, fmt: str | None, rebuild: bool) -> None:
        self.index_dir = index_dir
        self.cleaned = clean(index_dir)  # what a killed reindex left: only ever under the lock
        base = base_generation(index_dir, stemmer, fmt, rebuild)
        self.waiting: list[int] = []  # one machine writes a Whoosh index: no parts
        self.incremental = base is not None
        self.base = base
        self._writers: list[WhooshWriter] = []
        self.manifest = Manifest.load(base) if base else None
        self.counting: VocabularyAside | None = None  # the vocabulary, counted beside the columns
        self.path = new_generation(index_dir)
        try:
            if base:
                # written again at publish (what is kept, by the reindex's ``keep``)
                derived = shutil.ignore_patterns(META, Manifest.FILE, VOCABULARY, COLUMNS, f"{KEPT_PREFIX}*")
                shutil.copytree(base, self.path, ignore=derived, dirs_exist_ok=True)
                self.ix = whoosh_index.open_dir(str(self.path))
            else:
                self.ix = whoosh_index.create_in(str(self.path), make_schema(stemmer))
        except BaseException:
            self.discard()
            raise

    def writer(self, procs: int, parallel: bool) -> WhooshWriter:
        # A parallel write has both cores: the vocabulary is counted beside what follows the commit
        # (the summary, the labels, the columns, the manifest). A small one stays in one process.
        aside = procs > 1 and parallel
        writer = WhooshWriter(self.ix, procs, parallel, committed=self._count_aside if aside else None)
        self._writers.append(writer)
        return writer

    def _count_aside(self) -> None:
        self.counting = VocabularyAside(self.path)

    def publish(self, manifest: Manifest, meta: dict[str, Any]) -> None:
        try:
            unchanged = self._unchanged()
            if unchanged is not None:  # the same documents as the current generation: its derived files hold
                for name in (VOCABULARY, COLUMNS):
                    shutil.copy2(unchanged / name, self.path / name)
            else:
                # what a search's spelling rescue reads: counted once here, not by every command
                if self.counting is None:
                    write_vocabulary(self.path)
                # and the columns every search reads (lengths, dates, facets): built once here, not per process
                with _read(self.path).searcher() as searcher:
                    save_columns(searcher, self.path / COLUMNS, (*FACET_FIELDS, "month"))
            # the phrase positions of every segment that has none yet: the new and merged ones, or
            # all of an index written before them (a reindex with nothing changed adds them)
            write_positions(self.path)
            manifest.save(self.path)
            if self.counting is not None:
                self.counting.join()
        except BaseException:  # e.g. a full disk: the previous generation stays current, this one goes
            self.discard()
            raise
        publish(self.index_dir, self.path, {"schema": SCHEMA_VERSION, **meta})

    def _unchanged(self) -> Path | None:
        """The generation this one copied, if this reindex left its documents as they were and its
        vocabulary and columns can be reused: a reindex with nothing changed then costs the hashing
        of the files, not a count of the whole index."""
        base = self.base
        if base is None or any(writer.changed for writer in self._writers):
            return None
        return base if all((base / name).is_file() for name in (VOCABULARY, COLUMNS)) else None

    def keep(self, name: str, data: bytes) -> None:
        """A file of the generation (``KEPT_PREFIX``), made durable and current with the rest by ``publish``."""
        (self.path / f"{KEPT_PREFIX}{name}").write_bytes(data)

    def kept(self, name: str) -> bytes | None:
        if self.base is None:
            return None
        path = self.base / f"{KEPT_PREFIX}{name}"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise KeptUnreadable(f"{path}: {error.strerror or type(error).__name__}") from None

    def discard(self) -> None:
        if self.counting is not None:
            self.counting.stop()
        shutil.rmtree(self.path, ignore_errors=True)
