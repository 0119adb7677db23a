"""The project's own set-up: what a newcomer runs first."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_runs_a_pytest_worker_per_core() -> None:
    dry = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    pytest_line = next(line for line in dry.splitlines() if line.startswith(".venv/bin/pytest"))
    assert "-n auto" in pytest_line and "--dist loadfile" in pytest_line
    pytest.importorskip("xdist", reason="pytest-xdist is a dev dependency: pip install -e '.[dev]'")


def test_session_indexes_live_in_this_workers_temporary_folder(
    sample_index: Path, spelling_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Under pytest-xdist each worker builds its own indexes; none is at a path two workers share."""
    base = tmp_path_factory.getbasetemp()
    assert sample_index.is_relative_to(base) and spelling_index.is_relative_to(base)


def test_the_slowest_files_are_collected_first() -> None:
    """So that under xdist each starts at once on its own worker (tests/conftest.py)."""
    from conftest import pytest_collection_modifyitems

    names = [
        "tests/test_analysis.py::a", "tests/test_hamshahri_eval.py::b", "indexer/stem.py::c",
        "tests/test_shared_corpus.py::d", "tests/test_analysis.py::e", "tests/test_shared_corpus.py::f",
    ]  # fmt: skip
    items = [SimpleNamespace(nodeid=name) for name in names]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [item.nodeid for item in items] == [
        "tests/test_shared_corpus.py::d", "tests/test_shared_corpus.py::f", "tests/test_hamshahri_eval.py::b",
        "tests/test_analysis.py::a", "indexer/stem.py::c", "tests/test_analysis.py::e",
    ]  # fmt: skip
