"""Quotes (issue 17): what each speaker said, found in the text, stored with the
article, shown for searches by speaker and on the article page. Every person
and sentence here is fictional."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpora import index_articles
from flask.testing import FlaskClient

from app import create_app
from indexer.article import Article
from indexer.speakers.extract import find_speakers
from search.engine import Engine, SearchRequest
from search.query import Filters


def _said(body: str) -> dict[str, list[str]]:
    return {s.name: list(s.quotes) for s in find_speakers(Article(id="t", title="", body=body))}


def test_the_quote_after_the_verb_is_kept() -> None:
    assert _said("کامران نیک‌پور در جمع خبرنگاران گفت: بارش برف ادامه دارد.") == {
        "کامران نیک‌پور": ["بارش برف ادامه دارد."]
    }


def test_every_quote_goes_to_its_speaker_and_a_pronoun_to_the_last_one() -> None:
    body = (
        "کامران نیک‌پور گفت: بارش برف ادامه دارد. وی افزود: جاده‌ها باز است. "
        "فرزانه دلاوری اظهار کرد: مدارس باز است. بهرام صفایی تصریح کرد که قیمت‌ها ثابت می‌ماند. "
        "لیلا کاووسی معتقد است این طرح اجرا نمی‌شود."
    )
    assert _said(body) == {
        "کامران نیک‌پور": ["بارش برف ادامه دارد.", "جاده‌ها باز است."],
        "فرزانه دلاوری": ["مدارس باز است."],
        "بهرام صفایی": ["قیمت‌ها ثابت می‌ماند."],
        "لیلا کاووسی": ["این طرح اجرا نمی‌شود."],
    }


def test_according_to_gives_the_rest_of_the_sentence() -> None:
    assert _said("به گفته هومن رادفر، کارشناس بازار، قیمت طلا بالا می‌رود.")["هومن رادفر"] == [
        "کارشناس بازار، قیمت طلا بالا می‌رود."
    ]


def test_a_quote_in_guillemets_goes_on_over_sentences() -> None:
    said = _said("سیروس تابان گفت: «جلسه تمام شد. همه موافق بودند.» باران بارید.")
    assert said == {"سیروس تابان": ["«جلسه تمام شد. همه موافق بودند.»"]}


def test_a_quote_announced_at_the_end_of_a_sentence_is_the_next_one() -> None:
    said = _said("نسرین آبکار در پایان گفت:\nمدارس فردا باز است.")
    assert said == {"نسرین آبکار": ["مدارس فردا باز است."]}


def test_the_role_between_a_name_and_its_verb_is_not_the_quote() -> None:
    # «X، ROLE گفت:» announces the next sentence; the apposition is who X is, not what X said.
    said = _said("نسرین آبکار، مدیر مدرسه گلستان گفت:\nمدارس فردا باز است.")
    assert said == {"نسرین آبکار": ["مدارس فردا باز است."]}


def test_a_role_quote_goes_to_the_person_named_next() -> None:
    # The role speaks first; the next sentence names who holds it.
    said = _said("سخنگوی شرکت گفت: قرارداد امضا شد. منصور کاشفی افزود: کار از فردا آغاز می‌شود.")
    assert said == {"منصور کاشفی": ["قرارداد امضا شد.", "کار از فردا آغاز می‌شود."]}  # in article order


def test_two_verbs_joined_by_and_keep_one_quote() -> None:
    said = _said("منصور کاشفی از کمبود آب یاد کرد و گفت: آب جیره‌بندی نمی‌شود.")
    assert said == {"منصور کاشفی": ["آب جیره‌بندی نمی‌شود."]}


def test_an_interview_names_the_interviewee() -> None:
    said = _said("موضوع گفت‌وگو با کامران نیک‌پور، نماینده مجلس، بودجه است.")
    assert list(said) == ["کامران نیک‌پور"]


ARTICLES = [
    {
        "id": "q1",
        "title": "بارش برف در گردنه‌ها",
        "body": "کامران نیک‌پور گفت: بارش برف در گردنه‌ها ادامه دارد. فرزانه دلاوری افزود: مدارس باز است.",
    },
    {"id": "q2", "title": "بازار طلا", "body": "قیمت طلا امروز بالا رفت و بازار شلوغ بود."},
]


@pytest.fixture(scope="module")
def quote_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_articles(tmp_path_factory.mktemp("quotes"), ARTICLES)


def test_a_search_by_speaker_shows_their_quote(quote_index: Path) -> None:
    engine = Engine(quote_index)
    hit = engine.search(SearchRequest(query='speaker:"فرزانه دلاوری"'))["hits"][0]
    assert hit["quote"] == {"speaker": "فرزانه دلاوری", "text": "مدارس باز است."}
    assert hit["snippet"] == "مدارس باز است."
    # The facet filter restricts the same way; the query's words are marked in the quote.
    hit = engine.search(SearchRequest(query="برف", filters=Filters(speakers=("کامران نیک‌پور",))))["hits"][0]
    assert hit["quote"]["speaker"] == "کامران نیک‌پور"
    assert "<mark>برف</mark>" in hit["snippet"]
    # Not restricted to a speaker: the body's snippet, no quote.
    hit = engine.search(SearchRequest(query="برف"))["hits"][0]
    assert hit["quote"] is None


@pytest.fixture(scope="module")
def client(quote_index: Path) -> FlaskClient:
    return create_app({"TESTING": True, "INDEX": str(quote_index)}).test_client()


def test_the_article_page_lists_who_said_what(client: FlaskClient) -> None:
    page = client.get("/article/q1").get_data(as_text=True)
    assert "چه کسی چه گفت" in page
    assert page.index("کامران نیک‌پور</a></dt>") < page.index("<q>بارش برف در گردنه‌ها ادامه دارد.</q>")
    assert "<q>مدارس باز است.</q>" in page
    assert "چه کسی چه گفت" not in client.get("/article/q2").get_data(as_text=True)


def test_the_search_page_shows_the_quote_with_its_speaker(client: FlaskClient) -> None:
    page = client.get("/", query_string={"q": "", "speaker": "فرزانه دلاوری"}).get_data(as_text=True)
    assert "«مدارس باز است.»" in page
    assert "<cite>فرزانه دلاوری</cite>" in page


def test_a_clause_after_with_saying_that_is_a_quote_too() -> None:
    said = _said("بهرام صفایی با بیان اینکه بارش کم بوده، افزود: سدها نیمه پر است.")
    assert said == {"بهرام صفایی": ["بارش کم بوده", "سدها نیمه پر است."]}


@pytest.mark.parametrize(
    "body",
    [
        "علی ماهرخ گفت:\n«\nادامه دارد. باز هم ادامه دارد.",  # an announced quote that is only a quote mark
        "علی ماهرخ گفت: «.»\n«ادامه",
        "وی افزود: «",
        "سخنگوی شرکت گفت: «",
        "به گفته",
        "«»",
    ],
)
def test_broken_quotes_never_fail(body: str) -> None:
    # Found by running the extractor over every shared article: a quote mark alone announced
    # a quote with no letters, and the next sentence went on with a quote never kept.
    _said(body)
