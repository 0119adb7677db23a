"""What a speaker said, for searches restricted to a speaker and for article pages.

The index stores each article's quotes as ``[[speaker, quote], ...]`` (the
stored field ``quotes``, written by every backend from ``to_document``). A
search restricted to a speaker (``speaker:"مریم احمدی"`` or the facet filter)
shows that speaker's quote as the hit's snippet instead of a window of the
body: the words the person said, which is what the search asked for.

>>> keys = restricted_speakers(("مریم احمدی",), [])
>>> speaker_quote([["علی رضایی", "نه."], ["مريم احمدي", "بله."]], keys)
('مريم احمدي', 'بله.')
>>> speaker_quote([["علی رضایی", "نه."]], keys) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from indexer.metadata import facet_key


def restricted_speakers(filters: Iterable[str], clauses: Iterable[Any]) -> frozenset[str]:
    """Facet keys of the speakers a search is restricted to: the ``speaker`` filter
    values and the ``speaker:`` clauses that are not negated."""
    values = [*filters, *(c.text for c in clauses if c.field == "speaker" and not c.negated)]
    return frozenset(k for k in map(facet_key, values) if k)


def speaker_quote(quotes: Sequence[Sequence[str]] | None, keys: frozenset[str]) -> tuple[str, str] | None:
    """The first (speaker, quote) of ``quotes`` said by one of the speakers ``keys``."""
    if not keys:
        return None
    for speaker, text in quotes or ():
        if facet_key(speaker) in keys:
            return speaker, text
    return None


def who_said_what(quotes: Sequence[Sequence[str]] | None) -> list[dict[str, Any]]:
    """The quotes of an article grouped by speaker, in order of first quote, for its page.

    >>> who_said_what([["الف", "یک"], ["ب", "دو"], ["الف", "سه"]])
    [{'speaker': 'الف', 'quotes': ['یک', 'سه']}, {'speaker': 'ب', 'quotes': ['دو']}]
    """
    grouped: dict[str, dict[str, Any]] = {}
    for speaker, text in quotes or ():
        entry = grouped.setdefault(facet_key(speaker), {"speaker": speaker, "quotes": []})
        if text not in entry["quotes"]:
            entry["quotes"].append(text)
    return list(grouped.values())
