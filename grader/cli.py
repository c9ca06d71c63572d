"""The `grader` command: a thin shell that parses arguments, calls the core, and writes files.

Exit codes: 0 all fine; 1 graded, but some submission needs a TA's attention; 2 nothing could
be done (bad arguments, an invalid rubric, an unreadable file given to `check`, an output that
cannot be written, a closed pipe). Whatever goes wrong, the TA sees one line, never a traceback.
"""
from __future__ import annotations

import argparse
import datetime
import errno
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from grader.arguments import build_parser, limits_from
from grader.base.errors import GraderError
from grader.base.limits import Limits
from grader.base.parallel import worker_count
from grader.base.safety import safe_file_stem, terminal_safe
from grader.console import check_as_text, key_as_json, key_as_text, summary_as_text
from grader.course.class_grading import grade_class
from grader.course.class_inputs import read_class_inputs
from grader.exports import lms_uploads
from grader.files import output_lock, write_atomic
from grader.handout.answer_file import answer_sheet
from grader.intake.discovery import discover
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


def warn_if_shared_key(key: AnswerKey, student_id: str | None, command: str) -> None:
    """A variant rubric's key or sheet without `--student` is nobody's: say so where it cannot be missed."""
    if key.rubric.varies and student_id is None:
        print(
            f"grader: WARNING: {key.rubric.assignment} draws each student's own numbers, so each student's "
            f"answers differ from this {command}; use --student ID for one student's.",
            file=sys.stderr,
        )


def emit(text: str, out: Path | None) -> None:
    """Print `text`, or write it to the file `out` (atomically)."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    refuse_folder(out, "a file to write")
    write_atomic(out, text.encode("utf-8"))
    print(f"Wrote {out}", file=sys.stderr)


def refuse_folder(path: Path, expected: str) -> None:
    if path.is_dir():
        raise GraderError(f"--out {path}: is a folder; expected {expected}")
    refuse_file(path.parent)


def refuse_file(path: Path) -> None:
    """An output folder (or a folder to hold an output file) where a file stands, named before any work."""
    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                what = "is a file" if place == path else f"lies in {place}, which is a file"
                raise GraderError(f"--out {path}: {what}; expected a folder to write into (a new or existing one)")
            return


def solve_main(rubric: Path, output_format: str, student_id: str | None, out: Path | None = None) -> int:
    key = load_key(rubric, student_id)
    warn_if_shared_key(key, student_id, "key")
    emit(key_as_json(key) if output_format == "json" else key_as_text(key), out)
    return EXIT_OK


def template_main(rubric: Path, sheet_format: str, output: Path | None, student_id: str | None, out_dir: Path | None) -> int:
    key = load_key(rubric, student_id)
    warn_if_shared_key(key, student_id, "sheet")
    if out_dir is not None:
        refuse_file(out_dir)
        stem = safe_file_stem(student_id or key.rubric.assignment)
        for extension in ("md", sheet_format if sheet_format != "md" else "yaml"):
            target = out_dir / f"{stem}.{extension}"
            write_atomic(target, answer_sheet(key, extension, student_id or "").encode("utf-8"))
            print(f"Wrote {target}", file=sys.stderr)
        return EXIT_OK
    emit(answer_sheet(key, sheet_format, student_id or ""), output)
    return EXIT_OK


def grade_main(
    rubric: Path, paths: Sequence[Path], out_dir: Path, roster: Path | None, times: Path | None, intake: Intake, jobs: int | None,
    missing_as: str | None = None,
) -> int:
    refuse_file(out_dir)
    refuse_output_among_inputs(out_dir, paths)
    key = load_key(rubric)
    if missing_as is not None:  # the command line wins over the rubric's `missing_submissions`
        key = replace(key, rubric=replace(key.rubric, missing_as=missing_as))
    found = discover(paths)
    if not found.files:
        passed_over = "".join(f"\n  {item.path}: {item.reason}" for item in found.not_graded)
        raise GraderError(f"no submission files ({', '.join(sorted(READERS))}) found in {', '.join(map(str, paths))}{passed_over}")
    inputs = read_class_inputs(rubric, key, roster, times)
    with output_lock(out_dir):
        with progress_bar("grading", sys.stderr, len(found.files), len(found.files)) as advance:
            batch = grade_class(key, found.files, inputs, intake, worker_count(jobs, len(found.files)), advance, found.not_graded)
        batch = replace(batch, reveal=key.rubric.reveal.allows(now()))
        students = len(batch.results)  # one form export may hold a whole class
        with progress_bar("files written", sys.stderr, students) as advance:
            written = write_outputs(batch, out_dir, worker_count(jobs, students), advance)
    print(summary_as_text(batch))
    print("\n" + "\n".join(lms_uploads.summary_lines(batch)))
    print(f"\nWrote {written} files to {out_dir}/ (students/, summary.html, grades.csv, gradebook.xlsx, not-graded.csv, shared-answers.csv, lms/)")
    return EXIT_ATTENTION if batch.needs_attention or lms_uploads.needs_attention(batch) else EXIT_OK


def refuse_output_among_inputs(out_dir: Path, paths: Sequence[Path]) -> None:
    """An output folder inside a submissions folder would be read back as submissions on the next
    run (and one around a submissions folder would replace it): both are refused."""
    out = out_dir.resolve()
    for path in paths:
        given = path.resolve()
        if given.is_dir() and out.is_relative_to(given):
            raise GraderError(f"--out {out_dir} is inside the submissions folder {path}: choose an output folder outside it")
        if given.is_relative_to(out):
            raise GraderError(f"--out {out_dir} holds the submissions {path}, which writing the outputs would replace: choose another output folder")


def check_main(rubric: Path, submission_path: Path, limits: Limits) -> int:
    key = load_key(rubric)
    submission = read_submission(submission_path, key.by_path, Intake(limits))
    result = grade_submission(answer_key_for(key, submission.student_id), submission)
    print(check_as_text(result, key, key.rubric.reveal.allows(now()), colour=wants_colour(sys.stdout, os.environ)))
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


def serve_main(args: argparse.Namespace) -> int:
    """The self-check page; loopback by default, so exposing it is a deliberate choice."""
    from grader.web.app import ServeSettings, create_app  # imported here: only this command needs the web stack
    from grader.web.identity import read_secret
    from grader.web.server import ServerSettings, make_server

    keys: dict[str, AnswerKey] = {}
    for path in args.rubrics:
        key = load_key(path)
        if key.rubric.assignment in keys:
            raise GraderError(f"{path}: the assignment id '{key.rubric.assignment}' is served already")
        keys[key.rubric.assignment] = key
    secret = read_secret(args.secret_file) if args.secret_file else None
    settings = ServeSettings(keys, args.log, args.checks_per_hour, args.checks_per_hour_per_address, access_secret=secret)
    server = make_server(create_app(settings), ServerSettings(args.host, args.port, trusted_proxy=args.trusted_proxy,
                                                              trusted_proxy_header=args.trusted_proxy_header), settings.max_request_bytes)
    codes = "personal codes required" if secret else "no personal codes"
    print(f"Self-check page on http://{args.host}:{args.port}/ ({codes}; attempts logged to {args.log}); Ctrl-C stops it.", flush=True)
    server.run()
    return EXIT_OK


def codes_main(roster: Path, secret_file: Path, out: Path | None) -> int:
    """Each roster student's personal code for the self-check page, as a CSV."""
    from grader.intake.roster import read_roster
    from grader.web.identity import access_codes_csv, read_secret

    people = read_roster(roster)
    table = access_codes_csv(people, read_secret(secret_file))
    if out is None:
        sys.stdout.write(table.decode("utf-8"))
    else:
        write_atomic(out, table)
        print(f"Wrote {len(people)} codes to {out}; give each student theirs, and keep the secret file private.")
    return EXIT_OK


def wants_colour(stream: Any, environ: Any) -> bool:
    """Colour on a terminal only, and never when NO_COLOR is set to anything (https://no-color.org)."""
    return bool(stream.isatty()) and not environ.get("NO_COLOR")


def run_command(args: argparse.Namespace) -> int:
    if args.command == "solve":
        return solve_main(args.rubric, args.format, args.student, args.out)
    if args.command == "template":
        return template_main(args.rubric, args.format, args.output, args.student, args.output_dir)
    if args.command == "validate":
        return validate_main(args.rubric)
    if args.command == "serve":
        return serve_main(args)
    if args.command == "codes":
        return codes_main(args.roster, args.secret_file, args.out)
    if args.command == "grade":
        columns = load_form_columns(args.columns) if args.columns else FormColumns()
        intake = Intake(limits_from(args), columns)
        return grade_main(args.rubric, args.paths, args.out, args.roster, args.timestamps, intake, args.jobs, args.missing_as)
    return check_main(args.rubric, args.submission, limits_from(args))


OS_ERROR_HINTS = {
    errno.EACCES: "choose another place with --out, or make this one writable",
    errno.EPERM: "choose another place with --out, or make this one writable",
    errno.EROFS: "choose another place with --out",
    errno.ENOTDIR: "a file stands where a folder is needed: choose another --out",
    errno.EEXIST: "a file stands where a folder is needed: choose another --out",
    errno.ENOSPC: "free some space, or choose another --out",
    errno.EADDRINUSE: "another program uses this port: choose another with --port",
}


def describe_os_error(error: OSError) -> str:
    """An operating-system refusal as one line: the path, what happened, what to do."""
    where = f"{error.filename}: " if error.filename else ""
    reason = (error.strerror or str(error)).lower()
    hint = OS_ERROR_HINTS.get(error.errno or 0)
    return f"{where}{reason}" + (f" ({hint})" if hint else "")


def quiet_stdout() -> None:
    """After the reader of stdout went away, point stdout at nothing so exiting prints no error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def fail(message: str) -> int:
    try:
        print(f"grader: {terminal_safe(message, keep_newlines=True)}", file=sys.stderr)
    except OSError:
        pass  # stderr is gone too: the exit code is all that is left to say it
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and an exit code, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        code = run_command(args)
        sys.stdout.flush()  # a closed pipe is found here, not at exit where nothing could catch it
        return code
    except GraderError as error:
        return fail(str(error))
    except BrokenPipeError:
        quiet_stdout()
        return fail("the output was closed before all of it was written (e.g. piped into `head`)")
    except OSError as error:
        return fail(describe_os_error(error))
    except KeyboardInterrupt:
        return fail("interrupted")
    except Exception as error:  # a bug in grader: still one line, with the way to see more
        if os.environ.get("GRADER_DEBUG"):
            raise
        return fail(f"unexpected error ({type(error).__name__}: {error}); this is a bug in grader, please report it "
                    "(GRADER_DEBUG=1 shows the traceback)")


if __name__ == "__main__":
    sys.exit(main())
