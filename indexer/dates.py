"""Dates in, Gregorian or Jalali, in any digits; Tehran time; Jalali out.

>>> parse_date("۱۳۹۸/۰۹/۲۹").isoformat()
'2019-12-20T00:00:00+03:30'
>>> parse_date("2019-12-20 10:00:00").isoformat()
'2019-12-20T10:00:00+03:30'
>>> jalali_month(parse_date("2019-12-20"))
'1398-09'
>>> format_jalali(parse_date("2019-12-20"))
'جمعه ۲۹ آذر ۱۳۹۸'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime

from indexer.normalize import fold_digits

TEHRAN = ZoneInfo("Asia/Tehran")

# 1398-09-29, 1398/9/29, 2019-12-20T10:00:00+03:30, 2019-12-20 10:00
_DATE = re.compile(
    r"\s*(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?\s*$"
)
# Gregorian years in news are 19xx/20xx; Jalali ones 13xx/14xx.
_JALALI_BEFORE = 1700
# Room left at both ends of the calendar: a date is shifted to UTC, to Tehran, or to the end of its day.
_MARGIN = timedelta(days=2)
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def parse_date(text: str) -> datetime:
    """An aware datetime from a Gregorian or Jalali date string.

    A string without a zone is Tehran time. Raises ``ValueError`` with the
    offending text when it is not a date, or too near the end of the calendar
    to compute with.

    >>> parse_date("9999-12-31T23:59:59-14:00")
    Traceback (most recent call last):
    ValueError: not a valid date: '9999-12-31T23:59:59-14:00' (out of range)
    """
    match = _DATE.match(fold_digits(text))
    if not match:
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD or YYYY/MM/DD, optionally HH:MM)")
    y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
    hour, minute, second = (int(match[k] or 0) for k in ("H", "M", "S"))
    try:
        if y < _JALALI_BEFORE:
            g = jdatetime.date(y, m, d).togregorian()
            y, m, d = g.year, g.month, g.day
        naive = datetime(y, m, d, hour, minute, second)
    except ValueError as err:
        raise ValueError(f"not a valid date: {text!r} ({err})") from None
    tz = match["tz"]
    if tz and tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    else:
        offset = timedelta(0)
    try:
        moment = naive.replace(tzinfo=TEHRAN) if not tz else (naive - offset).replace(tzinfo=UTC).astimezone(TEHRAN)
        moment.astimezone(UTC) + _MARGIN  # every later step (UTC, Jalali, a whole day added) stays in range
        moment.astimezone(UTC) - _MARGIN
    except OverflowError:
        raise ValueError(f"not a valid date: {text!r} (out of range)") from None
    return moment


def to_jalali(moment: datetime) -> jdatetime.datetime:
    """The Jalali date of an aware datetime, as seen in Tehran."""
    return jdatetime.datetime.fromgregorian(datetime=moment.astimezone(TEHRAN).replace(tzinfo=None))


def jalali_month(moment: datetime) -> str:
    """``YYYY-MM`` of the Jalali month, the key of the date facet."""
    j = to_jalali(moment)
    return f"{j.year:04d}-{j.month:02d}"


def jalali_date(iso: str) -> str:
    """``YYYY-MM-DD`` of the Jalali date of an ISO timestamp (Tehran time), in ASCII digits.

    >>> jalali_date("2019-12-20T10:00:00+03:30")
    '1398-09-29'
    """
    moment = datetime.fromisoformat(iso)
    j = to_jalali(moment if moment.tzinfo else moment.replace(tzinfo=TEHRAN))
    return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"


def persian_digits(value: object) -> str:
    """ASCII digits to Persian ones, for everything shown to people.

    >>> persian_digits(1402)
    '۱۴۰۲'
    """
    return str(value).translate(_PERSIAN_DIGITS)


def month_label(key: str) -> str:
    """«آذر ۱۳۹۸» for ``1398-09``.

    >>> month_label("1398-09")
    'آذر ۱۳۹۸'
    """
    year, month = key.split("-")
    return f"{jdatetime.date.j_months_fa[int(month) - 1]} {persian_digits(int(year))}"


def format_jalali(moment: datetime) -> str:
    """Weekday, day, month name and year in Persian digits."""
    j = to_jalali(moment)
    weekday = jdatetime.date.j_weekdays_fa[j.weekday()]
    month = jdatetime.date.j_months_fa[j.month - 1]
    return f"{weekday} {persian_digits(j.day)} {month} {persian_digits(j.year)}"
