"""One HTML report per student, through an autoescaping Jinja2 template.

Each report is yielded as deferred content (a picklable partial), so the shell can render and
write thousands of them on several processes without holding them all in memory.
"""
from __future__ import annotations

from functools import cache, partial

from jinja2 import Template

from grader.answer_key import AnswerKey
from grader.exports.base import Exporter, Rendered
from grader.exports.class_summary import template_environment
from grader.exports.report_context import report_context
from grader.results import BatchResult, StudentResult
from grader.safety import unique_stems

FOLDER = "students"


@cache
def _template() -> Template:
    """Compiled once per process (a worker compiles its own)."""
    return template_environment().get_template("report.html.j2")


def render_report(result: StudentResult, key: AnswerKey, reveal: bool) -> bytes:
    return _template().render(report_context(result, key, reveal)).encode("utf-8")


def render(batch: BatchResult) -> Rendered:
    stems = unique_stems([result.student_id for result in batch.results])
    for stem, result in zip(stems, batch.results):
        yield f"{FOLDER}/{stem}.html", partial(render_report, result, batch.key, batch.reveal)


EXPORTER = Exporter(name="student reports", render=render)
