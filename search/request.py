"""Validate user parameters (web, API, command line) into a ``SearchRequest``.

The one place every parameter of every route is checked: a bad value is a
``BadRequest`` whose ``str`` names the parameter (for the API and the command
line) and whose ``persian`` says it to a reader; the web answers 400 with both.
Control characters and lone surrogates are dropped from every value first.

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
>>> from_params({"since": ["1401-02-01"], "until": ["1401-01-01"]})
Traceback (most recent call last):
search.request.BadRequest: since: later than until (2022-04-21 > 2022-03-21)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from backends.base import UNDATED
from indexer.article import drop_control_characters
from indexer.dates import parse_date
from indexer.normalize import fold_digits
from search.engine import MAX_LIMIT, MAX_PAGE, SORTS, SearchRequest
from search.query import Filters

DEFAULT_LIMIT = 10
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_TRUE = ("1", "true", "yes", "on")
_DATE_ONLY = re.compile(r"\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*")
_WHOLE = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() also accepts «²», which int() refuses

#: What a reader is told about each parameter (the API and the command line also get ``str(err)``).
PERSIAN: dict[str, str] = {
    "sort": "ترتیب باید یکی از «مرتبط‌ترین»، «جدیدترین» یا «قدیمی‌ترین» باشد.",
    "page": "شمارهٔ صفحه باید عددی درست از ۱ به بالا باشد.",
    "limit": "شمار نتیجه‌ها در هر صفحه باید عددی درست از ۱ به بالا باشد.",
    "month": "ماه باید سال و ماه شمسی باشد، مانند ۱۴۰۱-۰۵.",
    "year": "سال باید چهار رقم سال شمسی باشد، مانند ۱۴۰۱.",
    "since": "تاریخ «از» درست نیست؛ مانند ۱۴۰۱/۰۱/۱۵ یا 2022-04-04 بنویسید.",
    "until": "تاریخ «تا» درست نیست؛ مانند ۱۴۰۱/۰۱/۱۵ یا 2022-04-04 بنویسید.",
    "range": "تاریخ «از» پس از تاریخ «تا» است؛ بازهٔ تاریخ را درست کنید.",
    "literal": "literal باید ۱ یا ۰ باشد.",
}


class BadRequest(ValueError):
    """A parameter is invalid; ``str`` says which and why, ``persian`` says it to a reader."""

    def __init__(self, name: str, detail: str, persian: str = "") -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name
        self.persian = persian or PERSIAN.get(name, "درخواست نامعتبر است.")


def _clean(value: object) -> str:
    return drop_control_characters(str(value)).strip()


def _one(params: Mapping[str, Sequence[str]], name: str, default: str = "") -> str:
    values = params.get(name) or [default]
    return _clean(values[0])


def _many(params: Mapping[str, Sequence[str]], name: str) -> tuple[str, ...]:
    seen: list[str] = []
    for value in params.get(name) or []:
        value = _clean(value)
        if value and value not in seen:
            seen.append(value)
    return tuple(seen)


def _int(params: Mapping[str, Sequence[str]], name: str, default: int, cap: int) -> int:
    """A whole number from 1, capped; in any digits («۲» is 2), never more than ``cap``.

    >>> _int({"page": ["۰۰۷"]}, "page", 1, 1000), _int({"page": ["9" * 5000]}, "page", 1, 1000)
    (7, 1000)
    >>> _int({"page": ["²"]}, "page", 1, 1000)
    Traceback (most recent call last):
    search.request.BadRequest: page: must be a whole number from 1 (got '²')
    """
    raw = fold_digits(_one(params, name, str(default)))
    if not _WHOLE.fullmatch(raw) or not raw.strip("0"):
        raise BadRequest(name, f"must be a whole number from 1 (got {raw[:40]!r})")
    digits = raw.lstrip("0")
    return cap if len(digits) > len(str(cap)) else min(int(digits), cap)  # no int() of 5,000 digits


def from_params(params: Mapping[str, Sequence[str]]) -> SearchRequest:
    """A validated request; over-large ``limit`` and ``page`` are capped."""
    sort = _one(params, "sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadRequest("sort", f"must be one of {', '.join(SORTS)} (got {sort[:40]!r})")
    months = tuple(fold_digits(m) for m in _many(params, "month"))
    for month in months:
        if month != UNDATED and not (_MONTH.fullmatch(month) and 1 <= int(month[5:]) <= 12):
            raise BadRequest("month", f"expected YYYY-MM (Jalali, month 01-12) or {UNDATED!r} (got {month[:40]!r})")
    years = tuple(fold_digits(y) for y in _many(params, "year"))
    for year in years:
        if year != UNDATED and not _YEAR.fullmatch(year):
            raise BadRequest("year", f"expected YYYY (Jalali) or {UNDATED!r} (got {year[:40]!r})")
    literal = fold_digits(_one(params, "literal")).lower()
    if literal and literal not in (*_TRUE, "0", "false", "no", "off"):
        raise BadRequest("literal", f"expected 1 or 0 (got {literal[:40]!r})")
    dates: dict[str, datetime | None] = {}
    for name in ("since", "until"):
        raw = _one(params, name)
        if not raw:
            dates[name] = None
            continue
        try:
            moment = parse_date(raw)
        except ValueError as err:
            raise BadRequest(name, str(err)) from None
        if name == "until" and _DATE_ONLY.fullmatch(fold_digits(raw)):
            moment += timedelta(days=1, microseconds=-1)  # a date alone includes its whole day
        dates[name] = moment
    since, until = dates["since"], dates["until"]
    if since and until and since > until:
        raise BadRequest("since", f"later than until ({since.date()} > {until.date()})", PERSIAN["range"])
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
