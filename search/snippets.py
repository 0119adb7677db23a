"""Highlighted snippets cut from the original text, HTML-escaped.

Matching uses the stem analyzer on the stored original text, so a query
word highlights every spelling of itself («می توانیم» for «میتوانیم»), and
the offsets are those of the original characters.

>>> from indexer.analysis import stem_analyzer
>>> snippet("ما <b> کتاب ها را خواندیم", ["کتاب"], stem_analyzer())
'ما &lt;b&gt; <mark>کتاب ها</mark> را خواندیم'
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from whoosh import highlight

MAX_CHARS = 240
SURROUND = 70


class _MarkFormatter(highlight.HtmlFormatter):  # type: ignore[misc]
    """``<mark>`` around matches; the surrounding text is escaped by Whoosh."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace), quote=False)}</mark>"


#: Text is highlighted a window at a time, and the first window with a match gives
#: the snippet: analysing every hit's whole text took a third of a search, and
#: news puts what matters first.
WINDOW = 1500


def windows(text: str, size: int = WINDOW) -> list[str]:
    """``text`` in consecutive pieces of about ``size`` characters, cut at spaces.

    >>> [len(w) for w in windows("ab " * 10, size=12)]
    [12, 12, 6]
    """
    pieces = []
    start = 0
    while start < len(text):
        end = start + size
        if end < len(text):
            space = text.rfind(" ", start + size // 2, end)
            end = space + 1 if space >= 0 else end
        pieces.append(text[start:end])
        start = end
    return pieces


def snippet(text: str, terms: Sequence[str], analyzer: Any) -> str:
    """Up to two fragments around ``terms`` from the first window of ``text`` that holds one, as safe HTML."""
    if terms:
        wanted = frozenset(terms)
        for window in windows(text):
            fragment = highlight.highlight(
                window,
                wanted,
                analyzer,
                highlight.ContextFragmenter(maxchars=MAX_CHARS, surround=SURROUND),
                _MarkFormatter(),
                top=2,
                order=highlight.SCORE,
            )
            if fragment:
                return str(fragment).strip()
    head = text.strip()
    if len(head) > MAX_CHARS:
        head = head[:MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return escape(head, quote=False)
