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
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_parent: int | None = None  # the process whose forked children must die with it
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


def _after_fork_in_child() -> None:
    global _parent
    if _parent is not None:
        die_with_parent(_parent)
        _parent = os.getpid()  # and this child's own children die with it


@contextmanager
def children_die_with_us() -> Iterator[None]:
    """Every process forked inside this block is killed when this process dies.

    >>> with children_die_with_us():
    ...     active()
    True
    >>> active()
    False
    """
    global _parent, _hooked
    if not _hooked:
        os.register_at_fork(after_in_child=_after_fork_in_child)
        _hooked = True
    previous, _parent = _parent, os.getpid()
    try:
        yield
    finally:
        _parent = previous


def active() -> bool:
    """Whether processes forked now die with this one."""
    return _parent == os.getpid()
