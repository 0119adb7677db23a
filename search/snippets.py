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


def snippet(text: str, terms: Sequence[str], analyzer: Any) -> str:
    """Up to two fragments of ``text`` around ``terms``, as safe HTML."""
    fragment = ""
    if terms:
        fragment = highlight.highlight(
            text,
            frozenset(terms),
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
