"""Load on ``/api/search`` of a running ``kavosh serve``, from a bounded Python load generator.

Loopback only: the server is started here on 127.0.0.1 and stopped at the end. Each client
is a thread with its own keep-alive connection sending the query mix in turn until the
time is up; every request counts (a non-200 or a broken connection is an error).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.queries import Query
from bench.stats import percentile

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(index: Path, threads: int = 8) -> Iterator[int]:
    """``kavosh serve`` on a free loopback port; yields the port once it answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "kavosh",
        "serve",
        "--index",
        str(index),
        "--host",
        HOST,
        "--port",
        str(port),
        "--threads",
        str(threads),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ})
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"kavosh serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
                conn.request("GET", "/api/search?q=" + urllib.parse.quote("ایران"))
                if conn.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def paths(mix: Sequence[Query]) -> list[str]:
    return ["/api/search?" + urllib.parse.urlencode(q.params, doseq=True) for q in mix]


def load(port: int, urls: Sequence[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads for ``seconds``: requests/s, latency percentiles, errors."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        i = number * 7  # clients start at different places in the mix
        while time.monotonic() < deadline:
            url = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[number] += 1
            except (OSError, http.client.HTTPException):
                errors[number] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            latencies[number].append((time.perf_counter() - started) * 1000)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    every = [t for ts in latencies for t in ts]
    return {
        "clients": clients,
        "seconds": elapsed,
        "requests": len(every),
        "errors": sum(errors),
        "rps": len(every) / elapsed,
        "p50_ms": percentile(every, 50) if every else None,
        "p95_ms": percentile(every, 95) if every else None,
    }
