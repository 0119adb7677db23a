"""Nothing a client sends gives a 5xx, and every answer carries the web's safety headers.

Issue 18 §4 (every parameter checked in one place, 400 with a Persian message on every
route; a property test over every route and parameter), §6 (headers, 405 with Allow, no
Host reflection, only web links in the API, valid Atom), §7 (lone surrogates, a CLI
query that is not UTF-8), and issue 19 §4 (since after until, one total on every page,
one paging rule for the feed and the API).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app import PARAMS, SECURITY_HEADERS, create_app
from indexer.build import reindex
from search.engine import Engine, SearchRequest
from search.request import PERSIAN

ROOT = Path(__file__).resolve().parents[1]
_LONG = "این متن به اندازه کافی بلند است تا دو خبر با همین متن یکی شمرده شوند و در نتیجه‌ها یک بار بیایند. "


def _articles() -> list[dict[str, Any]]:
    unique = [
        {"id": f"u{n}", "url": f"https://example.org/u{n}", "title": f"خبر باغ {n}",
         "body": f"باغبان در باغ شماره {n} درخت کاشت.", "published": f"1401-01-{n + 1:02d}"}
        for n in range(20)
    ]  # fmt: skip
    copies = [  # five bodies, each under two URLs: one hit each in searches
        {"id": f"c{n}-{k}", "url": f"https://example.org/c{n}-{k}", "title": f"گزارش باغ {n}",
         "body": f"{_LONG} باغ شماره {n}.", "published": f"1401-02-{n + 1:02d}"}
        for n in range(5) for k in range(2)
    ]  # fmt: skip
    unsafe = [
        {"id": "js", "url": "javascript:alert(1)", "title": "پیوند ناامن", "body": "باغ ناامن با پیوند اسکریپت."},
        {"id": "data", "url": "data:text/html,<script>alert(1)</script>", "title": "پیوند داده",
         "body": "باغ ناامن با پیوند داده.", "published": "1401-03-01"},
        {"id": "ctl", "url": "https://example.org/ctl", "title": "عنوان\u0001 با نویسه\u0000 کنترلی",
         "body": "باغ\u000b با نویسهٔ کنترلی.", "published": "1401-03-02"},
    ]  # fmt: skip
    return unique + copies + unsafe


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("safety")
    corpus = folder / "news.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in _articles()), encoding="utf-8")
    reindex([corpus], folder / "index")
    return folder / "index"


@pytest.fixture(scope="module")
def client(index_dir: Path) -> FlaskClient:
    return create_app({"INDEX": str(index_dir), "TESTING": True}).test_client()


#: Every route, with an article that exists where the route needs one.
ROUTES = ["/", "/feed", "/api/search", "/api/suggest", "/article/u1", "/api/article/u1", "/opensearch.xml"]


# --- §4: one validation, a 400 with a Persian message on every route -----------------------------

BAD = [
    ({"month": "1398-13"}, "month"),  # was an IndexError
    ({"month": "1398-00"}, "month"),
    ({"page": "²"}, "page"),  # a digit to str.isdigit(), not to int(): was a ValueError
    ({"limit": "١٢³"}, "limit"),
    ({"page": "0"}, "page"),
    ({"since": "9999-12-31T23:59:59-14:00"}, "since"),  # was an OverflowError
    ({"until": "0000-01-01"}, "until"),
    ({"sort": "best"}, "sort"),
    ({"since": "1401-02-01", "until": "1401-01-01"}, "range"),  # since later than until
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(("params", "name"), BAD, ids=[f"{k}={v}" for p, _ in BAD for k, v in list(p.items())[:1]])
def test_a_bad_parameter_is_400_with_a_persian_message_on_every_route(
    client: FlaskClient, route: str, params: dict[str, str], name: str
) -> None:
    response = client.get(route, query_string=params)
    assert response.status_code == 400
    if route.startswith("/api/"):
        assert response.get_json()["message"] == PERSIAN[name]
    else:
        assert PERSIAN[name] in response.get_data(as_text=True)


def test_since_after_until_says_so_on_the_page_and_in_the_api(client: FlaskClient) -> None:
    params = {"since": "۱۴۰۱/۰۲/۰۱", "until": "۱۴۰۱/۰۱/۰۱"}
    page = client.get("/", query_string=params).get_data(as_text=True)
    assert "تاریخ «از» پس از تاریخ «تا» است" in page
    assert 'value="۱۴۰۱/۰۲/۰۱"' in page  # the form keeps what was typed, to correct it
    data = client.get("/api/search", query_string=params).get_json()
    assert data == {"error": "since: later than until (2022-04-21 > 2022-03-21)", "message": PERSIAN["range"]}


def test_every_page_reports_the_same_total(client: FlaskClient) -> None:
    def total(page: int) -> int:
        data = client.get("/api/search", query_string={"q": "باغ", "limit": 1, "page": page}).get_json()
        return int(data["total"])

    assert total(1) == 28  # 33 articles with «باغ», five of them copies of another's body
    assert {total(1), total(3), total(28), total(29), total(10**9)} == {28}


def test_the_feed_pages_by_the_apis_rule(client: FlaskClient) -> None:
    for route in ("/api/search", "/feed", "/"):
        assert client.get(route, query_string={"page": "0"}).status_code == 400
        assert client.get(route, query_string={"page": "۲"}).status_code == 200


_DIGITS = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6)
_DATES = st.from_regex(
    r"\A[0-9]{1,5}[-/.][0-9]{1,3}[-/.][0-9]{1,3}(T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z))?\Z"
)
_VALUES = st.one_of(st.text(max_size=30), _DIGITS, _DATES, st.from_regex(r"\A[0-9]{4}-[0-9]{2}\Z"),
                    st.sampled_from(["relevance", "newest", "oldest", "undated", "1", "0", "", "-1", "9" * 5000]))


@settings(max_examples=200, deadline=None)
@given(route=st.sampled_from(ROUTES), query=st.dictionaries(st.sampled_from(PARAMS), st.lists(_VALUES, max_size=3)))
@example(route="/", query={"month": ["1398-13"]})
@example(route="/feed", query={"month": ["1398-13"]})
@example(route="/api/search", query={"page": ["²"]})
@example(route="/api/search", query={"since": ["9999-12-31T23:59:59-14:00"]})
@example(route="/api/search", query={"page": ["9" * 5000]})
@example(route="/feed", query={"sort": [""]})
def test_no_route_answers_5xx_to_any_parameter(client: FlaskClient, route: str, query: dict[str, list[str]]) -> None:
    response = client.get(route, query_string=query)
    assert response.status_code < 500
    assert response.status_code in (200, 400)


# --- §6: headers, methods, hosts, links, valid XML ------------------------------------------------


@pytest.mark.parametrize("route", [*ROUTES, "/article/none", "/no-such-page", "/static/kavosh.css", "/?page=0"])
def test_every_response_carries_the_safety_headers(client: FlaskClient, route: str) -> None:
    with client.get(route) as response:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_no_inline_script_or_style_in_any_template() -> None:
    for template in (ROOT / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", text), template.name


def test_405_says_which_methods_are_allowed(client: FlaskClient) -> None:
    for route in ("/", "/api/search", "/feed"):
        response = client.post(route)
        assert response.status_code == 405
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
        assert response.headers["X-Frame-Options"] == "DENY"


def test_the_host_header_is_never_reflected(client: FlaskClient, index_dir: Path) -> None:
    for route in ("/opensearch.xml", "/feed?q=باغ"):
        body = client.get(route, headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body
        assert "http://localhost/" in body
    public = create_app({"INDEX": str(index_dir), "TESTING": True, "PUBLIC_URL": "https://kavosh.example/"})
    body = public.test_client().get("/opensearch.xml", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "https://kavosh.example/?q={searchTerms}" in body and "evil.example" not in body
    feed = public.test_client().get("/feed?q=باغ", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "https://kavosh.example/article/u1" in feed and "evil.example" not in feed


def test_the_api_gives_only_web_links(client: FlaskClient) -> None:
    hits = client.get("/api/search", query_string={"q": "ناامن"}).get_json()["hits"]
    assert {hit["id"]: hit["url"] for hit in hits} == {"js": "", "data": ""}
    assert client.get("/api/article/js").get_json()["url"] == ""
    assert client.get("/api/article/u1").get_json()["url"] == "https://example.org/u1"


def test_the_feed_is_valid_xml_whatever_the_text_or_query(client: FlaskClient) -> None:
    response = client.get("/feed", query_string={"q": "کنترلی\u0001\u0000"})
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in root.iter("{http://www.w3.org/2005/Atom}entry")]
    assert titles == ["عنوان با نویسه کنترلی"]


# --- §7: odd input ------------------------------------------------------------------------------


def test_a_lone_surrogate_in_a_query_is_searched_without_it(index_dir: Path) -> None:
    engine = Engine(index_dir)
    odd = engine.search(SearchRequest(query="باغ\ud800"))
    plain = engine.search(SearchRequest(query="باغ"))
    assert json.dumps(odd, ensure_ascii=False).encode("utf-8")  # writable as UTF-8
    assert [h["id"] for h in odd["hits"]] == [h["id"] for h in plain["hits"]]


def test_a_cli_query_that_is_not_utf8_prints_utf8_json(index_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable.encode(), b"-m", b"kavosh", b"search", "باغ".encode() + b"\xff", b"--json",
         b"--index", str(index_dir).encode()],
        capture_output=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    data = json.loads(run.stdout.decode("utf-8"))  # strict: every byte is UTF-8
    assert data["query"] == "باغ" and data["total"] == 28
