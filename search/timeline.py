"""When was this talked about: the matching articles per Jalali month, every month in the range.

Built from the ``month`` facet counts of a search (engine-independent), so the chart above the
results and ``timeline`` in the JSON API show the same numbers. Months with no article inside the
range are there with a count of 0, so gaps show as gaps; undated articles are left out. A range of
more than ``MAX_MONTHS`` months is drawn per year instead (Fars News spans twenty years).

>>> [(b["value"], b["count"]) for b in timeline([{"value": "1399-03", "count": 2}, {"value": "1399-01", "count": 5}])]
[('1399-01', 5), ('1399-02', 0), ('1399-03', 2)]
>>> timeline([{"value": "1399-03", "count": 2}])[0]["label"]
'خرداد ۱۳۹۹'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from indexer.dates import month_label, persian_digits

MAX_MONTHS = 72
#: A chart of every search labels the same months again.
_month_label = functools.lru_cache(maxsize=4096)(month_label)


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    keys = []
    while (year, month) <= end:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def timeline(months: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Bars, oldest first: ``{"value", "label", "count", "unit"}``; ``value`` is what the
    ``month`` (or ``year``) filter takes."""
    counts = {str(m["value"]): int(m["count"]) for m in months if "-" in str(m["value"])}
    if not counts:
        return []
    keys = _months(min(counts), max(counts))
    if len(keys) <= MAX_MONTHS:
        return [{"value": k, "label": _month_label(k), "count": counts.get(k, 0), "unit": "month"} for k in keys]
    years: dict[str, int] = {}
    for key in keys:
        year = key[:4]
        years[year] = years.get(year, 0) + counts.get(key, 0)
    return [{"value": y, "label": persian_digits(y), "count": c, "unit": "year"} for y, c in years.items()]
