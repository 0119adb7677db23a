"""How fast a reindex goes, and when it will end: a rate over the last seconds of work.

A reindex reports after each file it has indexed, but the speaker pass reads every file before the
first report, and files differ a thousandfold in size: an estimate from the first file (or from the
average since the start) said «1 day 06:04» for a run of 92 s. So the rate is taken over a window of
the most recent reports, and no estimate is given until enough work was seen.

>>> rate = RollingRate(window=10.0, min_seconds=2.0, min_fraction=0.01)
>>> rate.add(now=30.0, done=1, articles=0)  # the first file, after the speaker pass
>>> rate.eta(total=1000) is None
True
>>> for second in range(31, 36):
...     rate.add(now=float(second), done=1 + 50 * (second - 30), articles=2 * 50 * (second - 30))
>>> rate.eta(total=1000), rate.articles_per_second()
(14.98, 100.0)
"""

from __future__ import annotations

from collections import deque


class RollingRate:
    """Files and articles per second over the last ``window`` seconds of reports."""

    def __init__(self, window: float = 20.0, min_seconds: float = 3.0, min_fraction: float = 0.02) -> None:
        self.window = window
        self.min_seconds = min_seconds  # of reports, before any estimate
        self.min_fraction = min_fraction  # of the files, before any estimate
        self._reports: deque[tuple[float, int, int]] = deque()  # (time, files done, articles)

    def add(self, now: float, done: int, articles: int) -> None:
        self._reports.append((now, done, articles))
        # keep one report older than the window, so the window is spanned whole
        while len(self._reports) > 2 and now - self._reports[1][0] >= self.window:
            self._reports.popleft()

    def _span(self) -> tuple[float, int, int] | None:
        if len(self._reports) < 2:
            return None
        (t0, done0, articles0), (t1, done1, articles1) = self._reports[0], self._reports[-1]
        if t1 - t0 < self.min_seconds:
            return None
        return t1 - t0, done1 - done0, articles1 - articles0

    def articles_per_second(self) -> float | None:
        span = self._span()
        return None if span is None else round(span[2] / span[0], 2)

    def eta(self, total: int) -> float | None:
        """Seconds until ``total`` files are done, or ``None`` while there is too little to go by."""
        span = self._span()
        done = self._reports[-1][1] if self._reports else 0
        if span is None or span[1] <= 0 or done < self.min_fraction * total:
            return None
        return round((total - done) * span[0] / span[1], 2)


def clock(seconds: float | None) -> str:
    """``1:02:03`` or ``2:03``; ``--:--`` when unknown.

    >>> clock(3723.4), clock(59.6), clock(None)
    ('1:02:03', '1:00', '--:--')
    """
    if seconds is None:
        return "--:--"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
