"""Score speaker extraction on hand-labelled articles.

The labels are JSON Lines, one article a line:
``{"file", "speakers": [{"name", "surface_forms"}], "roles_only", "note"}``
(``../shared/eval/speakers/dev.jsonl``). Precision and recall count
(file, name) pairs after both names go through ``facet_key``, the key that
makes one facet value of every spelling (Arabic/Persian letters, ZWNJ or
space, «محمد باقر» / «محمدباقر»).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from indexer.article import Article
from indexer.metadata import facet_key
from indexer.readers import ReadError, read_file
from indexer.speakers.extract import Speaker, find_speakers

#: Where the labelled files live, relative to the labels file.
DEFAULT_CORPUS = Path("../../corpus/ir-news/Dataset")


@dataclass
class Score:
    """Counts, and the pairs behind them, for ``kavosh evaluate-speakers``."""

    true_positives: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (file, gold name)
    false_hits: list[tuple[str, Speaker]] = field(default_factory=list)  # (file, extracted)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_hits)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + len(self.misses)
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_labels(path: Path) -> list[dict[str, object]]:
    """The labelled articles; ``ValueError`` naming the line for a bad one."""
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record.get("file"), str) or not isinstance(record.get("speakers"), list):
                raise ValueError("needs a 'file' string and a 'speakers' list")
        except (json.JSONDecodeError, ValueError, AttributeError) as err:
            raise ValueError(f"{path}:{number}: {err}") from None
        labels.append(record)
    return labels


def _article(path: Path) -> Article:
    for item in read_file(path):
        if isinstance(item, Article):
            return item
        raise item
    raise ReadError(path, "no article in the file")


def evaluate(labels_path: Path, corpus: Path | None = None) -> Score:
    """Extract the speakers of every labelled article and compare.

    ``corpus`` defaults to ``DEFAULT_CORPUS`` next to the labels. Raises
    ``ReadError`` for an article file that is missing or unreadable.
    """
    folder = corpus if corpus is not None else (labels_path.parent / DEFAULT_CORPUS).resolve()
    score = Score()
    for record in read_labels(labels_path):
        name = str(record["file"])
        path = folder / name
        if not path.is_file():
            raise ReadError(path, "labelled article not found (use --corpus)")
        found = {facet_key(s.name): s for s in find_speakers(_article(path))}
        gold = {facet_key(str(s["name"])): str(s["name"]) for s in record["speakers"]}  # type: ignore[attr-defined]
        score.true_positives += len(found.keys() & gold.keys())
        score.misses += [(name, gold[k]) for k in gold if k not in found]
        score.false_hits += [(name, found[k]) for k in found if k not in gold]
    return score
