"""Test corpora: small ones written as JSON Lines and indexed for module fixtures, and the big
indexes of ../shared, built once per run whichever xdist worker needs them first."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from indexer import build
from indexer.build import reindex
from indexer.neighbours import pack
from search.neighbours import Table


def index_articles(folder: Path, articles: Iterable[dict[str, Any]]) -> Path:
    """Write ``articles`` to ``folder/articles.jsonl``, index them into ``folder/index``; the index."""
    corpus = folder / "articles.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    reindex([corpus], folder / "index")
    return folder / "index"


def neighbours_table(rows: Mapping[str, list[tuple[str, float]]]) -> Table:
    """``rows`` (id -> [(id, similarity), ...]) packed as a reindex publishes them with the index
    (``indexer.neighbours``); an id named only as a neighbour is an article without neighbours."""
    ids = list(dict.fromkeys([*rows, *(other for near in rows.values() for other, _ in near)]))
    position = {ident: i for i, ident in enumerate(ids)}
    return Table(pack(ids, [[(position[o], s) for o, s in rows.get(ident, [])] for ident in ids]))


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], str]) -> tuple[Path, str]:
    """``build(index)`` once per test run, shared by the xdist workers: (the index, what ``build`` returned).

    The first worker to ask builds it under a lock in the run's temporary folder (above the workers'
    own); a worker that asks meanwhile waits for it, one that asks later reuses it. An index of
    ../shared takes minutes: two test files that search the same collection need not build it twice.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers
    folder = root / f"built-once-{name}"
    folder.mkdir(exist_ok=True)
    done = folder / "built.txt"  # written once the index is complete
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            done.write_text(build(folder / "index"), encoding="utf-8")
    return folder / "index", done.read_text(encoding="utf-8")


@contextmanager
def unread_steps_skipped(*, neighbours: bool) -> Iterator[None]:
    """Reindexes in this block skip the steps whose output the tests of a big index never read.

    The speaker pass (a third of a reindex's CPU): articles whose reader names no speaker get none
    (each file is still read in the pool, so the writers stay parallel). With ``neighbours``, the
    step after the files too (each article's nearest articles; it reads the kept files again).
    The indexes of ../shared are searched for their text, counts, facets of tags and sources and
    the neighbours table (the Hamshahri evaluation); the speaker pass is tested on the articles of
    ../shared labelled by hand (tests/test_speaker_labels.py) and through small reindexes
    (tests/test_reindex.py, tests/test_quotes.py), the neighbours step in tests/test_neighbours.py.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "find_speakers", lambda article: [])
        patch.setattr(build, "load_lexicons", lambda: None)  # the speaker rules' word lists, unused
        if neighbours:
            patch.setattr(build, "NEIGHBOURS", False)
        yield
