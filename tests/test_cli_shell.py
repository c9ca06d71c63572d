"""The shell as a TA meets it: the real `grader` command's help, version, colour, and every way
writing can fail (a file where a folder goes, a closed pipe, a read-only folder): one line on
stderr and exit 2, never a traceback."""
from __future__ import annotations

import argparse
import errno
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grader import cli
from tests.homework import ROOT, RUBRIC, SUBMISSIONS

VARIANTS = ROOT / "rubrics" / "example-variants.yaml"
COMMANDS = ("solve", "template", "validate", "grade", "serve", "check")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def assert_one_line_failure(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("grader: "), done.stderr
    for text in expected:
        assert text in lines[0], lines[0]


def subcommand_parsers() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_documents_every_argument_with_its_default_the_exit_codes_and_an_example(command: str) -> None:
    done = run(command, "--help")
    assert done.returncode == 0, done.stderr
    assert "exit codes:" in done.stdout and "  2  nothing could be done" in done.stdout
    assert re.search(rf"example:\n  grader {command} \S", done.stdout)
    for action in subcommand_parsers()[command]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{command} {action.dest}: no help"
        if action.option_strings:  # an option always has a default, even if it is "none"
            assert "(default: " in action.help, f"{command} {action.option_strings[0]}: {action.help}"


def test_every_option_of_every_command_is_in_its_help_text() -> None:
    for command, parser in subcommand_parsers().items():
        text = parser.format_help()
        for action in parser._actions:
            for option in action.option_strings:
                assert option in text, (command, option)


def test_output_options_are_named_out_everywhere_and_old_spellings_still_work(tmp_path: Path) -> None:
    outputs = {command: {o for a in parser._actions for o in a.option_strings if "out" in o or o == "-o"}
               for command, parser in subcommand_parsers().items()}
    assert outputs["solve"] == {"--out"} and outputs["grade"] == {"--out"}
    assert outputs["template"] == {"--out", "-o", "--output", "--out-dir", "--output-dir"}
    for option in ("--out", "--output", "-o"):
        target = tmp_path / f"sheet{option}.yaml"
        assert run("template", str(RUBRIC), option, str(target)).returncode == 0
        assert "answers:" in target.read_text(encoding="utf-8")
    for option in ("--out-dir", "--output-dir"):
        assert run("template", str(RUBRIC), option, str(tmp_path / option)).returncode == 0
        assert sorted(p.name for p in (tmp_path / option).iterdir()) == ["sml-hw4.md", "sml-hw4.yaml"]


def test_solve_writes_the_key_to_out(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    done = run("solve", str(RUBRIC), "--format", "json", "--out", str(target))
    assert done.returncode == 0 and done.stdout == ""
    assert '"q1.standard.weights": 7200' in target.read_text(encoding="utf-8")


def test_version_names_the_installed_package() -> None:
    from importlib.metadata import version

    done = run("--version")
    assert done.returncode == 0
    assert done.stdout == f"grader {version('grader')}\n"


def test_grade_into_a_file_named_by_out_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "grades.csv"
    target.write_text("keep me\n", encoding="utf-8")
    done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(target))
    assert_one_line_failure(done, f"--out {target}: is a file")
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_an_out_below_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(blocker / "reports"))
    assert_one_line_failure(done, f"--out {blocker / 'reports'}: lies in {blocker}, which is a file")
    solve = run("solve", str(RUBRIC), "--out", str(blocker / "key.txt"))
    assert_one_line_failure(solve, f"--out {blocker}: is a file")


def test_solve_or_template_into_a_folder_is_one_line(tmp_path: Path) -> None:
    assert_one_line_failure(run("solve", str(RUBRIC), "--out", str(tmp_path)), "is a folder; expected a file")
    assert_one_line_failure(run("template", str(RUBRIC), "-o", str(tmp_path)), "is a folder")
    (tmp_path / "f").write_text("", encoding="utf-8")
    assert_one_line_failure(run("template", str(RUBRIC), "--out-dir", str(tmp_path / "f")), "is a file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the in-process test below covers it")
def test_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(folder))
    finally:
        folder.chmod(0o755)
    assert_one_line_failure(done, "permission denied", "--out")


def test_a_refused_write_is_one_line_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever the user's rights (root ignores a folder's mode), the shell's handling of a refusal."""
    def refuse(path: Path, data: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(cli, "write_atomic", refuse)
    code = cli.main(["solve", str(RUBRIC), "--out", str(tmp_path / "key.txt")])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"grader: {tmp_path / 'key.txt'}: permission denied (choose another place with --out, or make this one writable)\n"


def test_a_closed_pipe_is_one_line_not_a_traceback() -> None:
    process = subprocess.Popen([sys.executable, "-m", "grader", "solve", str(RUBRIC)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line is written, as `| head -0` would
    err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 2
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err == "grader: the output was closed before all of it was written (e.g. piped into `head`)\n"


def test_solve_piped_into_head_leaves_no_traceback() -> None:
    done = subprocess.run(f"{sys.executable} -m grader solve {RUBRIC} | head -1", shell=True, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("Answer key: ")
    assert "Traceback" not in done.stderr and "Exception" not in done.stderr


def test_a_missing_rubric_is_one_line(tmp_path: Path) -> None:
    for command in ("solve", "validate", "template"):
        assert_one_line_failure(run(command, str(tmp_path / "nothing.yaml")), "nothing.yaml")


def run_on_terminal(*args: str, env: dict[str, str]) -> str:
    """The command with its stdout on a pseudo-terminal, as a TA at a terminal sees it."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "grader", *args], cwd=ROOT, stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal's other end closed: the command is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8")


def test_check_is_coloured_on_a_terminal_unless_no_color_is_set() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = run_on_terminal("check", str(RUBRIC), str(SUBMISSIONS / "alan-turing.json"), env=env)
    plain = run_on_terminal("check", str(RUBRIC), str(SUBMISSIONS / "alan-turing.json"), env={**env, "NO_COLOR": "1"})
    assert "\033[31m" in coloured  # an incorrect answer in red
    assert "\033[" not in plain
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain


def test_check_speaks_of_correct_and_incorrect_as_the_reports_do() -> None:
    done = run("check", str(RUBRIC), str(SUBMISSIONS / "alan-turing.json"))
    assert re.search(r"q1\.standard\.weights\s+7240\s+incorrect\s+0/1", done.stdout)
    assert re.search(r"\(\d+ correct, \d+ correct given earlier answers, 3 incorrect\)", done.stdout)
    assert not re.search(r"\b(right|wrong)\b", done.stdout.split("Score:")[1])


def test_check_help_says_plainly_that_the_rubric_prints_the_key() -> None:
    text = " ".join(run("check", "--help").stdout.split())
    assert "Whoever has the rubric can print its answer key (`grader solve`)" in text
    assert "`reveal: never`" in text and "`grader serve`" in text


@pytest.mark.parametrize("command", ["solve", "template"])
def test_a_variant_rubric_without_a_student_says_loudly_that_numbers_differ(command: str) -> None:
    shared = run(command, str(VARIANTS))
    assert shared.returncode == 0
    assert "WARNING" in shared.stderr and "each student's answers differ" in shared.stderr and "--student ID" in shared.stderr
    own = run(command, str(VARIANTS), "--student", "s1")
    assert own.returncode == 0 and own.stderr == ""
    fixed = run(command, str(RUBRIC))  # the same numbers for everyone: nothing to warn of
    assert fixed.returncode == 0 and fixed.stderr == ""


def test_terminal_summary_and_workbook_give_one_count(tmp_path: Path) -> None:
    """Hand-derived for the bundled examples with the fixture roster: seven clean files, Shannon's
    unreadable macs (needs review), the broken upload (invalid), Frances Allen on the roster with nothing."""
    import csv

    from openpyxl import load_workbook

    done = run("grade", str(RUBRIC), str(SUBMISSIONS), "--out", str(tmp_path), "--roster", str(ROOT / "tests" / "fixtures" / "roster.csv"))
    assert done.returncode == 1, done.stderr
    expected = "7 graded, 1 needs review, 1 invalid, 1 missing"
    assert f"Submissions: {expected}." in done.stdout
    assert f"· {expected}." in (tmp_path / "summary.html").read_text(encoding="utf-8")
    sheet = load_workbook(tmp_path / "gradebook.xlsx", read_only=True)["Statistics"]
    counts = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and str(row[0]).startswith("submissions ")}
    assert counts == {"submissions graded": 7, "submissions needs review": 1, "submissions invalid": 1,
                      "submissions missing": 1, "submissions superseded": 0}
    with (tmp_path / "grades.csv").open(encoding="utf-8", newline="") as stream:
        statuses = [row["status"] for row in list(csv.DictReader(stream))[1:]]
    assert {status: statuses.count(status) for status in set(statuses)} == {"graded": 7, "needs review": 1, "invalid": 1, "missing": 1}


def test_student_reports_hold_no_notes_meant_for_the_ta(tmp_path: Path) -> None:
    rubric = tmp_path / "hw.yaml"
    rubric.write_text(RUBRIC.read_text(encoding="utf-8") + "\nlate: {due: 2026-11-20 23:59, timezone: UTC, penalty_per_day: 10}\n",
                      encoding="utf-8")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "a.yaml").write_text("student_id: s1\nsubmitted: 2026-11-20 09:00\nanswers: {q1.standard.weights: 7200}\n", encoding="utf-8")
    (uploads / "b.yaml").write_text("student_id: s1\nsubmitted: 2026-11-20 10:00\nanswers: {q1.standard.weights: 7201}\n", encoding="utf-8")
    (uploads / "c.yaml").write_text("student_id: stranger\nanswers: {q1.standard.weights: 7200}\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,section\ns1,Ada,,A\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run("grade", str(rubric), str(uploads), "--out", str(out), "--roster", str(roster))
    assert done.returncode == 1, done.stderr
    ta_notes = ("not on the roster", "the late policy was not applied", "counted (the latest", "counts instead")
    grades = (out / "grades.csv").read_text(encoding="utf-8")
    for note in ta_notes:  # each reaches the TA
        assert note in grades, note
    assert "stranger" in done.stdout and "not on the roster" in done.stdout
    for report in (out / "students").iterdir():
        text = report.read_text(encoding="utf-8")
        assert not [note for note in ta_notes if note in text], report.name


def test_an_unreadable_files_report_says_so_once_without_missing_answers(tmp_path: Path) -> None:
    done = run("grade", str(RUBRIC), str(SUBMISSIONS / "broken-upload.yaml"), "--out", str(tmp_path))
    assert done.returncode == 1
    for suffix in ("md", "html"):
        text = (tmp_path / "students" / f"broken-upload.{suffix}").read_text(encoding="utf-8")
        assert text.count("not valid YAML") == 1
        assert "could not be read, so none of its answers was graded" in text
        assert "No answer given" not in text and "q1.standard.weights" not in text and ">missing<" not in text


def test_even_a_bug_is_one_line_unless_debugging(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "run_command", broken)
    monkeypatch.delenv("GRADER_DEBUG", raising=False)
    assert cli.main(["validate", str(RUBRIC)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error (ZeroDivisionError: division by zero)" in err and "GRADER_DEBUG=1" in err
    monkeypatch.setenv("GRADER_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main(["validate", str(RUBRIC)])
