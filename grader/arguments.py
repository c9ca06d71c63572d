"""The `grader` command's arguments: every subcommand with each option, its default, the exit
codes and an example in its `--help`, so that cli.py stays the thin shell that runs them."""
from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any, Sequence

from grader.base.limits import Limits
from grader.handout.answer_file import FORMATS as SHEET_FORMATS
from grader.intake.formats import READERS
from grader.rubric.model import MISSING_CHOICES


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, found {text}")
    return value


LIMIT_HELP = {
    "max_file_bytes": "a larger submission file is refused unread",
    "max_answers": "entries under `answers` (branches and leaves)",
    "max_depth": "nesting under `answers`",
    "max_answer_chars": "a longer text answer is cut and marked unreadable",
    "max_form_bytes": "a larger form export (.csv, .xlsx) or notebook (.ipynb) is refused",
    "max_form_rows": "a form export with more rows is refused",
}


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """One option per field of Limits, defaulting to its documented value."""
    defaults = Limits()
    for name in Limits.__dataclass_fields__:
        option = "--" + name.replace("_", "-")
        parser.add_argument(option, dest=name, type=positive_int, default=getattr(defaults, name), metavar="N",
                            help=f"limit on untrusted files: {LIMIT_HELP.get(name, name)} (default: {getattr(defaults, name):,})")


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(**{name: getattr(args, name) for name in Limits.__dataclass_fields__})


EXIT_CODES = """exit codes:
  0  done, nothing needs a TA
  1  graded, but some submission needs a TA's attention (grade only)
  2  nothing could be done: bad arguments, an invalid rubric, an unreadable file,
     an output that cannot be written, output closed early (one line on stderr says which)"""

EXAMPLES = {
    "solve": "grader solve rubrics/sml-hw4.yaml --format json --out key.json",
    "template": "grader template rubrics/example-variants.yaml --student s1001 --out-dir sheets/",
    "validate": "grader validate rubrics/sml-hw4.yaml",
    "grade": "grader grade rubrics/sml-hw4.yaml submissions/ --roster roster.csv --out reports/",
    "serve": "grader serve rubrics/sml-hw4.yaml --host 0.0.0.0 --port 8000",
    "check": "grader check rubrics/sml-hw4.yaml my-answers.yaml",
    "codes": "grader codes roster.csv --secret-file course-secret.txt --out codes.csv",
}

CHECK_KEY_WARNING = (
    "Whoever has the rubric can print its answer key (`grader solve`), so this command is for "
    "TAs and for rubrics students may see. For students under `reveal: never`, the way to "
    "self-check is the web page (`grader serve`), which never shows a reference value."
)


class VersionAction(argparse.Action):
    """`--version`, looked up only when asked (reading package metadata costs every other run)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("grader")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        print(f"grader {number}")
        parser.exit()


def add_command(commands: Any, name: str, summary: str, description: str = "") -> argparse.ArgumentParser:
    return commands.add_parser(  # type: ignore[no-any-return]
        name, help=summary, description=textwrap.fill(f"{summary[0].upper()}{summary[1:]}. {description}".strip(), 90),
        epilog=f"example:\n  {EXAMPLES[name]}\n\n{EXIT_CODES}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grader", description="Grade quantitative deep-learning homework. `grader COMMAND --help` tells more.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction, help="print grader's version and stop")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rubric_help = "the assignment's rubric (YAML)"

    solve = add_command(commands, "solve", "print the answer key computed from a rubric")
    solve.add_argument("rubric", type=Path, help=rubric_help)
    solve.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for programs (default: text)")
    solve.add_argument("--student", metavar="ID",
                       help="the key of this student's own variant (default: the shared key, which is nobody's when the rubric draws numbers)")
    solve.add_argument("--out", type=Path, metavar="FILE", help="file to write the key to (default: print it)")

    template = add_command(commands, "template", "write the blank answer file students fill in")
    template.add_argument("rubric", type=Path, help=rubric_help)
    template.add_argument("--format", choices=SHEET_FORMATS, default="yaml",
                          help="yaml or json answer file; md: the question sheet with an answer line per question; "
                               "ipynb: a notebook with the questions and a cell tagged `answers` (default: yaml)")
    template.add_argument("--out", "-o", "--output", dest="output", type=Path, metavar="FILE", help="file to write (default: print it)")
    template.add_argument("--student", metavar="ID",
                          help="this student's sheet: their id and their own numbers (default: a blank sheet, no student's numbers)")
    template.add_argument("--out-dir", "--output-dir", dest="output_dir", type=Path, metavar="DIR",
                          help="write both the Markdown question sheet and the answer file into this folder (default: none; --out or print)")

    validate = add_command(commands, "validate", "check a rubric and report every issue at once")
    validate.add_argument("rubric", type=Path, help=rubric_help)

    grade = add_command(commands, "grade", "grade submission files and folders, and write reports",
                        "Writes students/ (a report each), summary.html, grades.csv, gradebook.xlsx and lms/ into --out.")
    grade.add_argument("rubric", type=Path, help=rubric_help)
    grade.add_argument("paths", type=Path, nargs="+", metavar="PATH",
                       help=f"submission files and folders, searched recursively ({', '.join(sorted(READERS))})")
    grade.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR", help="output folder (default: reports)")
    grade.add_argument("--roster", type=Path, metavar="CSV",
                       help="class list: an LMS gradebook export as downloaded (Canvas, Moodle, Blackboard, Brightspace, Sakai) "
                            "or a CSV of id, name[, email, section, username, lms_id]; see docs/lms.md (default: none)")
    grade.add_argument("--missing-as", choices=MISSING_CHOICES, default=None,
                       help="LMS files: a student without a submission gets a blank (no score, nothing lost), 0, "
                            "or excused (Canvas EX) (default: the rubric's missing_submissions, else blank)")
    grade.add_argument("--timestamps", type=Path, metavar="CSV",
                       help="submission times from the LMS: a CSV of student_id, submitted_at (default: none; times in the files)")

    grade.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                       help="processes to use (default: every core for 1,000 files or more, else 1)")
    grade.add_argument("--columns", type=Path, metavar="FILE",
                       help="for form exports (.csv, .xlsx): which column holds the id, the name and each answer "
                            "(default: columns named student_id, name and answer paths)")
    add_limit_options(grade)

    serve = add_command(commands, "serve", "serve the self-check web page for students")
    serve.add_argument("rubrics", type=Path, nargs="+", metavar="RUBRIC", help="the rubrics of the assignments to offer")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--log", type=Path, default=Path("reports/self-checks.jsonl"), metavar="FILE",
                       help="attempt log, JSON lines (default: reports/self-checks.jsonl)")
    serve.add_argument("--checks-per-hour", type=positive_int, default=20, metavar="N",
                       help="per student (id compared case- and Unicode-blind) and assignment (default: 20)")
    serve.add_argument("--checks-per-hour-per-address", type=positive_int, default=120, metavar="N",
                       help="per client address, all ids together; raise it for a class behind one NAT (default: 120)")
    serve.add_argument("--secret-file", type=Path, metavar="FILE",
                       help="course secret: every check then needs the student's personal code, see `grader codes` (default: none)")
    serve.add_argument("--trusted-proxy", metavar="ADDRESS",
                       help="the reverse proxy's address: its forwarded header names the client (default: none, headers ignored)")
    serve.add_argument("--trusted-proxy-header", choices=("x-forwarded-for", "forwarded"), default="x-forwarded-for",
                       help="which header the trusted proxy sets (default: x-forwarded-for)")

    codes = add_command(commands, "codes", "write each roster student's personal code for the self-check page (CSV)")
    codes.add_argument("roster", type=Path, help="class list: an LMS gradebook export or a CSV of id, name, email, section")
    codes.add_argument("--secret-file", type=Path, required=True, metavar="FILE",
                       help="the course secret, also given to `serve --secret-file`; at least 16 characters (required)")
    codes.add_argument("--out", type=Path, metavar="FILE", help="CSV to write (default: print it)")

    check = add_command(commands, "check", "check one submission: each answer correct or incorrect, with feedback", CHECK_KEY_WARNING)
    check.add_argument("rubric", type=Path, help=rubric_help)
    check.add_argument("submission", type=Path, help="the answer file to check (any format `grade` reads)")
    add_limit_options(check)
    return parser
