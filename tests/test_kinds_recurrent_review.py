"""Recurrent cases the review of issue 17 found."""
from __future__ import annotations

from grader.solver.kinds.recurrent import parse, solve
from tests.homework import read_given

LSTM = {"cell": "lstm", "input_size": 10, "hidden_size": 20}


def test_a_stack_of_a_hundred_million_layers_is_refused_not_built_answer_by_answer() -> None:
    """Each layer is an answer (layer<k>.params): 10⁸ of them never finished building."""
    spec, issues = read_given(parse, {**LSTM, "layers": 100_000_000})
    assert spec is None
    assert [field for field, _ in issues] == ["given.layers"] and "at most 1000" in issues[0][1]


def test_a_thousand_layers_are_still_solved() -> None:
    spec, issues = read_given(parse, {**LSTM, "layers": 1000})
    assert issues == []
    # hand: layer 1 4·20·(10 + 20 + 2) = 2,560; each of the 999 above 4·20·(20 + 20 + 2) = 3,360
    assert solve(spec)["params"] == 2560 + 999 * 3360
