"""grader.rubric.late_rule: the rubric's `late:` section and penalties worked out by hand on a calendar."""
from __future__ import annotations

import copy
import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from grader.base.documents import read_document
from grader.base.errors import RubricError
from grader.base.times import parse_time
from grader.course.late_penalties import late_penalty
from grader.rubric.model import parse_rubric
from tests.homework import RUBRIC

BERLIN = ZoneInfo("Europe/Berlin")
SECTION = {"due": "2026-03-01 23:59", "timezone": "Europe/Berlin", "grace_minutes": 15,
           "penalty_per_day": 10, "cap": 50, "zero_after_days": 7}


def rubric_with(late: object):  # type: ignore[no-untyped-def]
    document = copy.deepcopy(read_document(RUBRIC))
    document["late"] = late
    return parse_rubric(document, "hw.yaml")


@pytest.fixture(scope="module")
def policy():
    return rubric_with(SECTION).late


def test_the_section_is_read_into_a_policy(policy) -> None:
    assert policy.due == datetime.datetime(2026, 3, 1, 23, 59, tzinfo=BERLIN)
    assert policy.due.utcoffset() == datetime.timedelta(hours=1)  # CET in March
    assert (policy.grace, policy.per_day, policy.cap) == (datetime.timedelta(minutes=15), Fraction(1, 10), Fraction(1, 2))
    assert policy.zero_after == datetime.timedelta(days=7)


def test_a_due_time_with_its_own_offset_needs_no_timezone() -> None:
    policy = rubric_with({"due": "2026-03-01T23:59:00-05:00", "penalty_per_day": 5}).late
    assert policy.due == datetime.datetime(2026, 3, 2, 4, 59, tzinfo=datetime.timezone.utc)
    assert (policy.cap, policy.zero_after, policy.grace) == (1, None, datetime.timedelta(0))


def test_a_rubric_without_a_late_section_has_no_policy() -> None:
    assert parse_rubric(read_document(RUBRIC), "hw.yaml").late is None


def test_every_issue_in_the_section_is_reported() -> None:
    with pytest.raises(RubricError) as caught:
        rubric_with({"due": "1 March", "timezone": "Mars/Olympus", "penalty_per_day": 120, "cap": 50, "grace": 5})
    assert [str(issue) for issue in caught.value.issues] == [
        "hw.yaml: field 'late.timezone': expected an IANA time zone name such as Europe/Berlin, found 'Mars/Olympus'",
        "hw.yaml: field 'late.due': expected a date and time (2026-03-01 23:59, between the years 1900 and 2200) "
        "with a timezone field or an offset, found '1 March'",
        "hw.yaml: field 'late.grace': unknown field",
        "hw.yaml: field 'late.penalty_per_day': expected a percentage from 0 to 100, found 120",
    ]


def test_a_naive_due_time_without_a_timezone_is_refused() -> None:
    with pytest.raises(RubricError, match="late.due"):
        rubric_with({"due": "2026-03-01 23:59", "penalty_per_day": 10})


@pytest.mark.parametrize(
    ("submitted", "share", "reason"),
    [
        ("2026-03-01T20:00+01:00", 0, "on time"),
        ("2026-03-02T00:10+01:00", 0, "on time"),  # 11 minutes late: inside the 15-minute grace
        ("2026-03-02T00:30+01:00", Fraction(1, 10), "1 started day after the due time 2026-03-01T23:59+01:00, 10% a day"),
        ("2026-03-03T23:59+01:00", Fraction(2, 10), "2 started days after the due time 2026-03-01T23:59+01:00, 10% a day"),
        ("2026-03-07T12:00+01:00", Fraction(1, 2), "6 started days after the due time 2026-03-01T23:59+01:00, 10% a day, capped at 50%"),
        ("2026-03-09T00:00+01:00", 1, "more than 7 days after the due time 2026-03-01T23:59+01:00: no points"),
        ("2026-03-01T18:30:00-05:00", Fraction(1, 10), None),  # 23:30Z = 00:30 in Berlin
    ],
)
def test_penalties_by_hand(policy, submitted: str, share: Fraction, reason: str | None) -> None:
    verdict = late_penalty(policy, parse_time(submitted, None))
    assert verdict.share == share
    if reason is not None:
        assert verdict.reason == reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-02 00:30", datetime.datetime(2026, 3, 2, 0, 30, tzinfo=BERLIN)),  # naive: read in the policy's zone
        ("2026-03-01 18:30:00 -0500", datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.timezone.utc)),  # Gradescope
        (datetime.datetime(2026, 3, 2, 0, 30), datetime.datetime(2026, 3, 2, 0, 30, tzinfo=BERLIN)),  # a YAML timestamp
        ("yesterday", None),
        (5, None),
    ],
)
def test_parse_time(raw: object, expected: datetime.datetime | None) -> None:
    assert parse_time(raw, BERLIN) == expected
