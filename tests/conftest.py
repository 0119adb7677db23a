"""Shared fixtures: indexes built once per session in temporary folders; the Hypothesis profile."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import opensearch_cluster
import pytest
from click.testing import CliRunner, Result
from corpora import built_once, unread_steps_skipped
from hypothesis import settings
from spellings import SPELLINGS, article_id

from indexer.build import reindex
from kavosh.cli import main

# Property tests run the same examples on every machine: derandomized (the seed comes from the test)
# and with no example database (a database replays one machine's past failures, so a run there can
# fail where CI passes). A case a property test ever found is kept in the test as an @example.
# KAVOSH_HYPOTHESIS=explore draws fresh random examples (1,000 where a test sets no count) to look
# for new cases.
settings.register_profile("kavosh", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", max_examples=1000, database=None, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("KAVOSH_HYPOTHESIS", "kavosh"))

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

# Unrelated sentences around each spelling: no word of them shares a term or
# a stem with the spelled words (no کردن, no توانستن, no کتاب ...).
_FILLER = (
    "باران پاییزی در دامنه کوه بارید.",
    "قطار مسافری صبح زود به ایستگاه رسید.",
    "ماهیگیران با قایق به دریا رفتند.",
)

Kavosh = Callable[..., Result]

# The order in which pytest-xdist (``make test``: --dist loadfile --no-loadscope-reorder) hands out the
# files, each whole to the first worker free. The longest chain comes first, on a worker of its own from
# the start: tests/test_shared_corpus.py builds the Hamshahri index (``hamshahri_index``, both cores),
# then adds the other corpora to a copy, about two thirds of the suite's CPU. The other worker takes the
# rest, longest first (CPU seconds measured in one run: the cluster files, which skip at once without a
# cluster, then the quick bench 45, test_reindex 43, ...), and the Hamshahri evaluation last of the test
# files: by then the index is built, so no worker waits for it while there is other work. The packages'
# doctests follow: short units, so neither worker is left with a long one.
# Every fixture writes below the run's temporary folder (tmp_path_factory), never to a fixed path.
_FIRST = (
    "tests/test_shared_corpus.py",
    "tests/test_backend_parity.py",
    "tests/test_opensearch_reindex.py",
    "tests/test_cluster.py",
    "tests/test_faults.py",
    "tests/test_bench.py",
    "tests/test_reindex.py",
    "tests/test_speaker_labels.py",
    "tests/test_browser.py",
    "tests/test_cli.py",
    "tests/test_readers_formats.py",
    "tests/test_after_kill.py",
)
_LAST = ("tests/test_hamshahri_eval.py",)


def pytest_configure(config: pytest.Config) -> None:
    """Derived word lists (``indexer.derived``) go to a cache folder of this run, not the user's."""
    if "KAVOSH_CACHE" not in os.environ:
        os.environ["KAVOSH_CACHE"] = tempfile.mkdtemp(prefix="kavosh-cache-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop("KAVOSH_CACHE"), ignore_errors=True))
    # Word associations are built by ``make associations`` on some machines only: tests rank without
    # them unless they name a file (tests/test_ranking.py, tests/test_hamshahri_eval.py).
    os.environ["KAVOSH_ASSOCIATIONS"] = ""
    # Every reindex publishes the articles' neighbours with the index: tests rank without score
    # regularization (their expected orders predate it) unless they ask for it (tests/test_neighbours.py,
    # tests/test_hamshahri_eval.py).
    os.environ["KAVOSH_NEIGHBOURS"] = ""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        if path in _FIRST:
            return _FIRST.index(path)
        if path in _LAST:
            return len(_FIRST) + 1 + _LAST.index(path)
        return len(_FIRST) + (0 if path.startswith("tests/") else 1 + len(_LAST))

    items.sort(key=rank)  # stable: the order within each rank is pytest's


@pytest.fixture(scope="session")
def kavosh() -> Kavosh:
    """Run ``kavosh ARGS...`` in-process; the result keeps stdout and stderr apart."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def spelling_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one article per spelling in ``spellings.SPELLINGS``."""
    folder = tmp_path_factory.mktemp("spelling")
    spellings = [(word, label, text) for word, group in SPELLINGS.items() for label, text in group.items()]
    records = [
        {
            "id": article_id(word, label),
            "title": f"گزارش {n}",
            "body": f"{_FILLER[n % 3]} {text} {_FILLER[(n + 1) % 3]}",
        }
        for n, (word, label, text) in enumerate(spellings, start=1)
    ]
    corpus = folder / "spellings.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    reindex([corpus], folder / "index")
    return folder / "index"


@pytest.fixture(scope="session")
def sample_reindex(tmp_path_factory: pytest.TempPathFactory, kavosh: Kavosh) -> tuple[Path, Result]:
    """``kavosh reindex corpus`` into a temporary index: (index folder, result)."""
    index = tmp_path_factory.mktemp("sample") / "index"
    result = kavosh("reindex", str(CORPUS), "--index", str(index), "--quiet")
    assert result.exit_code == 0, result.output
    return index, result


@pytest.fixture(scope="session")
def sample_index(sample_reindex: tuple[Path, Result]) -> Path:
    """The sample corpus (``corpus/``: 32 JSONL records, 8 pages) indexed once."""
    return sample_reindex[0]


HAMSHAHRI = ROOT.parent / "shared" / "eval" / "hamshahri"


@pytest.fixture(scope="session")
def hamshahri_index(tmp_path_factory: pytest.TempPathFactory, kavosh: Kavosh) -> tuple[Path, str]:
    """The Hamshahri collection in ../shared indexed by ``kavosh reindex``: (index, its output).

    Built once per run for every file that searches it (tests/test_hamshahri_eval.py, the Whoosh side
    of tests/test_backend_parity.py) and for tests/test_shared_corpus.py, which adds the other corpora
    to a copy, on whichever worker asks first; skips where ../shared is absent.
    """
    if not (HAMSHAHRI / "docs").is_dir():
        pytest.skip(f"the Hamshahri collection {HAMSHAHRI} is absent (../shared not checked out)")

    def build(index: Path) -> str:
        with unread_steps_skipped(neighbours=False):  # no speaker pass; the evaluation ranks with neighbours
            result = kavosh("reindex", str(HAMSHAHRI / "docs"), "--index", str(index), "--quiet")
        assert result.exit_code == 0, result.output
        return result.stdout

    return built_once(tmp_path_factory, "hamshahri", build)


@pytest.fixture(scope="session")
def opensearch_urls() -> list[str]:
    """The HTTP URLs of a running OpenSearch cluster (``KAVOSH_OPENSEARCH_URL``, else ``make cluster``'s).

    Skips with the reason when there is none; fails instead in CI (see tests/opensearch_cluster.py).
    """
    urls, reason = opensearch_cluster.find_cluster()
    if not urls:
        if opensearch_cluster.required():
            pytest.fail(f"the OpenSearch cluster tests must run here, but {reason}", pytrace=False)
        pytest.skip(reason)
    return urls


@pytest.fixture(scope="session")
def local_cluster(opensearch_urls: list[str]) -> list[opensearch_cluster.LocalNode]:
    """The nodes ``make cluster`` started on this machine, with their PIDs (for tests that kill one)."""
    nodes = opensearch_cluster.local_nodes()
    if not nodes or {n.url for n in nodes} != set(opensearch_urls):
        reason = "the cluster is not one `make cluster` started here (KAVOSH_OPENSEARCH_URL points elsewhere)"
        if opensearch_cluster.required() and not os.environ.get("KAVOSH_OPENSEARCH_URL"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return nodes
