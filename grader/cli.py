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
from grader.batch import find_submission_files
from grader.console import check_as_text, key_as_json, key_as_text, summary_as_text
from grader.errors import GraderError
from grader.exports import EXPORTERS
from grader.files import write_atomic
from grader.grading import grade_class
from grader.inputs import read_class_inputs
from grader.results import BatchResult
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


def write_outputs(batch: BatchResult, out_dir: Path) -> list[Path]:
    written = []
    for exporter in EXPORTERS:
        for relative, content in exporter.render(batch):
            target = out_dir / relative
            write_atomic(target, content)
            written.append(target)
    return written


def grade_main(rubric: Path, paths: Sequence[Path], out_dir: Path, roster: Path | None, times: Path | None) -> int:
    key = load_key(rubric)
    files = find_submission_files(paths)
    if not files:
        raise GraderError(f"no submission files (.yaml, .yml, .json) found in {', '.join(map(str, paths))}")
    batch = grade_class(key, files, read_class_inputs(rubric, key, roster, times))
    written = write_outputs(batch, out_dir)
    print(summary_as_text(batch))
    print(f"\nWrote {len(written)} files to {out_dir}/ (students/, summary.html, grades.csv, gradebook.xlsx, lms/)")
    return EXIT_ATTENTION if batch.needs_attention else EXIT_OK


def check_main(rubric: Path, submission: Path) -> int:
    key = load_key(rubric)
    result = grade_submission(key, read_submission(submission, key.by_path))
    print(check_as_text(result, key))
    return EXIT_OK


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
    grade.add_argument("--roster", type=Path, help="class list: a Canvas gradebook export or a CSV of id, name, email, section")
    grade.add_argument("--timestamps", type=Path, help="submission times from the LMS: a CSV of student_id, submitted_at")

    check = commands.add_parser("check", help="self-check one submission without revealing the answers")
    check.add_argument("rubric", type=Path)
    check.add_argument("submission", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "solve":
            return solve_main(args.rubric, args.format)
        if args.command == "template":
            return template_main(args.rubric, args.format, args.output)
        if args.command == "grade":
            return grade_main(args.rubric, args.paths, args.out, args.roster, args.timestamps)
        return check_main(args.rubric, args.submission)
    except GraderError as error:
        print(f"grader: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
