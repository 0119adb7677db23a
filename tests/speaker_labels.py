"""The project's own speaker labels (issue 17): where they are, and reading them.

``tests/data/speakers/labelled.jsonl`` holds one labelled article a line, in
the shared dev set's format plus three keys: ``file`` is relative to
``../shared`` (not to the ir-news folder), ``record`` is the index inside a
Fars News JSON array (``null`` elsewhere), ``split`` is ``train``,
``heldout``, ``heldout2`` or ``heldout3``. Each speaker has a ``quote``: ``[start, end]``
character offsets of one clause the article attributes to them, in
``indexer.speakers.evaluate.source_text`` of the article. Only offsets are
stored: the text stays in ../shared.

``select_articles.py`` beside the labels made nine draws (its ``DRAWS``
table), each split before any extractor output on it was seen: the first
(seed 17, 153 articles, listed in ``selection.jsonl``) into ``train`` and
``heldout``; the second (seed 1717, 90 articles, ``selection2.jsonl``) and
the third to seventh (seeds 1719 to 1727, 63 articles each,
``selection3.jsonl`` to ``selection7.jsonl``) into ``train`` and
``heldout2``; the eighth (seed 1729, 63 articles, ``selection8.jsonl``)
and the ninth (seed 1731, 126 articles, ``selection9.jsonl``) into ``train``
and ``heldout3``. Each was drawn from the articles the draws
before it and the dev set left. The first draw's labels come first in the
file, in draw order; the later draws' follow as they were labelled.
``--split train`` scores the train articles of every draw.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "data" / "speakers"
LABELS = HERE / "labelled.jsonl"
#: Each draw's selection file, by draw number (``select_articles.file_name``).
SELECTIONS = {1: HERE / "selection.jsonl"} | {n: HERE / f"selection{n}.jsonl" for n in range(2, 10)}


def read_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def selection(draw: int) -> list[tuple[str, int | None, str]]:
    """The (file, record, split) pointers of one draw, as ``select_articles.py`` wrote them."""
    return [(row["file"], row["record"], row["split"]) for row in read_labels(SELECTIONS[draw])]


def labels_of_draw(draw: int, path: Path = LABELS) -> list[dict[str, Any]]:
    """The labelled articles of one draw, in the file's order."""
    drawn = {(file, record) for file, record, _split in selection(draw)}
    return [label for label in read_labels(path) if (label["file"], label["record"]) in drawn]


def write_draws(out: Path, *draws: int) -> Path:
    """The labels of some draws as a labels file of their own (for ``evaluate``)."""
    labels = [label for draw in draws for label in labels_of_draw(draw)]
    out.write_text("".join(json.dumps(label, ensure_ascii=False) + "\n" for label in labels), "utf-8")
    return out
