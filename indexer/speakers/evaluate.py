"""Score speaker extraction on hand-labelled articles.

The labels are JSON Lines, one article a line:
``{"file", "speakers": [{"name", "surface_forms"}], "roles_only", "note"}``
(``../shared/eval/speakers/dev.jsonl``). Precision and recall count
(file, name) pairs after both names go through ``facet_key``, the key that
makes one facet value of every spelling (Arabic/Persian letters, ZWNJ or
space, «محمد باقر» / «محمدباقر»).

The project's own labels (``tests/data/speakers/labelled.jsonl``, issue 17)
add ``record`` (the index inside a Fars News JSON array), ``split``
(``train``/``heldout``/``heldout2``/``heldout3``) and, for each speaker, ``quote``: the ``[start, end]``
offsets in ``source_text`` of one clause the article attributes to them.
A labelled speaker's quote is attributed right when the extractor found the
speaker and one of their quotes holds at least ``QUOTE_OVERLAP`` of the
labelled clause's words.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.article import Article
from indexer.metadata import facet_key
from indexer.readers import ReadError, read_file
from indexer.speakers.extract import Speaker, find_speakers

#: Where the labelled files live, relative to the labels file.
DEFAULT_CORPUS = Path("../../corpus/ir-news/Dataset")
#: The share of a labelled quote's words an extracted quote must hold.
QUOTE_OVERLAP = 0.6
# Typed and published spellings compare equal: Arabic yeh and kaf, ZWNJ, NO-BREAK SPACE, marks.
_FOLD = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": " ", "\u00a0": " ", "\u200f": None, "\u200e": None})
_WORD = re.compile(r"\w+")


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

    quotes_labelled: int = 0  # labelled speakers with a quote span
    quotes_right: int = 0  # ... whose quote the extractor attributed to them
    quote_misses: list[tuple[str, str]] = field(default_factory=list)  # (file, gold name)

    @property
    def quote_attribution(self) -> float:
        """Share of labelled quotes found and attributed to their speaker."""
        return self.quotes_right / self.quotes_labelled if self.quotes_labelled else 1.0


def words(text: str) -> list[str]:
    """The words of a text as compared: Persian letters, lower case, split at a ZWNJ
    (published text has one where another has a space or NO-BREAK SPACE).

    >>> words("مي\u00a0كند، و\u200cالا")
    ['می', 'کند', 'و', 'الا']
    """
    return _WORD.findall(text.translate(_FOLD).lower())


def source_text(root: Path, label: dict[str, Any]) -> str:
    """The text a label's quote offsets index: the file as it is, or a Fars News
    record's title, abstract and paragraphs, one a line."""
    path = root / str(label["file"])
    if label.get("record") is None:
        return path.read_text(encoding="utf-8")
    record = json.loads(path.read_text(encoding="utf-8"))[int(label["record"])]
    paragraphs = record["paragraphs"]
    if isinstance(paragraphs, str):
        paragraphs = ast.literal_eval(paragraphs)
    return "\n".join([record.get("title") or "", record.get("abstract") or "", *paragraphs])


def quote_matches(labelled: str, said: tuple[str, ...]) -> bool:
    """Whether one of ``said`` holds ``QUOTE_OVERLAP`` of the words of ``labelled``.

    >>> quote_matches("مدارس فردا باز است", ("وی گفت مدارس فردا باز است.",))
    True
    >>> quote_matches("مدارس فردا باز است", ("جاده بسته است.",))
    False
    """
    gold = words(labelled)
    if not gold:
        return False
    return any(sum(w in set(words(q)) for w in gold) >= QUOTE_OVERLAP * len(gold) for q in said)


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


def _article(path: Path, record: int | None = None) -> Article:
    """The article of a one-article file, or the ``record``-th of a file of many."""
    for number, item in enumerate(read_file(path)):
        if record is not None and number != record:
            continue
        if isinstance(item, Article):
            return item
        raise item
    raise ReadError(path, "no article in the file" if record is None else f"no record {record} in the file")


def evaluate(labels_path: Path, corpus: Path | None = None, split: str | None = None) -> Score:
    """Extract the speakers of every labelled article (of ``split``, when given) and compare.

    ``corpus`` (the folder ``file`` is relative to) defaults to
    ``DEFAULT_CORPUS`` next to the labels. Raises ``ReadError`` for an
    article file that is missing or unreadable.
    """
    folder = corpus if corpus is not None else (labels_path.parent / DEFAULT_CORPUS).resolve()
    score = Score()
    labels = read_labels(labels_path)
    splits = sorted({str(record.get("split")) for record in labels if record.get("split") is not None})
    if split is not None and split not in splits:
        # A misspelt split would otherwise score no article and print perfect figures.
        known = ", ".join(splits) or "none"
        raise ValueError(f"{labels_path}: no labelled article of split {split!r} (splits: {known})")
    for record in labels:
        if split is not None and record.get("split") != split:
            continue
        name = str(record["file"])
        number = record.get("record")
        path = folder / name
        if not path.is_file():
            raise ReadError(path, "labelled article not found (use --corpus)")
        where = name if number is None else f"{name}#{number}"
        article = _article(path, None if number is None else int(str(number)))
        found = {facet_key(s.name): s for s in find_speakers(article)}
        labelled: list[dict[str, Any]] = list(record["speakers"])  # type: ignore[call-overload]
        gold = {facet_key(str(s["name"])): str(s["name"]) for s in labelled}
        score.true_positives += len(found.keys() & gold.keys())
        score.misses += [(where, gold[k]) for k in gold if k not in found]
        score.false_hits += [(where, found[k]) for k in found if k not in gold]
        spans = [s for s in labelled if s.get("quote")]
        if spans:
            text = source_text(folder, record)
            for speaker in spans:
                start, end = speaker["quote"]
                score.quotes_labelled += 1
                person = found.get(facet_key(str(speaker["name"])))
                if person is not None and quote_matches(text[start:end], person.quotes):
                    score.quotes_right += 1
                else:
                    score.quote_misses.append((where, str(speaker["name"])))
    return score
