"""Load on ``/api/search`` of a running ``kavosh serve``, from a bounded Python load generator.

Loopback only: the server is started here on 127.0.0.1 (with its defaults: one worker process
per core) and stopped at the end. Each client is a process of its own (not a thread: threads of
one process would queue for the GIL and add that wait to the latencies they time) that sends the
query mix in turn, one request at a time, until the time is up; every request counts (a non-200
or a broken connection is an error). The mix is replayed in turn, so a long run repeats its
queries: the server caches no results (its engine keeps decoded posting lists in a bounded
cache, which a repeated word hits, for one client as for eight).
"""

from __future__ import annotations

import http.client
import math
import multiprocessing
import os
import queue
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.stats import percentile

if TYPE_CHECKING:  # the client processes import this module: keep it light
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Event

    from bench.queries import Query

HOST = "127.0.0.1"
STARTUP = 180  # seconds for the server to open the index and warm up
_SERVERS: dict[int, int] = {}  # port -> pid of the server started here, to read its CPU time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(index: Path, workers: int | None = None, threads: int | None = None) -> Iterator[int]:
    """``kavosh serve`` on a free loopback port; yields the port once every worker is warm.

    ``workers`` and ``threads`` default to the command's own defaults (what a user runs).
    """
    from kavosh.server import cores  # here: the client processes import this module, keep it light

    port = free_port()
    command = [sys.executable, "-m", "kavosh", "serve", "--index", str(index), "--host", HOST, "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    # The server's messages go to a file: a pipe nobody reads would stop it once full. Its own
    # session is its own scheduling group where Linux groups by session (autogroup), as a server
    # started by itself would be: the clients' processes do not share its slice of the CPU.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, env={**os.environ}, start_new_session=True
        )
        try:
            _wait_ready(proc, port, log, workers or cores())
            _SERVERS[port] = proc.pid
            yield port
        finally:
            _SERVERS.pop(port, None)
            proc.terminate()  # gunicorn: graceful stop of every worker
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], port: int, log: Any, workers: int) -> None:
    """Until ``workers`` workers say they are warm (one warming up would take CPU from the
    first runs) and the server answers."""
    from kavosh.server import READY

    deadline = time.monotonic() + STARTUP
    while True:
        log.seek(0)
        said = log.read().decode(errors="replace")
        if proc.poll() is not None:
            raise RuntimeError(f"kavosh serve exited: {said[-3000:]}")
        try:
            if said.count(READY) >= workers:
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                conn.request("GET", "/api/search?q=" + urllib.parse.quote("ایران"))
                if conn.getresponse().status == 200:
                    conn.close()
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"kavosh serve did not answer on port {port} within {STARTUP} s")
        time.sleep(0.2)


def paths(mix: Sequence[Query]) -> list[str]:
    return ["/api/search?" + urllib.parse.urlencode(q.params, doseq=True) for q in mix]


Message = tuple[int, list[float], int]  # client number, latencies (ms), errors; no latencies and -1: ready


def load(port: int, urls: Sequence[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` processes for ``seconds``: requests/s, latency percentiles, errors."""
    context = multiprocessing.get_context("spawn")  # never fork a parent that may hold threads
    go = context.Event()
    messages: Queue[Message] = context.Queue()
    procs = [
        context.Process(target=client, args=(port, list(urls), n, seconds, go, messages), daemon=True)
        for n in range(clients)
    ]
    for proc in procs:
        proc.start()
    try:
        _receive(messages, procs, STARTUP)  # every client is ready: they begin together
        go.set()
        started, cpu = time.monotonic(), server_cpu(port)
        reports = _receive(messages, procs, seconds + STARTUP)
        elapsed = time.monotonic() - started
        cpu = server_cpu(port) - cpu
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
    latencies = [t for _, times, _ in reports for t in times]
    return {
        "clients": clients,
        "seconds": elapsed,
        "requests": len(latencies),
        "errors": sum(errors for _, _, errors in reports),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) if latencies else None,
        "p95_ms": percentile(latencies, 95) if latencies else None,
        # Cores the server's processes got: below the cores it could use, the machine was busy.
        "server_cores": None if math.isnan(cpu) else cpu / elapsed,
        "load_average": os.getloadavg()[0],
    }


def server_cpu(port: int) -> float:
    """CPU seconds used so far by the server started here on ``port`` and its workers (Linux).

    ``nan`` when unknown (another server, or no ``/proc``); workers replaced during a run
    take their time with them, which only makes the figure low.
    """
    pid = _SERVERS.get(port)
    try:
        if pid is None:
            raise FileNotFoundError(port)
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for process in [str(pid), *children]:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def _receive(messages: Queue[Message], procs: Sequence[BaseProcess], seconds: float) -> list[Message]:
    """One message from each client; an error if a client ends without it, or time runs out."""
    received: dict[int, Message] = {}
    deadline = time.monotonic() + seconds
    while len(received) < len(procs):
        try:
            message = messages.get(timeout=1)
            received[message[0]] = message
        except queue.Empty:
            gone = [n for n, p in enumerate(procs) if n not in received and p.exitcode is not None]
            if gone:
                raise RuntimeError(f"load client {gone[0]} ended early (exit code {procs[gone[0]].exitcode})") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"the load clients did not answer within {seconds:g} s") from None
    return list(received.values())


def client(
    port: int,
    urls: list[str],
    number: int,
    seconds: float,
    go: Event,
    messages: Queue[Message],
) -> None:
    """One client (in its own process): a request, its answer, the next, until ``seconds`` are up.

    The connection is kept alive when the server allows it; gunicorn's sync workers close it
    after each answer, and ``http.client`` then opens a new one, a cost users pay as well.
    """
    latencies: list[float] = []
    errors = 0
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    i = number * 7  # clients start at different places in the mix
    messages.put((number, [], -1))
    go.wait(timeout=STARTUP)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        url = urls[i % len(urls)]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
                continue
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
    conn.close()
    messages.put((number, latencies, errors))
