"""The `grader` command: a thin shell that parses arguments, calls the core, and writes files.

Exit codes: 0 all fine; 1 graded, but some submission needs a TA's attention; 2 nothing could
be done (bad arguments, an invalid rubric, an unreadable file given to `check`).
"""
from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from grader.base.errors import GraderError
from grader.base.limits import Limits
from grader.base.parallel import worker_count
from grader.base.safety import safe_file_stem
from grader.console import check_as_text, key_as_json, key_as_text, summary_as_text
from grader.course.class_grading import grade_class
from grader.course.class_inputs import read_class_inputs
from grader.files import write_atomic
from grader.handout.answer_file import FORMATS as SHEET_FORMATS
from grader.handout.answer_file import answer_sheet
from grader.intake.discovery import find_submission_files
from grader.intake.form_columns import FormColumns, load_form_columns
from grader.intake.formats import READERS
from grader.intake.settings import Intake
from grader.intake.submission import read_submission
from grader.judging.scoring import grade_submission
from grader.output import write_outputs
from grader.progress import progress_bar
from grader.rubric.answer_key import AnswerKey, answer_key_for, build_answer_key
from grader.rubric.model import load_rubric
from grader.rubric.tolerance import refuses_rounding

EXIT_OK, EXIT_ATTENTION, EXIT_ERROR = 0, 1, 2
VARIANT_SAMPLES = 200


def now() -> datetime.datetime:
    """The shell's clock, read here only: the core is given the time, never reads it."""
    return datetime.datetime.now(datetime.timezone.utc)


def load_key(rubric_path: Path, student_id: str | None = None) -> AnswerKey:
    """The rubric's key, or one student's when given an id (their own numbers where drawn)."""
    key = build_answer_key(load_rubric(rubric_path))
    return key if student_id is None else answer_key_for(key, student_id)


def solve_main(rubric: Path, output_format: str, student_id: str | None) -> int:
    key = load_key(rubric, student_id)
    print(key_as_json(key) if output_format == "json" else key_as_text(key))
    return EXIT_OK


def template_main(rubric: Path, sheet_format: str, output: Path | None, student_id: str | None, out_dir: Path | None) -> int:
    key = load_key(rubric, student_id)
    if out_dir is not None:
        stem = safe_file_stem(student_id or key.rubric.assignment)
        for extension in ("md", sheet_format if sheet_format != "md" else "yaml"):
            target = out_dir / f"{stem}.{extension}"
            write_atomic(target, answer_sheet(key, extension, student_id or "").encode("utf-8"))
            print(f"Wrote {target}", file=sys.stderr)
        return EXIT_OK
    sheet = answer_sheet(key, sheet_format, student_id or "")
    if output is None:
        sys.stdout.write(sheet)
    else:
        write_atomic(output, sheet.encode("utf-8"))
        print(f"Wrote {output}", file=sys.stderr)
    return EXIT_OK


def grade_main(
    rubric: Path, paths: Sequence[Path], out_dir: Path, roster: Path | None, times: Path | None, intake: Intake, jobs: int | None
) -> int:
    key = load_key(rubric)
    files = find_submission_files(paths)
    if not files:
        raise GraderError(f"no submission files ({', '.join(sorted(READERS))}) found in {', '.join(map(str, paths))}")
    inputs = read_class_inputs(rubric, key, roster, times)
    with progress_bar("grading", sys.stderr, len(files), len(files)) as advance:
        batch = grade_class(key, files, inputs, intake, worker_count(jobs, len(files)), advance)
    batch = replace(batch, reveal=key.rubric.reveal.allows(now()))
    students = len(batch.results)  # one form export may hold a whole class
    with progress_bar("files written", sys.stderr, students) as advance:
        written = write_outputs(batch, out_dir, worker_count(jobs, students), advance)
    print(summary_as_text(batch))
    print(f"\nWrote {written} files to {out_dir}/ (students/, summary.html, grades.csv, gradebook.xlsx, lms/)")
    return EXIT_ATTENTION if batch.needs_attention else EXIT_OK


def check_main(rubric: Path, submission_path: Path, limits: Limits) -> int:
    key = load_key(rubric)
    submission = read_submission(submission_path, key.by_path, Intake(limits))
    result = grade_submission(answer_key_for(key, submission.student_id), submission)
    print(check_as_text(result, key, key.rubric.reveal.allows(now()), colour=sys.stdout.isatty()))
    return EXIT_OK


def validate_main(rubric: Path) -> int:
    """Every issue of a rubric at once; for drawn values, the variants of sample students too."""
    key = load_key(rubric)
    checked = [answer_key_for(key, f"sample-{index}") for index in range(VARIANT_SAMPLES if key.rubric.varies else 0)]
    variants = f", {len(checked)} sample variants drawn" if checked else ""
    print(f"{rubric}: valid ({len(key.rubric.problems)} problems, {len(key.entries)} answers{variants})")
    for entry in key.entries:
        warning = refuses_rounding(entry.tolerance, entry.value)
        if warning:
            print(f"warning: {entry.path}: {warning}")
    return EXIT_OK


def serve_main(rubrics: Sequence[Path], host: str, port: int, log_path: Path, checks_per_hour: int) -> int:
    """The self-check page; loopback by default, so exposing it is a deliberate choice."""
    from waitress import serve  # imported here: only this command needs the web stack

    from grader.web.app import ServeSettings, create_app

    keys: dict[str, AnswerKey] = {}
    for path in rubrics:
        key = load_key(path)
        if key.rubric.assignment in keys:
            raise GraderError(f"{path}: the assignment id '{key.rubric.assignment}' is served already")
        keys[key.rubric.assignment] = key
    app = create_app(ServeSettings(keys, log_path, checks_per_hour))
    print(f"Self-check page on http://{host}:{port}/ (attempts logged to {log_path}); Ctrl-C stops it.", flush=True)
    serve(app, host=host, port=port, threads=4)
    return EXIT_OK


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, found {text}")
    return value


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """One option per field of Limits, defaulting to its documented value."""
    defaults = Limits()
    for name in Limits.__dataclass_fields__:
        option = "--" + name.replace("_", "-")
        parser.add_argument(option, dest=name, type=positive_int, default=getattr(defaults, name), metavar="N",
                            help=f"limit on untrusted files (default: {getattr(defaults, name):,})")


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(**{name: getattr(args, name) for name in Limits.__dataclass_fields__})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grader", description="Grade quantitative deep-learning homework.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve = commands.add_parser("solve", help="print the answer key computed from a rubric")
    solve.add_argument("rubric", type=Path)
    solve.add_argument("--format", choices=("text", "json"), default="text")
    solve.add_argument("--student", metavar="ID", help="the key of this student's own variant")

    template = commands.add_parser("template", help="write the blank answer file students fill in")
    template.add_argument("rubric", type=Path)
    template.add_argument("--format", choices=SHEET_FORMATS, default="yaml")
    template.add_argument("-o", "--output", type=Path, help="file to write (default: print it)")
    template.add_argument("--student", metavar="ID", help="this student's sheet: their id and their own numbers")
    template.add_argument(
        "--output-dir", type=Path, metavar="DIR", help="write both the Markdown question sheet and the answer file here"
    )

    validate = commands.add_parser("validate", help="check a rubric and report every issue at once")
    validate.add_argument("rubric", type=Path)

    grade = commands.add_parser("grade", help="grade submission files and folders, and write reports")
    grade.add_argument("rubric", type=Path)
    grade.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    grade.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    grade.add_argument("--roster", type=Path, help="class list: a Canvas gradebook export or a CSV of id, name, email, section")
    grade.add_argument("--timestamps", type=Path, help="submission times from the LMS: a CSV of student_id, submitted_at")

    grade.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                       help="processes to use (default: every core for 1,000 files or more, else 1)")
    grade.add_argument("--columns", type=Path, metavar="FILE",
                       help="for form exports (.csv, .xlsx): which column holds the id, the name and each answer")
    add_limit_options(grade)

    serve = commands.add_parser("serve", help="serve the self-check web page for students")
    serve.add_argument("rubrics", type=Path, nargs="+", metavar="RUBRIC")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log", type=Path, default=Path("reports/self-checks.jsonl"), help="attempt log (JSON lines)")
    serve.add_argument("--checks-per-hour", type=int, default=20, metavar="N", help="per student and assignment")

    check = commands.add_parser("check", help="self-check one submission without revealing the answers")
    check.add_argument("rubric", type=Path)
    check.add_argument("submission", type=Path)
    add_limit_options(check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "solve":
            return solve_main(args.rubric, args.format, args.student)
        if args.command == "template":
            return template_main(args.rubric, args.format, args.output, args.student, args.output_dir)
        if args.command == "validate":
            return validate_main(args.rubric)
        if args.command == "serve":
            return serve_main(args.rubrics, args.host, args.port, args.log, args.checks_per_hour)
        if args.command == "grade":
            columns = load_form_columns(args.columns) if args.columns else FormColumns()
            intake = Intake(limits_from(args), columns)
            return grade_main(args.rubric, args.paths, args.out, args.roster, args.timestamps, intake, args.jobs)
        return check_main(args.rubric, args.submission, limits_from(args))
    except GraderError as error:
        print(f"grader: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
