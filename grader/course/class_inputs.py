"""Reading the files beside the submissions (roster, LMS times, overrides) into ClassInputs, once for
the CLI and the notebook API alike."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from grader.course.overrides import overrides_beside
from grader.intake.lms_times import read_timestamps
from grader.intake.roster import Person, read_roster
from grader.judging.results import Override
from grader.rubric.answer_key import AnswerKey


@dataclass(frozen=True)
class ClassInputs:
    """Everything beyond the submissions that shapes the grades; each part is optional."""

    roster: tuple[Person, ...] | None = None
    overrides: tuple[Override, ...] = ()
    times: Mapping[str, str] = field(default_factory=dict)


NO_CLASS_INPUTS = ClassInputs()


def read_class_inputs(rubric: Path, key: AnswerKey, roster: Path | None, timestamps: Path | None, overrides: bool = True) -> ClassInputs:
    return ClassInputs(
        roster=read_roster(roster) if roster is not None else None,
        overrides=overrides_beside(rubric, key) if overrides else (),
        times=read_timestamps(timestamps) if timestamps is not None else {},
    )
