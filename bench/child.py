"""Run one task in this process: ``python -m bench.child TASK ARGS.json``; prints one JSON line.

The line holds the task's figures plus ``maxrss_mb`` (this process) and
``children_maxrss_mb`` (the largest of its children, e.g. a multiprocessing writer's).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from bench.tasks import TASKS

    task, args_path = argv
    result = TASKS[task](json.loads(Path(args_path).read_text(encoding="utf-8")))
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["children_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))
    # Also kept as it comes (the run's --out/children.jsonl), so a long run stopped part-way keeps it.
    kept = os.environ.get("KAVOSH_BENCH_CHILDREN")
    if kept:
        with open(kept, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"task": task, "time": time.time(), **result}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
