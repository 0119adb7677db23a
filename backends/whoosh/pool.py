"""Whoosh's posting pool with runs read back in blocks: the same postings in the same order, for far
less CPU once a writer's pool outgrows ``limitmb``.

A Whoosh writer keeps every posting of its segment in a pool (``PostingPool``) and sorts it at the
flush. Past ``limitmb`` the pool writes its sorted postings to a run file and starts again, and the
flush merges the runs. Whoosh writes a run one ``marshal.dump`` a posting and reads it back one
``marshal.load`` a posting from the file object, and ``marshal.load`` on a file reads it a few bytes
at a time through Python calls: microseconds a posting. A Hamshahri article gives ~590 postings
(~110 kB by the pool's count), so each of a two-process reindex's writers (128 MB) of the 5,375
articles writes about three runs. Measured, 800 Hamshahri articles in one process with a run every
48 MB (three runs), load average ~16: 30.0 CPU s with Whoosh's pool, 21.4 with this one, 18.9 with
no run at all. ``BlockPool`` writes a run in blocks of ``BLOCK`` postings, each one
``marshal.dumps`` with its length before it, and reads a block with one ``read`` and one
``marshal.loads``: in memory, one block of each run at a time, as Whoosh's merge holds one posting.
The run files are the pool's own (made and removed by it, never part of an index); the merge and
everything it feeds are Whoosh's.

``PooledSegmentWriter`` and ``PooledMpWriter`` are Whoosh's writers (one process, and one segment a
process) with this pool. Written for whoosh-reloaded 2.7.5 (pinned in pyproject.toml).
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

from whoosh import multiproc
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

#: Postings a block of a run holds: ~200 kB in memory per run being merged (a 100k reindex merges ~40 a writer).
BLOCK = 1024
_LENGTH = 8  # bytes of the length before each block


class BlockPool(PostingPool):  # type: ignore[misc]  # Whoosh is untyped
    """``PostingPool`` whose runs are written and read a block of postings at a time."""

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        try:
            for block in batched(items, BLOCK):
                data = marshal.dumps(block)
                f.write(len(data).to_bytes(_LENGTH, "little"))
                f.write(data)
        finally:
            f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while header := f.read(_LENGTH):
                yield from marshal.loads(f.read(int.from_bytes(header, "little")))
        finally:
            f.close()
            self._remove_run(path)


class PooledSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's ``SegmentWriter`` with a ``BlockPool`` (what ``Index.writer()`` gives, one process)."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = BlockPool(self._tempstorage, self.newsegment, limitmb=limitmb)


class _PooledSubWriterTask(SubWriterTask):  # type: ignore[misc]
    def run(self) -> None:
        # A forked process that runs this one sub-writer and exits: Whoosh's loop, made to open
        # its writer with the pool above (``SubWriterTask.run`` names ``SegmentWriter`` in its module).
        multiproc.SegmentWriter = PooledSegmentWriter
        super().run()


class PooledMpWriter(MpWriter):  # type: ignore[misc]
    """Whoosh's ``MpWriter`` (``Index.writer(procs=N)``) whose sub-writers, and itself, use a ``BlockPool``."""

    def __init__(self, ix: Any, procs: int, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, limitmb=limitmb, **kwargs)
        self.pool = BlockPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def _new_task(self) -> SubWriterTask:
        task = _PooledSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task
