"""The ir-news dataset: one article a file, header fields joined by ``###``.

Line 1: ``agency###title###url###categories###date###id###tags``, where
categories and tags are Python-literal lists (``['سیاسی', 'داخلی']``; some
outlets give one category as a plain string; «سیاسی،مجلس» is two), the date is Gregorian
``YYYY-MM-DD HH:MM:SS`` in Tehran time and the id is in Persian digits
(Mashregh writes it as a list). A title of ``nan`` means none was scraped:
the title is then taken from the URL slug. Line 2 holds summary sentence ids
(ignored). Lines 3+ are ``n<TAB>sentence``.

Each sentence line is a paragraph, as the sites show them (one or two
sentences a paragraph is news style); a lone closing quote joins the line
before it. The id is the outlet code, the site's news id and a
hash of the URL (``asriran-707587-1a2b3c4d``): the same URL always gets the
same id, and the site's edited copies under other URLs stay apart.

>>> _paragraphs(["خبر اول.", "»", "جمله دوم.", "میان‌تیتر", "جمله سوم."])
['خبر اول.»', 'جمله دوم.', 'میان\u200cتیتر', 'جمله سوم.']
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from indexer.article import Article
from indexer.dates import parse_date
from indexer.metadata import clean_label, clean_labels, facet_key
from indexer.normalize import fold_digits
from indexer.readers.base import ReadError, read_text
from indexer.sources import cited_agencies, known_agencies, outlet_code, outlet_name

NAME = "irnews"
SEPARATOR = "###"
FIELDS = ("agency", "title", "url", "categories", "date", "id", "tags")

_SENTENCE = re.compile(r"(?P<n>\d+)\t(?P<text>.*)")
_CLOSING = re.compile(r"[»\")\]]+")


def detect(path: Path, head: str) -> bool:
    first = head.lstrip("\ufeff").partition("\n")[0]
    fields = first.split(SEPARATOR)
    return len(fields) == len(FIELDS) and fields[2].startswith(("http://", "https://"))


def _literal_list(value: str, name: str) -> list[str]:
    """A Python-literal list of strings, read with ``ast.literal_eval``
    (never ``eval``); a bare string is a list of one."""
    value = value.strip()
    if not value.startswith("["):
        return [] if value in ("", "nan") else [value]
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as err:
        raise ValueError(f"{name}: not a Python list literal ({type(err).__name__}): {value[:80]!r}") from None
    if not isinstance(parsed, list) or not all(isinstance(v, str | int) for v in parsed):
        raise ValueError(f"{name}: expected a list of strings, got {value[:80]!r}")
    return [str(v) for v in parsed]


def _paragraphs(sentences: list[str]) -> list[str]:
    paragraphs: list[str] = []
    for sentence in sentences:
        if _CLOSING.fullmatch(sentence) and paragraphs:
            paragraphs[-1] += sentence
        else:
            paragraphs.append(sentence)
    return paragraphs


def _title_from_url(url: str) -> str:
    """«جهرمی با رفع فیلتر» from ``.../news/208246/جهرمی-با-رفع-فیلتر``."""
    slug = unquote(urlsplit(url).path).rstrip("/").rpartition("/")[2]
    return "" if slug.isdigit() else clean_label(slug.replace("-", " "))


def article_id(agency: str, news_id: str, url: str) -> str:
    """``<outlet code>-<news id>-<url hash>``; stable across runs and files.

    >>> article_id("asriran_1_data", "۷۰۷۵۸۷", "https://www.asriran.com/fa/news/707587/x")
    'asriran-707587-5697322e'
    """
    code = outlet_code(agency) or re.sub(r"[^a-z0-9]+", "", agency.lower()) or "irnews"
    digest = hashlib.sha1(url.encode()).hexdigest()[:8]
    number = re.sub(r"\D", "", fold_digits(news_id))
    return f"{code}-{number}-{digest}" if number else f"{code}-{digest}"


def parse(text: str, path: Path) -> Article:
    """An Article from one file's text; ``ReadError`` naming the file (and
    line 1 for a bad header) if it is not valid."""
    lines = text.lstrip("\ufeff").splitlines()
    fields = lines[0].split(SEPARATOR)
    if len(fields) != len(FIELDS):
        raise ReadError(path, f"expected {len(FIELDS)} fields separated by ###, found {len(fields)}", 1)
    agency, title, url, categories, date, news_id, tags = (f.strip() for f in fields)
    try:
        categories_list = _literal_list(categories, "categories")
        tags_list = _literal_list(tags, "tags")
        ids = _literal_list(news_id, "id")
        published = parse_date(date) if date and date != "nan" else None
    except ValueError as err:
        raise ReadError(path, str(err), 1) from None
    sentences = []
    for line in lines[2:]:
        match = _SENTENCE.match(line)
        # A line without its number is a sentence the scraper broke: kept.
        sentence = (match["text"] if match else line).strip()
        if sentence:
            sentences.append(sentence)
    body = "\n\n".join(_paragraphs(sentences))
    title = clean_label(title) if title != "nan" else ""
    title = title or _title_from_url(url)
    missing = [name for name, value in (("title", title), ("body", body)) if not value]
    if missing:
        raise ReadError(path, f"no {' and no '.join(missing)}")
    source = outlet_name(agency)
    own = facet_key(source)
    return Article(
        id=article_id(agency, ids[0] if ids else "", url),
        title=title,
        body=body,
        url=url,
        source=source,
        cited=[c for c in known_agencies(cited_agencies(body)) if facet_key(c) != own],
        categories=clean_labels(c for label in categories_list for c in label.split("،")),
        tags=clean_labels(tags_list),
        published=published,
        path=str(path),
    )


def read(path: Path) -> Iterator[Article | ReadError]:
    text = read_text(path)
    try:
        article = parse(text, path)
    except ReadError as err:
        yield err
    else:
        yield article
