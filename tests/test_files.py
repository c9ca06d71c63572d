"""grader.files and the shell's writing: an interrupted run leaves every previous output whole."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader import output
from grader.course.class_grading import grade_class
from grader.exports.exporter import Exporter
from grader.files import commit, fresh_staging, write_atomic, write_plain
from grader.intake.discovery import find_submission_files
from tests.homework import SUBMISSIONS


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.csv"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and os.listdir(target.parent) == ["out.csv"]


def test_an_interrupted_write_keeps_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "grades.csv"
    target.write_bytes(b"previous run")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"half of the new run")
    assert target.read_bytes() == b"previous run" and os.listdir(tmp_path) == ["grades.csv"]


def test_a_run_stopped_by_a_failing_export_leaves_the_previous_outputs_whole(homework_key, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = grade_class(homework_key, find_submission_files([SUBMISSIONS]))
    output.write_outputs(batch, tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def broken(_batch):  # type: ignore[no-untyped-def]
        yield "grades.csv", b"partial"
        raise MemoryError

    monkeypatch.setattr(output, "EXPORTERS", (Exporter("broken", broken),))
    with pytest.raises(MemoryError):
        output.write_outputs(batch, tmp_path)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert set(after) == set(before)
    assert after == before  # the failing chunk is never half-written: every previous output is whole


def test_a_rerun_leaves_no_report_of_a_student_no_longer_in_the_batch(homework_key, tmp_path: Path) -> None:
    out = tmp_path / "out"
    output.write_outputs(grade_class(homework_key, find_submission_files([SUBMISSIONS])), out)
    assert (out / "students" / "s1002.html").exists()
    output.write_outputs(grade_class(homework_key, [SUBMISSIONS / "ada-lovelace.yaml"]), out)
    assert sorted(p.name for p in (out / "students").iterdir()) == ["s1001.html", "s1001.md"]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".grader-output"]


def test_reports_of_an_interrupted_run_never_replace_the_previous_ones(homework_key, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = grade_class(homework_key, find_submission_files([SUBMISSIONS]))
    output.write_outputs(batch, tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def failing() -> bytes:
        raise MemoryError

    def broken(_batch):  # type: ignore[no-untyped-def]
        yield "students/s1001.html", b"new but unfinished"
        yield "students/s9999.html", b"a student of the new run"
        yield "summary.html", failing

    monkeypatch.setattr(output, "EXPORTERS", (Exporter("broken", broken),))
    with pytest.raises(MemoryError):
        output.write_outputs(batch, tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_folder_that_is_a_link_is_replaced_without_touching_what_it_points_to(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "students").symlink_to(elsewhere, target_is_directory=True)
    staging = fresh_staging(out)
    (staging / "students").mkdir()
    (staging / "students" / "s1.html").write_text("report")
    commit(out, staging)
    assert (elsewhere / "keep.txt").read_text() == "keep"
    assert not (out / "students").is_symlink() and os.listdir(out / "students") == ["s1.html"]
    assert sorted(os.listdir(out)) == [".grader-output", "students"]


def test_write_plain_writes_every_byte_and_replaces_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    write_plain(target, b"a much longer earlier version")
    data = bytes(range(256)) * 4096  # 1 MiB, more than one write may take
    write_plain(target, data)
    assert target.read_bytes() == data
