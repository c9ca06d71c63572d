"""The Python API for notebooks: grade a class in memory, get the results and a DataFrame, write nothing.

    import grader
    graded = grader.grade("rubrics/sml-hw4.yaml", "submissions", roster="roster.csv")
    graded.frame.describe()
    mine = grader.check("rubrics/sml-hw4.yaml", {"q1.standard.weights": 7200}, student_id="s1001")
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

import pandas as pd

from grader.base.numbers import to_plain
from grader.course.class_grading import grade_class
from grader.course.class_inputs import read_class_inputs
from grader.course.class_results import BatchResult
from grader.exports.gradebook_table import gradebook_table
from grader.intake.discovery import discover
from grader.intake.submission import parse_submission, read_submission
from grader.judging.results import StudentResult
from grader.judging.scoring import grade_submission
from grader.rubric.answer_key import answer_key_for, build_answer_key
from grader.rubric.model import load_rubric

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Graded:
    """A graded class: `batch` for the full results, `frame` a row per student as in grades.csv
    (numbers as int or float; `frame.attrs["possible"]` maps each score column to its points)."""

    batch: BatchResult
    frame: pd.DataFrame

    @property
    def results(self) -> tuple[StudentResult, ...]:
        return self.batch.results


def grade(
    rubric: PathLike,
    paths: PathLike | Iterable[PathLike],
    *,
    roster: PathLike | None = None,
    timestamps: PathLike | None = None,
    overrides: bool = True,
) -> Graded:
    """Grade as `grader grade` does (overrides.yaml beside the rubric unless `overrides=False`),
    without writing any file; `batch.not_graded` lists what under the folders was not graded.
    `paths`: one file or folder, or several. Raises GraderError subclasses with the same messages as the CLI."""
    rubric_path = Path(rubric)
    key = build_answer_key(load_rubric(rubric_path))
    inputs = read_class_inputs(
        rubric_path, key, Path(roster) if roster is not None else None, Path(timestamps) if timestamps is not None else None, overrides
    )
    found = discover(_paths(paths))
    batch = grade_class(key, found.files, inputs, not_graded=found.not_graded)
    return Graded(batch, results_frame(batch))


def _paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """One path is one path: a string is never taken for the letters of several."""
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(path) for path in paths]


def check(rubric: PathLike, submission: PathLike | Mapping[str, Any], *, student_id: str = "") -> StudentResult:
    """One submission judged as `grader check` judges it: a file, or the answers themselves as a
    dict of answer path → value (with `student_id`, the student's own numbers where the rubric
    draws them). The result's verdicts hold each answer's status, points and feedback."""
    key = build_answer_key(load_rubric(Path(rubric)))
    if isinstance(submission, Mapping):
        document = {"student_id": student_id or "notebook", "answers": dict(submission)}
        read = parse_submission(document, "answers", student_id or "notebook", key.by_path)
    else:
        read = read_submission(Path(submission), key.by_path)
        if student_id:
            read = replace(read, student_id=student_id)
    return grade_submission(answer_key_for(key, read.student_id), read)


def results_frame(batch: BatchResult) -> pd.DataFrame:
    table = gradebook_table(batch)
    rows = [[to_plain(v) if not isinstance(v, str) else v for v in row] for row in table.rows]
    frame = pd.DataFrame(rows, columns=list(table.headers))
    frame.attrs["possible"] = {h: to_plain(p) for h, p in zip(table.headers, table.possible) if p is not None}
    return frame
