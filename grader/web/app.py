"""The self-check page as a Flask app: a thin shell over the same core as `grader check`.

A student picks the assignment, gives their id (and their personal code when the course uses
them), and types or uploads their answers; the page comes back with their answers still in it
and each verdict, points and feedback beside its field, reference values only where the
rubric's reveal policy allows. `POST /api/check/<assignment>` gives the same verdicts as JSON
for `grader.check_remote` in a notebook. Nothing a student sends is written to disk but one
line of the attempt log.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from grader.base.errors import GraderError
from grader.base.limits import MAX_FILE_BYTES
from grader.base.numbers import format_number
from grader.exports.report_context import report_context
from grader.handout.question_sheet import questions
from grader.judging.scoring import grade_submission
from grader.rubric.answer_key import AnswerKey, answer_key_for
from grader.web.attempts import Attempt, AttemptLog, LookAlikes, RateLimiter
from grader.web.guards import add_security_headers, refuse_cross_site_form, require_json
from grader.web.identity import code_matches, look_alike_key, normalised_id
from grader.web.reading import UPLOAD_SUFFIXES, api_submission, form_submission

STUDENT_ID = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
FIELD_PREFIX = "answer:"
REQUEST_OVERHEAD = 64 * 1024  # the form's other fields and multipart framing, beyond the file itself


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class ServeSettings:
    keys: Mapping[str, AnswerKey]  # assignment id → the rubric's key
    log_path: Path
    checks_per_hour: int = 20  # per student (normalised id) and assignment
    checks_per_hour_per_address: int = 120  # per client address, every assignment and id together
    max_upload_bytes: int = MAX_FILE_BYTES
    access_secret: bytes | None = None  # when set, every check needs the student's personal code
    clock: Callable[[], dt.datetime] = utc_now

    @property
    def max_request_bytes(self) -> int:
        """The largest request body accepted: refused beyond this before it is read or spooled."""
        return self.max_upload_bytes + REQUEST_OVERHEAD


@dataclass(frozen=True)
class Checked:
    """One check's outcome, shown by the page and the JSON endpoint alike."""

    key: AnswerKey
    context: dict[str, Any]
    answers: dict[str, str]  # path → the text to put back in its field

    @property
    def rows(self) -> dict[str, dict[str, str]]:
        return {row["path"]: row for problem in self.context["problems"] for row in problem.rows}


def create_app(settings: ServeSettings) -> Flask:
    here = Path(__file__).resolve().parent
    app = Flask(__name__, template_folder=str(here.parent / "templates"), static_folder=str(here / "static"))
    app.config.update(MAX_CONTENT_LENGTH=settings.max_request_bytes, PROPAGATE_EXCEPTIONS=False)
    app.jinja_env.autoescape = True  # Flask escapes only *.html by name; our templates are *.html.j2
    per_student = RateLimiter(settings.checks_per_hour)
    per_address = RateLimiter(settings.checks_per_hour_per_address)
    log = AttemptLog(settings.log_path)
    look_alikes = LookAlikes()
    for earlier in log.student_ids():  # a restart keeps flagging look-alikes of ids seen before it
        look_alikes.others(look_alike_key(earlier), earlier)

    def run_check(assignment: str, student_id: str | None, code: str, via: str, read: Callable[[AnswerKey, str], Any]) -> Checked:
        """The limits, the code, the grading and the log line, in that order: a wrong code or a
        throwaway id still counts against the address, never against the student named."""
        key = _key(settings, assignment)
        if student_id is None:
            abort(400, "Give your student id (at most 64 characters).")
        now = settings.clock()
        address = request.remote_addr or ""
        if not per_address.allow(address, now):
            abort(429, f"{settings.checks_per_hour_per_address} checks came from your network in the last hour: try again later.")
        if settings.access_secret is not None and not code_matches(settings.access_secret, student_id, code):
            abort(403, "That personal code does not belong to this student id; your TA sent you yours.")
        if not per_student.allow((assignment, normalised_id(student_id)), now):
            abort(429, f"You have checked {settings.checks_per_hour} times in the last hour: try again later.")
        mine = answer_key_for(key, student_id)
        try:
            submission, answers = read(mine, student_id)
        except GraderError as error:
            abort(400, f"Your answers could not be read: {error}")
        result = grade_submission(mine, submission)
        reveal = mine.rubric.reveal.allows(now)
        twins = look_alikes.others(look_alike_key(student_id), student_id)
        log.append(Attempt(now, assignment, student_id, format_number(result.total), format_number(result.possible), via, address, twins))
        checked = Checked(mine, report_context(result, mine, reveal), answers)
        return checked if answers else dataclasses.replace(checked, answers={path: row["raw"] for path, row in checked.rows.items()})

    def page(assignment: str, key: AnswerKey, student_id: str, checked: Checked | None) -> str:
        return render_template("web_form.html.j2", assignment_id=assignment, key=key, student_id=student_id,
                               needs_code=settings.access_secret is not None, questions=questions(key),
                               field_prefix=FIELD_PREFIX, max_upload=settings.max_upload_bytes, accept=",".join(UPLOAD_SUFFIXES),
                               checked=checked, rows=checked.rows if checked else {}, answers=checked.answers if checked else {},
                               scores={problem.id: problem for problem in checked.context["problems"]} if checked else {})

    @app.after_request
    def headers(response: Response) -> Response:
        return add_security_headers(response)

    @app.get("/")
    def index() -> str:
        return render_template("web_index.html.j2", keys=settings.keys, needs_code=settings.access_secret is not None)

    @app.get("/favicon.ico")
    def favicon() -> ResponseReturnValue:
        return "", 204  # none: browsers ask anyway, and a 404 would fill the server's log

    @app.get("/check")
    def choose() -> ResponseReturnValue:
        return redirect(url_for("form", assignment=request.args.get("assignment", ""), student=request.args.get("student", "")))

    @app.get("/check/<assignment>")
    def form(assignment: str) -> ResponseReturnValue:
        key = _key(settings, assignment)
        student_id = _student_id(request.args.get("student", ""))
        if student_id is None:
            return redirect(url_for("index"))
        return page(assignment, answer_key_for(key, student_id), student_id, None)

    @app.post("/check/<assignment>")
    def check(assignment: str) -> ResponseReturnValue:
        refuse_cross_site_form(request)
        student_id = _student_id(request.form.get("student", ""))
        code = request.form.get("code", "")[:64]
        upload = request.files.get("file")

        def read(key: AnswerKey, student: str) -> Any:
            return form_submission(key, student, request.form, upload, FIELD_PREFIX, settings.max_upload_bytes)

        checked = run_check(assignment, student_id, code, "upload" if upload and upload.filename else "form", read)
        return page(assignment, checked.key, checked.context["student_id"], checked)

    @app.post("/api/check/<assignment>")
    def api_check(assignment: str) -> ResponseReturnValue:
        body = require_json(request)
        student_id = _student_id(_text(body.get("student_id")))
        code = _text(body.get("code"))[:64]

        def read(key: AnswerKey, student: str) -> Any:
            return api_submission(key, student, body.get("answers"), settings.max_upload_bytes)

        checked = run_check(assignment, student_id, code, "api", read)
        return jsonify(_as_json(checked))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        message = _message(error, settings)
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "status": error.code}), error.code or 500
        return render_template("web_error.html.j2", code=error.code, message=message), error.code or 500

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("self-check failed")  # the traceback goes to the server's log, never the page
        message = "Something went wrong on our side; your TA can see the attempt log. Please try again."
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "status": 500}), 500
        return render_template("web_error.html.j2", code=500, message=message), 500

    return app


def _key(settings: ServeSettings, assignment: str) -> AnswerKey:
    if assignment not in settings.keys:
        abort(404, "There is no such assignment here.")
    return settings.keys[assignment]


def _student_id(raw: str) -> str | None:
    text = raw.strip()
    return text if STUDENT_ID.fullmatch(text) else None


def _text(value: Any) -> str:
    """A JSON field that must be text: anything else (a number, a list) counts as not given."""
    return value if isinstance(value, str) else ""


def _message(error: HTTPException, settings: ServeSettings) -> str:
    if error.code == 413:
        return f"That is too large for an answer file (at most {settings.max_upload_bytes:,} bytes)."
    return error.description or "That request could not be handled."


def _as_json(checked: Checked) -> dict[str, Any]:
    """The page's verdicts as data: one entry per answer, in the rubric's order."""
    context = checked.context
    reveal = context["reveal"]
    verdicts = [
        {"path": row["path"], "problem": problem.id, "answer": row["raw"], "verdict": row["status"], "points": row["points"],
         "possible": row["possible"], "read_as": row["read_as"], "mistake": row["mistake"], "feedback": row["feedback"],
         **({"expected": row["expected"]} if reveal else {})}
        for problem in context["problems"] for row in problem.rows
    ]
    return {"assignment": context["assignment"], "title": context["assignment_title"], "student_id": context["student_id"],
            "score": context["total"], "possible": context["possible"], "reveal": reveal, "notes": list(context["notes"]),
            "problems": [{"id": p.id, "title": p.title, "score": p.score, "possible": p.possible} for p in context["problems"]],
            "verdicts": verdicts}
