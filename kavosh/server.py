"""``kavosh serve``: the web site under gunicorn, one worker process per core.

Searching is CPU-bound Python, so threads of one process share one core (the GIL): a
single waitress process with 8 threads served 8 concurrent clients at 7× the latency of
one. Separate processes use every core. Each worker creates its own app and so its own
``Engine``, which opens the index read-only (the files are never written once published)
and follows new generations by itself; the worker warms up (index, lexicons) before it
accepts its first connection, so no user waits for that. The word lists that do not depend
on the index are loaded once before the fork and shared (``share_word_lists``: 115 MB of
memory per worker instead of 250 at 12k articles).

A slow or hostile client must not take the site down: a sync worker reads its request
straight from the socket, so a few connections that send half a request and wait would
hold every worker until ``timeout``. Our workers (``BufferingWorker``, gunicorn's ``gthread``
with one change) read each request's head in their event loop, where a waiting connection
costs a buffer, not a thread: a thread gets a connection only once its whole head is in,
and a head that takes longer than ``HEAD_TIMEOUT`` is dropped. With one thread per worker
(the default) each worker still answers one request at a time (searching is CPU-bound:
threads of one process share one core), so the slow tail stays short; ``--threads N``
gives each worker N threads. The listening socket also defers accepting a connection until
its request begins to arrive (Linux ``TCP_DEFER_ACCEPT``), so silent preconnects stay in
the kernel.
"""

from __future__ import annotations

import errno
import gc
import os
import selectors
import socket
import time
from collections import deque
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import TConn, ThreadWorker

from backends.base import IndexMissing

#: Seconds a worker may spend on one request before gunicorn replaces it (a 100k-document
#: index answers its slowest queries in seconds; the default 30 s would be too close).
TIMEOUT = 120
#: Seconds a silent connection waits in the kernel, never seen by a worker (Chrome closes
#: an unused preconnect within about 10 s).
DEFER_ACCEPT = 30
#: Seconds a client has to send a request's head (request line and headers) once it began.
HEAD_TIMEOUT = 10
#: Bytes of a head buffered before a thread parses it (the parser then answers 414 or 431).
HEAD_MAX = 64 * 1024
#: Bytes of a request line: a 1,000-letter Persian query is about 6,000 percent-encoded
#: (two bytes a letter, three characters a byte); gunicorn's default of 4,094 answered 414.
REQUEST_LINE_MAX = 8190  # gunicorn's largest
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
        "worker_class": f"{__name__}.BufferingWorker",
        "timeout": TIMEOUT,
        "limit_request_line": REQUEST_LINE_MAX,
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


class BufferingWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's ``gthread`` worker, but a thread only ever gets a whole request head.

    A new connection, and a kept-alive one whose next request begins, wait in the event
    loop while their head arrives: half a request sent and left costs a buffer, not the
    worker. Heads not complete within ``HEAD_TIMEOUT`` seconds are closed.
    """

    def init_process(self) -> None:
        self.heads: deque[TConn] = deque()  # connections whose head is arriving, oldest first
        super().init_process()

    def accept(self, listener: Any) -> None:
        try:
            client, address = listener.accept()
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        self.nr_conns += 1
        self._await_head(TConn(self.cfg, client, address, listener.getsockname()))  # non-blocking

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        """A kept-alive connection's next request has begun."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        conn.sock.setblocking(False)
        self._await_head(conn)

    def _await_head(self, conn: TConn) -> None:
        conn.head = bytearray()
        conn.head_deadline = time.monotonic() + HEAD_TIMEOUT
        self.heads.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._read_head, conn))

    def _read_head(self, conn: TConn, client: Any) -> None:
        try:
            data = conn.sock.recv(HEAD_MAX)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # closed before a whole request: nothing to answer
            self._drop_head(conn)
            return
        conn.head += data
        if b"\r\n\r\n" in conn.head or b"\n\n" in conn.head or len(conn.head) > HEAD_MAX:
            self.poller.unregister(conn.sock)
            self.heads.remove(conn)
            conn.data_ready = True
            self.enqueue_req(conn)

    def _drop_head(self, conn: TConn) -> None:
        self.poller.unregister(conn.sock)
        self.heads.remove(conn)
        self.nr_conns -= 1
        conn.close()

    def handle(self, conn: TConn) -> Any:
        """In a thread: the parser reads the buffered head first, then the socket (a body)."""
        head = getattr(conn, "head", None)
        if head:
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(bytes(head))
            conn.head = bytearray()
        return super().handle(conn)

    def murder_pending(self) -> None:
        """Also close heads past their deadline, and every waiting head once the worker stops."""
        super().murder_pending()
        now = time.monotonic()
        while self.heads and (self.heads[0].head_deadline <= now or not self.alive):
            self._drop_head(self.heads[0])


class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn, configured here rather than from its command line or a config file."""

    def __init__(self, index: str, settings: dict[str, Any], config: Mapping[str, str] | None = None) -> None:
        self.index = index
        self.settings = settings
        self.config = dict(config or {})  # the backend and where it is (``app.create_app`` reads them)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """Runs in each worker before it accepts connections."""
        from app import create_app

        application = create_app({"INDEX": self.index, **self.config})
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
    from backends.whoosh.store import current_generation, read_meta
    from indexer.stem import DEFAULT_STEMMER, get_stemmer, load_lexicon
    from search import suggest

    try:
        stemmer = str(read_meta(current_generation(Path(index))).get("stemmer", DEFAULT_STEMMER))
    except (IndexMissing, OSError, ValueError):  # the workers report a missing or broken index
        stemmer = DEFAULT_STEMMER
    get_stemmer(stemmer)
    load_lexicon()  # queries split compounds with it whatever the index's stemmer
    suggest.is_english("")
    suggest.is_standard("", "")
    gc.collect()
    gc.freeze()


def serve(
    index: str, host: str, port: int, workers: int, threads: int, config: Mapping[str, str] | None = None
) -> None:
    share_word_lists(index)
    Server(index, options(host, port, workers, threads), config).run()
