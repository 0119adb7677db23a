"""Retrieval quality on the Hamshahri test collection in ../shared (5,375 judged articles).

Indexing takes about 90 seconds, once per session. Skipped where ../shared is absent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Kavosh = Callable[..., Result]
HAMSHAHRI = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "hamshahri"

pytestmark = pytest.mark.skipif(
    not (HAMSHAHRI / "docs").is_dir(),
    reason=f"the Hamshahri collection {HAMSHAHRI} is absent (../shared not checked out)",
)


@pytest.fixture(scope="module")
def hamshahri_index(tmp_path_factory: pytest.TempPathFactory, kavosh: Kavosh) -> tuple[Path, Result]:
    index = tmp_path_factory.mktemp("hamshahri") / "index"
    result = kavosh("reindex", str(HAMSHAHRI / "docs"), "--index", str(index), "--quiet")
    assert result.exit_code == 0, result.output
    return index, result


def test_every_document_indexed(kavosh: Kavosh, hamshahri_index: tuple[Path, Result]) -> None:
    index, reindexed = hamshahri_index
    assert reindexed.stdout.startswith("indexed 5375 articles from 5375 files (hamshahri 5375) into ")
    stats = json.loads(kavosh("stats", "--json", "--index", str(index)).stdout)
    assert (stats["documents"], stats["skipped"]) == (5375, 0)


def test_map_at_least_0_80(kavosh: Kavosh, hamshahri_index: tuple[Path, Result]) -> None:
    index, _ = hamshahri_index
    result = kavosh(
        "evaluate",
        "--queries",
        str(HAMSHAHRI / "queries.tsv"),
        "--qrels",
        str(HAMSHAHRI / "qrels.txt"),
        "--index",
        str(index),
        "--json",
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["MAP"] >= 0.80, scores
