"""Fars News JSON: a file holds a JSON array of records.

Each record has ``title``, ``abstract``, ``paragraphs``, ``cat``, ``subcat``,
``tags`` and ``link``. ``paragraphs`` and ``tags`` are lists, or Python-literal
lists written as strings (read with ``ast.literal_eval``, never ``eval``).
There is no date field: the Jalali date is read from the link id, 14 digits
``13YYMMDD......``/``14YYMMDD......`` or 10 digits ``YYMMDD....`` (13YY);
a date that is not a real day, or before Fars News began (1381), leaves
the article undated (``6011171294`` is an id, not 1360-11-17). The id is
``fars-`` and the link id, so copies of one link get one id. Category slugs
(``politics``, ``tehran``) are shown in Persian.

A record that is not valid is a ``ReadError`` naming its index (0-based,
as «record 12»); the rest of the file is still read.

>>> date_from_link("https://www.farsnews.ir/news/13990124000557/x").date().isoformat()
'2020-04-12'
>>> date_from_link("https://www.farsnews.ir/news/8308180214").date().isoformat()
'2004-11-08'
>>> date_from_link("https://www.farsnews.ir/news/13991399000001") is None
True
>>> date_from_link("https://www.farsnews.ir/news/6011171294") is None
True
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from indexer.article import Article
from indexer.dates import parse_date
from indexer.metadata import clean_label, clean_labels, facet_key
from indexer.readers.base import ReadError, read_text
from indexer.sources import cited_agencies, known_agencies

NAME = "farsnews"
SOURCE = "فارس"
FIELDS = ("title", "abstract", "paragraphs", "cat", "subcat", "tags", "link")

_LINK_ID = re.compile(r"/news/(\d+)")
_LONG_ID = re.compile(r"(1[34]\d{2})(\d{2})(\d{2})\d{6}")  # 13990124000557
_SHORT_ID = re.compile(r"(\d{2})(\d{2})(\d{2})\d{4}")  # 8308180214 = 1383-08-18
# Fars News began in 1381 (2003): ids that read as earlier dates are not dates.
FIRST_YEAR = 1381
# «خبرگزاری فارس: » opens most abstracts: the dateline, not the summary.
_DATELINE = re.compile(r"^\s*خبرگزاری\s*فارس\s*[:：]\s*")

#: Category slugs in links and ``cat``/``subcat`` → Persian labels. A slug
#: not listed is kept as written, so nothing is lost and it shows up to be named.
CATEGORIES: dict[str, str] = {
    "politics": "سیاسی",
    "foreign-policy": "سیاست خارجی",
    "world": "بین‌الملل",
    "economy": "اقتصادی",
    "social": "اجتماعی",
    "sports": "ورزشی",
    "culture": "فرهنگی",
    "arts-media": "هنر و رسانه",
    "scientific-academic": "علمی و دانشگاهی",
    "education": "آموزش",
    "farsplus-magazine": "فارس پلاس",
    "viewpoint": "دیدگاه",
    "multimedia": "چندرسانه‌ای",
    "province": "استان‌ها",
    "regional-offices": "استان‌ها",
    "others": "سایر",
    "football-iran": "فوتبال ایران",
    "football-world": "فوتبال جهان",
    "it": "فناوری اطلاعات",
    "europe-amercia": "اروپا و آمریکا",
    "west-asia": "غرب آسیا",
    "world-economy": "اقتصاد جهان",
    "government": "دولت",
    "medicine-spirituality": "پزشکی",
    "islamic-forces": "جریان‌های اسلامی",
    "stock": "بورس",
    "welfare": "رفاه",
    "parliament": "مجلس",
    "occupation": "کار و اشتغال",
    "parties": "احزاب",
    "book": "کتاب",
    "thought": "اندیشه",
    "ballgames": "رشته‌های توپی",
    "iran": "ایران",
    "africa": "آفریقا",
    "macroeconomics": "اقتصاد کلان",
    "civil": "عمرانی",
    "police-events": "حوادث",
    "radio-tv": "رادیو و تلویزیون",
    "legal-judicial": "حقوقی و قضایی",
}
#: Provinces: the category is «استان‌ها» plus the province.
PROVINCES: dict[str, str] = {
    "tehran": "تهران", "mazandaran": "مازندران", "isfahan": "اصفهان", "gilan": "گیلان", "qom": "قم",
    "kordestan": "کردستان", "kerman": "کرمان", "hormozgan": "هرمزگان", "razavi": "خراسان رضوی",
    "kohgiluyeh-boyerahmad": "کهگیلویه و بویراحمد", "khorasan-shomali": "خراسان شمالی", "ilam": "ایلام",
    "azarbaijan-sharghi": "آذربایجان شرقی", "azarbaijan-gharbi": "آذربایجان غربی", "golestan": "گلستان",
    "khuzestan": "خوزستان", "hamedan": "همدان", "zanjan": "زنجان", "markazi": "مرکزی", "ardabil": "اردبیل",
    "bushehr": "بوشهر", "khorasan-jonubi": "خراسان جنوبی", "kermanshah": "کرمانشاه", "fars": "فارس",
    "sistan-baluchestan": "سیستان و بلوچستان", "alborz": "البرز", "chaharmahal-bakhtiari": "چهارمحال و بختیاری",
    "yazd": "یزد", "lorestan": "لرستان", "semnan": "سمنان", "qazvin": "قزوین",
}  # fmt: skip


def detect(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".json" and head.lstrip("\ufeff \t\r\n").startswith("[")


def date_from_link(link: str) -> datetime | None:
    """The Jalali date in a Fars link id, as an aware datetime, or ``None``."""
    match = _LINK_ID.search(link)
    if not match:
        return None
    digits = match[1]
    parts = _LONG_ID.fullmatch(digits) or _SHORT_ID.fullmatch(digits)
    if not parts:
        return None
    year, month, day = parts.groups()
    if len(year) == 2:
        year = "13" + year
    if int(year) < FIRST_YEAR or not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    try:
        return parse_date(f"{year}-{month}-{day}")
    except ValueError:  # 31 Mehr, 30 Esfand of a common year
        return None


def _list(value: Any, name: str) -> list[str]:
    """A list of strings, given as JSON or as a Python literal in a string."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if not text.startswith("["):
            return [text]
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as err:
            raise ValueError(f"{name!r} is not a Python list literal ({type(err).__name__}): {text[:60]!r}") from None
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name!r} must be a list of strings")
    return value


def _text(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string")
    return value.strip()


def _categories(cat: str, subcat: str) -> list[str]:
    labels = []
    for slug in (cat, subcat):
        if slug in PROVINCES:
            labels += [CATEGORIES["province"], PROVINCES[slug]]
        elif slug:
            labels.append(CATEGORIES.get(slug, slug))
    return clean_labels(labels)


def article_from_record(record: Any, path: Path) -> Article:
    """An Article from one decoded record; ``ValueError`` if it is not valid."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    title = clean_label(_text(record, "title"))
    lead = _DATELINE.sub("", _text(record, "abstract"))
    paragraphs = [p.strip() for p in _list(record.get("paragraphs"), "paragraphs") if p.strip()]
    # An item with only its abstract is still news: the abstract is its body.
    body = "\n\n".join(paragraphs) or lead
    missing = [name for name, value in (("title", title), ("body", body)) if not value]
    if missing:
        raise ValueError(f"no {' and no '.join(missing)}")
    link = _text(record, "link")
    match = _LINK_ID.search(link)
    # Stable without a link id: a hash of the link, else of the text.
    ident = f"fars-{match[1]}" if match else "fars-" + hashlib.sha1((link or title + body).encode()).hexdigest()[:16]
    own = facet_key(SOURCE)
    return Article(
        id=ident,
        title=title,
        body=body,
        url=link,
        lead=lead if paragraphs else "",
        source=SOURCE,
        cited=[c for c in known_agencies(cited_agencies(lead + "\n" + body)) if facet_key(c) != own],
        categories=_categories(_text(record, "cat"), _text(record, "subcat")),
        tags=clean_labels(_list(record.get("tags"), "tags")),
        published=date_from_link(link),
        path=str(path),
    )


def read(path: Path) -> Iterator[Article | ReadError]:
    try:
        records = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        where = f"{err.msg} at line {err.lineno} column {err.colno}"
        if err.msg.startswith("Unterminated string") or err.pos >= len(err.doc.rstrip()):
            raise ReadError(path, f"truncated JSON: the file ends before its array does ({where})") from None
        raise ReadError(path, f"invalid JSON ({where})") from None
    except RecursionError:
        raise ReadError(path, "invalid JSON (nested too deeply)") from None
    if not isinstance(records, list):
        raise ReadError(path, "expected a JSON array of Fars News records")
    for index, record in enumerate(records):
        try:
            yield article_from_record(record, path)
        except ValueError as err:
            yield ReadError(path, f"record {index}: {err}")
