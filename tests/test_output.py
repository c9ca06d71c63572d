"""grader.output: every exporter's files written, identical with one process or several."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader import output
from grader.course.file_grading import grade_files
from grader.exports import student_markdown, student_reports
from grader.exports.exporter import Exporter
from grader.intake.discovery import find_submission_files
from grader.output import write_outputs
from tests.homework import ORDER, SUBMISSIONS

# beside a report per student: grades.csv, gradebook.xlsx, summary.html, not-graded.csv, shared-answers.csv, 5 LMS files,
# lms/sml-hw4-not-uploaded.csv
TOP_FILES = 11


def files_under(folder: Path) -> dict[str, bytes]:
    """The output set; the folder's own bookkeeping (lock, list of the set) starts with a dot."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def batch(homework_key):
    return grade_files(homework_key, find_submission_files([SUBMISSIONS]))


def test_every_file_is_written_and_counted(batch, tmp_path: Path) -> None:
    seen: list[int] = []
    assert write_outputs(batch, tmp_path, 1, seen.append) == 2 * len(ORDER) + TOP_FILES
    lms = ["lms/sml-hw4-not-uploaded.csv", *(f"lms/sml-hw4-{name}.csv" for name in ("blackboard", "brightspace", "canvas", "moodle", "sakai"))]
    reports = [f"students/{s}.{ext}" for s in ORDER for ext in ("html", "md")]
    assert sorted(files_under(tmp_path)) == sorted(["grades.csv", "gradebook.xlsx", "not-graded.csv", "summary.html", "shared-answers.csv", *lms, *reports])
    assert sum(seen) == 2 * len(ORDER) + TOP_FILES


def test_several_workers_write_the_same_bytes(batch, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    seen: list[int] = []
    write_outputs(batch, one, 1)
    assert write_outputs(batch, two, 2, seen.append) == 2 * len(ORDER) + TOP_FILES
    assert files_under(one) == files_under(two)
    assert sum(seen) == 2 * len(ORDER) + TOP_FILES


def test_chunks_handed_out_a_few_at_a_time_write_the_same_bytes(batch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A student a chunk and one chunk a worker in flight: the workers are waited on after
    nearly every chunk, and every file is still written, and counted, once."""
    monkeypatch.setattr(output, "CHUNK", 2)
    monkeypatch.setattr(output, "IN_FLIGHT", 1)
    one, two = tmp_path / "one", tmp_path / "two"
    seen: list[int] = []
    write_outputs(batch, one, 1)
    assert write_outputs(batch, two, 2, seen.append) == 2 * len(ORDER) + TOP_FILES
    assert files_under(one) == files_under(two)
    assert sum(seen) == 2 * len(ORDER) + TOP_FILES and len(seen) > len(ORDER)


def test_a_students_files_from_every_per_student_exporter_travel_together(batch, monkeypatch: pytest.MonkeyPatch) -> None:
    """One chunk holds a student's HTML and Markdown reports, so the result is pickled once for both."""
    [chunk] = [items for items in output._chunks(batch) if items[0][0].startswith("students/")]
    assert [name for name, _ in chunk[:4]] == [f"students/{ORDER[0]}.html", f"students/{ORDER[0]}.md",
                                               f"students/{ORDER[1]}.html", f"students/{ORDER[1]}.md"]
    html, markdown = chunk[0][1], chunk[1][1]
    assert html.args[0] is markdown.args[0]  # the same result object, which pickle sends once

    def one_short(batch):  # type: ignore[no-untyped-def]
        yield from list(student_markdown.render(batch))[:-1]

    monkeypatch.setattr(output, "EXPORTERS", (student_reports.EXPORTER, Exporter("short", one_short, per_student=True)))
    with pytest.raises(ValueError):
        list(output._chunks(batch))
