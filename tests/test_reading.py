"""What a reader sees (issue 19): paragraphs, Persian letters, snippets that show why an article matched.

A tiny index of our own fictional articles, some typed the old way (Arabic «ي ك», a
NO-BREAK SPACE where a ZWNJ belongs), as Hamshahri and old Fars News are.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from corpora import index_articles, neighbours_table
from flask.testing import FlaskClient

from app import create_app
from indexer.stem import get_stemmer
from search import neighbours, snippets, suggest
from search.display import display_text, no_break_space_to_zwnj
from search.engine import Engine, SearchRequest
from search.syntax import parse_query

NBSP = "\u00a0"
OLD_STYLE = {
    "id": "old-style",
    "title": "كتابخانه ملي نسخه هاي خطي را نمايش مي" + NBSP + "دهد",
    "lead": "نمايشگاه نسخه هاي خطي در كتابخانه ملي گشايش يافت.",
    "body": (
        "مديران كتابخانه گفتند اين نسخه ها كمتر ديده شده" + NBSP + "اند.\n\n"
        "بازديد از نمايشگاه تا پايان ماه رايگان است و هر روز از ساعت نه باز مي" + NBSP + "شود."
    ),
    "source": "همشهری",
    "published": "1383-02-10",
}
LONG = {
    "id": "long",
    "title": "گزارش بلند از بازار",
    "body": " ".join(["باران پاییزی در دامنه کوه بارید و قطار مسافری به ایستگاه رسید."] * 12)
    + " سرانجام قیمت نفت خام در بازار جهانی بالا رفت و صادرات نفت خام افزایش یافت. "
    + " ".join(["ماهیگیران با قایق به دریا رفتند و به ساحل بازگشتند."] * 12),
    "source": "ایرنا",
    "published": "1399-03-01",
}
FUNCTION_HEAVY = {
    "id": "function-heavy",
    "title": "سفر به شمال",
    "body": "او به خانه رفت و از آنجا به مدرسه در شهر رفت که در کنار رود است. سفر به شمال در بهار زیباست.",
    "source": "ایرنا",
    "published": "1399-05-02",
}
MALARIA_BODY = (
    "پژوهشگران دانشگاه واکسن تازه‌ای برای مالاریا ساختند که در آزمایش روی کودکان نتیجه داد. "
    "پشه آنوفل ناقل انگل مالاریا است و واکسن تازه ایمنی کودکان را در برابر انگل بالا می‌برد."
)
MALARIA = {
    "id": "malaria-vaccine",
    "url": "https://example.org/malaria-vaccine",
    "title": "واکسن تازه مالاریا آزمایش شد",
    "body": MALARIA_BODY,
    "source": "همشهری",
    "tags": ["مالاریا", "سلامت"],
    "published": "1398-06-01",
}
MALARIA_COPY = {**MALARIA, "id": "malaria-copy", "url": "https://example.org/copy", "source": "ایرنا"}
MALARIA_AFRICA = {
    "id": "malaria-africa",
    "title": "مالاريا در آفريقا كاهش يافت",  # Arabic ي ك: shown Persian among related articles too
    "body": "شمار کودکان بیمار از انگل مالاریا کاهش یافت؛ توزیع پشه‌بند و واکسن در روستاها ادامه دارد.",
    "source": "ایرنا",
    "tags": ["مالاریا"],
    "published": "1398-06-20",
}
OFFLINE = {
    "id": "offline",
    "title": "آف لاین",
    "body": "حالت آف لاین گوشی به کاربران اجازه می‌دهد بدون اینترنت پیام بخوانند؛ این حالت در دانشگاه هم پرکاربرد است.",
    "source": "ایرنا",
    "published": "1398-07-01",
}
ARTICLES = [OLD_STYLE, LONG, FUNCTION_HEAVY, MALARIA, MALARIA_COPY, MALARIA_AFRICA, OFFLINE]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_articles(tmp_path_factory.mktemp("reading"), ARTICLES)


@pytest.fixture(scope="module")
def client(index_dir: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX": str(index_dir)}).test_client()


def search(client: FlaskClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200
    data: dict[str, Any] = response.get_json()
    return data


OS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
ARABIC = re.compile("[\u064a\u0643\u00a0]")  # ARABIC YEH, ARABIC KAF, NO-BREAK SPACE


# --- display cleaning: one rule per character ----------------------------------------------------


def test_arabic_yeh_is_shown_persian() -> None:
    assert display_text("ملي") == "ملی"


def test_alef_maksura_is_shown_persian_yeh() -> None:
    assert display_text("مصطفى") == "مصطفی"


def test_arabic_kaf_is_shown_keheh() -> None:
    assert display_text("كتاب") == "کتاب"


def test_no_break_space_inside_a_word_is_a_zwnj() -> None:
    assert no_break_space_to_zwnj("مي" + NBSP + "دهد") == "مي\u200cدهد"
    assert no_break_space_to_zwnj("ها\u202fی") == "ها\u200cی"  # NARROW NO-BREAK SPACE
    assert no_break_space_to_zwnj("ها\u200bی") == "ها\u200cی"  # ZERO WIDTH SPACE


def test_no_break_space_between_a_number_and_a_word_is_a_space() -> None:
    assert display_text("۱۰" + NBSP + "درصد") == "۱۰ درصد"


def test_display_cleaning_keeps_the_length() -> None:
    text = OLD_STYLE["body"]
    assert len(display_text(text)) == len(text)


# --- §1: paragraphs and Persian letters everywhere, the original kept ---------------------------------


def test_article_page_shows_paragraphs_with_persian_letters(client: FlaskClient) -> None:
    page = client.get("/article/old-style").get_data(as_text=True)
    body = page[page.index('<article class="full"') : page.index("</article>")]
    assert not ARABIC.search(body)
    assert '<h1 id="article-title">کتابخانه ملی نسخه های خطی را نمایش می\u200cدهد</h1>' in body
    paragraphs = re.findall(r"<p>(.*?)</p>", body)
    assert paragraphs == [
        "مدیران کتابخانه گفتند این نسخه ها کمتر دیده شده\u200cاند.",
        "بازدید از نمایشگاه تا پایان ماه رایگان است و هر روز از ساعت نه باز می\u200cشود.",
    ]


def test_api_hits_snippets_and_suggestions_are_shown_with_persian_letters(client: FlaskClient) -> None:
    hit = search(client, q="نمایشگاه")["hits"][0]
    assert hit["id"] == "old-style"
    assert not ARABIC.search(hit["title"] + hit["snippet"])
    assert "<mark>نمایشگاه</mark>" in hit["snippet"]
    _, titles = client.get("/api/suggest", query_string={"q": "کتابخ"}).get_json()
    assert titles == ["کتابخانه ملی نسخه های خطی را نمایش می\u200cدهد"]
    article = client.get("/api/article/old-style").get_json()
    assert not ARABIC.search(article["title"] + article["lead"] + article["body"])


def test_the_stored_original_is_untouched(index_dir: Path) -> None:
    engine = Engine(index_dir)
    stored = engine._current().document("old-style")  # the backend's stored fields, not the display form
    assert stored is not None
    assert stored["body"] == OLD_STYLE["body"] and stored["title"] == OLD_STYLE["title"]
    engine.close()


# --- §2: snippets ------------------------------------------------------------------------------------


def _snippet(client: FlaskClient, query: str, ident: str) -> str:
    hits = {h["id"]: h["snippet"] for h in search(client, q=query, limit=20)["hits"]}
    return hits[ident]


def test_snippet_is_the_window_with_the_query_words_cut_with_ellipses(client: FlaskClient) -> None:
    shown = _snippet(client, "قیمت نفت خام", "long")
    assert shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>قیمت نفت خام</mark>" in shown  # adjacent matches are one mark
    assert len(re.sub("<[^>]+>", "", shown)) <= snippets.MAX_CHARS + 4


def test_snippet_of_a_phrase_query_shows_the_whole_phrase(client: FlaskClient) -> None:
    shown = _snippet(client, '"صادرات نفت"', "long")
    assert "<mark>صادرات نفت خام</mark>" in shown or "<mark>صادرات نفت</mark>" in shown


def test_every_form_of_a_query_word_is_marked(client: FlaskClient) -> None:
    # «نسخه» marks «نسخه ها» (written apart), and the Arabic-letter «كتابخانه» is found and marked
    shown = _snippet(client, "نسخه کتابخانه", "old-style")
    assert "<mark>نسخه ها</mark>" in shown and "<mark>کتابخانه</mark>" in shown


def test_a_function_word_is_never_marked_alone(client: FlaskClient) -> None:
    shown = _snippet(client, "سفر به شمال در", "function-heavy")
    marks = re.findall("<mark>(.*?)</mark>", shown)
    assert marks == ["سفر به شمال"]  # «به», «در» alone elsewhere in the text stay unmarked


def test_a_phrase_with_a_function_word_is_marked_whole() -> None:
    stem = get_stemmer("lexicon")
    want = snippets.wanted(parse_query('"به خانه"').clauses, stem)
    assert snippets.snippet("او به خانه رفت و به مدرسه", want, stem) == "او <mark>به خانه</mark> رفت و به مدرسه"


def test_engine_snippets_off_for_batch_runs(index_dir: Path) -> None:
    engine = Engine(index_dir)
    result = engine.search(SearchRequest(query="نفت", snippets=False))
    assert result["hits"] and all(h["snippet"] == "" for h in result["hits"])
    engine.close()


# --- §3: spelling --------------------------------------------------------------------------------


def _lexicon(counts: dict[str, int], documents: int = 12_000) -> suggest.Lexicon:
    return suggest.Lexicon.from_counts(counts, counts, documents)


def test_a_slip_found_in_a_few_articles_is_corrected_by_how_much_likelier_the_word_is() -> None:
    # «کرنا» is in 3 articles (slips), «کرونا» in 1,324: no fixed floor keeps it uncorrected
    assert suggest.correct("کرنا", _lexicon({"کرنا": 3, "کرونا": 1324})) == "کرونا"
    # but not when the word as typed is nearly as common as the other
    assert suggest.correct("کرنا", _lexicon({"کرنا": 300, "کرونا": 1324})) is None


def test_a_dictionary_word_in_use_is_not_corrected_to_a_commoner_neighbour() -> None:
    assert suggest.correct("بانگ", _lexicon({"بانگ": 12, "بانک": 3000})) is None


def test_english_keyboard_rescue_is_the_same_in_suggestions_and_on_the_page(client: FlaskClient) -> None:
    # «;jhfo» is «کتابخ» typed with the keyboard on English, «;jhfohki» is «کتابخانه»
    _, titles = client.get("/api/suggest", query_string={"q": ";jhfo"}).get_json()
    assert titles == ["کتابخانه ملی نسخه های خطی را نمایش می\u200cدهد"]
    data = search(client, q=";jhfohki")
    assert data["searched"] == {"query": "کتابخانه", "original": ";jhfohki", "reason": "keyboard"}
    _, titles = client.get("/api/suggest", query_string={"q": ";jhfohki"}).get_json()
    assert [h["title"] for h in data["hits"]] == titles


# --- §5: a picture of time -----------------------------------------------------------------------


def test_timeline_counts_every_month_in_the_range_in_the_api(client: FlaskClient) -> None:
    data = search(client, q="سفر نفت")
    months = {m["value"]: m["count"] for m in data["facets"]["month"] if m["value"] != "undated"}
    assert data["timeline"] == [
        {"value": "1399-03", "label": "خرداد ۱۳۹۹", "count": 1, "unit": "month"},
        {"value": "1399-04", "label": "تیر ۱۳۹۹", "count": 0, "unit": "month"},  # a gap shows as a gap
        {"value": "1399-05", "label": "مرداد ۱۳۹۹", "count": 1, "unit": "month"},
    ]
    assert {b["value"]: b["count"] for b in data["timeline"] if b["count"]} == months


def test_timeline_of_many_years_is_per_year(client: FlaskClient) -> None:
    bars = search(client)["timeline"]
    assert [b["value"] for b in bars] == [str(y) for y in range(1383, 1400)]
    assert (bars[0]["label"], bars[0]["count"], bars[-1]["count"], bars[0]["unit"]) == ("۱۳۸۳", 1, 2, "year")


def test_timeline_is_drawn_above_the_results_each_bar_filtering_to_its_month(client: FlaskClient) -> None:
    page = client.get("/", query_string={"q": "سفر نفت"}).get_data(as_text=True)
    chart = page[page.index('<figure class="timeline"') : page.index("</figure>")]
    assert page.index('<figure class="timeline"') < page.index('<ol class="hits">')
    assert "style=" not in chart and "<script" not in chart  # the CSP allows neither inline
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', chart)
    assert [label for _, label in links] == ["خرداد ۱۳۹۹: ۱ خبر", "مرداد ۱۳۹۹: ۱ خبر"]
    url = links[0][0].replace("&amp;", "&")
    assert "month=1399-03" in url and "q=" in url
    narrowed = client.get(url).get_data(as_text=True)
    assert "long" in narrowed and "/article/function-heavy" not in narrowed


# --- §6: small things on the page ----------------------------------------------------------------


def test_opensearch_offers_png_icons_of_16_and_64_pixels(client: FlaskClient) -> None:
    root = ET.fromstring(client.get("/opensearch.xml").data)
    images = {(i.get("width"), i.get("height"), i.get("type")): i.text or "" for i in root.findall("os:Image", OS)}
    for size in ("16", "64"):
        url = images[(size, size, "image/png")]
        with client.get(urlsplit(url).path) as response:
            data = response.get_data()
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (int(size), int(size))


def test_hint_and_search_box_declare_their_direction(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<code dir="rtl"><bdi>-واژه</bdi></code>' in page
    assert re.search(r'<input id="q"[^>]* placeholder="[^"]+"', page)  # :placeholder-shown makes the empty box rtl


# --- §1: related articles and syndicated copies ---------------------------------------------------


def test_related_articles_share_what_is_rare_and_none_rather_than_a_bad_one(index_dir: Path) -> None:
    engine = Engine(index_dir)
    related = engine.related("malaria-vaccine")
    assert [r["id"] for r in related] == ["malaria-africa"]  # not «آف لاین», not its own copy
    assert related[0]["title"] == "مالاریا در آفریقا کاهش یافت"
    assert engine.related("offline") == []  # shares only a common word with anything
    engine.close()


def test_with_the_indexs_neighbours_related_articles_are_chosen_among_them(
    index_dir: Path, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reindex publishes each article's nearest articles (search.neighbours); the related list takes
    # its candidates there, judged as before. The table is this index's as a bigger index would have it.
    table = neighbours_table({"malaria-vaccine": [("malaria-copy", 1.0), ("offline", 0.6), ("malaria-africa", 0.3)]})
    monkeypatch.setattr(neighbours, "of", lambda opened: table)
    engine = Engine(index_dir)
    assert [r["id"] for r in engine.related("malaria-vaccine")] == ["malaria-africa"]  # not its copy, not «آف لاین»
    related = client.get("/article/malaria-vaccine").get_data(as_text=True).split('<aside class="related"')[1]
    assert "/article/malaria-africa" in related and "/article/offline" not in related
    table = neighbours_table({"malaria-vaccine": [("offline", 0.6)], "malaria-africa": []})
    monkeypatch.setattr(neighbours, "of", lambda opened: table)
    assert engine.related("malaria-vaccine") == []  # its neighbours only: no search for others
    # an article the table lists with no neighbours: the search, as for one it does not know
    assert [r["id"] for r in engine.related("malaria-africa")] == ["malaria-vaccine"]
    related = client.get("/article/malaria-africa").get_data(as_text=True).split('<aside class="related"')[1]
    assert "/article/malaria-vaccine" in related
    assert [r["id"] for r in engine.related("malaria-copy")] == ["malaria-africa"]  # one it does not know: a search
    engine.close()


def test_article_page_lists_its_syndicated_copies_with_their_source(client: FlaskClient) -> None:
    page = client.get("/article/malaria-vaccine").get_data(as_text=True)
    start = page.index('<section class="copies"')
    copies = page[start : page.index("</section>", start)]
    assert '<a href="/article/malaria-copy">ایرنا</a>' in copies
    assert 'href="https://example.org/copy"' in copies
    related = page[page.index('<aside class="related"') :]
    assert "malaria-africa" in related and "/article/offline" not in related and "malaria-copy" not in related
    hits = [h["id"] for h in search(client, q="واکسن مالاریا")["hits"]]
    assert len({"malaria-vaccine", "malaria-copy"} & set(hits)) == 1  # merged in results
