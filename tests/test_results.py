"""grader.judging.results: sums computed from the verdicts, and carried along when a worker worked them out."""
from __future__ import annotations

import pickle
from fractions import Fraction

from grader.judging.results import Status, StudentResult, Verdict


def verdict(path: str, points: Fraction, possible: int = 2) -> Verdict:
    return Verdict(path, path.split(".")[0], "1", Fraction(1), Status.PARTIAL, points, Fraction(possible), "")


RESULT = StudentResult("a.yaml", "s1", "Ada", (verdict("q1.a", Fraction(1, 2)), verdict("q1.b", Fraction(2)), verdict("q2.a", Fraction(1, 3))))


def test_sums_are_exact_and_per_problem() -> None:
    assert (RESULT.total, RESULT.possible) == (Fraction(17, 6), Fraction(6))
    assert (RESULT.problem_score("q1"), RESULT.problem_score("q2"), RESULT.problem_score("q9")) == (Fraction(5, 2), Fraction(1, 3), 0)


def test_sums_worked_out_in_a_worker_travel_with_the_result() -> None:
    fresh = StudentResult(RESULT.source, RESULT.student_id, RESULT.name, RESULT.verdicts)
    assert "total" not in vars(pickle.loads(pickle.dumps(fresh)))
    shipped = pickle.loads(pickle.dumps(fresh.with_sums()))
    assert {name: vars(shipped)[name] for name in ("total", "possible", "_problem_scores")} == {
        "total": Fraction(17, 6), "possible": Fraction(6), "_problem_scores": {"q1": Fraction(5, 2), "q2": Fraction(1, 3)}}
