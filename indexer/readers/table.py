"""CSV (or tab-separated) files with a header row: one article a row.

Columns are found by their header, in English or Persian, any case, spaces
or ZWNJ as you like (see ``COLUMNS``). A title column and a body column are
required; the others are optional; unknown columns are ignored. Tags,
categories, speakers and cited agencies are split on «،», ``,`` and ``;``.
The delimiter is a comma, a tab, a semicolon or «،» (the one in the header).
Dates are Gregorian or Jalali, as in JSON Lines. A row that is not valid is
a ``ReadError`` naming its line; the rest of the file is still read. The id
is the ``id`` column, else derived from the URL, else from the file and line.

>>> column_for("عنوان"), column_for("Body"), column_for("برچسب‌ها"), column_for("Published At")
('title', 'body', 'tags', 'published')
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article
from indexer.dates import parse_date
from indexer.metadata import clean_label, clean_labels, facet_key
from indexer.readers.base import ReadError, read_text
from indexer.sources import cited_agencies, known_agencies, outlet_name

NAME = "csv"

#: Article field → the headers that name it (compared by ``facet_key``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "شناسه", "کد", "کد خبر"),
    "title": ("title", "headline", "عنوان", "تیتر"),
    "body": ("body", "text", "content", "متن", "بدنه", "محتوا"),
    "lead": ("lead", "summary", "abstract", "lead text", "خلاصه", "لید", "چکیده"),
    "url": ("url", "link", "نشانی", "لینک", "آدرس"),
    "source": ("source", "agency", "outlet", "منبع", "خبرگزاری", "رسانه"),
    "cited": ("cited", "به نقل از"),
    "categories": ("category", "categories", "section", "دسته", "دسته بندی", "سرویس", "موضوع"),
    "tags": ("tags", "tag", "keywords", "برچسب", "برچسب ها", "کلیدواژه", "کلیدواژه ها", "تگ", "تگ ها"),
    "speakers": ("speakers", "speaker", "گوینده", "گوینده ها", "سخنگو"),
    "published": ("published", "date", "published at", "datetime", "تاریخ", "تاریخ انتشار", "زمان انتشار"),
}
_HEADERS = {facet_key(h): field for field, headers in COLUMNS.items() for h in headers}
_LIST_FIELDS = ("cited", "categories", "tags", "speakers")
_SPLIT = re.compile(r"[،,;؛]")
_DELIMITERS = (",", "\t", ";", "،")
# The csv module refuses a field over 131,072 characters, a long article. The limit is the
# module's, process-wide: raised once, so a long body is read and then judged by its length
# (``indexer.build.MAX_ARTICLE_CHARS``) like an article of any other format.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


def column_for(header: str) -> str | None:
    """The Article field a header names, or ``None``."""
    return _HEADERS.get(facet_key(header))


def _delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most known columns."""
    return max(_DELIMITERS, key=lambda d: sum(column_for(h) is not None for h in header_line.split(d)))


def _columns(header_line: str) -> tuple[str, dict[str, int]]:
    delimiter = _delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter))
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        field = column_for(name)
        if field and field not in columns:
            columns[field] = index
    return delimiter, columns


def detect(path: Path, head: str) -> bool:
    """A file (any extension) whose first line is a header naming a title
    and a body column."""
    first = head.lstrip("\ufeff").partition("\n")[0]
    _, columns = _columns(first)
    return {"title", "body"} <= columns.keys()


def read(path: Path) -> Iterator[Article | ReadError]:
    text = read_text(path).lstrip("\ufeff")
    delimiter, columns = _columns(text.partition("\n")[0])
    missing = [f for f in ("title", "body") if f not in columns]
    if missing:
        known = ", ".join(f"{f} ({'/'.join(COLUMNS[f][:3])})" for f in missing)
        raise ReadError(path, f"no {known} column in the header row", 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)  # the header
    end = reader.line_num
    while True:
        line = end + 1  # where the row starts: a quoted cell may span lines
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            # That row is lost, the reader goes on at the next line.
            yield ReadError(path, f"bad CSV ({err})", line)
            if reader.line_num <= end:
                return  # nothing was consumed: nothing more can be read
            end = reader.line_num
            continue
        end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            yield _article(row, columns, path, line)
        except ValueError as err:
            yield ReadError(path, str(err), line)


def _article(row: list[str], columns: dict[str, int], path: Path, line: int) -> Article:
    width = max(columns.values()) + 1
    if len(row) < width:
        raise ValueError(f"{len(row)} cells, the header has at least {width} (an unquoted delimiter or newline?)")
    cell = {field: row[index].strip() for field, index in columns.items()}
    title, body = clean_label(cell["title"]), cell["body"]
    missing = [name for name, value in (("title", title), ("body", body)) if not value]
    if missing:
        raise ValueError(f"no {' and no '.join(missing)}")
    lists = {f: clean_labels(_SPLIT.split(cell.get(f, ""))) for f in _LIST_FIELDS}
    url = cell.get("url", "")
    ident = cell.get("id") or hashlib.sha1((url or f"{path.name}:{line}").encode()).hexdigest()[:16]
    source = outlet_name(cell["source"]) if cell.get("source") else ""
    cited = lists["cited"] or [c for c in known_agencies(cited_agencies(body)) if facet_key(c) != facet_key(source)]
    return Article(
        id=ident,
        title=title,
        body=body,
        url=url,
        lead=cell.get("lead", ""),
        source=source,
        cited=cited,
        categories=lists["categories"],
        tags=lists["tags"],
        speakers=lists["speakers"],
        published=parse_date(cell["published"]) if cell.get("published") else None,
        path=str(path),
    )
