"""Hamshahri collection files: ``HAM2-811011-007.ham``.

The id is the file name; the first line is the headline; the Jalali date is
in the id (``811011`` = 1381-10-11).

The text is wrapped at about 80 characters a line: a paragraph is the run of
lines up to one that ends a sentence, or a short line of its own (a
kicker, a byline, a heading). Lines are joined with a space, so the words
are the same as in the file; paragraphs are separated by a blank line.

>>> wrapped = "گروه فرهنگي: گروه سرود مدرسه نيكدشت پس از دو هفته تمرين ديروز"
>>> [len(p) for p in paragraphs([wrapped, "به سبزدشت رسيد. ", "پريسا نيكدل", wrapped])]
[77, 11, 61]
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
_SENTENCE_END = re.compile(r"[.!?؟:»\"]\s*$")
#: A line shorter than this was not wrapped: it ends its paragraph (the wrap width is ~80).
SHORT_LINE = 45


def paragraphs(lines: list[str]) -> list[str]:
    """Wrapped lines joined into paragraphs."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            if current:
                out.append(" ".join(current))
                current = []
            continue
        current.append(text)
        if _SENTENCE_END.search(text) or len(text) < SHORT_LINE:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


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
        body="\n\n".join(paragraphs(body.splitlines())),
        source=SOURCE,
        published=published,
        path=str(path),
    )
