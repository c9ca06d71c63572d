"""grader.rubric.answer_key.build_answer_key: asked answers, their order, points and tolerance."""
from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from grader.base.errors import RubricError
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import load_rubric, parse_rubric
from grader.rubric.tolerance import Tolerance

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "key.yaml"
EXACT = Tolerance()
HALF_PERCENT = Tolerance(relative=Fraction(1, 200))  # the default for answers that are not whole

# y = x*w, L = (y - t)^2 with x = 3, w = 1/2, t = 1, worked by hand:
# y = 3/2, L = 1/4, dL/dy = 2(y - t) = 1, dL/dx = w = 1/2, dL/dw = x = 3, dL/dt = -1.
GRAPH = {"values": {"x": 3, "w": "1/2", "t": 1}, "nodes": {"y": "x*w", "L": "(y - t)^2"}, "loss": "L"}
# 20x20x10 -> 20x20x10 with a 3x3 kernel: padding 1, stride 1, 10 filters.
SAME = {"input": [20, 20, 10], "output": [20, 20, 10], "kernel": 3}


def key_for(*problems: dict[str, Any], **top: Any):
    return build_answer_key(parse_rubric({"assignment": "hw", **top, "problems": list(copy.deepcopy(problems))}, SOURCE))


def backprop(**fields: Any) -> dict[str, Any]:
    return {"id": "p", "kind": "backprop", "given": GRAPH, **fields}


def same(**fields: Any) -> dict[str, Any]:
    return {"id": "s", "kind": "output-size", "given": SAME, **fields}


def issues_of(*problems: dict[str, Any]) -> list[tuple[str, str | None, str, str]]:
    with pytest.raises(RubricError) as caught:
        key_for(*problems)
    return [(i.source, i.problem, i.field, i.expected) for i in caught.value.issues]


def test_bundled_key_has_37_one_point_answers() -> None:
    key = build_answer_key(load_rubric(ROOT / "rubrics" / "sml-hw4.yaml"))
    assert len(key.entries) == 37
    assert key.possible == 37
    assert [key.problem_possible(pid) for pid in ("q1", "q2", "q3", "q9")] == [8, 6, 23, 0]
    assert [e.path for e in key.entries[:3]] == ["q1.standard.weights", "q1.standard.macs", "q1.depthwise.weights"]
    assert [e.path for e in key.entries[14:17]] == ["q3.forward.y1", "q3.forward.y2", "q3.forward.z1"]
    assert key.entries[-1].path == "q3.grad.x2"
    expected = {
        "q1.standard.weights": 7200, "q1.separable.macs": 220500, "q2.a.padding": 0, "q2.b.padding": 1,
        "q2.b.filters": 10, "q3.forward.L": 25, "q3.grad.z": -10, "q3.grad.w1_21": -20, "q3.grad.x1": 40,
    }
    assert {path: key.by_path[path].value for path in expected} == expected
    assert all(e.points == 1 and e.tolerance == EXACT for e in key.entries)
    assert key.by_path["q2.a.stride"].problem_id == "q2"


def test_without_ask_every_answer_in_the_kinds_order() -> None:
    key = key_for(backprop())
    assert [(e.path, e.value) for e in key.entries] == [
        ("p.forward.y", Fraction(3, 2)), ("p.forward.L", Fraction(1, 4)),
        ("p.grad.y", 1), ("p.grad.x", Fraction(1, 2)), ("p.grad.w", 3), ("p.grad.t", -1),
    ]


@pytest.mark.parametrize(
    ("ask", "paths"),
    [
        (["grad.*", "forward.y"], ["p.grad.y", "p.grad.x", "p.grad.w", "p.grad.t", "p.forward.y"]),
        (["grad.x", "grad.*"], ["p.grad.x", "p.grad.y", "p.grad.w", "p.grad.t"]),
        (["forward.L", "grad.?"], ["p.forward.L", "p.grad.y", "p.grad.x", "p.grad.w", "p.grad.t"]),
        (["grad.t", "forward.y", "grad.t"], ["p.grad.t", "p.forward.y"]),
        (["*.y"], ["p.forward.y", "p.grad.y"]),
    ],
)
def test_ask_selects_in_its_own_order_and_patterns_in_the_kinds_order(ask: list[str], paths: list[str]) -> None:
    assert [e.path for e in key_for(backprop(ask=ask)).entries] == paths


def test_ask_is_case_sensitive() -> None:
    assert issues_of(backprop(ask=["GRAD.*"]))[0][2] == "ask"


def test_an_ask_pattern_matching_nothing_is_a_rubric_issue() -> None:
    issues = issues_of(backprop(ask=["grad.x", "forward.nope"]), same(ask=["padding", "dilation"]))
    assert issues == [
        (SOURCE, "p", "ask", "'forward.nope' matches no answer of this problem; it computes: "
         "forward.y, forward.L, grad.y, grad.x, grad.w, grad.t"),
        (SOURCE, "s", "ask", "'dilation' matches no answer of this problem; it computes: padding, stride, filters"),
    ]


def test_an_answer_rule_for_an_unasked_answer_is_a_rubric_issue() -> None:
    issues = issues_of(same(ask=["padding"], answers={"stride": {"points": 2}}))
    assert issues == [(SOURCE, "s", "answers.stride", "not an asked answer; asked: padding")]


def test_parts_prefix_their_answers() -> None:
    problem = {"id": "q", "kind": "output-size", "given": {"input": [20, 20, 10], "output": [20, 20, 10]},
               "parts": {"a": {"kernel": 1}, "b": {"kernel": 5}}}
    key = key_for(problem)
    assert [(e.path, e.value) for e in key.entries] == [
        ("q.a.padding", 0), ("q.a.stride", 1), ("q.a.filters", 10),
        ("q.b.padding", 2), ("q.b.stride", 1), ("q.b.filters", 10),
    ]


@pytest.mark.parametrize(
    ("top", "problem", "answers", "points"),
    [
        ({}, {}, {}, [1, 1, 1]),
        ({"points": 2}, {}, {}, [2, 2, 2]),
        ({"points": 2}, {"points": 3}, {}, [3, 3, 3]),
        ({"points": 2}, {"points": 3}, {"stride": {"points": 5}}, [3, 5, 3]),
        ({"points": 2}, {}, {"padding": {"points": "1/2"}}, [Fraction(1, 2), 2, 2]),
        ({"points": 2}, {"points": 3}, {"filters": {"points": 0}}, [3, 3, 0]),
        ({}, {"points": 0}, {"padding": {"points": 4}}, [4, 0, 0]),
    ],
)
def test_points_nearest_level_wins(top: dict[str, Any], problem: dict[str, Any], answers: dict[str, Any], points: list[Any]) -> None:
    key = key_for(same(answers=answers, **problem), **top)
    assert [e.path for e in key.entries] == ["s.padding", "s.stride", "s.filters"]
    assert [e.points for e in key.entries] == points
    assert key.possible == sum(points)


@pytest.mark.parametrize(
    ("top", "problem", "answers", "tolerances"),
    [
        ({}, {}, {}, [EXACT, EXACT, EXACT]),
        ({"tolerance": {"absolute": 1}}, {}, {}, [Tolerance(absolute=Fraction(1))] * 3),
        ({"tolerance": {"absolute": 1}}, {"tolerance": {"relative": "0.1"}}, {},
         [Tolerance(relative=Fraction(1, 10))] * 3),
        ({"tolerance": {"absolute": 1}}, {"tolerance": {"relative": "0.1"}}, {"stride": {"tolerance": {"absolute": "0.25"}}},
         [Tolerance(relative=Fraction(1, 10)), Tolerance(absolute=Fraction(1, 4)), Tolerance(relative=Fraction(1, 10))]),
        ({"tolerance": {"absolute": 1}}, {}, {"filters": {"tolerance": {}}},
         [Tolerance(absolute=Fraction(1)), Tolerance(absolute=Fraction(1)), EXACT]),
    ],
)
def test_tolerance_nearest_level_wins(top: dict[str, Any], problem: dict[str, Any], answers: dict[str, Any], tolerances: list[Tolerance]) -> None:
    assert [e.tolerance for e in key_for(same(answers=answers, **problem), **top).entries] == tolerances


def test_default_tolerance_is_exact_for_integers_and_half_a_percent_otherwise() -> None:
    key = key_for(backprop())
    assert [(e.path, e.tolerance) for e in key.entries] == [
        ("p.forward.y", HALF_PERCENT), ("p.forward.L", HALF_PERCENT), ("p.grad.y", EXACT),
        ("p.grad.x", HALF_PERCENT), ("p.grad.w", EXACT), ("p.grad.t", EXACT),
    ]


def test_problem_possible_sums_each_problem() -> None:
    key = key_for(backprop(points=2), same(answers={"filters": {"points": "1/2"}}))
    assert (key.problem_possible("p"), key.problem_possible("s"), key.possible) == (12, Fraction(5, 2), Fraction(29, 2))


def test_float_answers_from_functions_get_the_relative_default() -> None:
    given = {"values": {"x": 0}, "nodes": {"L": "exp(x) + 1"}, "loss": "L"}
    key = key_for({"id": "e", "kind": "backprop", "given": given})
    assert [(e.path, e.value) for e in key.entries] == [("e.forward.L", 2), ("e.grad.x", 1)]
    assert [e.tolerance for e in key.entries] == [HALF_PERCENT, HALF_PERCENT]


def test_a_kinds_dependencies_are_worked_out_once_per_part_not_once_per_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1,000-row layer table has 8,000 answers: asking the kind for its dependencies once per answer
    made building the key quadratic (over a minute); once per part keeps it linear."""
    from dataclasses import replace

    from grader.solver.kinds import KINDS

    calls: list[object] = []
    recurrent = KINDS["recurrent"]

    def counted(spec: object) -> Any:
        calls.append(spec)
        return recurrent.dependencies(spec)

    monkeypatch.setitem(KINDS, "recurrent", replace(recurrent, dependencies=counted))
    given = {"cell": "lstm", "input_size": 10, "hidden_size": 20, "layers": 50}
    key = key_for({"id": "r", "kind": "recurrent", "given": given, "parts": {"a": {}, "b": {"layers": 40}}})
    assert len(key.entries) > 90  # layer<k>.params of both parts, and the totals
    assert key.by_path["r.a.params"].carried is not None  # still carried from the per-layer counts
    assert len(calls) == 2
