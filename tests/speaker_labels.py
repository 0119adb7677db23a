"""The project's own speaker labels (issue 17): reading them and the articles they point to.

``tests/data/speakers/labelled.jsonl`` holds one labelled article a line, in
the shared dev set's format plus three keys: ``file`` is relative to
``../shared`` (not to the ir-news folder), ``record`` is the index inside a
Fars News JSON array (``null`` elsewhere), ``split`` is ``train`` or
``heldout``. Each speaker has a ``quote``: ``[start, end]`` character offsets
of one clause the article attributes to them, in ``source_text`` of the
article. Only offsets are stored: the text stays in ../shared.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

LABELS = Path(__file__).parent / "data" / "speakers" / "labelled.jsonl"

# Letters folded so that typed and published spellings compare equal: Arabic
# yeh and kaf, and the marks that stand between word parts (ZWNJ, NO-BREAK SPACE).
_FOLD = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": None, "\u00a0": " ", "\u200f": None, "\u200e": None})
_SPACES = re.compile(r"\s+")


def read_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def source_text(shared: Path, label: dict[str, Any]) -> str:
    """The text the quote offsets index: a file as it is, or a Fars News record's
    title, abstract and paragraphs, one a line."""
    path = shared / label["file"]
    if label.get("record") is None:
        return path.read_text(encoding="utf-8")
    record = json.loads(path.read_text(encoding="utf-8"))[label["record"]]
    paragraphs = record["paragraphs"]
    if isinstance(paragraphs, str):
        import ast

        paragraphs = ast.literal_eval(paragraphs)
    return "\n".join([record.get("title") or "", record.get("abstract") or "", *paragraphs])


def fold(text: str) -> str:
    """Text as compared: Persian letters, no ZWNJ, single spaces, lower case.

    >>> fold("مي\u00a0كند  و\u200cالا")
    'می کند والا'
    """
    return _SPACES.sub(" ", text.translate(_FOLD)).strip().lower()
