"""One HTML report per student, through an autoescaping Jinja2 template."""
from __future__ import annotations

from grader.exports.base import Exporter, Rendered
from grader.exports.class_summary import template_environment
from grader.exports.report_context import report_context
from grader.results import BatchResult
from grader.safety import unique_stems

FOLDER = "students"


def render(batch: BatchResult) -> Rendered:
    template = template_environment().get_template("report.html.j2")
    stems = unique_stems([result.student_id for result in batch.results])
    for stem, result in zip(stems, batch.results):
        html = template.render(report_context(result, batch.key, batch.reveal))
        yield f"{FOLDER}/{stem}.html", html.encode("utf-8")


EXPORTER = Exporter(name="student reports", render=render)
