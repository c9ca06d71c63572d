"""Reading the files beside the submissions (roster, LMS times, overrides) into ClassInputs, once for
the CLI and the notebook API alike."""
from __future__ import annotations

from pathlib import Path

from grader.answer_key import AnswerKey
from grader.grading import ClassInputs
from grader.overrides import overrides_beside
from grader.roster import read_roster
from grader.timestamps import read_timestamps


def read_class_inputs(rubric: Path, key: AnswerKey, roster: Path | None, timestamps: Path | None, overrides: bool = True) -> ClassInputs:
    return ClassInputs(
        roster=read_roster(roster) if roster is not None else None,
        overrides=overrides_beside(rubric, key) if overrides else (),
        times=read_timestamps(timestamps) if timestamps is not None else {},
    )
