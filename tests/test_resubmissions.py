"""grader.course.resubmissions: one student's several submissions resolve by the rule, all still listed."""
from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from grader.course.resubmissions import resolve
from grader.judging.results import Standing, Status, StudentResult, Verdict
from grader.rubric.resubmission_rule import Policy

T = datetime.datetime
DEADLINE = T(2026, 11, 21, 23, 59)


def result(source: str, student_id: str, points: int, submitted: datetime.datetime | None, readable: bool = True) -> StudentResult:
    verdict = Verdict("q1.a", "q1", points, Fraction(points), Status.CORRECT, Fraction(points), Fraction(9), "")
    return StudentResult(source, student_id, "", (verdict,), readable=readable, submitted=submitted)


CLASS = [
    result("a.yaml", "s1", 3, T(2026, 11, 20, 9, 0)),
    result("b.yaml", "s1", 9, T(2026, 11, 21, 12, 0)),
    result("c.yaml", "s1", 5, T(2026, 11, 22, 8, 0)),  # late
    result("d.yaml", "s2", 4, T(2026, 11, 20, 9, 0)),
    result("e.yaml", "s1", 0, None, readable=False),  # an invalid file never takes part
]


@pytest.mark.parametrize(("policy", "counted"), [
    (Policy("latest", DEADLINE), "b.yaml"),
    (Policy("latest", None), "c.yaml"),
    (Policy("first", DEADLINE), "a.yaml"),
    (Policy("best", None), "b.yaml"),
    (Policy("latest", T(2026, 11, 1)), "a.yaml"),  # all late: the first late one
])
def test_the_rule_picks_one_and_supersedes_the_others(policy: Policy, counted: str) -> None:
    resolved = resolve(CLASS, policy)
    assert [r.source for r in resolved] == [r.source for r in CLASS]
    s1 = {r.source: r.standing for r in resolved if r.student_id == "s1" and r.readable}
    assert s1 == {source: (Standing.GRADED if source == counted else Standing.SUPERSEDED) for source in ("a.yaml", "b.yaml", "c.yaml")}
    assert resolved[3] == CLASS[3] and resolved[4] == CLASS[4]


def test_both_sides_say_which_counted() -> None:
    resolved = resolve(CLASS, Policy("latest", DEADLINE))
    assert resolved[1].resolution == (
        "counted (the latest before the deadline 2026-11-21 23:59); not counted: "
        "a.yaml (3 points, submitted 2026-11-20 09:00:00), c.yaml (5 points, submitted 2026-11-22 08:00:00)"
    )
    assert resolved[0].resolution == "not counted: b.yaml (9 points, submitted 2026-11-21 12:00:00) counts instead"
    assert resolved[1].notes == ()  # a resolved resubmission needs no TA


def test_without_times_none_is_chosen_and_all_are_flagged() -> None:
    group = [result("x.yaml", "s1", 1, None), result("y.yaml", "s1", 2, T(2026, 11, 20))]
    resolved = resolve(group, Policy())
    assert [r.standing for r in resolved] == [Standing.REVIEW, Standing.REVIEW]
    assert [r.notes for r in resolved] == [(), ()]  # other students' file names stay out of a report
    assert [r.staff_notes for r in resolved] == [("student id 's1' also appears in y.yaml",), ("student id 's1' also appears in x.yaml",)]


def test_best_needs_no_times_and_ties_go_to_the_first() -> None:
    group = [result("x.yaml", "s1", 2, None), result("y.yaml", "s1", 2, None)]
    assert [r.standing for r in resolve(group, Policy("best"))] == [Standing.GRADED, Standing.SUPERSEDED]


def test_the_deadline_and_the_late_policy_read_times_in_the_same_zone(tmp_path) -> None:
    """A rubric whose late policy has a time zone: the resubmission deadline written without an
    offset is in that zone too, so a copy the late policy finds late is never the one counted as
    "before the deadline" (00:30 in Berlin is 23:30 UTC the day before)."""
    from pathlib import Path

    from grader import api

    root = Path(__file__).resolve().parents[1]
    rubric = (root / "rubrics" / "sml-hw4.yaml").read_text(encoding="utf-8").replace(
        "\nproblems:", "\nresubmissions: latest\ndeadline: 2026-11-21 23:59\n"
        "late: {due: 2026-11-21 23:59, timezone: Europe/Berlin, penalty_per_day: 10}\nproblems:", 1,
    )
    (tmp_path / "r.yaml").write_text(rubric, encoding="utf-8")
    answers = (root / "submissions" / "ada-lovelace.yaml").read_text(encoding="utf-8")
    for name, when in (("early", "2026-11-21T20:00:00+01:00"), ("late", "2026-11-22T00:30:00+01:00"),
                       ("on-time", "2026-11-21 23:30")):  # no offset: in Berlin, as the late policy reads it
        (tmp_path / f"{name}.yaml").write_text(answers + f'\nsubmitted: "{when}"\n', encoding="utf-8")
    results = api.grade(tmp_path / "r.yaml", [tmp_path / f"{n}.yaml" for n in ("early", "late", "on-time")]).results
    counted = [r for r in results if r.counted]
    assert [Path(r.source).name for r in counted] == ["on-time.yaml"]
    assert counted[0].late is not None and counted[0].late.share == 0
