"""grader.output: every exporter's files written, identical with one process or several."""
from __future__ import annotations

from pathlib import Path

import pytest

# an HTML and a Markdown report per student; grades.csv, gradebook.xlsx, summary.html, 5 LMS files
from grader.batch import find_submission_files, grade_files
from grader.output import write_outputs
from tests.homework import ORDER, SUBMISSIONS


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def batch(homework_key):
    return grade_files(homework_key, find_submission_files([SUBMISSIONS]))


def test_every_file_is_written_and_counted(batch, tmp_path: Path) -> None:
    seen: list[int] = []
    assert write_outputs(batch, tmp_path, 1, seen.append) == 2 * len(ORDER) + 8
    lms = [f"lms/{name}.csv" for name in ("blackboard", "brightspace", "canvas", "gradescope", "moodle")]
    reports = [f"students/{s}.{ext}" for s in ORDER for ext in ("html", "md")]
    assert sorted(files_under(tmp_path)) == sorted(["grades.csv", "gradebook.xlsx", "summary.html", *lms, *reports])
    assert sum(seen) == 2 * len(ORDER) + 8


def test_several_workers_write_the_same_bytes(batch, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    seen: list[int] = []
    write_outputs(batch, one, 1)
    assert write_outputs(batch, two, 2, seen.append) == 2 * len(ORDER) + 8
    assert files_under(one) == files_under(two)
    assert sum(seen) == 2 * len(ORDER) + 8
