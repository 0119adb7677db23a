"""The web site and JSON API, through Flask's test client, on a tiny index of our own."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from app import PARAMS, create_app
from indexer.build import reindex

ARTICLES = [
    {"id": "football-1", "url": "https://example.org/football-1", "title": "تیم ملی فوتبال به جام جهانی رسید",
     "lead": "بازیکنان تیم ملی فوتبال صبح امروز راهی قطر شدند.",
     "body": "سرمربی تیم ملی گفت فوتبال ایران آماده است.\n\nهواداران فوتبال در فرودگاه جمع شدند.",
     "source": "همشهری", "tags": ["ورزش", "فوتبال"], "speakers": ["علی کریمی"], "published": "1401-08-15"},
    {"id": "football-2", "url": "https://example.org/football-2", "title": "لیگ فوتبال زنان آغاز شد",
     "body": "نخستین هفته لیگ فوتبال زنان با سه بازی برگزار شد.",
     "source": "ایرنا", "tags": ["ورزش", "فوتبال"], "published": "1401-02-10"},
    {"id": "wrestling", "url": "https://example.org/wrestling",
     "title": "کشتی‌گیران در مسابقات جهانی طلا گرفتند",
     "body": "تیم ملی کشتی دو مدال طلا گرفت و ورزش ایران جشن گرفت.",
     "source": "همشهری", "tags": ["ورزش", "کشتی"], "speakers": ["علی کریمی"],
     "published": "2023-01-20T09:00:00+03:30"},
    {"id": "oil", "url": "https://example.org/oil", "title": "قیمت نفت در بازار جهانی بالا رفت",
     "body": "وزیر نفت گفت صادرات نفت افزایش یافته است.",
     "source": "ایرنا", "tags": ["اقتصاد", "نفت"], "speakers": ["وزیر نفت"],
     "published": "2023-05-14T10:30:00+03:30"},
    {"id": "books", "url": "https://example.org/books", "title": "نمایشگاه کتاب تهران گشایش یافت",
     "body": "ناشران کتاب از استقبال مردم خبر دادند.", "source": "همشهری", "tags": ["فرهنگ", "کتاب"],
     "published": "2021-12-20T12:00:00+03:30"},
    {"id": "markup", "url": "javascript:alert(1)", "title": "برنامه‌نویسان و امنیت وب",
     "body": "برنامه‌نویسان نوشتند <b>پررنگ</b> و <script>alert(1)</script> را نباید اجرا کرد.",
     "source": "ایرنا", "tags": ["فناوری"]},
]
BROWSE_NEWEST = ["oil", "wrestling", "football-1", "football-2", "books"]  # "markup" has no date
DATED = "2000-01-01"  # as ``since``: leaves out the undated article


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    corpus = folder / "articles.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    reindex([corpus], folder / "index")
    return folder / "index"


@pytest.fixture(scope="module")
def client(index_dir: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX": str(index_dir)}).test_client()


def api(client: FlaskClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def ids(data: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in data["hits"]]


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.get_data(as_text=True)


def page_ids(text: str) -> list[str]:
    return re.findall(r'<h3><a href="/article/([^"]+)">', text)


def link(text: str, label: str) -> str:
    """The href of the link whose text ends with ``label``."""
    match = re.search(rf'<a href="([^"]*)"[^>]*>(?:(?!</a>).)*{re.escape(label)}</a>', text, re.S)
    assert match, f"no link {label!r}"
    return html.unescape(match[1])


def facet_link(text: str, facet: str, label: str) -> str:
    """The toggle URL of one value of one facet."""
    section = re.search(rf'<section class="facet" aria-labelledby="facet-{facet}">.*?</section>', text, re.S)
    assert section, f"no facet {facet!r}"
    return link(section[0], label)


def test_config_from_env_then_test_config(monkeypatch: pytest.MonkeyPatch, index_dir: Path) -> None:
    monkeypatch.setenv("KAVOSH_INDEX", "/from/env")
    assert create_app().config["INDEX"] == "/from/env"
    assert create_app({"INDEX": str(index_dir)}).config["INDEX"] == str(index_dir)


def test_home_browses_newest_first_with_persian_counts(client: FlaskClient) -> None:
    text = page(client, "/")
    assert '<html lang="fa" dir="rtl">' in text
    assert '<label for="q">' in text
    assert [i for i in page_ids(text) if i != "markup"] == BROWSE_NEWEST
    assert "markup" in page_ids(text)
    assert "۶ نتیجه در " in text


def test_search_page_shows_hit_details(client: FlaskClient) -> None:
    text = page(client, "/?q=نفت")
    assert page_ids(text) == ["oil"]
    assert "یک‌شنبه ۲۴ اردیبهشت ۱۴۰۲" in text  # 2023-05-14, Jalali with weekday
    assert 'href="https://example.org/oil"' in text
    assert "<mark>نفت</mark>" in text
    assert link(text, "#اقتصاد") == "/?tag=%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF"


def test_tag_facet_toggles_on_and_off(client: FlaskClient) -> None:
    start = "/?q=%D9%81%D9%88%D8%AA%D8%A8%D8%A7%D9%84"  # q=فوتبال
    text = page(client, start)
    assert set(page_ids(text)) == {"football-1", "football-2"}
    assert re.search(r">کشتی</a>\s*<span class=\"count\">۰", text) is None
    on = facet_link(text, "tag", "فوتبال")
    assert "tag=" in on
    selected = page(client, on)
    assert set(page_ids(selected)) == {"football-1", "football-2"}
    assert 'class="selected"' in selected
    off = re.search(r'<a href="([^"]*)" class="selected"', selected)
    assert off and html.unescape(off[1]) == start
    chip = re.search(r'<ul class="chips".*?<a href="([^"]*)"', selected, re.S)
    assert chip and html.unescape(chip[1]) == start  # the chip removes the filter too


def test_facet_values_are_datasette_dicts(client: FlaskClient) -> None:
    from app import _facets, _state

    state = _state({"tag": ["ورزش"]})
    result = {"facets": {"tag": [{"value": "ورزش", "label": "ورزش", "count": 3},
                                 {"value": "کشتی", "label": "کشتی", "count": 1}]}}
    with client.application.test_request_context("/"):
        (tags,) = _facets(result, state)
    assert tags["results"] == [
        {"value": "ورزش", "label": "ورزش", "count": 3, "selected": True, "toggle_url": "/"},
        {"value": "کشتی", "label": "کشتی", "count": 1, "selected": False,
         "toggle_url": "/?tag=%D9%88%D8%B1%D8%B2%D8%B4&tag=%DA%A9%D8%B4%D8%AA%DB%8C"},
    ]


def test_two_filters_combine(client: FlaskClient) -> None:
    assert ids(api(client, tag="ورزش", source="ایرنا")) == ["football-2"]
    assert ids(api(client, tag="ورزش", speaker="علی کریمی", sort="oldest")) == ["football-1", "wrestling"]
    text = page(client, "/?tag=ورزش&source=همشهری")
    assert set(page_ids(text)) == {"football-1", "wrestling"}
    assert "برچسب: ورزش" in text and "منبع: همشهری" in text
    assert '<input type="hidden" name="tag" value="ورزش">' in text  # a new query keeps the filters


def test_since_until_jalali_and_gregorian_in_persian_digits(client: FlaskClient) -> None:
    # 1401/08/01 = 2022-10-23; until a date includes that whole day
    data = api(client, since="۱۴۰۱/۰۸/۰۱", until="۲۰۲۳-۰۵-۱۴", sort="oldest")
    assert ids(data) == ["football-1", "wrestling", "oil"]
    data = api(client, until="۲۰۲۳-۰۵-۱۳", since="1401-08-15", sort="oldest")
    assert ids(data) == ["football-1", "wrestling"]
    text = page(client, "/?since=۱۴۰۱/۰۸/۰۱&until=۲۰۲۳-۰۵-۱۴")
    assert page_ids(text) == ["oil", "wrestling", "football-1"]
    assert "از: ۱۴۰۱/۰۸/۰۱" in text


@pytest.mark.parametrize(("sort", "expected"), [("newest", BROWSE_NEWEST), ("oldest", BROWSE_NEWEST[::-1])])
def test_sort_by_date(client: FlaskClient, sort: str, expected: list[str]) -> None:
    assert ids(api(client, tag="ورزش", sort=sort)) == [i for i in expected if i.startswith(("foot", "wres"))]
    assert ids(api(client, sort=sort, since=DATED)) == expected


def test_undated_articles_sort_last(client: FlaskClient) -> None:
    assert ids(api(client, sort="newest"))[-1] == "markup"


def test_sort_links(client: FlaskClient) -> None:
    text = page(client, "/?q=فوتبال")
    assert "مرتبط‌ترین</a>" in text
    newest = page(client, link(text, "جدیدترین"))
    assert page_ids(newest) == ["football-1", "football-2"]
    assert page_ids(page(client, link(newest, "قدیمی‌ترین"))) == ["football-2", "football-1"]
    assert "مرتبط‌ترین" not in page(client, "/")  # nothing to rank by without words


def test_paging(client: FlaskClient) -> None:
    data = api(client, sort="newest", since=DATED, limit=2, page=2)
    assert (data["total"], data["pages"], ids(data)) == (5, 3, BROWSE_NEWEST[2:4])
    text = page(client, f"/?since={DATED}&limit=2&page=2")
    assert page_ids(text) == BROWSE_NEWEST[2:4]
    assert f'<a href="/?since={DATED}&amp;limit=2&amp;page=2" aria-current="page">۲</a>' in text
    assert page_ids(page(client, link(text, "بعدی"))) == BROWSE_NEWEST[4:]
    assert page_ids(page(client, link(text, "قبلی"))) == BROWSE_NEWEST[:2]
    assert "این صفحه نتیجه‌ای ندارد" in page(client, "/?limit=2&page=9")


@pytest.mark.parametrize(("params", "message"), [
    ({"sort": "bad"}, "sort: must be one of relevance, newest, oldest"),
    ({"page": "0"}, "page: must be a whole number"),
    ({"since": "notadate"}, "since: not a date"),
    ({"month": "1402"}, "month: expected YYYY-MM"),
])
def test_bad_params(client: FlaskClient, params: dict[str, str], message: str) -> None:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(message)
    response = client.get("/", query_string=params)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "درخواست نامعتبر است" in text and html.escape(message, quote=False) in text


def test_no_results_offers_to_drop_each_filter(client: FlaskClient) -> None:
    text = page(client, "/?q=نفت&tag=ورزش&source=همشهری")
    assert "نتیجه‌ای یافت نشد" in text
    assert page_ids(page(client, link(text, "بدون «برچسب: ورزش»"))) == []
    assert page_ids(page(client, link(text, "بدون «منبع: همشهری»"))) == []
    assert page_ids(page(client, link(text, "حذف همهٔ فیلترها"))) == ["oil"]


def test_article_page(client: FlaskClient) -> None:
    text = page(client, "/article/football-1")
    assert "<h1>تیم ملی فوتبال به جام جهانی رسید</h1>" in text
    assert '<p class="lead">بازیکنان تیم ملی فوتبال صبح امروز راهی قطر شدند.</p>' in text
    assert "<p>سرمربی تیم ملی گفت فوتبال ایران آماده است.</p>" in text
    assert "<p>هواداران فوتبال در فرودگاه جمع شدند.</p>" in text
    assert "یک‌شنبه ۱۵ آبان ۱۴۰۱" in text
    assert set(page_ids(page(client, link(text, "علی کریمی")))) == {"football-1", "wrestling"}
    assert set(page_ids(page(client, link(text, "همشهری")))) == {"football-1", "wrestling", "books"}
    tags = text.split("<dt>برچسب‌ها</dt>")[1]
    assert set(page_ids(page(client, link(tags, "فوتبال")))) == {"football-1", "football-2"}


def test_api_article(client: FlaskClient) -> None:
    response = client.get("/api/article/oil")
    assert response.status_code == 200
    assert "قیمت نفت".encode() in response.data  # Persian, not \\u escapes
    data = response.get_json()
    assert (data["title"], data["tags"], data["published"]) == (
        "قیمت نفت در بازار جهانی بالا رفت", ["اقتصاد", "نفت"], "2023-05-14T10:30:00+03:30")


def test_unknown_article_is_404(client: FlaskClient) -> None:
    assert "خبر پیدا نشد" in page(client, "/article/nope", 404)
    response = client.get("/api/article/nope")
    assert (response.status_code, response.get_json()) == (404, {"error": "no article with id 'nope'"})
    assert "پیدا نشد" in page(client, "/no/such/page", 404)


def test_api_search_is_the_public_result(client: FlaskClient) -> None:
    response = client.get("/api/search?q=کتاب")
    assert "نمایشگاه".encode() in response.data
    data = response.get_json()
    assert list(data) == ["query", "total", "page", "pages", "sort", "hits", "facets"]
    assert (data["query"], data["total"], ids(data)) == ("کتاب", 1, ["books"])
    assert {"value": "فرهنگ", "label": "فرهنگ", "count": 1} in data["facets"]["tag"]
    assert data["facets"]["month"] == [{"value": "1400-09", "label": "آذر ۱۴۰۰", "count": 1}]


def test_script_query_is_escaped(client: FlaskClient) -> None:
    text = page(client, "/?q=<script>alert(1)</script>")
    assert "<script>" not in text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in text
    assert page_ids(text) == ["markup"]
    snippet = api(client, q="<script>alert(1)</script>")["hits"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;<mark>script</mark>&gt;" in snippet
    assert "&lt;<mark>script</mark>&gt;" in text


def test_markup_in_body_is_escaped_in_snippet(client: FlaskClient) -> None:
    text = page(client, "/?q=پررنگ")
    assert "&lt;b&gt;<mark>پررنگ</mark>&lt;/b&gt;" in text
    assert "<b>" not in text


def test_only_web_links_leave_the_site(client: FlaskClient) -> None:
    assert "javascript:" not in page(client, "/?q=برنامه‌نویسان")
    assert "javascript:" not in page(client, "/article/markup")


def test_missing_index_is_503_not_500(tmp_path: Path) -> None:
    client = create_app({"TESTING": True, "INDEX": str(tmp_path / "none")}).test_client()
    response = client.get("/?q=x")
    assert response.status_code == 503
    assert "نمایه‌ای برای جست‌وجو ساخته نشده است" in response.get_data(as_text=True)
    response = client.get("/api/search")
    assert response.status_code == 503 and "no index at" in response.get_json()["error"]
    assert client.get("/article/x").status_code == 503


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(PARAMS), st.lists(st.text(max_size=30), max_size=3)))
def test_no_query_string_gives_500(client: FlaskClient, params: dict[str, list[str]]) -> None:
    for url in ("/", "/api/search"):
        assert client.get(url, query_string=params).status_code in (200, 400)
