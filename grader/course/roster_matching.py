"""Matching graded submissions to the roster: every enrolled student appears, every submission stays.

A submission is matched on the roster's student id first, then on the LMS login or e-mail (a
Sakai EID, a Moodle username), so a student who wrote their login instead of their number is
still found."""
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
    """Attach each submission to its student; add a `missing` result for everyone without one."""
    people = list(roster)
    lookup = _lookup(people)
    matched: set[str] = set()
    attached = []
    for result in results:
        person = lookup.get(result.student_id.strip()) or lookup.get(result.student_id.strip().casefold())
        if person is None:
            note = NOT_ON_ROSTER.format(result.student_id)
            attached.append(dataclasses.replace(result, staff_notes=(*result.staff_notes, note)))
            continue
        matched.add(person.student_id)
        # names come from one source: the roster's, when it has one, over what a file says
        attached.append(dataclasses.replace(result, student_id=person.student_id, person=person, name=person.name or result.name))
    absent = [missing_result(key, person) for person in people if person.student_id not in matched]
    return [*attached, *absent]


def _lookup(people: list[Person]) -> dict[str, Person]:
    """Ids first; a login or e-mail (case-insensitive) only where no one else has it as an id."""
    lookup = {person.student_id: person for person in people}
    for person in people:
        for alias in (person.login, person.email):
            if alias:
                lookup.setdefault(alias.casefold(), person)
    return lookup


def missing_result(key: AnswerKey, person: Person) -> StudentResult:
    blank = unreadable_file(key, "", person.student_id, NO_SUBMISSION)
    return dataclasses.replace(blank, name=person.name, received=False, person=person)


def is_stranger(result: StudentResult) -> bool:
    """A submission whose id the roster does not have (only ever noted when a roster was given)."""
    return result.person is None and NOT_ON_ROSTER.format(result.student_id) in result.staff_notes


def identity(result: StudentResult) -> Person:
    """Who a result belongs to as the LMS knows them; without a roster, the id the file gave
    stands for every LMS's key (docs/lms.md: then it must be the LMS's id)."""
    return result.person or Person(result.student_id, result.name, login=result.student_id)
