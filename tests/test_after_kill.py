"""After a reindex is killed: its workers die with it, the lock is held until they are gone,
and what it left is cleaned by the next run, decided from ``CURRENT`` (issue 18 §5, §7).

The kill tests run real processes and SIGKILL them; a process that should die is waited
for with a bound far above the milliseconds it takes (a liveness bound, not a speed test).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from backends.base import IndexBusy
from backends.whoosh.store import CURRENT, META, PREVIOUS, WriteLock, current_generation, read_meta
from indexer.build import NothingIndexed, reindex
from indexer.lifeline import active, children_die_with_us

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux (/proc, prctl)")

#: Seconds a process that must die is given (it dies in milliseconds; unguarded workers ran ~25 s).
DIE_BOUND = 20


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited: its files (and locks) are closed


def _wait_gone(pids: list[int], bound: float = DIE_BOUND) -> list[int]:
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


def _descendants(pid: int) -> list[int]:
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []
    return children + [d for c in children for d in _descendants(c)]


def _holder(index: Path, lifeline: bool) -> subprocess.Popen[str]:
    """A process that takes the write lock and forks a child that would sleep a minute."""
    code = (
        "import os, time\n"
        "from contextlib import nullcontext\n"
        "from pathlib import Path\n"
        "from backends.whoosh.store import WriteLock\n"
        "from indexer.lifeline import children_die_with_us\n"
        f"lock = WriteLock(Path({str(index)!r})).__enter__()\n"
        f"with (children_die_with_us() if {lifeline} else nullcontext()):\n"
        "    child = os.fork()\n"
        "if child == 0:\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(60)\n"
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)


def test_blocks_in_two_threads_that_end_in_either_order_leave_no_lifeline_behind() -> None:
    # Two parts of a split reindexed at once in one process: the first block to open ends first.
    # (Saving and restoring the pid per block left the lifeline on for the rest of the process.)
    opened, second_open, first_closed = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with children_die_with_us():
            opened.set()
            second_open.wait(10)
        first_closed.set()

    def second() -> None:
        opened.wait(10)
        with children_die_with_us():
            second_open.set()
            first_closed.wait(10)
            seen.append(active())  # still open in this thread

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert seen == [True]
    assert not active()


def test_the_lock_is_held_until_every_forked_child_is_gone(tmp_path: Path) -> None:
    with _holder(tmp_path, lifeline=False) as holder:
        assert holder.stdout is not None
        child = int(holder.stdout.readline())
        holder.send_signal(signal.SIGKILL)
    try:
        assert _alive(child)
        with pytest.raises(IndexBusy, match=f"pid {holder.pid}"):  # the child still holds it
            WriteLock(tmp_path).__enter__()
    finally:
        os.kill(child, signal.SIGKILL)
    assert _wait_gone([child]) == []
    with WriteLock(tmp_path):  # free once the last holder is gone
        pass


def test_children_forked_by_a_reindex_die_with_it(tmp_path: Path) -> None:
    with _holder(tmp_path, lifeline=True) as holder:
        assert holder.stdout is not None
        child = int(holder.stdout.readline())
        assert _alive(child)
        holder.send_signal(signal.SIGKILL)
    assert _wait_gone([child]) == []  # PR_SET_PDEATHSIG: killed with its parent, not a minute later
    with WriteLock(tmp_path):
        pass


def _big_corpus(folder: Path, files: int = 300, per_file: int = 6) -> Path:
    folder.mkdir(parents=True)
    for n in range(files):
        records = [
            {"id": f"big-{n}-{k}", "title": f"گزارش شماره {n} درباره باغ",
             "body": ("درختان باغ در پاییز برگ ریختند و باغبان آنها را جمع کرد. " * 20) + f"شماره {n} {k}"}
            for k in range(per_file)
        ]  # fmt: skip
        (folder / f"part-{n:04d}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
    return folder


def test_a_killed_parallel_reindex_leaves_no_workers_no_tracebacks_and_is_cleaned_next(tmp_path: Path) -> None:
    index = tmp_path / "index"
    old = tmp_path / "old.jsonl"
    old.write_text(json.dumps({"id": "o1", "title": "خبر پرستو", "body": "پرستو آمد."}) + "\n", encoding="utf-8")
    reindex([old], index)
    before = current_generation(index)
    command = [sys.executable, "-m", "kavosh", "reindex", str(_big_corpus(tmp_path / "big")), "--index", str(index),
               "--log-progress", "-j", "2"]  # fmt: skip
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=ROOT) as process:
        assert process.stderr is not None
        workers: list[int] = []
        for line in process.stderr:
            workers = _descendants(process.pid)
            if line.startswith("indexing: ") and workers:
                break  # the writers are at work
        assert workers, "the reindex never ran in parallel"
        process.send_signal(signal.SIGKILL)
        rest = process.stderr.read()  # EOF only once every process holding the pipe is gone
    assert _wait_gone(workers) == []
    assert "Traceback" not in rest and "BrokenPipe" not in rest, rest
    assert current_generation(index) == before
    leftovers = [p for p in index.glob("gen-*") if p != before]
    assert leftovers  # the killed run's folder
    with WriteLock(index):  # nothing holds the lock any more
        pass
    reindex([old], index)  # the next run cleans what the killed one left
    assert not any(p.exists() for p in leftovers)


def _generation(index: Path, name: str, meta: dict[str, Any] | None) -> Path:
    path = index / name
    path.mkdir(parents=True)
    if meta is not None:
        (path / META).write_text(json.dumps(meta), encoding="utf-8")
    return path


def test_cleanup_keeps_current_and_previous_decided_from_current(tmp_path: Path) -> None:
    corpus = tmp_path / "a.jsonl"
    corpus.write_text(json.dumps({"id": "a1", "title": "خبر پرستو", "body": "پرستو آمد."}) + "\n", encoding="utf-8")
    index = tmp_path / "index"
    reindex([corpus], index)
    first = current_generation(index)
    reindex([corpus], index, rebuild=True)
    second = current_generation(index)
    assert read_meta(second)[PREVIOUS] == first.name
    # A run killed at publish: complete (metadata written), newer than any, never made current.
    unpublished = _generation(index, "gen-99991231-235959-000000", {"schema": 0})
    unfinished = _generation(index, "gen-99991231-235959-000001", None)  # killed while writing
    (tmp_path / "bad.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(NothingIndexed):  # a run that publishes nothing still cleans first
        reindex([tmp_path / "bad.jsonl"], index)
    assert sorted(p.name for p in index.glob("gen-*")) == sorted([first.name, second.name])
    assert not unpublished.exists() and not unfinished.exists()
    reindex([corpus], index, rebuild=True)
    third = current_generation(index)
    # the current one and the one current before it (searches may still read it); never by age
    assert sorted(p.name for p in index.glob("gen-*")) == sorted([second.name, third.name])
    assert (index / CURRENT).read_text().strip() == third.name
