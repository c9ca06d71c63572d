"""The `grader` command: a thin shell that parses arguments, calls the core, and writes files.

Exit codes: 0 all fine; 1 graded, but some submission needs a TA's attention; 2 nothing could
be done (bad arguments, an invalid rubric, an unreadable file given to `check`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from grader.answer_key import AnswerKey, build_answer_key
from grader.answer_sheet import FORMATS as SHEET_FORMATS
from grader.answer_sheet import answer_sheet
from grader.batch import find_submission_files, grade_files
from grader.console import check_as_text, key_as_json, key_as_text, summary_as_text
from grader.errors import GraderError
from grader.files import write_atomic
from grader.forms import FormColumns, load_form_columns
from grader.intake import Intake
from grader.limits import Limits
from grader.output import write_outputs
from grader.parallel import worker_count
from grader.progress import progress_bar
from grader.readers import READERS
from grader.rubric import load_rubric
from grader.scoring import grade_submission
from grader.submission import read_submission

EXIT_OK, EXIT_ATTENTION, EXIT_ERROR = 0, 1, 2


def load_key(rubric_path: Path) -> AnswerKey:
    return build_answer_key(load_rubric(rubric_path))


def solve_main(rubric: Path, output_format: str) -> int:
    key = load_key(rubric)
    print(key_as_json(key) if output_format == "json" else key_as_text(key))
    return EXIT_OK


def template_main(rubric: Path, sheet_format: str, output: Path | None) -> int:
    sheet = answer_sheet(load_key(rubric), sheet_format)
    if output is None:
        sys.stdout.write(sheet)
    else:
        write_atomic(output, sheet.encode("utf-8"))
        print(f"Wrote {output}", file=sys.stderr)
    return EXIT_OK


def grade_main(rubric: Path, paths: Sequence[Path], out_dir: Path, intake: Intake, jobs: int | None) -> int:
    key = load_key(rubric)
    files = find_submission_files(paths)
    if not files:
        raise GraderError(f"no submission files ({', '.join(sorted(READERS))}) found in {', '.join(map(str, paths))}")
    with progress_bar("grading", sys.stderr, len(files), len(files)) as advance:
        batch = grade_files(key, files, intake, worker_count(jobs, len(files)), advance)
    students = len(batch.results)  # one form export may hold a whole class
    with progress_bar("files written", sys.stderr, students) as advance:
        written = write_outputs(batch, out_dir, worker_count(jobs, students), advance)
    print(summary_as_text(batch))
    print(f"\nWrote {written} files to {out_dir}/ (students/*.html, grades.csv, gradebook.xlsx)")
    return EXIT_ATTENTION if batch.needs_attention else EXIT_OK


def check_main(rubric: Path, submission: Path, limits: Limits) -> int:
    key = load_key(rubric)
    result = grade_submission(key, read_submission(submission, key.by_path, Intake(limits)))
    print(check_as_text(result, key))
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

    template = commands.add_parser("template", help="write the blank answer file students fill in")
    template.add_argument("rubric", type=Path)
    template.add_argument("--format", choices=SHEET_FORMATS, default="yaml")
    template.add_argument("-o", "--output", type=Path, help="file to write (default: print it)")

    grade = commands.add_parser("grade", help="grade submission files and folders, and write reports")
    grade.add_argument("rubric", type=Path)
    grade.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    grade.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    grade.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                       help="processes to use (default: every core for 1,000 files or more, else 1)")
    grade.add_argument("--columns", type=Path, metavar="FILE",
                       help="for form exports (.csv, .xlsx): which column holds the id, the name and each answer")
    add_limit_options(grade)

    check = commands.add_parser("check", help="self-check one submission without revealing the answers")
    check.add_argument("rubric", type=Path)
    check.add_argument("submission", type=Path)
    add_limit_options(check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "solve":
            return solve_main(args.rubric, args.format)
        if args.command == "template":
            return template_main(args.rubric, args.format, args.output)
        if args.command == "grade":
            columns = load_form_columns(args.columns) if args.columns else FormColumns()
            return grade_main(args.rubric, args.paths, args.out, Intake(limits_from(args), columns), args.jobs)
        return check_main(args.rubric, args.submission, limits_from(args))
    except GraderError as error:
        print(f"grader: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
