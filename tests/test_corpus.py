"""The hostile corpus (tests/corpus/, plus the files too big to commit, made here): every file gets
a clear standing and reason, the batch goes on, and nothing is written outside the output folder."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grader.course.file_grading import grade_files
from grader.intake.discovery import find_submission_files
from grader.judging.results import Standing, Status, StudentResult
from tests.homework import ROOT, RUBRIC

CORPUS = Path(__file__).resolve().parent / "corpus"
HUNDRED_MB = 100 * 1024 * 1024
INVALID, REVIEW, GRADED = Standing.INVALID, Standing.REVIEW, Standing.GRADED

# file → (standing, the start of its first note); written by hand from what each file contains.
EXPECTED = {
    "empty.yaml": (INVALID, "top level: expected a mapping with student_id, name and answers, found an empty file"),
    "binary.yaml": (INVALID, "binary data, expected a text file"),
    "latin1.yaml": (INVALID, "byte 28: not UTF-8 or UTF-16 text"),
    "truncated.yaml": (INVALID, "line 6, column 1: not valid YAML"),
    "python-tag.yaml": (INVALID, "line 2, column 10: not valid YAML: could not determine a constructor"),
    "billion-laughs.yaml": (INVALID, "answers: more than 10,000 entries"),
    "billion-laughs-answer.yaml": (REVIEW, "fields ignored (expected student_id, name, submitted, submitted_at, answers): extra0, extra1"),
    "deep-nesting.yaml": (INVALID, "not valid YAML: nested deeper than 100 levels"),
    "deep-answers.yaml": (INVALID, "answers.q1.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a: nested deeper than 16 levels"),
    "duplicate-keys.yaml": (INVALID, "line 4, column 3: not valid YAML: the key 'q1.standard.weights' appears twice"),
    "duplicate-keys.json": (INVALID, "not valid JSON: the key 'student_id' appears twice in one object"),
    "wrong-id-type.yaml": (INVALID, "student_id: expected text, found a mapping"),
    "wrong-top-level.json": (INVALID, "top level: expected a mapping with student_id, name and answers, found a list"),
    "answers-not-mapping.yaml": (INVALID, "answers: expected a mapping of answer paths to values"),
    "wrong-types.yaml": (REVIEW, "q1.pointwise.macs.value is not a question of this assignment"),
    "nan-inf.yaml": (REVIEW, None),
    "nan-inf.json": (REVIEW, None),
    "traversal-id.yaml": (GRADED, None),
    "separator-id.json": (GRADED, None),
    "html-name.yaml": (REVIEW, None),
    "formula-name.yaml": (GRADED, None),  # its answer "=7200" reads as 7200, as a worked line would
    "good.yaml": (GRADED, None),
    "set-answer.yaml": (REVIEW, None),  # a YAML !!set, which cannot key the batch's memos
    # "\ud800" escapes: JSON makes a character no UTF-8 file holds (it becomes U+FFFD); PyYAML refuses it
    "lone-surrogate.json": (REVIEW, None),
    "lone-surrogate.yaml": (INVALID, "line 2, column 14: not valid YAML: found invalid Unicode character escape code"),
    "hostile-form.csv, row 2": (GRADED, None),  # formula payloads in every cell; "=7200" reads as a worked line
    "hostile-form.csv, row 3": (GRADED, None),
    "hostile-sheet.md": (GRADED, None),  # a ../ id, a script name, "=1+1" as an answer (read as 2, wrong)
    # Made by make_big_files: too large to commit.
    "huge.yaml": (INVALID, "larger than the limit of 1,048,576 bytes"),
    "huge-form.csv": (INVALID, "larger than the limit of 67,108,864 bytes"),
    "long-number.yaml": (REVIEW, None),
    "long-number.json": (REVIEW, None),
    "long-answer.yaml": (REVIEW, "q1.standard.weights is longer than 1,000 characters; it is cut and marked unreadable"),
}
DIGITS = "7" * 100_000


def make_big_files(folder: Path) -> None:
    """A sparse 100 MB file (nothing is really written), and numbers and an answer of 100,000 characters."""
    with (folder / "huge.yaml").open("wb") as stream:
        stream.write(b"student_id: s-huge\nanswers:\n")
        stream.truncate(HUNDRED_MB)
    with (folder / "huge-form.csv").open("wb") as stream:
        stream.write(b"student_id,q1.standard.weights\n")
        stream.truncate(HUNDRED_MB)
    (folder / "long-number.yaml").write_text(f"student_id: s-long\nanswers:\n  q1.standard.weights: {DIGITS}\n", encoding="utf-8")
    (folder / "long-number.json").write_text(f'{{"student_id": "s-long-json", "answers": {{"q1.standard.weights": {DIGITS}}}}}', encoding="utf-8")
    (folder / "long-answer.yaml").write_text(f"student_id: s-essay\nanswers:\n  q1.standard.weights: '{'x' * 100_000}'\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("work") / "corpus"
    shutil.copytree(CORPUS, folder)
    make_big_files(folder)
    return folder


@pytest.fixture(scope="module")
def by_file(homework_key, corpus: Path) -> dict[str, StudentResult]:
    batch = grade_files(homework_key, find_submission_files([corpus]))
    return {Path(result.source).name: result for result in batch.results}


def test_the_corpus_on_disk_is_the_one_described_here(corpus: Path) -> None:
    assert sorted(p.name for p in corpus.iterdir()) == sorted({name.split(",")[0] for name in EXPECTED})


def test_every_file_is_in_the_batch_once(by_file: dict[str, StudentResult]) -> None:
    assert sorted(by_file) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_gets_its_standing_and_reason(by_file: dict[str, StudentResult], name: str) -> None:
    standing, reason = EXPECTED[name]
    result = by_file[name]
    assert result.standing is standing, result.notes
    if reason is not None:
        assert result.notes[0].startswith(reason)


@pytest.mark.parametrize(
    ("name", "unreadable", "reason"),
    [
        ("nan-inf.yaml", ["q1.standard.weights", "q1.standard.macs", "q1.depthwise.weights"], "not a finite number"),
        ("nan-inf.json", ["q1.standard.weights", "q1.standard.macs"], "not a finite number"),
        ("long-number.yaml", ["q1.standard.weights"], "longer than 64 characters"),
        ("long-number.json", ["q1.standard.weights"], "longer than 64 characters"),
        ("long-answer.yaml", ["q1.standard.weights"], "longer than 64 characters"),
        # YAML scalars stay text, read by grader's number reader: 2024-01-01 is arithmetic there (2022, wrong)
        ("wrong-types.yaml", ["q1.standard.macs", "q1.depthwise.weights", "q1.depthwise.macs"], ""),
        ("billion-laughs-answer.yaml", ["q1.standard.weights"], "expected a number, found a list"),
        ("set-answer.yaml", ["q1.standard.weights"], "Could not read '{…}' as a number: expected a number, found a set"),
    ],
)
def test_bad_values_are_unreadable_answers_not_crashes(by_file, name: str, unreadable: list[str], reason: str) -> None:
    verdicts = [v for v in by_file[name].verdicts if v.status is Status.UNREADABLE]
    assert [v.path for v in verdicts] == unreadable
    assert all(reason in v.feedback for v in verdicts)


def test_a_lone_surrogate_becomes_a_replacement_character(by_file) -> None:
    result = by_file["lone-surrogate.json"]
    assert result.name == "Ada \ufffd"
    assert [(v.raw, v.status) for v in result.verdicts[:2]] == [("7200\ufffd", Status.UNREADABLE), (1620000, Status.CORRECT)]


def test_a_nan_next_to_a_right_answer_still_scores_it(by_file) -> None:
    assert by_file["nan-inf.yaml"].total == 1  # q1.depthwise.macs: 40500 is right; the three others are not numbers
    assert by_file["nan-inf.json"].total == 1  # q1.depthwise.weights: 180


def test_a_cut_answer_is_short_in_every_report(by_file) -> None:
    raw = by_file["long-answer.yaml"].verdicts[0].raw
    assert raw == "x" * 1000 + "…"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.stat().st_size < 10**6}


@pytest.fixture(scope="module")
def graded_by_cli(corpus: Path) -> tuple[Path, subprocess.CompletedProcess[str], dict[str, bytes]]:
    work = corpus.parent
    before = tree(work)
    out = work / "a" / "b" / "out"
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(RUBRIC), "corpus", "--out", str(out)],
                          cwd=work, capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(ROOT)})
    after = {name: data for name, data in tree(work).items() if not name.startswith("a/b/out/")}
    return out, done, {"before": before, "after": after}  # type: ignore[dict-item]


def test_the_cli_grades_the_whole_corpus_and_flags_it(graded_by_cli) -> None:
    out, done, _ = graded_by_cli
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))[1:]
    assert sorted(Path(row["file"]).name for row in rows) == sorted(EXPECTED)
    sheet = load_workbook(out / "gradebook.xlsx", read_only=True)["Grades"]
    files = [row[3] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(Path(f).name for f in files) == sorted(EXPECTED)
    assert len(list((out / "students").iterdir())) == 2 * len(EXPECTED)  # an HTML and a Markdown report each


def test_nothing_is_written_outside_the_output_folder(graded_by_cli) -> None:
    out, _, trees = graded_by_cli
    assert trees["after"] == trees["before"]
    reports = {p.name for p in (out / "students").iterdir()}
    assert {"outside_escaped.html", "C_Windows_.._system32_evil.html", "sheet-escape.html"} <= reports
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))


def test_html_payloads_are_escaped_in_reports(graded_by_cli) -> None:
    out, _, _ = graded_by_cli
    html = (out / "students" / "s-html.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html and "<b>7200" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;7200&lt;/b&gt;" in html
    for report in ("s-form-ok.html", "sheet-escape.html"):
        html = (out / "students" / report).read_text(encoding="utf-8")
        assert "<b>Bold" not in html and "<script>" not in html


def test_formula_payloads_are_neutralised_in_spreadsheets(graded_by_cli) -> None:
    out, _, _ = graded_by_cli
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        row = next(r for r in csv.DictReader(stream) if r["file"].endswith("formula-name.yaml"))
    assert (row["student_id"][:11], row["name"]) == ("'=HYPERLINK", "'=cmd|' /C calc'!A0")
    sheet = load_workbook(out / "gradebook.xlsx", read_only=True)["Grades"]
    cells = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[3].endswith("formula-name.yaml"))
    assert (cells[0][:11], cells[1]) == ("'=HYPERLINK", "'=cmd|' /C calc'!A0")


def test_formula_payloads_from_a_form_export_are_neutralised(graded_by_cli) -> None:
    out, _, _ = graded_by_cli
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        row = next(r for r in csv.DictReader(stream) if r["file"].endswith("hostile-form.csv, row 2"))
    assert (row["student_id"], row["name"]) == ('\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1:A9)")
    assert (row["q1.standard.weights"], row["q1.standard.macs"]) == ("1", "1")  # "=7200" and "+1620000" both read
