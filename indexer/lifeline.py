"""Processes a reindex forks die with it.

A parallel reindex forks workers (the speaker pool, the backend's writers). If the
reindex is killed (SIGKILL cannot be caught), nothing would stop them: they went on
writing for tens of seconds into an abandoned folder, hundreds of MB each, printing
BrokenPipe tracebacks. Inside ``children_die_with_us`` every process forked from this
one asks the kernel for SIGKILL when its parent dies (Linux ``PR_SET_PDEATHSIG``), and
so do the processes it forks in turn. Together with a lock that forked children
inherit (``flock``), the index stays locked until the last of them is gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Blocks open in this process. A count, not a saved-and-restored pid: reindexes may run in several
# threads at once (parts of one split), and their blocks end in any order.
_depth = 0
_lock = threading.Lock()
_forking_from = 0  # the pid a fork is being made from, for the child to watch
_hooked = False


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:
        return None


_LIBC = _libc() if os.uname().sysname == "Linux" else None


def die_with_parent(parent: int) -> None:
    """In a forked child: SIGKILL when ``parent`` dies; exit now if it already has."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died between the fork and the prctl
        os._exit(1)


def _before_fork() -> None:
    global _forking_from
    _forking_from = os.getpid()


def _after_fork_in_child() -> None:
    # The child inherits the count, so its own children die with it in turn.
    if _depth > 0:
        die_with_parent(_forking_from)


@contextmanager
def children_die_with_us() -> Iterator[None]:
    """Every process forked while this block is open (in any thread) is killed when this process dies.

    >>> with children_die_with_us():
    ...     active()
    True
    >>> active()
    False
    """
    global _depth, _hooked
    with _lock:
        if not _hooked:
            os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
            _hooked = True
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1


def active() -> bool:
    """Whether processes forked now die with this one."""
    return _depth > 0
