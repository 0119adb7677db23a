"""Pure statistics for the harness: percentiles, medians, ratios.

>>> percentile([1, 2, 3, 4], 50)
2.5
>>> percentile([10.0], 95)
10.0
>>> median([3, 1, 2])
2
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile with linear interpolation between ranks (numpy's default).

    >>> percentile(range(101), 95)
    95.0
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be within 0..100 (got {pct})")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def median(values: Sequence[Any]) -> Any:
    """The median of several runs (the mean of the middle two for an even count)."""
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def median_runs(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Each numeric field's median over runs; other fields from the first run.

    >>> median_runs([{"s": 1.0, "name": "a"}, {"s": 3.0, "name": "a"}, {"s": 2.0, "name": "a"}])
    {'s': 2.0, 'name': 'a', 'runs': 3}
    """
    if not runs:
        raise ValueError("no runs")
    merged: dict[str, Any] = {}
    for key, value in runs[0].items():
        values = [run[key] for run in runs if key in run]
        if isinstance(value, int | float) and not isinstance(value, bool) and len(set(values)) > 1:
            merged[key] = median(values)
        else:
            merged[key] = value
    merged["runs"] = len(runs)
    return merged


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or ``None`` when either is missing or the denominator is 0.

    >>> ratio(3, 2), ratio(1, 0), ratio(None, 2)
    (1.5, None, None)
    """
    if numerator is None or not denominator:
        return None
    return numerator / denominator
