"""Train the speaker labeller (``labeller``) on labelled training articles only.

The training articles are the shared dev set (``../shared/eval/speakers/dev.jsonl``)
and the ``train`` split of the project's own labels
(``tests/data/speakers/labelled.jsonl``); the ``heldout`` split is never read
(``training_articles`` refuses any other split). In each sentence with a quote
cue, a token is a speaker's (``B``, then ``I``) where the words of one of the
article's labelled speakers (its name or a surface form) stand; everything else
is ``O``. The CRF (python-crfsuite, L-BFGS, fixed order and parameters) is
deterministic: the same labels and corpus give the same model.

``cross_validate`` scores the whole extractor, rules and labeller, on folds of
the training articles (each fold's labeller trained on the others): how the
labeller was weighed without the held-out third.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.speakers import proposals
from indexer.speakers.evaluate import DEFAULT_CORPUS, Score, _article, evaluate, read_labels
from indexer.speakers.extract import rule_speakers
from indexer.speakers.names import honorifics_at, is_name_word, key, token_keys, tokenize

ROOT = Path(__file__).resolve().parents[2]
#: The labels read by default: the shared dev set and the project's own.
DEV_LABELS = ROOT.parent / "shared" / "eval" / "speakers" / "dev.jsonl"
OWN_LABELS = ROOT / "tests" / "data" / "speakers" / "labelled.jsonl"
#: CRF parameters: L1 and L2 regularisation, and the L-BFGS iterations.
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True}
#: The seed of the cross-validation folds.
SEED = 17


@dataclass(frozen=True)
class Labelled:
    """One training article: its file (and Fars News record), and its labelled speakers."""

    path: Path
    record: int | None
    speakers: list[dict[str, Any]]
    label: dict[str, Any]  # the label line as read (for ``evaluate``)


def training_articles(dev: Path = DEV_LABELS, own: Path = OWN_LABELS) -> list[Labelled]:
    """The dev set's articles and the ``train`` split of ``own``, never the held-out third."""
    articles = []
    dev_corpus = (dev.parent / DEFAULT_CORPUS).resolve()
    for label in read_labels(dev):
        articles.append(Labelled(dev_corpus / str(label["file"]), None, list(label["speakers"]), label))  # type: ignore[call-overload]
    shared = dev.parents[2]
    for label in read_labels(own):
        if label.get("split") != "train":
            continue  # the held-out third is only scored, never learned from
        record = label.get("record")
        number = None if record is None else int(str(record))
        articles.append(Labelled(shared / str(label["file"]), number, list(label["speakers"]), label))  # type: ignore[call-overload]
    return articles


Sequence = tuple[list[list[str]], list[str]]


def sequences(item: Labelled) -> list[Sequence]:
    """(features, labels) of each window the labeller reads in a labelled article."""
    article = _article(item.path, item.record)
    return text_sequences([article.title, article.lead, article.body], item.speakers)


def text_sequences(texts: list[str], speakers: list[dict[str, Any]]) -> list[Sequence]:
    """(features, labels) of each window of ``texts``, whose speakers (``name``,
    ``surface_forms``) are ``speakers``.

    >>> [labels for _, labels in text_sequences(["رضا کیانی گفت: باران بارید."], [{"name": "رضا کیانی"}])]
    [['B', 'I', 'O']]
    """
    all_sentences, _, found = rule_speakers(texts)
    forms = set()
    for speaker in speakers:
        for form in [speaker["name"], *speaker.get("surface_forms", [])]:
            tokens = tokenize(form)
            forms.add(tuple(token_keys(tokens[honorifics_at(tokens, 0) :])))
    # Only the forms that are names: «وی» or a role stands for the speaker, the rules resolve it.
    longest_first = sorted((f for f in forms if f and all(map(is_name_word, f))), key=len, reverse=True)
    result = []
    for _, _, tokens, feats in proposals.inputs(all_sentences, found):
        keys = [key(k) for k in token_keys(tokens)]
        labels = ["O"] * len(tokens)
        for form in longest_first:
            size = len(form)
            for n in range(len(keys) - size + 1):
                if tuple(keys[n : n + size]) == form and all(label == "O" for label in labels[n : n + size]):
                    labels[n : n + size] = ["B"] + ["I"] * (size - 1)
        result.append((feats, labels))
    return result


def train(items: list[Labelled], target: Path) -> int:
    """Train the labeller on ``items`` and write it to ``target``; the number of windows."""
    return train_sequences([s for item in items for s in sequences(item)], target)


def train_sequences(labelled: list[Sequence], target: Path) -> int:
    """Train the labeller on (features, labels) windows and write it to ``target``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in labelled:
        trainer.append(feats, labels)
    count = len(labelled)
    trainer.set_params(PARAMS)
    target.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(target))
    return count


def cross_validate(items: list[Labelled], folds: int = 5, thresholds: tuple[float, ...] = (0.5,)) -> dict[float, Score]:
    """The extractor's score on each training article with a labeller trained without it,
    for each confidence threshold (folds drawn with ``SEED``); and the rules alone (key 1.0)."""
    import pycrfsuite

    from indexer.speakers import labeller

    order = list(range(len(items)))
    random.Random(SEED).shuffle(order)
    scores: dict[float, Score] = {t: Score() for t in (*thresholds, 1.01)}
    saved = labeller.THRESHOLD
    with tempfile.TemporaryDirectory() as folder:
        for fold in range(folds):
            held = [items[n] for n in order[fold::folds]]
            rest = [items[n] for n in order if n not in set(order[fold::folds])]
            model_path = Path(folder) / f"fold{fold}.crfsuite"
            train(rest, model_path)
            labels_path = Path(folder) / f"fold{fold}.jsonl"
            lines = [{**item.label, "file": str(item.path), "record": item.record} for item in held]
            labels_path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model_path))
            try:
                for threshold, total in scores.items():
                    labeller.THRESHOLD = threshold
                    proposals.use(tagger)
                    _add(total, evaluate(labels_path, Path("/")))
            finally:
                labeller.THRESHOLD = saved
                proposals.reset()
    return scores


def _add(total: Score, fold: Score) -> None:
    total.true_positives += fold.true_positives
    total.misses += fold.misses
    total.false_hits += fold.false_hits
    total.quotes_labelled += fold.quotes_labelled
    total.quotes_right += fold.quotes_right
    total.quote_misses += fold.quote_misses
