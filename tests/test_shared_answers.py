"""Shared rare wrong answers, found in groups, against the pairwise definition written out here:
two students are listed when they share two or more wrong values, not a diagnosed mistake's, that
at least two and at most a tenth of the class gave."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from fractions import Fraction
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.course.statistics import shared_rare_answers
from grader.judging.results import Status, StudentResult, Verdict

PATHS = ("q1.a", "q1.b", "q2.a", "q2.b", "q3.a")
DIAGNOSED = 4


def _result(student: str, answers: dict[str, int | None]) -> StudentResult:
    """None is a right answer; a number a wrong value, and 4 the value a diagnosed mistake gives."""
    verdicts = tuple(
        Verdict(path, path.split(".")[0], value, None if value is None else Fraction(value),
                Status.CORRECT if value is None else Status.INCORRECT, Fraction(int(value is None)), Fraction(1), "",
                mistake="bias counted" if value == DIAGNOSED else "")
        for path, value in answers.items()
    )
    return StudentResult(f"{student}.json", student, student, verdicts)


def pairwise(results: list[StudentResult]) -> dict[tuple[str, str], set[tuple[str, Fraction]]]:
    """Every pair of students, the rare wrong values they both gave: the definition, by brute force."""
    wrong = {r.student_id: {(v.path, v.value) for v in r.verdicts if v.status is Status.INCORRECT and not v.mistake} for r in results}
    givers = Counter(value for values in wrong.values() for value in values)
    limit = math.floor(len(results) / 10)
    rare = {value for value, count in givers.items() if 2 <= count <= limit}
    return {
        (a, b): wrong[a] & wrong[b] & rare
        for a, b in combinations(sorted(wrong), 2)
        if len(wrong[a] & wrong[b] & rare) >= 2
    }


def from_groups(results: list[StudentResult]) -> dict[tuple[str, str], set[tuple[str, Fraction]]]:
    """The pairs the grouped findings imply, each with the answers of every group holding both."""
    pairs: dict[tuple[str, str], set[tuple[str, Fraction]]] = defaultdict(set)
    for finding in shared_rare_answers(results):
        assert len(finding.answers) >= 2 and len(finding.students) >= 2
        for pair in combinations(finding.students, 2):
            pairs[pair] |= set(finding.answers)
    return dict(pairs)


def test_a_group_of_three_and_a_closer_pair_inside_it() -> None:
    """s1, s2 and s3 share 7 and 8; s1 and s2 also share 9. Two findings, not three pairs."""
    results = [_result(f"s{i:02d}", dict.fromkeys(PATHS)) for i in range(40)]
    results[1] = _result("s01", {"q1.a": 7, "q1.b": 8, "q2.a": 9, "q2.b": None, "q3.a": 1})
    results[2] = _result("s02", {"q1.a": 7, "q1.b": 8, "q2.a": 9, "q2.b": None, "q3.a": 2})
    results[3] = _result("s03", {"q1.a": 7, "q1.b": 8, "q2.a": None, "q2.b": None, "q3.a": 3})
    found = {(f.students, f.answers) for f in shared_rare_answers(results)}
    assert found == {
        (("s01", "s02", "s03"), (("q1.a", 7), ("q1.b", 8))),
        (("s01", "s02"), (("q1.a", 7), ("q1.b", 8), ("q2.a", 9))),
    }
    assert from_groups(results) == pairwise(results)


def test_rarest_first() -> None:
    """A pair sharing values only they gave comes before five students sharing values five gave."""
    results = [_result(f"s{i:02d}", dict.fromkeys(PATHS)) for i in range(60)]
    for i in range(5):
        results[10 + i] = _result(f"s{10 + i}", {"q1.a": 5, "q1.b": 5, "q2.a": None, "q2.b": None, "q3.a": None})
    for i in (40, 41):
        results[i] = _result(f"s{i}", {"q1.a": None, "q1.b": None, "q2.a": 3, "q2.b": 3, "q3.a": None})
    first, second = shared_rare_answers(results)
    assert first.students == ("s40", "s41") and first.chance == (2 / 60) ** 2
    assert len(second.students) == 5 and second.givers == (5, 5)


def test_a_value_a_fifth_of_the_class_gave_is_not_rare() -> None:
    results = [_result(f"s{i:02d}", {"q1.a": 1 if i % 5 == 0 else None, "q1.b": 2 if i % 5 == 0 else None}) for i in range(30)]
    assert shared_rare_answers(results) == () and pairwise(results) == {}


classes = st.lists(
    st.fixed_dictionaries({path: st.one_of(st.none(), st.integers(1, 4)) for path in PATHS}), min_size=2, max_size=45
)


@settings(max_examples=150, deadline=None)
@given(classes)
def test_grouped_findings_are_the_pairwise_ones(answers: list[dict[str, int | None]]) -> None:
    results = [_result(f"s{index:02d}", student) for index, student in enumerate(answers)]
    assert from_groups(results) == pairwise(results)
    findings = shared_rare_answers(results)
    assert len({f.students for f in findings}) == len(findings)  # a group is listed once
    assert list(findings) == sorted(findings, key=lambda f: f.rank())


def test_a_shared_diagnosed_mistake_is_not_a_shared_rare_answer() -> None:
    """Two of 40 students make the same textbook slip twice (the value 4): no finding."""
    results = [_result(f"s{i:02d}", dict.fromkeys(PATHS)) for i in range(40)]
    for i in (1, 2):
        results[i] = _result(f"s{i:02d}", {"q1.a": DIAGNOSED, "q1.b": DIAGNOSED, "q2.a": None, "q2.b": None, "q3.a": None})
    assert shared_rare_answers(results) == ()


def test_the_tenth_of_the_class_holds_in_a_small_class() -> None:
    """Two of 19 students share two odd values: that is more than a tenth of the class, so not rare;
    the same two of 20 are."""
    for size, listed in ((19, False), (20, True)):
        results = [_result(f"s{i:02d}", dict.fromkeys(PATHS)) for i in range(size)]
        for i in (1, 2):
            results[i] = _result(f"s{i:02d}", {"q1.a": 7, "q1.b": 8, "q2.a": None, "q2.b": None, "q3.a": None})
        assert bool(shared_rare_answers(results)) is listed
