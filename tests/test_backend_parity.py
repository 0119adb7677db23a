"""Parity on real news: the Hamshahri collection on the Whoosh and the OpenSearch backend.

Issue 15 §6: MAP on the Hamshahri dev queries within 0.01 of Whoosh's, and the known-item
style queries (a layout slip, a misspelling, another spelling of a word) find the same article.
Needs ../shared and a cluster (``opensearch_urls``); skips with the reason otherwise.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from opensearch_cluster import alias_env

from backends import Config
from search.engine import Engine, SearchRequest

Kavosh = Callable[..., Result]
HAMSHAHRI = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "hamshahri"

pytestmark = pytest.mark.skipif(
    not (HAMSHAHRI / "docs").is_dir(),
    reason=f"the Hamshahri collection {HAMSHAHRI} is absent (../shared not checked out)",
)


# The tests ask for the OpenSearch side first: without a cluster they skip at once instead of waiting for
# the Hamshahri index another worker may be building; with one, its index is written meanwhile.
@pytest.fixture(scope="module")
def whoosh_index(hamshahri_index: tuple[Path, str]) -> Path:
    return hamshahri_index[0]  # the one test_hamshahri_eval.py searches, built once per run (tests/conftest.py)


@pytest.fixture(scope="module")
def opensearch(opensearch_urls: list[str], kavosh: Kavosh) -> Iterator[Config]:
    from opensearchpy import OpenSearch

    config = Config(backend="opensearch", urls=tuple(opensearch_urls), alias=f"kavosh-parity-{uuid.uuid4().hex[:8]}")
    client = OpenSearch(list(opensearch_urls))
    try:
        with alias_env(config.alias):
            result = kavosh("reindex", str(HAMSHAHRI / "docs"), *_options(config), "--quiet")
        assert result.exit_code == 0, result.output
        yield config
    finally:
        client.indices.delete(index=f"{config.alias}-*", ignore_unavailable=True, allow_no_indices=True)
        client.close()


def _options(config: Config) -> list[str]:
    return ["--backend", "opensearch", "--opensearch", ",".join(config.urls)]


def _evaluate(kavosh: Kavosh, *options: str) -> dict[str, float]:
    result = kavosh("evaluate", "--queries", str(HAMSHAHRI / "queries.tsv"), "--qrels", str(HAMSHAHRI / "qrels.txt"),
                    "--json", *options)  # fmt: skip
    assert result.exit_code == 0, result.output
    scores: dict[str, float] = json.loads(result.stdout)
    return scores


def test_map_within_a_hundredth_of_whooshs(kavosh: Kavosh, opensearch: Config, whoosh_index: Path) -> None:
    # Measured with Whoosh's idf on both sides: Whoosh 0.8681, OpenSearch 0.8698; both now use Lucene's idf
    # (Whoosh 0.8809, OpenSearch 0.8806 measured then). What is left is Lucene's coarser one-byte length norms.
    ours = _evaluate(kavosh, "--index", str(whoosh_index))
    with alias_env(opensearch.alias):
        theirs = _evaluate(kavosh, *_options(opensearch))
    assert abs(theirs["MAP"] - ours["MAP"]) <= 0.01, (ours, theirs)


@pytest.fixture(scope="module")
def engines(opensearch: Config, whoosh_index: Path) -> Iterator[tuple[Engine, Engine]]:
    pair = (Engine(whoosh_index), Engine(opensearch))
    yield pair
    for engine in pair:
        engine.close()


def _search(engine: Engine, query: str) -> dict[str, Any]:
    return engine.search(SearchRequest(query=query, limit=10, facets=False, snippets=False))


#: A layout slip, misspellings, other spellings: what the reader typed, not what the article says.
KNOWN_ITEM = [
    *["hdvhk", "jivhk", "زلذله", "فردوصی", "هگمطانه", "فوتبل", "هیات", "مسوول", "امریکا", "اطاق", "رییس"],
]


@pytest.mark.parametrize("typed", KNOWN_ITEM)
def test_known_item_queries_find_the_same_article(engines: tuple[Engine, Engine], typed: str) -> None:
    whoosh, cluster = (_search(engine, typed) for engine in engines)
    assert cluster["searched"] == whoosh["searched"] and cluster["suggestion"] == whoosh["suggestion"]
    assert whoosh["hits"] and cluster["hits"][0]["id"] == whoosh["hits"][0]["id"]
