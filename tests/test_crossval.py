"""The cross-validation harness (``search.crossval``): folds, the choice per fold, the settings grid."""

from __future__ import annotations

import pytest

from search import query as query_module
from search.crossval import applied, cross_validate, folds, parse_grid

QIDS = [str(n) for n in range(1, 50, 2)]  # 25 ids, as the Hamshahri dev set numbers them


def test_folds_partition_the_queries_into_five_near_equal_parts() -> None:
    parts = folds(QIDS)
    assert len(parts) == 5 and [len(p) for p in parts] == [5] * 5
    assert sorted(q for p in parts for q in p) == sorted(QIDS)


def test_folds_are_fixed_by_the_seed_not_by_the_order_given() -> None:
    assert folds(QIDS) == folds(list(reversed(QIDS))) == folds(QIDS, seed=20)
    assert folds(QIDS, seed=21) != folds(QIDS)
    assert [len(p) for p in folds(QIDS[:7], k=5)] == [2, 2, 1, 1, 1]


def test_folds_refuse_more_folds_than_queries() -> None:
    with pytest.raises(ValueError, match="cannot make 5 folds of 3 queries"):
        folds(["1", "2", "3"])


def test_each_fold_is_scored_by_the_setting_chosen_on_the_others() -> None:
    # setting B is best on query c alone: chosen only where c is trained on, never to score c
    a = (("W", "A"),)
    b = (("W", "B"),)
    ap = {a: {"a": 0.6, "b": 0.6, "c": 0.2}, b: {"a": 0.5, "b": 0.5, "c": 1.0}}
    result = cross_validate(ap, [["a"], ["b"], ["c"]])
    assert result.chosen == [b, b, a]
    assert result.held_out == {"a": 0.5, "b": 0.5, "c": 0.2}
    assert result.map == pytest.approx(0.4)
    # B has the better dev MAP (0.667 against 0.467), but does not generalise
    assert result.map < sum(ap[b].values()) / 3


def test_ties_keep_the_first_setting_of_the_grid() -> None:
    first, second = (("W", 1),), (("W", 2),)
    same = {"a": 0.5, "b": 0.7}
    assert cross_validate({first: same, second: dict(same)}, [["a"], ["b"]]).chosen == [first, first]


def test_grid_is_every_combination_of_the_named_constants() -> None:
    grid = parse_grid(["FEEDBACK_DOCS=4,5", "FEEDBACK_WEIGHT=1.5,2"])
    assert grid == [
        (("FEEDBACK_DOCS", 4), ("FEEDBACK_WEIGHT", 1.5)),
        (("FEEDBACK_DOCS", 4), ("FEEDBACK_WEIGHT", 2.0)),
        (("FEEDBACK_DOCS", 5), ("FEEDBACK_WEIGHT", 1.5)),
        (("FEEDBACK_DOCS", 5), ("FEEDBACK_WEIGHT", 2.0)),
    ]


@pytest.mark.parametrize(
    ("spec", "error"),
    [("FEEDBACK_DOCS", "expected NAME=value"), ("NO_SUCH=1", "has no setting NO_SUCH"), ("FEEDBACK_DOCS=", "expected")],
)
def test_grid_names_what_is_wrong(spec: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_grid([spec])


def test_grid_may_set_one_entry_of_a_dict() -> None:
    weights = query_module.WEIGHTS
    with applied(parse_grid(["WEIGHTS.title=0.5"])[0]):
        assert {**weights, "title": 0.5} == query_module.WEIGHTS
    assert weights is query_module.WEIGHTS and weights["title"] != 0.5
    with pytest.raises(ValueError, match=r"no setting WEIGHTS\.headline"):
        parse_grid(["WEIGHTS.headline=1"])


def test_applied_settings_are_restored_even_after_an_error() -> None:
    before = query_module.FEEDBACK_DOCS
    with pytest.raises(RuntimeError), applied((("FEEDBACK_DOCS", before + 3),)):
        assert before + 3 == query_module.FEEDBACK_DOCS
        raise RuntimeError
    assert before == query_module.FEEDBACK_DOCS
