"""Matching graded submissions to the roster: every enrolled student appears, every submission stays."""
from __future__ import annotations

import dataclasses
from typing import Iterable

from grader.intake.roster import Person
from grader.judging.results import StudentResult
from grader.judging.scoring import unreadable_file
from grader.rubric.answer_key import AnswerKey

NOT_ON_ROSTER = "student id {!r} is not on the roster; check the id or the roster"
NO_SUBMISSION = "no submission received"


def apply_roster(key: AnswerKey, results: Iterable[StudentResult], roster: Iterable[Person]) -> list[StudentResult]:
    """Attach each submission to its student; add a 0-point `missing` result for everyone without one."""
    people = {person.student_id: person for person in roster}
    matched: set[str] = set()
    attached = []
    for result in results:
        person = people.get(result.student_id)
        if person is None:
            note = NOT_ON_ROSTER.format(result.student_id)
            attached.append(dataclasses.replace(result, staff_notes=(*result.staff_notes, note)))
            continue
        matched.add(person.student_id)
        attached.append(dataclasses.replace(result, person=person, name=result.name or person.name))
    absent = [missing_result(key, person) for sid, person in people.items() if sid not in matched]
    return [*attached, *absent]


def missing_result(key: AnswerKey, person: Person) -> StudentResult:
    blank = unreadable_file(key, "", person.student_id, NO_SUBMISSION)
    return dataclasses.replace(blank, name=person.name, received=False, person=person)


def identity(result: StudentResult) -> Person:
    """Who a result belongs to as the LMS knows them; without a roster, what the file said."""
    return result.person or Person(result.student_id, result.name)
