"""Softmax-cross-entropy cases the review of issue 17 found."""
from __future__ import annotations

from grader.solver.kinds.softmax_cross_entropy import parse
from tests.homework import read_given


def test_a_batch_of_a_hundred_rows_of_a_thousand_classes_is_refused_not_solved_for_twenty_seconds() -> None:
    """Each limit alone allowed it: 100 rows, 1,000 classes, 200,101 answers."""
    rows = [[index % 7 for index in range(1000)] for _ in range(100)]
    spec, issues = read_given(parse, {"logits": rows, "target": [1] * 100})
    assert spec is None
    assert [field for field, _ in issues] == ["given.logits"] and "at most 10,000 logits" in issues[0][1]


def test_a_batch_of_ten_rows_of_a_thousand_classes_is_still_a_problem() -> None:
    spec, issues = read_given(parse, {"logits": [[index % 7 for index in range(1000)] for _ in range(10)], "target": [1] * 10})
    assert issues == [] and spec is not None and len(spec.examples) == 10
