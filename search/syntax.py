"""The query language: words, "quoted phrases", -exclusions, field:values.

Only English field names are fields (``title:`` ``tag:`` ``speaker:``
``source:``), so Persian text with colons stays text: «دولت ها: برداشتن
قرنطینه» is four words. A quote without its partner is an ordinary
character, never an error. Parsing never raises.

>>> parse('مجلس "توسعه روابط" -نفت tag:ورزش')
[Clause(text='مجلس', kind='word', field=None, negated=False), \
Clause(text='توسعه روابط', kind='phrase', field=None, negated=False), \
Clause(text='نفت', kind='word', field=None, negated=True), \
Clause(text='ورزش', kind='word', field='tag', negated=False)]
>>> [c.text for c in parse('دولت ها: برداشتن «قرنطینه')]
['دولت', 'ها:', 'برداشتن', 'قرنطینه']
"""

from __future__ import annotations

import re
from typing import NamedTuple

FIELDS = ("title", "tag", "speaker", "source")
#: Longer queries are cut here (and the caller is told): Whoosh's cost grows
#: with the number of clauses, and no real query is this long.
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32

# Opening quote -> its closing partner.
_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“"}
_STRIP = "".join(_QUOTES) + "".join(_QUOTES.values())
_FIELD = re.compile(rf"({'|'.join(FIELDS)}):(?=[^\s:])", re.IGNORECASE)


class Clause(NamedTuple):
    """One piece of a query."""

    text: str
    kind: str = "word"  # "word" or "phrase"
    field: str | None = None
    negated: bool = False


class Parsed(NamedTuple):
    clauses: list[Clause]
    truncated: bool  # the query was longer than the limits and was cut


def parse(query: str) -> list[Clause]:
    """The clauses of a user's query string (at most ``MAX_CLAUSES``)."""
    return parse_query(query).clauses


def parse_query(query: str) -> Parsed:
    """Clauses, and whether the query had to be cut to the limits.

    >>> parse_query("x " * 40).truncated
    True
    """
    text = query[:MAX_QUERY_CHARS]
    truncated = len(query) > MAX_QUERY_CHARS
    clauses: list[Clause] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if len(clauses) == MAX_CLAUSES:
            truncated = True
            break
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        field = None
        match = _FIELD.match(text, i)
        if match:
            field, i = match[1].lower(), match.end()
        if text[i] in _QUOTES:
            close = text.find(_QUOTES[text[i]], i + 1)
            if close != -1:
                phrase = text[i + 1 : close].strip()
                if phrase:
                    clauses.append(Clause(phrase, "phrase", field, negated))
                i = close + 1
                continue
            i += 1  # a quote without its partner is just a character
        j = i
        while j < n and not text[j].isspace() and text[j] not in _QUOTES:
            j += 1
        word = text[i:j].strip(_STRIP)
        i = max(j, i + 1) if j == i else j
        if word:
            clauses.append(Clause(word, "word", field, negated))
    return Parsed(clauses, truncated)
