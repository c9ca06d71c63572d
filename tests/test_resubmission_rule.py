"""grader.rubric.resubmission_rule: the rubric's resubmission rule and reading submission times."""
from __future__ import annotations

import datetime

import pytest

from grader.base.fields import FieldReader
from grader.rubric.resubmission_rule import Policy, read_policy, read_time

T = datetime.datetime


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-20 10:05", T(2026, 11, 20, 10, 5)),
    ("2026-11-20T10:05:30", T(2026, 11, 20, 10, 5, 30)),
    ("2026/11/20 10:05:00", T(2026, 11, 20, 10, 5)),
    ("2026-11-20T10:05:00+01:00", T(2026, 11, 20, 9, 5)),  # compared in UTC
    (T(2026, 11, 20, 10, 5), T(2026, 11, 20, 10, 5)),
    (datetime.date(2026, 11, 20), T(2026, 11, 20)),
    ("20/11/2026 10:05", None),  # day or month first? not guessed
    ("yesterday", None), ("", None), (None, None), (1700000000, None),
])
def test_times_are_read_without_guessing(raw: object, expected: datetime.datetime | None) -> None:
    assert read_time(raw) == expected


def test_the_rubric_fields_give_the_policy() -> None:
    reader = FieldReader({"resubmissions": "best", "deadline": "2026-11-21 23:59"})
    assert read_policy(reader) == Policy("best", T(2026, 11, 21, 23, 59))
    assert reader.issues == []
    assert read_policy(FieldReader({})) == Policy("latest", None)


def test_bad_rubric_fields_are_issues() -> None:
    reader = FieldReader({"resubmissions": "newest", "deadline": "Friday"})
    read_policy(reader)
    assert reader.issues == [
        ("resubmissions", "expected one of latest, first, best, found 'newest' (did you mean 'best'?)"),
        ("deadline", "expected a date and time such as 2026-11-21 23:59 (between the years 1900 and 2200), found 'Friday'"),
    ]
