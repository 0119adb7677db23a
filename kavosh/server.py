"""``kavosh serve``: the web site under gunicorn, one worker process per core.

Searching is CPU-bound Python, so threads of one process share one core (the GIL): a
single waitress process with 8 threads served 8 concurrent clients at 7× the latency of
one. Separate processes use every core. Each worker creates its own app and so its own
``Engine``, which opens the index read-only (the files are never written once published)
and follows new generations by itself; the worker warms up (index, lexicons) before it
accepts its first connection, so no user waits for that. The word lists that do not depend
on the index are loaded once before the fork and shared (``share_word_lists``: 115 MB of
memory per worker instead of 250 at 12k articles).

With one thread per worker (the default) gunicorn's ``sync`` workers take connections
from the one listening socket as they come free: the requests queue in arrival order in
front of all the cores, which keeps the slow tail short (threads, or more workers than
cores, share the cores among the requests in hand instead, and every request slows).
A sync worker reads its request straight from the socket, so a connection opened and left
silent (a browser's speculative preconnect) would hold it until ``timeout``: the listening
socket defers accepting a connection until its request arrives (Linux ``TCP_DEFER_ACCEPT``,
nginx's ``deferred``), for ``DEFER_ACCEPT`` seconds. A connection silent for longer than
that, or a request sent slowly, still holds a worker: facing the open internet, put a
buffering proxy in front. ``--threads N`` (N > 1) switches to ``gthread`` workers, which
also keep connections alive.
"""

from __future__ import annotations

import gc
import os
import socket
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from indexer.store import IndexMissing

#: Seconds a worker may spend on one request before gunicorn replaces it (a 100k-document
#: index answers its slowest queries in seconds; the default 30 s would be too close).
TIMEOUT = 120
#: Seconds a silent connection waits in the kernel, never seen by a worker (Chrome closes
#: an unused preconnect within about 10 s).
DEFER_ACCEPT = 30
#: What each worker prints once warm (the benchmark waits for every worker).
READY = "kavosh: ready: worker"


def cores() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def bind_address(host: str, port: int) -> str:
    """gunicorn's ``host:port``, with brackets for IPv6.

    >>> bind_address("127.0.0.1", 5000)
    '127.0.0.1:5000'
    >>> bind_address("::1", 5000)
    '[::1]:5000'
    """
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn settings for ``kavosh serve``."""
    return {
        "bind": [bind_address(host, port)],
        "workers": workers,
        "threads": threads,
        "worker_class": "sync" if threads == 1 else "gthread",
        "timeout": TIMEOUT,
        "preload_app": False,  # each worker opens its own index files: no file offsets shared across a fork
        "control_socket_disable": True,  # no runtime control socket in $HOME
        "loglevel": "warning",
        "proc_name": "kavosh",
        "when_ready": defer_accept,  # after the sockets are made, before the workers start
    }


def defer_accept(arbiter: Any) -> None:
    """Let workers accept only connections whose request has begun to arrive (Linux only)."""
    option = getattr(socket, "TCP_DEFER_ACCEPT", None)
    for listener in arbiter.LISTENERS:
        if option is not None and listener.FAMILY in (socket.AF_INET, socket.AF_INET6):
            listener.sock.setsockopt(socket.IPPROTO_TCP, option, DEFER_ACCEPT)


class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn, configured here rather than from its command line or a config file."""

    def __init__(self, index: str, settings: dict[str, Any]) -> None:
        self.index = index
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Runs in each worker before it accepts connections."""
        from app import create_app

        application = create_app({"INDEX": self.index})
        try:
            application.extensions["kavosh"].warm_up()
        except IndexMissing as err:
            click.echo(f"kavosh: warning: {err}", err=True)
        click.echo(f"{READY} {os.getpid()}", err=True)
        return application


def share_word_lists(index: str) -> None:
    """Load the word lists every worker reads and none changes, once, before gunicorn forks.

    The stemmer's lexicon and the Persian and English dictionaries are hundreds of thousands
    of small objects: loaded here, the workers share their memory pages instead of each
    building a copy, and ``gc.freeze`` keeps the collector (which writes into every object
    it visits) off them. The index itself is still opened by each worker.
    """
    from indexer.stem import DEFAULT_STEMMER, get_stemmer
    from indexer.store import current_generation, read_meta
    from search import suggest

    try:
        stemmer = str(read_meta(current_generation(Path(index))).get("stemmer", DEFAULT_STEMMER))
    except (IndexMissing, OSError, ValueError):  # the workers report a missing or broken index
        stemmer = DEFAULT_STEMMER
    get_stemmer(stemmer)
    suggest.is_english("")
    suggest.is_standard("", "")
    gc.collect()
    gc.freeze()


def serve(index: str, host: str, port: int, workers: int, threads: int) -> None:
    share_word_lists(index)
    Server(index, options(host, port, workers, threads)).run()
