"""Dates: Gregorian or Jalali, in any digits, with or without a zone; Tehran time; Jalali out."""

from __future__ import annotations

import pytest

from indexer.dates import format_jalali, jalali_month, month_label, parse_date, persian_digits

PARSE = [
    # Gregorian
    ("2019-12-20", "2019-12-20T00:00:00+03:30"),  # a date alone is Tehran midnight
    ("2019-12-20 10:00:00", "2019-12-20T10:00:00+03:30"),  # no zone: Tehran time
    ("2019-12-20T10:00", "2019-12-20T10:00:00+03:30"),  # T, no seconds
    ("2021-06-01 12:00", "2021-06-01T12:00:00+04:30"),  # Tehran summer time, before it was abolished
    ("2023-06-01 12:00", "2023-06-01T12:00:00+03:30"),  # no summer time since 2023
    ("  2023-05-14  ", "2023-05-14T00:00:00+03:30"),  # surrounding spaces
    # with a zone: converted to Tehran time
    ("2019-12-20T10:00:00Z", "2019-12-20T13:30:00+03:30"),  # UTC
    ("2019-12-20T10:00:00-05:00", "2019-12-20T18:30:00+03:30"),  # New York
    ("2019-12-20T10:00:00+0330", "2019-12-20T10:00:00+03:30"),  # offset without a colon
    ("2023-05-14T10:30:00.123+03:30", "2023-05-14T10:30:00+03:30"),  # fractions of a second dropped
    # Jalali, told apart by the year
    ("1398/09/29", "2019-12-20T00:00:00+03:30"),  # slashes
    ("1398-9-29", "2019-12-20T00:00:00+03:30"),  # one-digit month
    ("1398.09.29", "2019-12-20T00:00:00+03:30"),  # dots
    ("1402-01-01", "2023-03-21T00:00:00+03:30"),  # Nowruz
    ("1403-12-30", "2025-03-20T00:00:00+03:30"),  # the leap day of a leap year
    ("۱۴۰۱/۰۸/۱۵ ۱۴:۳۰", "2022-11-06T14:30:00+03:30"),  # Persian digits and a time
    # any digits
    ("۱۳۹۸/۰۹/۲۹", "2019-12-20T00:00:00+03:30"),  # Persian
    ("١٣٩٨/٠٩/٢٩", "2019-12-20T00:00:00+03:30"),  # Arabic-Indic
    ("٢٠١٩-١٢-٢٠", "2019-12-20T00:00:00+03:30"),  # Arabic-Indic Gregorian
]


@pytest.mark.parametrize(("text", "expected"), PARSE)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text).isoformat() == expected


BAD = [
    ("دیروز", "not a date: 'دیروز' (expected YYYY-MM-DD or YYYY/MM/DD, optionally HH:MM)"),  # a word
    ("", "not a date: ''"),  # nothing
    ("14/05/2023", "not a date: '14/05/2023'"),  # day first
    ("2023-05-14 garbage", "not a date: '2023-05-14 garbage'"),  # trailing text
    ("1402-13-01", "not a valid date: '1402-13-01' (month must be in 1..12)"),  # Jalali month 13
    ("1402-12-30", "not a valid date: '1402-12-30' (day is out of range for month)"),  # not a leap year
    ("2023-02-30", "not a valid date: '2023-02-30' (day is out of range for month)"),  # February 30
    ("2023-05-14 25:00", "not a valid date: '2023-05-14 25:00' (hour must be in 0..23)"),  # hour 25
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_parse_date_bad_input_names_it(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value).startswith(message)


MONTHS = [
    ("2019-12-20", "1398-09"),  # آذر
    ("2023-03-21", "1402-01"),  # Nowruz opens the year
    ("2023-03-20", "1401-12"),  # the day before is still اسفند
    ("2023-03-20T21:00:00Z", "1402-01"),  # already Nowruz in Tehran (00:30)
    ("2023-03-20T20:00:00Z", "1401-12"),  # still 23:30 of the last day in Tehran
]


@pytest.mark.parametrize(("text", "month"), MONTHS)
def test_jalali_month(text: str, month: str) -> None:
    assert jalali_month(parse_date(text)) == month


FORMATS = [
    ("2019-12-20", "جمعه ۲۹ آذر ۱۳۹۸"),  # a Friday
    ("2023-03-21", "سه\u200cشنبه ۱ فروردین ۱۴۰۲"),  # weekday name with its ZWNJ
    ("2023-03-20T21:00:00Z", "سه\u200cشنبه ۱ فروردین ۱۴۰۲"),  # the date as seen in Tehran
]


@pytest.mark.parametrize(("text", "formatted"), FORMATS)
def test_format_jalali(text: str, formatted: str) -> None:
    assert format_jalali(parse_date(text)) == formatted


def test_month_label() -> None:
    assert month_label("1402-01") == "فروردین ۱۴۰۲"


def test_persian_digits() -> None:
    assert persian_digits("1402-03 ok") == "۱۴۰۲-۰۳ ok"
