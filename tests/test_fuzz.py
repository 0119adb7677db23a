"""Never fail on a query: arbitrary strings through the engine, the CLI and ``/api/search``.

Mixed scripts, lone quotes and parentheses, field prefixes, control
characters and 10,000-character queries: no exception, no 500, bounded work,
and a query cut to the limits says so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from indexer.article import drop_control_characters
from search.engine import Engine, SearchRequest, public_result
from search.syntax import MAX_CLAUSES, MAX_QUERY_CHARS

Kavosh = Callable[..., Result]

# Pieces a query is made of: words of the sample corpus in several scripts and
# layouts, syntax characters alone, field prefixes, and noise.
PIECES = st.sampled_from(
    [
        "شهرداری",
        "كتابخانه",
        "ایستگا",
        "aivnhvd",
        "hdvhk",
        "and",
        "FATF",
        "۱۴۰۲",
        "١٤٠٢",
        "1402",
        '"',
        "«",
        "»",
        "“",
        "(",
        ")",
        "-",
        "--",
        ":",
        "title:",
        "tag:",
        "speaker:",
        "source:",
        "-title:",
        "TITLE:",
        "\u200c",
        "\u200f",
        "\u0640",
        "ﻻ",
        "*",
        "?",
        "~",
        "^",
        "\\",
        "/",
        "AND",
        "OR",
        "NOT",
    ]
)
NOISE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
QUERIES = st.lists(st.one_of(PIECES, NOISE), max_size=12).map(" ".join) | NOISE | st.text(max_size=200)

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def engine(sample_index: Path) -> Engine:
    return Engine(sample_index)


@pytest.fixture(scope="module")
def client(sample_index: Path) -> FlaskClient:
    return create_app({"INDEX": str(sample_index), "TESTING": True}).test_client()


def _check(result: dict[str, Any], query: str) -> None:
    public = public_result(result)
    json.dumps(public)  # plain data
    assert public["query"] == drop_control_characters(query)  # control characters are not searched
    assert public["searched"] is None or set(public["searched"]) == {"query", "original", "reason"}
    assert public["suggestion"] is None or isinstance(public["suggestion"], str)


@FUZZ
@given(query=QUERIES)
def test_engine_never_fails(engine: Engine, query: str) -> None:
    for sort in ("relevance", "newest"):
        _check(engine.search(SearchRequest(query=query, sort=sort)), query)


@FUZZ
@given(query=QUERIES)
def test_api_never_fails(client: FlaskClient, query: str) -> None:
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code in (200, 400), response.data[:500]
    if response.status_code == 400:  # only for what a URL cannot carry
        assert "error" in response.get_json()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES.filter(lambda s: "\x00" not in s))  # argv cannot hold NUL
def test_cli_never_fails(kavosh: Kavosh, sample_index: Path, query: str) -> None:
    result = kavosh("search", "--index", str(sample_index), "--json", "--", query)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["query"] == drop_control_characters(query).strip()


LONG = [
    "شهرداری " * 1250,  # 10,000 characters, 1,250 words
    "«" * 10_000,
    "(" * 5_000 + ")" * 5_000,
    "title:" * 1_700,
    "-" * 10_000,
    "aivnhvd " * 1_250,
    "ایستگا" * 1_700,
    "\x07\x1b[31m\u202e" * 2_500,
]


@pytest.mark.parametrize("query", LONG, ids=lambda q: repr(q[:12]))
def test_long_queries_are_cut_quickly_and_say_so(engine: Engine, client: FlaskClient, query: str) -> None:
    started = time.perf_counter()
    result = engine.search(SearchRequest(query=query))
    assert time.perf_counter() - started < 10
    assert result["truncated"] is True
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code == 200
    assert response.get_json()["truncated"] is True


def test_long_query_message_in_the_cli(kavosh: Kavosh, sample_index: Path) -> None:
    result = kavosh("search", "شهرداری " * 1250, "--index", str(sample_index), "--no-bidi")
    assert result.exit_code == 0
    assert "پرسش بیش از حد طولانی بود و کوتاه شد." in result.stdout


def test_limits_are_what_the_readme_says() -> None:
    assert (MAX_QUERY_CHARS, MAX_CLAUSES) == (1000, 32)
