"""The web site and JSON API, through Flask's test client, on a tiny index of our own."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from corpora import index_articles
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from app import PARAMS, create_app
from search.engine import Engine

ARTICLES = [
    {
        "id": "football-1",
        "url": "https://example.org/football-1",
        "title": "تیم ملی فوتبال به جام جهانی رسید",
        "lead": "بازیکنان تیم ملی فوتبال صبح امروز راهی قطر شدند.",
        "body": "سرمربی تیم ملی گفت فوتبال ایران آماده است.\n\nهواداران فوتبال در فرودگاه جمع شدند.",
        "source": "همشهری",
        "tags": ["ورزش", "فوتبال"],
        "speakers": ["کیوان کریمی"],
        "published": "1401-08-15",
    },
    {
        "id": "football-2",
        "url": "https://example.org/football-2",
        "title": "لیگ فوتبال زنان آغاز شد",
        "body": "نخستین هفته لیگ فوتبال زنان با سه بازی برگزار شد و هواداران فوتبال آمدند.",
        "source": "ایرنا",
        "tags": ["ورزش", "فوتبال"],
        "published": "1401-02-10",
    },
    {
        "id": "wrestling",
        "url": "https://example.org/wrestling",
        "title": "کشتی‌گیران در مسابقات جهانی طلا گرفتند",
        "body": "تیم ملی کشتی دو مدال طلا گرفت و ورزش ایران جشن گرفت.",
        "source": "همشهری",
        "tags": ["ورزش", "کشتی"],
        "speakers": ["کیوان کریمی"],
        "published": "2023-01-20T09:00:00+03:30",
    },
    {
        "id": "oil",
        "url": "https://example.org/oil",
        "title": "قیمت نفت در بازارهای دنیا بالا رفت",
        "body": "وزیر نفت گفت صادرات نفت افزایش یافته است.",
        "source": "ایرنا",
        "tags": ["اقتصاد", "نفت"],
        "speakers": ["وزیر نفت"],
        "published": "2023-05-14T10:30:00+03:30",
    },
    {
        "id": "books",
        "url": "https://example.org/books",
        "title": "نمایشگاه کتاب تهران گشایش یافت",
        "body": "ناشران کتاب از استقبال مردم خبر دادند.",
        "source": "همشهری",
        "tags": ["فرهنگ", "کتاب"],
        "published": "2021-12-20T12:00:00+03:30",
    },
    {
        "id": "markup",
        "url": "javascript:alert(1)",
        "title": "برنامه‌نویسان و امنیت وب",
        "body": "برنامه‌نویسان نوشتند <b>پررنگ</b> و <script>alert(1)</script> را نباید اجرا کرد.",
        "source": "ایرنا",
        "tags": ["فناوری", "<script>alert(1)</script>"],
    },
]
BROWSE_NEWEST = ["oil", "wrestling", "football-1", "football-2", "books"]  # "markup" has no date
DATED = "2000-01-01"  # as ``since``: leaves out the undated article
FOOTBALL = "/?q=%D9%81%D9%88%D8%AA%D8%A8%D8%A7%D9%84"  # q=فوتبال


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_articles(tmp_path_factory.mktemp("web"), ARTICLES)


@pytest.fixture(scope="module")
def client(index_dir: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX": str(index_dir)}).test_client()


# --- Reading pages: links by where they are and what they say ----------------------------------


@dataclass
class Link:
    href: str
    text: str  # what a sighted reader sees (aria-hidden and visually hidden parts left out)
    classes: set[str]
    within: list[str]  # ids, classes and aria-labelledby of the enclosing elements


@dataclass
class Page(HTMLParser):
    """The links and headings of a page, each with where it stands."""

    links: list[Link] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)
    _stack: list[tuple[str, list[str], bool]] = field(default_factory=list)
    _link: Link | None = None
    _heading: list[str] | None = None

    VOID = frozenset({"input", "meta", "link", "br", "img", "hr", "source", "wbr"})

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in self.VOID:
            return
        marks = [
            f"#{a['id']}" if "id" in a else "",
            *(f".{c}" for c in a.get("class", "").split()),
            f"@{a['aria-labelledby']}" if "aria-labelledby" in a else "",
        ]
        hidden = a.get("aria-hidden") == "true" or "visually-hidden" in a.get("class", "").split()
        self._stack.append((tag, [m for m in marks if m], hidden))
        if tag == "a":
            self._link = Link(
                a.get("href", ""), "", set(a.get("class", "").split()), [m for _, ms, _ in self._stack[:-1] for m in ms]
            )
        if tag in ("h1", "h2", "h3"):
            self._heading = [tag]

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            top = self._stack.pop()[0]
            if top == tag:
                break
        if tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            self.links.append(self._link)
            self._link = None
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append((self._heading[0], " ".join("".join(self._heading[1:]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)  # a heading may be for screen readers only
        if self._link is not None and not any(hidden for *_, hidden in self._stack):
            self._link.text += data


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def get(client: FlaskClient, url: str, status: int = 200) -> str:
    with client.get(url) as response:  # closes static files
        assert response.status_code == status, (url, response.status_code)
        return response.get_data(as_text=True)


def api(client: FlaskClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()
    return data


def ids(data: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in data["hits"]]


def hit_ids(text: str) -> list[str]:
    return [
        link.href.removeprefix("/article/")
        for link in parse(text).links
        if ".hit" in link.within and link.href.startswith("/article/")
    ]


def link(text: str, label: str, within: str = "") -> str:
    """The href of the one link reading ``label`` (inside an element marked ``within``)."""
    found = [x.href for x in parse(text).links if x.text == label and (not within or within in x.within)]
    assert len(found) == 1, f"{len(found)} links {label!r} within {within!r}"
    return found[0]


def facet(text: str, name: str) -> dict[str, Link]:
    """The value links of one facet by label: ``name`` is tag, speaker, source or date."""
    return {x.text: x for x in parse(text).links if f"@facet-{name}" in x.within}


def chips(text: str) -> dict[str, str]:
    """The active filter chips: label -> the URL that removes it."""
    return {
        x.text.removesuffix(" ×").strip(): x.href
        for x in parse(text).links
        if ".chips" in x.within and "clear" not in x.classes
    }


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- Configuration, static files -------------------------------------------------------------------


def test_config_defaults_then_env_then_test_config(monkeypatch: pytest.MonkeyPatch, index_dir: Path) -> None:
    monkeypatch.delenv("KAVOSH_INDEX", raising=False)
    assert create_app().config["INDEX"] == "var/index"
    assert create_app().config["FACET_SHOWN"] == 8
    monkeypatch.setenv("KAVOSH_INDEX", "/from/env")
    monkeypatch.setenv("KAVOSH_FACET_SHOWN", "3")
    app = create_app()
    assert (app.config["INDEX"], app.config["FACET_SHOWN"]) == ("/from/env", 3)
    app = create_app({"INDEX": str(index_dir), "FACET_SHOWN": 5})
    assert (app.config["INDEX"], app.config["FACET_SHOWN"]) == (str(index_dir), 5)


def test_font_is_served_by_the_app_with_its_licence(client: FlaskClient) -> None:
    css = get(client, "/static/kavosh.css")
    fonts = re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)
    assert len(fonts) == 4 and "http" not in " ".join(fonts)
    for font in fonts:
        with client.get(f"/static/{font}") as response:
            assert response.status_code == 200 and response.data[:4] == b"wOF2"
    assert '"Vazirmatn", "Vazir", "Noto Sans Arabic"' in css and "Tahoma" in css  # system fonts after ours
    assert "SIL OPEN FONT LICENSE Version 1.1" in get(client, "/static/fonts/OFL.txt")
    text = get(client, "/")
    assert "https://" not in re.sub(r'href="https://example\.org[^"]*"', "", text)  # nothing from a CDN


# --- The search page ---------------------------------------------------------------------------------


def test_home_browses_newest_first_with_persian_counts(client: FlaskClient) -> None:
    text = get(client, "/")
    assert '<html lang="fa" dir="rtl">' in text
    assert '<label for="q">' in text and 'role="search"' in text
    assert [i for i in hit_ids(text) if i != "markup"] == BROWSE_NEWEST
    assert "markup" in hit_ids(text)
    assert re.search(r"۶ نتیجه در [۰-۹]+ میلی‌ثانیه", text)
    assert ("h2", "تازه‌ترین خبرها") in parse(text).headings
    assert "مرتبط‌ترین" not in text  # nothing to rank by without words


def test_headings_are_in_order(client: FlaskClient) -> None:
    headings = parse(get(client, FOOTBALL)).headings
    assert headings[0] == ("h1", "جست‌وجو در خبرها")
    assert ("h2", "نتایج") in headings and ("h2", "پالایش نتایج") in headings
    assert ("h3", "برچسب") in headings and ("h3", "تاریخ") in headings
    levels = [int(tag[1]) for tag, _ in headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # never skips a level


def test_search_page_shows_hit_details(client: FlaskClient) -> None:
    text = get(client, "/?q=نفت")
    assert hit_ids(text) == ["oil"]
    assert "یک‌شنبه ۲۴ اردیبهشت ۱۴۰۲" in text  # 2023-05-14, Jalali with weekday
    assert link(text, "قیمت نفت در بازارهای دنیا بالا رفت") == "/article/oil"
    assert link(text, "متن اصلی", ".hit") == "https://example.org/oil"
    assert "<mark>نفت</mark>" in text
    assert params(link(text, "#اقتصاد")) == {"tag": ["اقتصاد"]}
    assert params(link(text, "وزیر نفت", ".hit")) == {"speaker": ["وزیر نفت"]}
    assert params(link(text, "ایرنا", ".hit")) == {"source": ["ایرنا"]}
    assert 'value="نفت"' in text  # the query stays in the box


@pytest.mark.parametrize(
    ("name", "label", "key", "expected"),
    [
        ("tag", "فوتبال", "tag", {"football-1", "football-2"}),
        ("tag", "کشتی", "tag", {"wrestling"}),
        ("speaker", "کیوان کریمی", "speaker", {"football-1", "wrestling"}),
        ("source", "ایرنا", "source", {"football-2"}),
        ("date", "۱۴۰۱", "year", {"football-1", "football-2", "wrestling"}),
    ],
)
def test_each_facet_toggles_on_and_off(
    client: FlaskClient, name: str, label: str, key: str, expected: set[str]
) -> None:
    start = "/?q=%D9%88%D8%B1%D8%B2%D8%B4+%D9%81%D9%88%D8%AA%D8%A8%D8%A7%D9%84"  # q=ورزش فوتبال
    text = get(client, start)
    assert set(hit_ids(text)) == {"football-1", "football-2", "wrestling"}
    value = facet(text, name)[label]
    assert "selected" not in value.classes
    on = get(client, value.href)
    assert set(hit_ids(on)) == expected
    assert key in params(value.href)
    selected = facet(on, name)[label]
    assert "selected" in selected.classes and "انتخاب‌شده" in on
    assert selected.href == start  # ticking it again takes the filter off
    chip_label = {"tag": "برچسب", "speaker": "گوینده", "source": "منبع", "year": "سال"}[key]
    assert chips(on) == {f"{chip_label}: {label}": start}  # and so does its chip


def test_facet_counts_in_persian_digits(client: FlaskClient) -> None:
    text = get(client, "/?tag=ورزش")
    assert re.search(r">فوتبال</span>.*?<span class=\"count\">۲</span>", text, re.S)
    assert re.search(r">کیوان کریمی</span>.*?<span class=\"count\">۲</span>", text, re.S)


def test_year_drills_down_to_months(client: FlaskClient) -> None:
    text = get(client, "/?tag=ورزش")
    assert list(facet(text, "date")) == ["۱۴۰۱"]  # no months until a year is chosen
    year = get(client, facet(text, "date")["۱۴۰۱"].href)
    months = facet(year, "date")
    assert list(months) == ["۱۴۰۱", "دی ۱۴۰۱", "آبان ۱۴۰۱", "اردیبهشت ۱۴۰۱"]  # newest first
    month = get(client, months["آبان ۱۴۰۱"].href)
    assert hit_ids(month) == ["football-1"]
    assert set(chips(month)) == {"برچسب: ورزش", "سال: ۱۴۰۱", "ماه: آبان ۱۴۰۱"}
    closed = get(client, facet(month, "date")["۱۴۰۱"].href)  # closing the year drops its months too
    assert set(chips(closed)) == {"برچسب: ورزش"}
    assert ids(api(client, year="۱۴۰۲")) == ["oil"]
    assert ids(api(client, year="undated")) == ["markup"]


def test_show_more_without_javascript(index_dir: Path) -> None:
    client = create_app({"TESTING": True, "INDEX": str(index_dir), "FACET_SHOWN": 2}).test_client()
    text = get(client, "/")
    tags = re.search(r'<section class="facet" aria-labelledby="facet-tag">.*?</section>', text, re.S)
    assert tags
    shown, more = tags[0].split("<details>")
    assert len(re.findall(r'class="count"', shown)) == 2
    assert "مورد بیشتر</summary>" in more and len(re.findall(r'class="count"', more)) == 7
    # a chosen value stays in sight, whatever its rank
    chosen = re.search(
        r'<section class="facet" aria-labelledby="facet-tag">.*?</section>', get(client, "/?tag=کشتی"), re.S
    )
    assert chosen
    assert 'class="selected"' in chosen[0].split("<details>")[0] and "کشتی" in chosen[0].split("<details>")[0]


def test_two_filters_combine(client: FlaskClient) -> None:
    assert ids(api(client, tag="ورزش", source="ایرنا")) == ["football-2"]
    assert ids(api(client, tag="ورزش", speaker="کیوان کریمی", sort="oldest")) == ["football-1", "wrestling"]
    assert ids(api(client, tag=["ورزش", "فوتبال"], year="1401", sort="oldest")) == ["football-2", "football-1"]
    text = get(client, "/?tag=ورزش&source=همشهری")
    assert set(hit_ids(text)) == {"football-1", "wrestling"}
    assert set(chips(text)) == {"برچسب: ورزش", "منبع: همشهری"}
    assert set(hit_ids(get(client, chips(text)["منبع: همشهری"]))) == {"football-1", "football-2", "wrestling"}
    assert '<input type="hidden" name="tag" value="ورزش">' in text  # a new query keeps the filters
    assert hit_ids(get(client, link(text, "حذف همهٔ فیلترها"))) == hit_ids(get(client, "/"))


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("۱۴۰۱/۰۸/۰۱", "۲۰۲۳-۰۵-۱۴", ["football-1", "wrestling", "oil"]),  # Jalali from, Gregorian to, Persian digits
        ("1401-08-15", "2023-05-13", ["football-1", "wrestling"]),  # until a date includes its whole day
        ("2022-11-06", "١٤٠١/١٠/٣٠", ["football-1", "wrestling"]),  # Arabic-Indic digits
        ("", "1401.02.10", ["books", "football-2"]),
        ("2023-01-20T10:00", "", ["oil"]),
    ],
)
def test_date_range_jalali_and_gregorian(client: FlaskClient, since: str, until: str, expected: list[str]) -> None:
    assert ids(api(client, since=since, until=until, sort="oldest")) == expected
    text = get(client, f"/?since={since}&until={until}&sort=oldest")
    assert hit_ids(text) == expected


def test_date_range_chips_in_jalali(client: FlaskClient) -> None:
    text = get(client, "/?since=2022-10-23&until=۱۴۰۲/۰۲/۲۴")
    assert set(chips(text)) == {"از: ۱ آبان ۱۴۰۱", "تا: ۲۴ اردیبهشت ۱۴۰۲"}
    assert '<details class="dates" open>' in text and 'value="2022-10-23"' in text


@pytest.mark.parametrize(("sort", "expected"), [("newest", BROWSE_NEWEST), ("oldest", BROWSE_NEWEST[::-1])])
def test_sort_by_date(client: FlaskClient, sort: str, expected: list[str]) -> None:
    assert ids(api(client, tag="ورزش", sort=sort)) == [i for i in expected if i.startswith(("foot", "wres"))]
    assert ids(api(client, sort=sort, since=DATED)) == expected
    assert ids(api(client, sort=sort))[-1] == "markup"  # undated last both ways


def test_sort_links(client: FlaskClient) -> None:
    text = get(client, FOOTBALL)
    assert hit_ids(text)[0] == "football-2"  # more فوتبال in fewer words
    newest = get(client, link(text, "جدیدترین"))
    assert hit_ids(newest) == ["football-1", "football-2"]
    oldest = get(client, link(newest, "قدیمی‌ترین"))
    assert hit_ids(oldest) == ["football-2", "football-1"]
    assert link(oldest, "مرتبط‌ترین") == FOOTBALL


def test_paging(client: FlaskClient) -> None:
    data = api(client, sort="newest", since=DATED, limit=2, page=2)
    assert (data["total"], data["pages"], ids(data)) == (5, 3, BROWSE_NEWEST[2:4])
    text = get(client, f"/?since={DATED}&limit=2&page=2")
    assert hit_ids(text) == BROWSE_NEWEST[2:4]
    assert f'<a href="/?since={DATED}&amp;limit=2&amp;page=2" aria-current="page">۲</a>' in text
    assert hit_ids(get(client, link(text, "بعدی"))) == BROWSE_NEWEST[4:]
    assert hit_ids(get(client, link(text, "قبلی"))) == BROWSE_NEWEST[:2]
    assert hit_ids(get(client, link(text, "۳", ".pages"))) == BROWSE_NEWEST[4:]
    assert "این صفحه نتیجه‌ای ندارد" in get(client, "/?limit=2&page=9")


def test_over_large_limit_and_page_are_capped(client: FlaskClient) -> None:
    data = api(client, limit=10_000, page=5)
    assert data["page"] == 5 and data["hits"] == []
    assert api(client, limit="۱۰۰۰")["total"] == 6
    assert api(client, page=10**9)["page"] == 1000


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "bad"}, "sort: must be one of relevance, newest, oldest"),
        ({"page": "0"}, "page: must be a whole number"),
        ({"limit": "-3"}, "limit: must be a whole number"),
        ({"since": "notadate"}, "since: not a date"),
        ({"until": "1401/13/40"}, "until: not a valid date"),
        ({"month": "1402"}, "month: expected YYYY-MM"),
        ({"year": "۱۴"}, "year: expected YYYY"),
        ({"literal": "maybe"}, "literal: expected 1 or 0"),
    ],
)
def test_bad_params_are_400_with_a_message(client: FlaskClient, params: dict[str, str], message: str) -> None:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(message)
    response = client.get("/", query_string=params)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "درخواست نامعتبر است" in text and message in text.replace("&#39;", "'")
    if "page" not in params and "limit" not in params:  # a feed has its own size and one page
        response = client.get("/feed", query_string=params)
        assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_no_results_offers_to_drop_each_filter(client: FlaskClient) -> None:
    text = get(client, "/?q=نفت&tag=ورزش&source=همشهری")
    assert "نتیجه‌ای یافت نشد" in text
    assert hit_ids(get(client, link(text, "بدون «برچسب: ورزش»"))) == []
    assert hit_ids(get(client, link(text, "بدون «منبع: همشهری»"))) == []
    assert hit_ids(get(client, link(text, "حذف همهٔ فیلترها"))) == ["oil"]


def test_spelling_suggestion_and_searched_instead(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's rescue (``search.suggest``), shown as links; stubbed so the page is tested alone."""
    real = Engine.search

    def rescued(self: Engine, request: Any) -> dict[str, Any]:
        result = real(self, request)
        if request.query == "فوتبل":
            result.update(total=0, hits=[], suggestion="فوتبال <i>", searched=None)
        elif request.query == "tdjfhg" and not request.literal:
            result.update(suggestion=None, searched={"query": "فوتبال", "original": "tdjfhg", "reason": "keyboard"})
        return result

    monkeypatch.setattr(Engine, "search", rescued)
    text = get(client, "/?q=فوتبل&tag=ورزش")
    assert "آیا منظور شما" in text and "«<bdi>فوتبال &lt;i&gt;</bdi>»" in text
    assert params(link(text, "«فوتبال <i>»")) == {"q": ["فوتبال <i>"], "tag": ["ورزش"]}
    text = get(client, "/?q=tdjfhg")
    assert "نتایج برای «<strong><bdi>فوتبال</bdi></strong>» نشان داده شده است" in text
    assert params(link(text, "«tdjfhg»")) == {"q": ["tdjfhg"], "literal": ["1"]}
    assert "نشان داده شده" not in get(client, "/?q=tdjfhg&literal=1")


# --- The article page ----------------------------------------------------------------------------------


def test_article_page(client: FlaskClient) -> None:
    text = get(client, "/article/football-1")
    assert ("h1", "تیم ملی فوتبال به جام جهانی رسید") in parse(text).headings
    assert '<p class="lead">بازیکنان تیم ملی فوتبال صبح امروز راهی قطر شدند.</p>' in text
    assert "<p>سرمربی تیم ملی گفت فوتبال ایران آماده است.</p>" in text
    assert "<p>هواداران فوتبال در فرودگاه جمع شدند.</p>" in text
    assert "یک‌شنبه ۱۵ آبان ۱۴۰۱" in text
    assert link(text, "https://example.org/football-1") == "https://example.org/football-1"
    assert set(hit_ids(get(client, link(text, "کیوان کریمی")))) == {"football-1", "wrestling"}
    assert set(hit_ids(get(client, link(text, "همشهری")))) == {"football-1", "wrestling", "books"}
    assert set(hit_ids(get(client, link(text, "فوتبال")))) == {"football-1", "football-2"}


def test_article_page_lists_related_articles(client: FlaskClient) -> None:
    text = get(client, "/article/football-1")
    related = [x.href for x in parse(text).links if ".related" in x.within]
    assert {"/article/football-2", "/article/wrestling"} <= set(related)  # فوتبال, تیم ملی
    assert "/article/football-1" not in related and "/article/books" not in related


def test_article_shows_cited_and_categories_when_present(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Engine.article

    def with_more(self: Engine, ident: str) -> dict[str, Any] | None:
        article = real(self, ident)
        return article and {**article, "cited": ["خبرگزاری نمونه"], "categories": ["ورزشی"]}

    monkeypatch.setattr(Engine, "article", with_more)
    text = get(client, "/article/books")
    assert "<dt>به نقل از</dt><dd>خبرگزاری نمونه</dd>" in text and "<dt>دسته</dt><dd>ورزشی</dd>" in text


def test_api_article(client: FlaskClient) -> None:
    response = client.get("/api/article/oil")
    assert response.status_code == 200
    assert "قیمت نفت".encode() in response.data  # Persian, not \\u escapes
    data = response.get_json()
    assert (data["title"], data["tags"], data["published"]) == (
        "قیمت نفت در بازارهای دنیا بالا رفت",
        ["اقتصاد", "نفت"],
        "2023-05-14T10:30:00+03:30",
    )


def test_unknown_article_is_404(client: FlaskClient) -> None:
    assert "خبر پیدا نشد" in get(client, "/article/nope", 404)
    response = client.get("/api/article/nope")
    assert (response.status_code, response.get_json()) == (404, {"error": "no article with id 'nope'"})
    assert "پیدا نشد" in get(client, "/no/such/page", 404)
    assert "&lt;b&gt;" in get(client, "/article/<b>", 404)


# --- API, OpenSearch, Atom, suggestions --------------------------------------------------------------


def test_api_search_is_the_public_result(client: FlaskClient) -> None:
    response = client.get("/api/search?q=کتاب")
    assert "نمایشگاه".encode() in response.data
    data = response.get_json()
    assert list(data)[:7] == ["query", "total", "page", "pages", "sort", "hits", "facets"]
    assert (data["query"], data["total"], ids(data)) == ("کتاب", 1, ["books"])
    assert {"value": "فرهنگ", "label": "فرهنگ", "count": 1} in data["facets"]["tag"]
    assert data["facets"]["month"] == [{"value": "1400-09", "label": "آذر ۱۴۰۰", "count": 1}]


def test_opensearch_description_is_linked_and_valid(client: FlaskClient) -> None:
    text = get(client, "/")
    assert '<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"' in text
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    assert root.findtext("os:ShortName", namespaces=ns) == "کاوش"
    templates = {u.get("type"): u.get("template") for u in root.findall("os:Url", ns)}
    assert templates["text/html"] == "http://localhost/?q={searchTerms}"
    assert templates["application/atom+xml"] == "http://localhost/feed?q={searchTerms}"
    assert templates["application/x-suggestions+json"] == "http://localhost/api/suggest?q={searchTerms}"


ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_atom_feed_of_a_search(client: FlaskClient) -> None:
    text = get(client, "/?q=فوتبال&tag=ورزش")
    assert 'type="application/atom+xml"' in text
    response = client.get(link(text, "خوراک اتم این جست‌وجو"))
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.findtext("a:title", namespaces=ATOM) == "کاوش: فوتبال – برچسب: ورزش"
    entries = feed.findall("a:entry", ATOM)
    assert [e.findtext("a:id", namespaces=ATOM) for e in entries] == [
        "http://localhost/article/football-1",
        "http://localhost/article/football-2",
    ]  # newest first
    first = entries[0]
    assert first.findtext("a:published", namespaces=ATOM) == "2022-11-06T00:00:00+03:30"
    assert first.find("a:link[@rel='related']", ATOM).get("href") == "https://example.org/football-1"  # type: ignore[union-attr]
    assert "<mark>فوتبال</mark>" in (first.findtext("a:summary", namespaces=ATOM) or "")
    assert feed.findtext("a:updated", namespaces=ATOM) == "2022-11-06T00:00:00+03:30"
    oldest = ET.fromstring(client.get("/feed?q=فوتبال&sort=oldest").data)
    assert oldest.findtext("a:entry/a:id", namespaces=ATOM) == "http://localhost/article/football-2"


def test_atom_feed_escapes_and_drops_unsafe_links(client: FlaskClient) -> None:
    response = client.get("/feed?q=<script>alert(1)</script>")
    assert b"<script>" not in response.data and b"javascript:" not in response.data
    feed = ET.fromstring(response.data)  # well-formed
    assert feed.findtext("a:title", namespaces=ATOM) == "کاوش: <script>alert(1)</script>"


def test_suggestions_while_typing(client: FlaskClient) -> None:
    response = client.get("/api/suggest?q=فوتب")
    assert response.get_json() == ["فوتب", ["تیم ملی فوتبال به جام جهانی رسید", "لیگ فوتبال زنان آغاز شد"]]
    assert client.get("/api/suggest?q=لیگ فوت").get_json() == ["لیگ فوت", ["لیگ فوتبال زنان آغاز شد"]]
    assert client.get("/api/suggest?q=ف").get_json() == ["ف", []]  # too short to guess
    assert client.get("/api/suggest").get_json() == ["", []]
    assert 'data-suggest="/api/suggest"' in get(client, "/")


# --- Escaping and robustness ----------------------------------------------------------------------------


def test_script_query_is_escaped(client: FlaskClient) -> None:
    text = get(client, "/?q=<script>alert(1)</script>&tag=<script>alert(1)</script>")
    assert "<script>alert" not in text
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in text
    assert hit_ids(text) == ["markup"]
    assert "برچسب: <bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi>" in text  # the chip
    snippet = api(client, q="<script>alert(1)</script>")["hits"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;<mark>script</mark>&gt;" in snippet
    assert "&lt;<mark>script</mark>&gt;" in text
    assert "<script>alert" not in get(client, "/article/markup")


def test_markup_in_body_is_escaped_in_snippet(client: FlaskClient) -> None:
    text = get(client, "/?q=پررنگ")
    assert "&lt;b&gt;<mark>پررنگ</mark>&lt;/b&gt;" in text
    assert "<b>" not in text


def test_only_web_links_leave_the_site(client: FlaskClient) -> None:
    assert "javascript:" not in get(client, "/?q=برنامه‌نویسان")
    assert "javascript:" not in get(client, "/article/markup")


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
def test_no_query_string_gives_500(client: FlaskClient, query: dict[str, list[str]]) -> None:
    for url in ("/", "/api/search", "/feed", "/api/suggest"):
        assert client.get(url, query_string=query).status_code in (200, 400)
