"""Hamshahri collection files: ``HAM2-811011-007.ham``.

The id is the file name; the first line is the headline; the Jalali date is
in the id (``811011`` = 1381-10-11).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article
from indexer.dates import parse_date
from indexer.readers.base import ReadError, read_text

NAME = "hamshahri"
SOURCE = "همشهری"
_ID_DATE = re.compile(r"HAM\d-(\d{2})(\d{2})(\d{2})-\d+", re.IGNORECASE)


def detect(path: Path, head: str) -> bool:
    return path.suffix.lower() == ".ham"


def read(path: Path) -> Iterator[Article | ReadError]:
    text = read_text(path)
    # A few items are a headline alone: still news, still searchable.
    title, _, body = text.strip().partition("\n")
    published = None
    match = _ID_DATE.fullmatch(path.stem)
    if match:
        yy, mm, dd = match.groups()
        try:
            published = parse_date(f"13{yy}-{mm}-{dd}")
        except ValueError:
            published = None  # a malformed id still leaves a searchable article
    yield Article(
        id=path.stem,
        title=title.strip(),
        body=body.strip(),
        source=SOURCE,
        published=published,
        path=str(path),
    )
