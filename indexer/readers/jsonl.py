"""The project's own format: JSON Lines, one article an object.

Fields (see docs/formats.md): ``id``, ``url``, ``title`` (required), ``lead``,
``body`` (required), ``source``, ``tags``, ``speakers``, ``cited`` and
``categories`` (lists of strings), ``published`` (Gregorian or Jalali, see ``indexer.dates``).
A line that is not valid gives a ``ReadError`` for that line; the others
are still read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.article import Article
from indexer.dates import parse_date
from indexer.readers.base import ReadError, read_text

NAME = "jsonl"


def detect(path: Path, head: str) -> bool:
    return path.suffix.lower() in {".jsonl", ".ndjson"} or (
        path.suffix.lower() == ".json" and head.lstrip().startswith("{")
    )


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name!r} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def _text(record: dict[str, Any], name: str) -> str:
    value = record.get(name) or ""
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string")
    return value.strip()


def article_from_record(record: Any, path: Path, line: int) -> Article:
    """An Article from one decoded JSON object; ``ValueError`` if invalid."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    title, body = _text(record, "title"), _text(record, "body")
    missing = [name for name, value in (("title", title), ("body", body)) if not value]
    if missing:
        raise ValueError(f"no {' and no '.join(missing)}")
    url = _text(record, "url")
    ident = _text(record, "id") if isinstance(record.get("id"), str) else str(record.get("id") or "")
    if not ident:
        # Stable without an id: the URL, else the file and line.
        ident = hashlib.sha1((url or f"{path.name}:{line}").encode()).hexdigest()[:16]
    published = record.get("published")
    return Article(
        id=ident,
        url=url,
        title=title,
        lead=_text(record, "lead"),
        body=body,
        source=_text(record, "source"),
        tags=_strings(record.get("tags"), "tags"),
        speakers=_strings(record.get("speakers"), "speakers"),
        cited=_strings(record.get("cited"), "cited"),
        categories=_strings(record.get("categories"), "categories"),
        published=parse_date(published) if published else None,
        path=str(path),
    )


def read(path: Path) -> Iterator[Article | ReadError]:
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield article_from_record(json.loads(line), path, number)
        except json.JSONDecodeError as err:
            yield ReadError(path, f"invalid JSON ({err.msg} at column {err.colno})", number)
        except ValueError as err:
            yield ReadError(path, str(err), number)
