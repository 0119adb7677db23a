"""The project's own set-up: what a newcomer runs first."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
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


def test_the_longest_chain_is_handed_out_first_and_the_hamshahri_evaluation_last() -> None:
    """So that under xdist one worker starts the shared-corpus indexes at once while the other works
    through the rest, longest first, and reaches the evaluation once its index is built (tests/conftest.py)."""
    from conftest import pytest_collection_modifyitems

    names = [
        "tests/test_analysis.py::a", "tests/test_hamshahri_eval.py::b", "indexer/stem.py::c",
        "tests/test_shared_corpus.py::d", "tests/test_analysis.py::e", "tests/test_shared_corpus.py::f",
        "tests/test_reindex.py::g", "tests/test_bench.py::h",
    ]  # fmt: skip
    items = [SimpleNamespace(nodeid=name) for name in names]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [item.nodeid for item in items] == [
        "tests/test_shared_corpus.py::d", "tests/test_shared_corpus.py::f", "tests/test_bench.py::h",
        "tests/test_reindex.py::g", "tests/test_analysis.py::a", "tests/test_analysis.py::e",
        "tests/test_hamshahri_eval.py::b", "indexer/stem.py::c",
    ]  # fmt: skip


def test_an_editable_install_is_the_checkout_on_sys_path_without_a_warning(tmp_path: Path) -> None:
    """What ``make run`` asks setuptools for (``pip install -e .``), on a copy of the project: any
    warning of the build is printed to a newcomer (pip shows a build backend's warnings even with -q)."""
    pytest.importorskip("setuptools", reason="setuptools is a dev dependency: pip install -e '.[dev]'")
    for name in ("pyproject.toml", "README.md", "app.py"):
        shutil.copy(ROOT / name, tmp_path)
    for package in ("indexer", "search", "kavosh", "backends"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    build = (
        "import json, warnings\n"
        "from setuptools import build_meta\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    wheel = build_meta.build_editable('dist')\n"
        "print(json.dumps([wheel, [f'{w.category.__name__}: {w.message}' for w in caught]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", build], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    wheel, warned = json.loads(done.stdout.splitlines()[-1])  # the last line: setuptools logs its steps before
    assert warned == []
    with zipfile.ZipFile(tmp_path / "dist" / wheel) as built:
        (pth,) = [name for name in built.namelist() if name.endswith(".pth")]
        assert built.read(pth).decode().strip() == str(tmp_path)  # no import hook (a ``finder.py``) beside it
        assert not [name for name in built.namelist() if name.endswith(".py")]


def test_the_files_the_order_names_exist() -> None:
    """A renamed file would silently fall back to collection order."""
    from conftest import _FIRST, _LAST

    assert [name for name in (*_FIRST, *_LAST) if not (ROOT / name).is_file()] == []


# --- the README: a newcomer's two minutes; the long material in docs/ ------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_readme_reads_in_two_minutes() -> None:
    assert len(README.splitlines()) <= 80
    assert "make run" in README and "make test" in README


def test_readme_says_where_the_kavosh_command_is() -> None:
    assert ".venv/bin/kavosh" in README


def test_readme_shows_a_small_screenshot() -> None:
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", README)
    assert images, "no screenshot in the README"
    png = ROOT / images[0]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size < 300_000


def test_readme_links_every_docs_page() -> None:
    pages = {f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")}
    assert pages and pages <= set(_LINK.findall(README))


@pytest.mark.parametrize("page", ["README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))])
def test_relative_links_resolve(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    targets = [t for t in _LINK.findall(text) if "://" not in t]
    assert [t for t in targets if not ((ROOT / page).parent / t).exists()] == []
