"""Cross-validated tuning: does a ranking setting generalise beyond the queries it was tuned on?

A grid of settings (values of ``search.query``'s constants) is evaluated once per query; then,
for each of ``FOLDS`` fixed, seeded folds of the queries, the setting with the best MAP on the
other folds is chosen and scored on the held-out one. The cross-validated MAP is the mean AP of
every query under the setting chosen without it. A change that raises the plain (dev) MAP but
not this figure fits the dev queries, not the task (docs/evaluation.md).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import product
from typing import Any

from search import query as query_module

FOLDS = 5
SEED = 20  # issue 20: fixed, so every change is measured on the same folds

#: One setting of the grid: (constant name, value) pairs, in the grid's order.
Setting = tuple[tuple[str, Any], ...]


def folds(qids: Sequence[str], k: int = FOLDS, seed: int = SEED) -> list[list[str]]:
    """``qids`` dealt into ``k`` folds of near-equal size, in a seeded shuffle of their sorted order
    (the same folds whatever order the queries came in).

    >>> folds(["1", "2", "3", "4", "5", "6", "7"], k=3, seed=0)
    [['5', '1', '7'], ['3', '6'], ['2', '4']]
    """
    if not 2 <= k <= len(qids):
        raise ValueError(f"cannot make {k} folds of {len(qids)} queries")
    order = sorted(set(qids), key=lambda q: (len(q), q))  # numeric ids in numeric order
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def parse_grid(specs: Sequence[str]) -> list[Setting]:
    """Every combination of ``NAME=v1,v2,...`` specs (values read as numbers where they are), in order;
    ``NAME.key`` names one entry of a dict (``WEIGHTS.title=0.05,0.1``).

    >>> parse_grid(["FEEDBACK_DOCS=4,5", "FEEDBACK=True"])
    [(('FEEDBACK_DOCS', 4), ('FEEDBACK', True)), (('FEEDBACK_DOCS', 5), ('FEEDBACK', True))]
    """
    axes: list[list[tuple[str, Any]]] = []
    for spec in specs:
        name, sep, values = spec.partition("=")
        name = name.strip()
        if not sep or not values.strip():
            raise ValueError(f"{spec!r}: expected NAME=value[,value...]")
        constant, _, key = name.partition(".")  # WEIGHTS.title: one entry of a dict
        found = getattr(query_module, constant, None) if constant.isupper() else None
        if found is None or (key and not (isinstance(found, dict) and key in found)):
            raise ValueError(f"{spec!r}: search.query has no setting {name}")
        axes.append([(name, _value(v.strip())) for v in values.split(",")])
    return [tuple(combo) for combo in product(*axes)]


def describe(setting: Setting) -> str:
    """A setting as the command line writes it.

    >>> describe((("FEEDBACK_DOCS", 4), ("FEEDBACK_WEIGHT", 2.0)))
    'FEEDBACK_DOCS=4 FEEDBACK_WEIGHT=2.0'
    """
    return " ".join(f"{name}={value}" for name, value in setting)


def _value(text: str) -> Any:
    if text in ("True", "False"):
        return text == "True"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


@contextmanager
def applied(setting: Setting) -> Iterator[None]:
    """``search.query``'s constants set to ``setting`` for the duration, then restored."""
    constants = {name.partition(".")[0] for name, _ in setting}
    before = {name: getattr(query_module, name) for name in constants}
    try:
        for name, value in setting:
            constant, _, key = name.partition(".")
            if key:  # a new dict, so the saved one stays as it was
                setattr(query_module, constant, {**getattr(query_module, constant), key: value})
            else:
                setattr(query_module, constant, value)
        yield
    finally:
        for name, value in before.items():
            setattr(query_module, name, value)


@dataclass(frozen=True)
class CrossValidated:
    """The cross-validated MAP, the setting chosen for each fold, and the held-out AP of each query."""

    map: float
    chosen: list[Setting]
    held_out: dict[str, float]


def cross_validate(ap: Mapping[Setting, Mapping[str, float]], parts: Sequence[Sequence[str]]) -> CrossValidated:
    """Choose, for each fold, the setting with the best mean AP over the other folds; score it on the fold.

    ``ap`` maps each setting to the AP of each query (a query without judgements is absent). Ties go
    to the setting listed first, so a grid that starts with the current default keeps it unless
    another does better.

    >>> ap = {(("W", 1),): {"a": 0.5, "b": 0.5, "c": 0.9}, (("W", 2),): {"a": 0.9, "b": 0.9, "c": 0.1}}
    >>> result = cross_validate(ap, [["a"], ["b"], ["c"]])
    >>> round(result.map, 4), [dict(s)["W"] for s in result.chosen]
    (0.3667, [1, 1, 2])
    """
    settings = list(ap)
    if not settings:
        raise ValueError("no settings to choose from")
    held_out: dict[str, float] = {}
    chosen: list[Setting] = []
    for i, fold in enumerate(parts):
        train = [q for j, other in enumerate(parts) if j != i for q in other]
        best = max(settings, key=lambda s: (_mean(ap[s], train), -settings.index(s)))
        chosen.append(best)
        held_out.update({q: ap[best][q] for q in fold if q in ap[best]})
    return CrossValidated(_mean(held_out, list(held_out)), chosen, held_out)


def _mean(ap: Mapping[str, float], qids: Sequence[str]) -> float:
    values = [ap[q] for q in qids if q in ap]
    return sum(values) / len(values) if values else 0.0
