"""Validate user parameters (web, API, command line) into a ``SearchRequest``.

>>> r = from_params({"q": ["کتاب"], "tag": ["ورزش"], "since": ["۱۴۰۱/۰۱/۰۱"], "limit": ["500"]})
>>> r.filters.tags, r.filters.since.isoformat(), r.limit
(('ورزش',), '2022-03-21T00:00:00+03:30', 100)
>>> from_params({"year": ["۱۴۰۱"], "month": ["1401-05", "1399-01"]}).filters.months
('1401-05', '1399-01')
>>> len(from_params({"year": ["1401", "undated"]}).filters.months)
13
>>> from_params({"sort": ["best"]})
Traceback (most recent call last):
search.request.BadRequest: sort: must be one of relevance, newest, oldest (got 'best')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from backends.base import UNDATED
from indexer.dates import parse_date
from indexer.normalize import fold_digits
from search.engine import MAX_LIMIT, MAX_PAGE, SORTS, SearchRequest
from search.query import Filters

DEFAULT_LIMIT = 10
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_TRUE = ("1", "true", "yes", "on")
_DATE_ONLY = re.compile(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*")


class BadRequest(ValueError):
    """A parameter is invalid; the message says which and why."""


def _one(params: Mapping[str, Sequence[str]], name: str, default: str = "") -> str:
    values = params.get(name) or [default]
    return str(values[0]).strip()


def _many(params: Mapping[str, Sequence[str]], name: str) -> tuple[str, ...]:
    seen: list[str] = []
    for value in params.get(name) or []:
        value = str(value).strip()
        if value and value not in seen:
            seen.append(value)
    return tuple(seen)


def _int(params: Mapping[str, Sequence[str]], name: str, default: int, cap: int) -> int:
    raw = fold_digits(_one(params, name, str(default)))
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"{name}: must be a whole number from 1 (got {raw!r})")
    return min(int(raw), cap)


def from_params(params: Mapping[str, Sequence[str]]) -> SearchRequest:
    """A validated request; over-large ``limit`` and ``page`` are capped."""
    sort = _one(params, "sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort: must be one of {', '.join(SORTS)} (got {sort!r})")
    months = tuple(fold_digits(m) for m in _many(params, "month"))
    for month in months:
        if month != UNDATED and not _MONTH.fullmatch(month):
            raise BadRequest(f"month: expected YYYY-MM (Jalali) or {UNDATED!r} (got {month!r})")
    years = tuple(fold_digits(y) for y in _many(params, "year"))
    for year in years:
        if year != UNDATED and not _YEAR.fullmatch(year):
            raise BadRequest(f"year: expected YYYY (Jalali) or {UNDATED!r} (got {year!r})")
    literal = fold_digits(_one(params, "literal")).lower()
    if literal and literal not in (*_TRUE, "0", "false", "no", "off"):
        raise BadRequest(f"literal: expected 1 or 0 (got {literal!r})")
    dates: dict[str, datetime | None] = {}
    for name in ("since", "until"):
        raw = _one(params, name)
        if not raw:
            dates[name] = None
            continue
        try:
            moment = parse_date(raw)
        except ValueError as err:
            raise BadRequest(f"{name}: {err}") from None
        if name == "until" and _DATE_ONLY.fullmatch(fold_digits(raw)):
            moment += timedelta(days=1, microseconds=-1)  # a date alone includes its whole day
        dates[name] = moment
    return SearchRequest(
        query=_one(params, "q"),
        filters=Filters(
            tags=_many(params, "tag"),
            speakers=_many(params, "speaker"),
            sources=_many(params, "source"),
            categories=_many(params, "category"),
            cited=_many(params, "cited"),
            months=_months(years, months),
            since=dates["since"],
            until=dates["until"],
        ),
        sort=sort,
        page=_int(params, "page", 1, MAX_PAGE),
        limit=_int(params, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        literal=literal in _TRUE,
    )


def _months(years: Sequence[str], months: Sequence[str]) -> tuple[str, ...]:
    """The month keys a year and month selection stands for.

    A year is its twelve months, or only the months chosen inside it (drilling
    down); months outside every chosen year widen the selection, as months do.
    """
    chosen: list[str] = []
    for year in years:
        inside = [m for m in months if m == year or m.startswith(f"{year}-")]
        chosen += inside or ([UNDATED] if year == UNDATED else [f"{year}-{n:02d}" for n in range(1, 13)])
    chosen += [m for m in months if m not in chosen]
    return tuple(chosen)
