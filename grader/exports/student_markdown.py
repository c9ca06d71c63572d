"""One Markdown report per student (`students/<id>.md`), for e-mail or an LMS comment box.

Markdown has no autoescaping, so every value passes the `md` filter: HTML and Markdown syntax a
student typed is shown as text, never rendered, and stays on one line so tables hold together.
"""
from __future__ import annotations

import html
import re
from functools import cache, lru_cache, partial

from jinja2 import Environment, PackageLoader, Template

from grader.course.class_results import BatchResult
from grader.exports.exporter import Exporter, Rendered
from grader.exports.report_context import ROW_CACHE, ProblemSection, RowCache, report_context, row_fields
from grader.exports.student_reports import FOLDER, report_stems
from grader.judging.results import StudentResult, Verdict
from grader.rubric.answer_key import AnswerKey

_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~#])")


def markdown_text(value: object) -> str:
    """Text safe inside a Markdown paragraph or table cell."""
    escaped = _MARKDOWN_SYNTAX.sub(r"\\\1", html.escape(str(value), quote=False))
    return " ".join(escaped.split())


@cache
def _template(name: str) -> Template:
    """Compiled once per process (a worker compiles its own)."""
    environment = Environment(  # noqa: S701 - Markdown, escaped by the `md` filter on every value
        loader=PackageLoader("grader", "templates"), autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["md"] = markdown_text
    return environment.get_template(name)


@RowCache
def row_markdown(verdict: Verdict, reveal: bool) -> str:
    return _template("report_row.md.j2").render(row=row_fields(verdict, reveal), reveal=reveal).rstrip("\n")


@lru_cache(maxsize=ROW_CACHE)
def section_markdown(problem: ProblemSection, reveal: bool) -> str:
    rows = "".join(f"{row}\n" for row in problem.rows)  # joined here: one string for the template, not a loop in it
    return _template("report_problem.md.j2").render(problem=problem, rows=rows, reveal=reveal)


def render_report(result: StudentResult, key: AnswerKey, reveal: bool) -> bytes:
    context = report_context(result, key, reveal, row_markdown)
    sections = [section_markdown(problem, reveal) for problem in context["problems"]]
    return _template("report.md.j2").render(context, sections=sections).encode("utf-8")


def render(batch: BatchResult) -> Rendered:
    """Deferred, like the HTML reports, so workers render them."""
    stems = report_stems(batch)
    for stem, result in zip(stems, batch.results):
        yield f"{FOLDER}/{stem}.md", partial(render_report, result, batch.key, batch.reveal)


EXPORTER = Exporter(name="student Markdown reports", render=render, per_student=True)
