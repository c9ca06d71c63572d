"""grader.rubric.model: a valid rubric read into frozen data, and every invalid field located precisely."""
from __future__ import annotations

import copy
import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import pytest

from grader.base.errors import RubricError
from grader.rubric.model import AnswerRule, load_rubric, parse_rubric
from grader.rubric.resubmission_rule import Policy
from grader.rubric.scoring_settings import RevealPolicy
from grader.rubric.tolerance import Tolerance
from grader.solver.kinds import KINDS

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "rubrics/hw.yaml"

BASE: dict[str, Any] = {
    "assignment": "hw1",
    "problems": [
        {"id": "q1", "kind": "output-size", "given": {"input": [20, 20, 10], "output": [20, 20, 10], "kernel": 3}},
        {"id": "q2", "kind": "convolution-cost", "given": {"input": [8, 8, 4], "kernel": 3, "output": [8, 8, 2]}},
    ],
}


def changed(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    document = copy.deepcopy(BASE)
    edit(document)
    return document


def q1(document: dict[str, Any]) -> dict[str, Any]:
    return document["problems"][0]


def issues_of(document: object) -> list[tuple[str, str | None, str, str]]:
    with pytest.raises(RubricError) as caught:
        parse_rubric(document, SOURCE)
    return [(issue.source, issue.problem, issue.field, issue.expected) for issue in caught.value.issues]


def test_bundled_rubric_loads() -> None:
    rubric = load_rubric(ROOT / "rubrics" / "sml-hw4.yaml")
    assert rubric.source == str(ROOT / "rubrics" / "sml-hw4.yaml")
    assert rubric.assignment == "sml-hw4"
    assert rubric.title == "SML Homework 4: convolution arithmetic and backpropagation"
    assert (rubric.reveal, rubric.points, rubric.tolerance) == (RevealPolicy("never"), Fraction(1), None)
    assert [(p.id, p.kind.name) for p in rubric.problems] == [
        ("q1", "convolution-cost"), ("q2", "output-size"), ("q3", "backprop"),
    ]
    assert [part.name for part in rubric.problems[0].parts] == [""]
    assert [part.name for part in rubric.problems[1].parts] == ["a", "b"]
    q3 = rubric.problems[2]
    assert q3.ask is not None and len(q3.ask) == 18
    assert q3.ask[:3] == ("forward.*", "grad.z", "grad.z1") and q3.ask[-1] == "grad.x2"
    assert (q3.points, q3.tolerance, dict(q3.answers)) == (None, None, {})


def test_defaults_of_a_minimal_rubric() -> None:
    rubric = parse_rubric(BASE, SOURCE)
    assert (rubric.source, rubric.assignment, rubric.title, rubric.reveal) == (SOURCE, "hw1", "hw1", RevealPolicy("never"))
    assert (rubric.points, rubric.tolerance) == (Fraction(1), None)
    problem = rubric.problems[0]
    assert (problem.title, problem.text, problem.ask, problem.points) == ("q1", "", None, None)
    assert problem.parts[0].spec.known["kernel"] == (3, 3)


def test_load_rubric_reports_the_file_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("assignment: hw1\nreveal: sometimes\nproblems:\n  - {id: q1, kind: fft}\n", encoding="utf-8")
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert [(i.source, i.problem, i.field) for i in caught.value.issues] == [
        (str(path), None, "reveal"), (str(path), "q1", "kind"),
    ]
    assert f"{path}: problem q1, field 'kind': expected one of backprop, convolution" in str(caught.value)
    assert "found 'fft'" in str(caught.value)
    assert f"{path}: field 'reveal': expected one of never, always, after_due, found 'sometimes'" in str(caught.value)


INVALID = [
    # (edit, problem, field, expected)
    (lambda d: d.pop("assignment"), None, "assignment", "required but missing"),
    (lambda d: d.update(assignment=5), None, "assignment", "expected text, found 5"),
    (lambda d: d.update(assignment="hw 1"), None, "assignment", "expected a short id of letters, digits, '-' and '_'"),
    (lambda d: d.update(title=["x"]), None, "title", "expected text, found ['x']"),
    (lambda d: d.update(reveal="sometimes"), None, "reveal", "expected one of never, always, after_due, found 'sometimes'"),
    (lambda d: d.update(points=-1), None, "points", "expected a number ≥ 0, found -1"),
    (lambda d: d.update(points="lots"), None, "points", "expected a number (not a number), found 'lots'"),
    (lambda d: d.update(points=True), None, "points", "expected a number (true/false is not a number), found True"),
    (lambda d: d.update(tolerance=0.1), None, "tolerance", "expected a mapping of fields"),
    (lambda d: d.update(tolerance={"absolute": -1}), None, "tolerance.absolute", "expected a number ≥ 0, found -1"),
    (lambda d: d.pop("problems"), None, "problems", "required but missing"),
    (lambda d: d.update(problems=[]), None, "problems", "expected a non-empty list of problems"),
    (lambda d: d.update(problems={"q1": {}}), None, "problems", "expected a non-empty list of problems"),
    (lambda d: q1(d).update(id="1q"), "1q", "id", "expected a name of letters, digits and '_', starting with a letter"),
    (lambda d: q1(d).update(id=7), "#1", "id", "expected text, found 7"),
    (lambda d: q1(d).pop("id"), "#1", "id", "required but missing"),
    (lambda d: q1(d).pop("kind"), "q1", "kind", "required but missing"),
    (lambda d: q1(d).update(kind="fft"), "q1", "kind", f"expected one of {', '.join(sorted(KINDS))}, found 'fft'"),  # every registered kind
    (lambda d: q1(d).update(points=-2), "q1", "points", "expected a number ≥ 0, found -2"),
    (lambda d: q1(d).update(tolerance={"relative": "x"}), "q1", "tolerance.relative", "expected a number (not a number), found 'x'"),
    (lambda d: q1(d).update(ask="padding"), "q1", "ask", "expected a list of names"),
    (lambda d: q1(d).update(ask=["padding", 3]), "q1", "ask", "expected a list of names"),
    (lambda d: q1(d).update(given=[1]), "q1", "given", "expected a mapping of names to values"),
    (lambda d: q1(d)["given"].update(kernel=[3]), "q1", "given.kernel", "expected a list of 2 whole numbers, found [3]"),
    (lambda d: q1(d)["given"].update(stride=0), "q1", "given.stride", "expected a whole number ≥ 1, found 0"),
    (lambda d: q1(d)["given"].update(output=[7, 7, 10]), "q1", "given", "no whole numbers (padding 0..64, stride 1..16"),
    (lambda d: q1(d).update(parts=[1]), "q1", "parts", "expected a mapping of names to values"),
    (lambda d: q1(d).update(parts={"b-x": {}}), "q1", "parts.b-x", "expected a part name of letters, digits and '_'"),
    (lambda d: q1(d).update(parts={"c": 5}), "q1", "parts.c", "expected a mapping of given values for this part"),
    (lambda d: q1(d).update(answers={"stride": 2}), "q1", "answers.stride", "expected a mapping of fields"),
    (lambda d: q1(d).update(answers={"stride": {"points": -1}}), "q1", "answers.stride.points", "expected a number ≥ 0, found -1"),
    (lambda d: q1(d).update(answers={"stride": {"tolerance": {"absolute": "x"}}}), "q1", "answers.stride.tolerance.absolute",
     "expected a number (not a number), found 'x'"),
]


@pytest.mark.parametrize(("edit", "problem", "field", "expected"), INVALID)
def test_each_invalid_field_is_one_located_issue(edit: Callable[[dict[str, Any]], object], problem: str | None, field: str, expected: str) -> None:
    issues = issues_of(changed(edit))
    assert len(issues) == 1, issues
    source, found_problem, found_field, found_expected = issues[0]
    assert (source, found_problem, found_field) == (SOURCE, problem, field)
    assert found_expected.startswith(expected)


@pytest.mark.parametrize("document", [None, [1, 2], "text"])
def test_a_document_that_is_not_a_mapping_is_refused(document: object) -> None:
    issues = issues_of(document)
    assert (SOURCE, None, "(top level)", "expected a mapping of fields") in issues
    assert (SOURCE, None, "problems", "required but missing") in issues


def test_several_issues_are_reported_at_once() -> None:
    def edit(d: dict[str, Any]) -> None:
        d.update(reveal=1, points=-1)
        q1(d).update(kind="fft")
        d["problems"][1]["given"].update(kernel="big")

    with pytest.raises(RubricError) as caught:
        parse_rubric(changed(edit), SOURCE)
    assert [(i.problem, i.field) for i in caught.value.issues] == [
        (None, "reveal"), (None, "points"), ("q1", "kind"), ("q2", "given.kernel"),
    ]
    assert str(caught.value).splitlines()[0] == "rubric is invalid (4 issues)"
    assert f"  - {SOURCE}: problem q2, field 'given.kernel': expected a list of 2 whole numbers" in str(caught.value)


@pytest.mark.parametrize(
    ("edit", "problem", "field", "hint"),
    [
        (lambda d: d.update(titel="x"), None, "titel", "unknown field (did you mean 'title'?)"),
        (lambda d: d.update(problem=[]), None, "problem", "unknown field (did you mean 'problems'?)"),
        (lambda d: d.update(tolerance={"relatve": 0.1}), None, "tolerance.relatve", "unknown field (did you mean 'relative'?)"),
        (lambda d: q1(d).update(knd="x"), "q1", "knd", "unknown field (did you mean 'kind'?)"),
        (lambda d: q1(d)["given"].update(kernal=3), "q1", "given.kernal", "unknown field (did you mean 'kernel'?)"),
        (lambda d: q1(d).update(answers={"stride": {"pionts": 1}}), "q1", "answers.stride.pionts", "unknown field (did you mean 'points'?)"),
        (lambda d: d.update(zzzzzz=1), None, "zzzzzz", "unknown field"),
    ],
)
def test_unknown_fields_are_reported_with_did_you_mean(edit: Callable[[dict[str, Any]], object], problem: str | None, field: str, hint: str) -> None:
    assert issues_of(changed(edit)) == [(SOURCE, problem, field, hint)]


def test_parts_are_merged_over_given() -> None:
    def edit(d: dict[str, Any]) -> None:
        q1(d)["given"].pop("kernel")
        q1(d)["parts"] = {"a": {"kernel": 1}, "b": {"kernel": 3}, "c": {"kernel": 5, "input": [22, 22, 10]}}

    problem = parse_rubric(changed(edit), SOURCE).problems[0]
    specs = {part.name: part.spec for part in problem.parts}
    assert list(specs) == ["a", "b", "c"]
    known = {name: spec.known for name, spec in specs.items()}
    assert (known["a"]["kernel"], known["a"]["input"], known["a"]["output"]) == ((1, 1), (20, 20), (20, 20))
    assert (known["b"]["kernel"], known["b"]["input"]) == ((3, 3), (20, 20))
    assert (known["c"]["kernel"], known["c"]["input"], known["c"]["output"]) == ((5, 5), (22, 22), (20, 20))


def test_an_invalid_merged_part_names_the_part_and_the_field() -> None:
    issues = issues_of(changed(lambda d: q1(d).update(parts={"a": {"kernel": 1}, "b": {"kernel": [3]}})))
    assert len(issues) == 1
    source, problem, field, expected = issues[0]
    assert (source, problem) == (SOURCE, "q1")
    assert "parts.b" in field and field.endswith("kernel")
    assert expected == "expected a list of 2 whole numbers, found [3]"


def test_duplicate_problem_ids_are_refused_on_the_second() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["problems"][1]["id"] = "q1"

    assert issues_of(changed(edit)) == [(SOURCE, "q1", "id", "another problem already has the id 'q1'")]


def test_tolerance_and_points_at_rubric_problem_and_answer_level() -> None:
    def edit(d: dict[str, Any]) -> None:
        d.update(points="1/2", tolerance={"relative": 0.01})
        q1(d).update(points=3, tolerance={"absolute": "0.5"})
        q1(d)["answers"] = {"stride": {"points": 0, "tolerance": {}}, "padding": {"tolerance": {"absolute": 2, "relative": "1/4"}}}

    rubric = parse_rubric(changed(edit), SOURCE)
    assert (rubric.points, rubric.tolerance) == (Fraction(1, 2), Tolerance(relative=Fraction(1, 100)))
    problem = rubric.problems[0]
    assert (problem.points, problem.tolerance) == (Fraction(3), Tolerance(absolute=Fraction(1, 2)))
    assert dict(problem.answers) == {
        "stride": AnswerRule(points=Fraction(0), tolerance=Tolerance()),
        "padding": AnswerRule(points=None, tolerance=Tolerance(absolute=Fraction(2), relative=Fraction(1, 4))),
    }
    other = rubric.problems[1]
    assert (other.points, other.tolerance, dict(other.answers)) == (None, None, {})


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(assignment=None),
        lambda d: d.update(problems=None),
        lambda d: q1(d).update(id=None),
        lambda d: q1(d).update(kind=None),
        lambda d: q1(d).update(given=None),
        lambda d: q1(d)["given"].update(input=None),
        lambda d: q1(d).update(parts={}),
    ],
    ids=["assignment", "problems", "id", "kind", "given", "given.input", "empty-parts"],
)
def test_an_empty_required_field_is_an_issue_not_a_dropped_problem(edit: Callable[[dict[str, Any]], object]) -> None:
    with pytest.raises(RubricError):
        parse_rubric(changed(edit), SOURCE)


def test_the_resubmission_rule_is_read_and_validated() -> None:
    assert parse_rubric(BASE, SOURCE).resubmissions == Policy("latest", None)
    rubric = parse_rubric(changed(lambda d: d.update(resubmissions="best", deadline="2026-11-21 23:59")), SOURCE)
    assert rubric.resubmissions == Policy("best", datetime.datetime(2026, 11, 21, 23, 59))
    assert issues_of(changed(lambda d: d.update(deadline="Friday"))) == [
        (SOURCE, None, "deadline", "expected a date and time such as 2026-11-21 23:59 (between the years 1900 and 2200), found 'Friday'"),
    ]
