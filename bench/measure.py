"""Run a task in a child process and measure it from outside: wall time, peak memory, index size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _tree_rss_kb(pid: int) -> int:
    """Memory of a process and all its descendants, in KiB (Linux /proc).

    Proportional (PSS): pages that forked workers share with their parent count once,
    not once a process as resident sizes would.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii", errors="replace") as handle:
                total += next((int(line.split()[1]) for line in handle if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    stack += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_child(task: str, args: dict[str, Any], timeout: float = 7200) -> dict[str, Any]:
    """``python -m bench.child TASK``; its JSON plus ``peak_mb``, the sampled peak of its process tree."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(args, handle, ensure_ascii=False)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.child", task, handle.name],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            out, err = proc.communicate(timeout=timeout)
        finally:
            done.set()
            sampler.join()
    finally:
        os.unlink(handle.name)
    if proc.returncode != 0:
        raise RuntimeError(f"bench task {task} failed (exit {proc.returncode}):\n{err[-3000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = max(peak[0] / 1024, result["maxrss_mb"])
    return result


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def wait_quiet(seconds: float = 0.0) -> None:
    """A pause between runs, so one engine's dirty pages are not written during the next."""
    os.sync()
    time.sleep(seconds)
