"""Corpus readers: JSON Lines, scraped pages, Hamshahri files, decoding, and the seed page."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from indexer.article import Article
from indexer.readers import ReadError, read_file
from indexer.readers.base import decode

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_42c89b557683ebfd.txt"
TEHRAN = ZoneInfo("Asia/Tehran")


def read_all(path: Path) -> list[Article | ReadError]:
    return list(read_file(path))


def write_jsonl(path: Path, *records: object) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- JSON Lines -------------------------------------------------------------------------------

RECORD = {
    "id": "a1",
    "url": "https://example.org/a1",
    "title": " نمایشگاه کتاب گشایش یافت ",
    "lead": "ناشران آمدند.",
    "body": "به گزارش خبرگزاری نمونه، نمایشگاه کتاب امروز گشایش یافت.",
    "source": "خبرگزاری نمونه",
    "tags": ["کتاب", " فرهنگ ", ""],
    "speakers": ["مریم احمدی"],
    "published": "2023-05-14T10:30:00+03:30",
}


def test_jsonl_valid_record(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", RECORD)
    assert read_all(path) == [
        Article(
            id="a1",
            url="https://example.org/a1",
            title="نمایشگاه کتاب گشایش یافت",  # stripped
            lead="ناشران آمدند.",
            body="به گزارش خبرگزاری نمونه، نمایشگاه کتاب امروز گشایش یافت.",
            source="خبرگزاری نمونه",
            tags=["کتاب", "فرهنگ"],  # stripped, empty ones dropped
            speakers=["مریم احمدی"],
            published=datetime(2023, 5, 14, 10, 30, tzinfo=TEHRAN),
            path=str(path),
        )
    ]


def test_jsonl_invalid_line_names_file_and_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl",
        {"id": "a", "title": "ت", "body": "ب"},
        "not json",
        {"id": "c", "title": "ت", "body": "ب"},
    )
    first, error, third = read_all(path)
    assert isinstance(error, ReadError)
    assert (error.path, error.line) == (str(path), 2)
    assert str(error) == f"{path}:2: invalid JSON (Expecting value at column 1)"
    assert (first.id, third.id) == ("a", "c")


def test_jsonl_blank_lines_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text('{"title": "ت", "body": "ب", "id": "a"}\n\n   \n{"title": 1}\n', encoding="utf-8")
    article, error = read_all(path)
    assert article.id == "a"
    assert str(error) == f"{path}:4: 'title' must be a string"


JSONL_ERRORS = [
    ({"body": "متن"}, "no title"),  # no title
    ({"title": "عنوان"}, "no body"),  # no body
    ({"title": "  ", "body": ""}, "no title and no body"),  # blank ones count as missing
    ({"title": "ت", "body": "ب", "tags": 5}, "'tags' must be a list of strings"),  # tags not a list
    ({"title": "ت", "body": "ب", "tags": ["ورزش", 3]}, "'tags' must be a list of strings"),  # a non-string tag
    ({"title": "ت", "body": "ب", "speakers": {"a": 1}}, "'speakers' must be a list of strings"),  # a dict
    ({"title": "ت", "body": "ب", "published": "دیروز"}, "not a date: 'دیروز'"),  # a bad date
    (["title", "body"], "not a JSON object"),  # an array
]


@pytest.mark.parametrize(("record", "message"), JSONL_ERRORS)
def test_jsonl_bad_record(tmp_path: Path, record: object, message: str) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", record)
    [error] = read_all(path)
    assert isinstance(error, ReadError)
    assert str(error).startswith(f"{path}:1: {message}")


def test_jsonl_tags_as_one_string_is_one_tag(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", {"title": "ت", "body": "ب", "tags": "ورزش"})
    [article] = read_all(path)
    assert article.tags == ["ورزش"]


PUBLISHED = [
    ("2023-05-14T10:30:00+03:30", datetime(2023, 5, 14, 10, 30, tzinfo=TEHRAN)),  # ISO with offset
    ("2022-11-02 09:15:00", datetime(2022, 11, 2, 9, 15, tzinfo=TEHRAN)),  # no offset: Tehran time
    ("1402-03-21", datetime(2023, 6, 11, tzinfo=TEHRAN)),  # Jalali, ASCII digits
    ("۱۴۰۱/۰۸/۱۵ ۱۴:۳۰", datetime(2022, 11, 6, 14, 30, tzinfo=TEHRAN)),  # Jalali, Persian digits, time
    (None, None),  # no date
]


@pytest.mark.parametrize(("published", "expected"), PUBLISHED)
def test_jsonl_published(tmp_path: Path, published: str | None, expected: datetime | None) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", {"title": "ت", "body": "ب", "published": published})
    [article] = read_all(path)
    assert article.published == expected


def test_jsonl_id_from_number(tmp_path: Path) -> None:
    [article] = read_all(write_jsonl(tmp_path / "news.jsonl", {"id": 42, "title": "ت", "body": "ب"}))
    assert article.id == "42"


def test_jsonl_without_id_is_stable_and_from_the_url(tmp_path: Path) -> None:
    record = {"url": "https://example.org/x", "title": "ت", "body": "ب"}
    [one] = read_all(write_jsonl(tmp_path / "one.jsonl", record))
    [two] = read_all(write_jsonl(tmp_path / "two.jsonl", record))
    assert one.id == two.id
    assert len(one.id) == 16


# --- scraped pages ----------------------------------------------------------------------------

PAGE = """

جشنواره فیلم کوتاه در سبزدشت برگزار شد

تاریخ انتشار: ۱۴۰۲/۰۳/۲۱

سی فیلم کوتاه در جشنواره این دوره روی پرده رفت.

جشنواره فیلم کوتاه سبزدشت؛

به گزارش خبرگزاری نمونه، جشنواره با حضور سی کارگردان جوان برگزار شد.

داوران سه فیلم را برگزیدند.

برچسب‌ها: [فرهنگ](#) [1]

[سینما](#) [2]
"""


def write_page(tmp_path: Path, text: str, name: str = "page-01.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_page_every_part(tmp_path: Path) -> None:
    path = write_page(tmp_path, PAGE)
    assert read_all(path) == [
        Article(
            id="page-01",
            title="جشنواره فیلم کوتاه در سبزدشت برگزار شد",
            lead="سی فیلم کوتاه در جشنواره این دوره روی پرده رفت.",
            body="جشنواره فیلم کوتاه سبزدشت\n\n"  # the kicker, without its «؛»
            "به گزارش خبرگزاری نمونه، جشنواره با حضور سی کارگردان جوان برگزار شد.\n\n"
            "داوران سه فیلم را برگزیدند.",
            source="خبرگزاری نمونه",
            tags=["فرهنگ", "سینما"],
            published=datetime(2023, 6, 11, tzinfo=TEHRAN),
            path=str(path),
        )
    ]


def test_page_tag_line_without_zwnj(tmp_path: Path) -> None:
    [article] = read_all(write_page(tmp_path, PAGE.replace("برچسب‌ها:", "برچسبها:")))
    assert article.tags == ["فرهنگ", "سینما"]
    assert "برچسب" not in article.body


def test_page_tag_line_without_links(tmp_path: Path) -> None:
    [article] = read_all(write_page(tmp_path, "عنوان خبر\n\nمتن خبر.\n\nبرچسب‌ها: ورزش، فوتبال"))
    assert (article.tags, article.body) == (["ورزش", "فوتبال"], "متن خبر.")


def test_page_without_tag_line_or_date_is_still_an_article(tmp_path: Path) -> None:
    [article] = read_all(write_page(tmp_path, "خبر کوتاه\n\nبه گزارش ایرنا، باران آمد.\n"))
    assert article == Article(
        id="page-01",
        title="خبر کوتاه",
        body="به گزارش ایرنا، باران آمد.",
        source="ایرنا",
        path=str(tmp_path / "page-01.txt"),
    )


def test_page_gregorian_date_line(tmp_path: Path) -> None:
    [article] = read_all(write_page(tmp_path, "عنوان\n\nتاریخ: 2023-05-14\n\nمتن."))
    assert (article.published, article.body) == (datetime(2023, 5, 14, tzinfo=TEHRAN), "متن.")


def test_page_with_only_a_tag_line_is_a_read_error(tmp_path: Path) -> None:
    path = write_page(tmp_path, "برچسب‌ها: [ورزش](#) [1]\n")
    [error] = read_all(path)
    assert isinstance(error, ReadError)
    assert str(error) == f"{path}: no body text"


# --- Hamshahri --------------------------------------------------------------------------------

HAMSHAHRI = "باغ انار، خانه كودكي\nپريسا نيكدل\nباغ انار را از كودكي به ياد مي\u00a0آورم.\n"


def test_hamshahri_file(tmp_path: Path) -> None:
    path = tmp_path / "HAM2-811011-007.ham"
    path.write_text(HAMSHAHRI, encoding="utf-8")
    assert read_all(path) == [
        Article(
            id="HAM2-811011-007",
            title="باغ انار، خانه كودكي",  # the first line, kept as written
            body="پريسا نيكدل\n\nباغ انار را از كودكي به ياد مي\u00a0آورم.",  # a short line is a paragraph
            source="همشهری",
            published=datetime(2003, 1, 1, tzinfo=TEHRAN),  # 1381-10-11
            path=str(path),
        )
    ]


def test_hamshahri_wrapped_lines_are_joined_into_paragraphs(tmp_path: Path) -> None:
    wrapped = "گزارش كوتاه درباره نمايشگاه گل در تهران كه ديروز گشايش يافت و تا هفته"
    path = tmp_path / "HAM2-811011-008.ham"
    path.write_text(f"عنوان\n{wrapped} \nآينده باز است. \nخبرهاي كوتاه \n{wrapped}\nآينده باز است.\n", encoding="utf-8")
    [article] = read_all(path)
    assert article.body.split("\n\n") == [
        f"{wrapped} آينده باز است.",  # the line break of the wrapping is a space, the words as written
        "خبرهاي كوتاه",  # a short line is a heading
        f"{wrapped} آينده باز است.",
    ]


def test_hamshahri_file_in_windows_1256(tmp_path: Path) -> None:
    path = tmp_path / "HAM2-811011-007.ham"
    path.write_bytes(HAMSHAHRI.replace("\u00a0", " ").encode("cp1256"))
    [article] = read_all(path)
    assert article.title == "باغ انار، خانه كودكي"


def test_hamshahri_headline_alone(tmp_path: Path) -> None:
    path = tmp_path / "HAM2-830101-001.ham"
    path.write_text("نوروز\n", encoding="utf-8")
    [article] = read_all(path)
    assert (article.title, article.body, article.published) == (
        "نوروز",
        "",
        datetime(2004, 3, 20, tzinfo=TEHRAN),  # 1383-01-01
    )


def test_hamshahri_malformed_date_in_id_gives_no_date(tmp_path: Path) -> None:
    path = tmp_path / "HAM2-811399-001.ham"  # month 13
    path.write_text(HAMSHAHRI, encoding="utf-8")
    [article] = read_all(path)
    assert (article.id, article.published) == ("HAM2-811399-001", None)


# --- formats and decoding ---------------------------------------------------------------------

# Detection of every format, by extension and by content: tests/test_readers_formats.py.


def test_unknown_format_is_a_read_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text("id,title\n", encoding="utf-8")
    with pytest.raises(ReadError, match="unknown format") as info:
        read_all(path)
    assert info.value.path == str(path)


DECODE = [
    ("سلام".encode("cp1256"), "سلام"),  # Windows-1256, older Persian text
    (b"\xff\xfe" + "سلام".encode("utf-16-le"), "سلام"),  # UTF-16 LE with its BOM
    (b"\xfe\xff" + "سلام".encode("utf-16-be"), "سلام"),  # UTF-16 BE with its BOM
    (b"\xef\xbb\xbf" + "سلام".encode(), "سلام"),  # UTF-8 with a BOM, which is dropped
    ("سلام".encode(), "سلام"),  # UTF-8
]


@pytest.mark.parametrize(("data", "text"), DECODE)
def test_decode(data: bytes, text: str) -> None:
    assert decode(data, "x.txt") == text


def test_decode_latin1_is_a_read_error() -> None:
    with pytest.raises(ReadError, match=r"^x\.txt: not UTF-8 text .*nor Windows-1256 Persian$"):
        decode("café crème".encode("latin-1"), "x.txt")


UNREADABLE = {
    "empty": (b" \n\n", "empty file"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes), not text"),
}


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
@pytest.mark.parametrize("name", ["x.jsonl", "x.txt", "HAM2-811011-007.ham"])
def test_unreadable_file_is_a_read_error_naming_it(tmp_path: Path, kind: str, name: str) -> None:
    content, message = UNREADABLE[kind]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_all(path)
    assert str(info.value) == f"{path}: {message}"


# --- the seed page ----------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.is_file(), reason=f"the seed page {SEED} is absent (../shared not checked out)")
def test_seed_page() -> None:
    [article] = read_all(SEED)
    assert isinstance(article, Article)
    assert article.id == "000_42c89b557683ebfd"
    assert article.title and article.body
    # The title as the page gives it (its hash: a real person's name is not written here).
    title_hash = hashlib.sha256(article.title.encode()).hexdigest()
    assert title_hash == "40fd52d60e2a02178dede28a4b708794040f6d3e5a9b869558bb3d5a96d49171"
    assert article.tags == ["مجلس", "خاورمیانه"]
    assert article.source == "اسپادانا خبر"
    assert article.published is None
    assert "برچسب" not in article.body
