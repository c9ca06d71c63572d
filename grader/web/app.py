"""The self-check page as a Flask app: a thin shell over the same core as `grader check`.

A student picks the assignment, gives their id, and types or uploads their answers; the page
shows each verdict, points and feedback, and reference values only where the rubric's reveal
policy allows. Nothing a student sends is written to disk but one line of the attempt log.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable, Mapping

from flask import Flask, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from grader.base.documents import MAX_FILE_BYTES
from grader.base.errors import GraderError, InputError
from grader.base.limits import Limits
from grader.base.numbers import format_number
from grader.exports.report_context import report_context
from grader.handout.question_sheet import questions
from grader.intake.formats import read_uploaded
from grader.intake.settings import Intake
from grader.intake.submission import Submission, parse_submission
from grader.judging.scoring import grade_submission
from grader.rubric.answer_key import AnswerKey, answer_key_for
from grader.web.attempts import Attempt, AttemptLog, RateLimiter

STUDENT_ID = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
FIELD_PREFIX = "answer:"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class ServeSettings:
    keys: Mapping[str, AnswerKey]  # assignment id → the rubric's key
    log_path: Path
    checks_per_hour: int = 20
    max_upload_bytes: int = MAX_FILE_BYTES
    clock: Callable[[], dt.datetime] = utc_now


def create_app(settings: ServeSettings) -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent.parent / "templates"))
    app.config.update(MAX_CONTENT_LENGTH=settings.max_upload_bytes + 64 * 1024, PROPAGATE_EXCEPTIONS=False)
    app.jinja_env.autoescape = True  # Flask escapes only *.html by name; our templates are *.html.j2
    limiter = RateLimiter(settings.checks_per_hour)
    log = AttemptLog(settings.log_path)

    @app.get("/")
    def index() -> str:
        return render_template("web_index.html.j2", keys=settings.keys)

    @app.get("/check")
    def choose() -> ResponseReturnValue:
        return redirect(url_for("form", assignment=request.args.get("assignment", ""), student=request.args.get("student", "")))

    @app.get("/check/<assignment>")
    def form(assignment: str) -> ResponseReturnValue:
        key = _key(settings, assignment)
        student_id = _student_id(request.args.get("student", ""))
        if student_id is None:
            return redirect(url_for("index"))
        mine = answer_key_for(key, student_id)
        return render_template("web_form.html.j2", key=mine, student_id=student_id, questions=questions(mine),
                               field_prefix=FIELD_PREFIX, max_upload=settings.max_upload_bytes)

    @app.post("/check/<assignment>")
    def check(assignment: str) -> ResponseReturnValue:
        key = _key(settings, assignment)
        student_id = _student_id(request.form.get("student", ""))
        if student_id is None:
            abort(400, "Give your student id (at most 64 characters).")
        now = settings.clock()
        if not limiter.allow(assignment, student_id, now):
            abort(429, f"You have checked {settings.checks_per_hour} times in the last hour: try again later.")
        mine = answer_key_for(key, student_id)
        submission, via = _submission(mine, student_id, settings.max_upload_bytes)
        result = grade_submission(mine, submission)
        log.append(Attempt(now, assignment, student_id, format_number(result.total), format_number(result.possible), via))
        context = report_context(result, mine, mine.rubric.reveal.allows(now))
        return render_template("web_result.html.j2", assignment_id=assignment, **context)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_template("web_error.html.j2", code=error.code, message=_message(error)), error.code or 500

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("self-check failed")  # the traceback goes to the server's log, never the page
        message = "Something went wrong on our side; your TA can see the attempt log. Please try again."
        return render_template("web_error.html.j2", code=500, message=message), 500

    return app


def _key(settings: ServeSettings, assignment: str) -> AnswerKey:
    if assignment not in settings.keys:
        abort(404, "There is no such assignment here.")
    return settings.keys[assignment]


def _student_id(raw: str) -> str | None:
    text = raw.strip()
    return text if STUDENT_ID.fullmatch(text) else None


def _message(error: HTTPException) -> str:
    if error.code == 413:
        return "That file is too large for an answer file."
    return error.description or "That request could not be handled."


def _submission(key: AnswerKey, student_id: str, max_bytes: int) -> tuple[Submission, str]:
    """An uploaded answer file when there is one (its own student id ignored: the page is this
    student's), else the typed answers."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        name = Path("your file" + PurePath(upload.filename).suffix)  # only the suffix of the student's name is used
        try:
            limits = Limits(max_file_bytes=max_bytes, max_form_bytes=max_bytes)
            documents = read_uploaded(upload.read(max_bytes + 1), name, Intake(limits))
            if len(documents) != 1:
                raise InputError(str(name), "", "expected one student's answers; a form export of a class is for the TA")
            parsed = parse_submission(documents[0].data, str(name), student_id, key.by_path, limits)
        except GraderError as error:
            abort(400, f"Your file could not be read: {error}")
        return dataclasses.replace(parsed, student_id=student_id), "upload"
    answers = {name[len(FIELD_PREFIX):]: value for name, value in request.form.items() if name.startswith(FIELD_PREFIX)}
    return Submission("the form", student_id, "", answers), "form"



