"""Plain text scraped from a news page, shaped like ``../shared/seed``.

Paragraphs are separated by blank lines: an optional title, a lead, a kicker
line ending in «؛», the body, and a tag line «برچسب‌ها: [tag](#) [1]» with
further tags on later lines. A page without a tag line or a date is still an
article. The id is the file name without its extension.

>>> text = "عنوان\\n\\nخلاصه.\\n\\nمتن؛\\n\\nبه گزارش خبرگزاری نمونه، متن اصلی.\\n\\nبرچسب‌ها: [ورزش](#)"
>>> page = parse_page(text, "p")
>>> page.title, page.lead, page.tags, page.source
('عنوان', 'خلاصه.', ['ورزش'], 'خبرگزاری نمونه')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article
from indexer.dates import parse_date
from indexer.normalize import normalize
from indexer.readers.base import ReadError, read_text
from indexer.sources import cited_agencies, known_agencies

NAME = "page"

_TAG_LINE = re.compile(r"^(?:برچسب|کلیدواژه|تگ)(?:ها)?\s*[:：]")
_TAG_LINK = re.compile(r"\[([^\]\[]+)\]\([^)]*\)")
_DATE_LABEL = re.compile(r"^(?:تاریخ(?: انتشار| خبر)?|انتشار)\s*[:：]")
_DATE_LINE = re.compile(_DATE_LABEL.pattern + r"\s*(?P<date>.+)$")
#: A label («برچسب‌ها:»، «تاریخ انتشار:») opens its paragraph: the paragraph's first characters
#: say whether it is one. Normalizing every paragraph whole to find out took seconds a megabyte.
_LABEL_SPAN = 64
# A first paragraph longer than this is a lead, not a title.
_TITLE_MAX = 200
_SPACE_BEFORE_HA = re.compile(r"[\u200c ]+(?=ها)")


def detect(path: Path, head: str) -> bool:
    return path.suffix.lower() in {".txt", ".text"}


def _key(line: str) -> str:
    """The start of a line normalized for matching labels: «برچسب‌ها» = «برچسبها» = «برچسب ها».

    >>> _key("برچسب ها : [ورزش](#)")
    'برچسبها : [ورزش](#)'
    """
    return _SPACE_BEFORE_HA.sub("", normalize(line[:_LABEL_SPAN]))


def parse_page(text: str, ident: str, path: str = "") -> Article:
    """An Article from page text; ``ValueError`` if there is no body."""
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    tags: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        if _TAG_LINE.match(_key(paragraph)):
            rest = "\n".join(paragraphs[i:])
            tags = [t.strip() for t in _TAG_LINK.findall(rest)]
            if not tags:  # «برچسب‌ها: ورزش، فوتبال» without links
                after = paragraphs[i].split(":", 1)[-1]
                tags = [t.strip() for t in re.split(r"[،,]", after) if t.strip()]
            paragraphs = paragraphs[:i]
            break
    published = None
    for i, paragraph in enumerate(paragraphs[:6]):
        match = _DATE_LINE.match(normalize(paragraph)) if _DATE_LABEL.match(_key(paragraph)) else None
        if match:
            try:
                published = parse_date(match["date"])
            except ValueError:
                continue
            del paragraphs[i]
            break
    kicker = next((i for i, p in enumerate(paragraphs[:4]) if p.endswith(("؛", ";"))), None)
    if kicker is not None:
        head, kicker_line = paragraphs[:kicker], paragraphs[kicker].rstrip("؛;").strip()
        body = paragraphs[kicker + 1 :]
        if len(head) >= 2:
            title, lead, body = head[0], "\n\n".join(head[1:]), [kicker_line, *body]
        else:  # the seed: a lead, then the kicker, which reads as the headline
            title, lead = kicker_line, "\n\n".join(head)
    elif len(paragraphs) > 1 and len(paragraphs[0]) <= _TITLE_MAX:
        title, lead, body = paragraphs[0], "", paragraphs[1:]
    else:
        title, lead, body = _shorten(paragraphs[0]) if paragraphs else "", "", paragraphs
    if not body:
        raise ValueError("no body text")
    body_text = "\n\n".join(body)
    # The first agency named («به گزارش اسپادانا خبر») published it; the
    # others («و به نقل از مهر») are the ones it cites.
    agencies = cited_agencies(lead + "\n" + body_text)
    return Article(
        id=ident,
        title=title,
        lead=lead,
        body=body_text,
        source=agencies[0] if agencies else "",
        cited=known_agencies(agencies[1:]),
        tags=tags,
        published=published,
        path=path,
    )


def _shorten(paragraph: str, limit: int = 80) -> str:
    """A title cut from a long first paragraph, at a word boundary."""
    if len(paragraph) <= limit:
        return paragraph
    return paragraph[:limit].rsplit(" ", 1)[0] + "…"


def read(path: Path) -> Iterator[Article | ReadError]:
    try:
        yield parse_page(read_text(path), path.stem, str(path))
    except ValueError as err:
        yield ReadError(path, str(err))
