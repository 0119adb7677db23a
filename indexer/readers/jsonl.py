"""The project's own format: JSON Lines, one article an object.

Fields (see docs/formats.md): ``id``, ``url``, ``title`` (required), ``lead``,
``body`` (required), ``source``, ``tags``, ``speakers``, ``cited`` and
``categories`` (lists of strings), ``published`` (Gregorian or Jalali, see ``indexer.dates``).
A line that is not valid gives a ``ReadError`` for that line; the others
are still read: a line that is not UTF-8 (JSON Lines is UTF-8), holds a NUL
byte, or nests too deeply loses that line alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.article import Article
from indexer.dates import parse_date
from indexer.readers.base import ReadError, decode, read_bytes

NAME = "jsonl"
#: A file whose first 4 KB are more than this share NUL bytes and broken characters is binary.
BINARY_SHARE = 0.05


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
    if published is not None and not isinstance(published, str):
        raise ValueError(f"'published' must be a date string, not {type(published).__name__}")
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


def _binary(head: bytes) -> bool:
    """Whether the start of a file is binary, not text: a JSON Lines file with a NUL byte or
    a broken character in one line is text with one bad line; a PNG is not text.

    >>> _binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR"), _binary(b'{"title": "a\\x00b", "body": "c"}')
    (True, False)
    """
    if b"\x00" not in head:
        return False
    bad = head.count(b"\x00") + head.decode("utf-8", "replace").count("\ufffd")
    return bad > len(head) * BINARY_SHARE


def _lines(path: Path) -> Iterator[tuple[int, str | ReadError]]:
    """Each line's number and text, or the ``ReadError`` of a line that is not UTF-8."""
    data = read_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: decoded whole
        yield from enumerate(decode(data, path).splitlines(), start=1)
        return
    if _binary(data[:4096]):
        raise ReadError(path, "binary file (contains NUL bytes), not text")
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield number, ReadError(path, f"not UTF-8 ({err.reason} at byte {err.start} of the line)", number)


def read(path: Path) -> Iterator[Article | ReadError]:
    for number, line in _lines(path):
        if isinstance(line, ReadError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            yield article_from_record(json.loads(line), path, number)
        except json.JSONDecodeError as err:
            yield ReadError(path, f"invalid JSON ({err.msg.removesuffix(' at')} at column {err.colno})", number)
        except RecursionError:
            yield ReadError(path, "invalid JSON (nested too deeply)", number)
        except (ValueError, OverflowError) as err:
            yield ReadError(path, str(err), number)
