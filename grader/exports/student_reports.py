"""One HTML report per student, through an autoescaping Jinja2 template.

Each report is yielded as deferred content (a picklable partial), so the shell can render and
write thousands of them on several processes without holding them all in memory.
"""
from __future__ import annotations

from functools import cache, lru_cache, partial

from jinja2 import Template
from markupsafe import Markup

from grader.base.safety import unique_stems
from grader.course.class_results import BatchResult
from grader.exports.class_summary import template_environment
from grader.exports.exporter import Exporter, Rendered
from grader.exports.report_context import ROW_CACHE, ProblemSection, RowCache, report_context, row_fields
from grader.judging.results import StudentResult, Verdict
from grader.rubric.answer_key import AnswerKey

FOLDER = "students"


@cache
def _template(name: str) -> Template:
    """Compiled once per process (a worker compiles its own)."""
    return template_environment().get_template(name)


@RowCache
def row_html(verdict: Verdict, reveal: bool) -> Markup:
    return Markup(_template("report_row.html.j2").render(row=row_fields(verdict, reveal), reveal=reveal).rstrip("\n"))  # noqa: S704 - rendered by an autoescaping template


@lru_cache(maxsize=ROW_CACHE)
def section_html(problem: ProblemSection, reveal: bool) -> Markup:
    rows = Markup("".join(f"{row}\n" for row in problem.rows))  # noqa: S704 - rows rendered by an autoescaping template
    return Markup(_template("report_problem.html.j2").render(problem=problem, rows=rows, reveal=reveal).rstrip("\n"))  # noqa: S704 - rendered by an autoescaping template


def render_report(result: StudentResult, key: AnswerKey, reveal: bool) -> bytes:
    context = report_context(result, key, reveal, row_html)
    sections = [section_html(problem, reveal) for problem in context["problems"]]
    return _template("report.html.j2").render(context, sections=sections).encode("utf-8")


def report_stems(batch: BatchResult) -> list[str]:
    """File stems in batch order; a student's counted submission gets the plain `<id>.html`,
    superseded ones `<id>-2.html`, …"""
    order = sorted(range(len(batch.results)), key=lambda index: not batch.results[index].counted)
    stems = dict(zip(order, unique_stems([batch.results[index].student_id for index in order])))
    return [stems[index] for index in range(len(batch.results))]


def render(batch: BatchResult) -> Rendered:
    stems = report_stems(batch)
    for stem, result in zip(stems, batch.results):
        yield f"{FOLDER}/{stem}.html", partial(render_report, result, batch.key, batch.reveal)


EXPORTER = Exporter(name="student reports", render=render, per_student=True)
