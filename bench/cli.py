"""``kavosh search WORD`` end to end, as a user runs it: a new process each time, cold.

*Now*: the word lists derived from hazm come from the cache (``KAVOSH_CACHE``, filled by a first
run, which is timed apart), the index's vocabulary and its columns from the files the reindex
wrote. *Before* (the way every command started until issue 16): nothing cached or prebuilt, so
each run imports hazm and derives the stemmer's lexicon (and the dictionary when asked), counts
the index's vocabulary from Whoosh's term lists and builds the columns a search reads (document
lengths, dates, facet values) from the posting lists. It is emulated with the same code: a cache
folder that cannot be written (a path under ``/dev/null``) and a copy of the index without its
vocabulary and columns files. (The commit before the change cannot read today's index layout.)
What the old code imported besides is not counted, so the figure for before is, if anything, low.

Both run with the modules' bytecode written and read back (in a folder of the run,
``PYTHONPYCACHEPREFIX``), as an installed Kavosh has it, even where the environment says
``PYTHONDONTWRITEBYTECODE``: compiling every module again at each start is no part of either.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.stats import median_runs


def _run(index: Path, word: str, cache: str, bytecode: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "kavosh", "search", word, "--index", str(index), "--bidi", "off"]
    env = {**os.environ, "KAVOSH_CACHE": cache, "PYTHONPYCACHEPREFIX": str(bytecode)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu}


def without_vocabulary(index: Path, copy: Path) -> Path:
    """A copy of ``index`` whose current generation has no vocabulary and no columns file (as indexes
    had before: a search counted the terms and built the columns itself)."""
    from backends.whoosh.scorer import COLUMNS
    from backends.whoosh.search import VOCABULARY
    from backends.whoosh.store import current_generation

    shutil.copytree(index, copy, symlinks=True)
    for name in (VOCABULARY, COLUMNS):
        (current_generation(copy) / name).unlink(missing_ok=True)
    return copy


def measure(index: Path, work: Path, word: str, runs: int) -> dict[str, Any]:
    """Median wall and CPU seconds of ``kavosh search WORD``: now, before, and the first run now."""
    cache = work / "cli-cache"
    cold_index = without_vocabulary(index, work / "index-cli-before")
    bytecode = work / "cli-bytecode"
    first = _run(index, word, str(cache), bytecode)  # derives the word lists into the cache
    now, before = [], []
    for _ in range(runs):  # taking turns, so load on the machine falls on both alike
        now.append(_run(index, word, str(cache), bytecode))
        before.append(_run(cold_index, word, "/dev/null/kavosh-cache", bytecode))  # never written, never read
    shutil.rmtree(cold_index, ignore_errors=True)
    result = {"word": word, "runs": runs, "first": first, "now": median_runs(now), "before": median_runs(before)}
    result["speedup"] = round(result["before"]["seconds"] / result["now"]["seconds"], 2)
    result["speedup_cpu"] = round(result["before"]["cpu_s"] / result["now"]["cpu_s"], 2)
    return result
