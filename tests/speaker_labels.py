"""The project's own speaker labels (issue 17): where they are, and reading them.

``tests/data/speakers/labelled.jsonl`` holds one labelled article a line, in
the shared dev set's format plus three keys: ``file`` is relative to
``../shared`` (not to the ir-news folder), ``record`` is the index inside a
Fars News JSON array (``null`` elsewhere), ``split`` is ``train`` or
``heldout``. Each speaker has a ``quote``: ``[start, end]`` character offsets
of one clause the article attributes to them, in
``indexer.speakers.evaluate.source_text`` of the article. Only offsets are
stored: the text stays in ../shared. ``select_articles.py`` beside the labels
drew the articles (seed 17) and split them before any extractor error was seen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LABELS = Path(__file__).parent / "data" / "speakers" / "labelled.jsonl"


def read_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
