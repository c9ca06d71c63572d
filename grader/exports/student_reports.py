"""One HTML report per student, through an autoescaping Jinja2 template."""
from __future__ import annotations

from functools import cache, partial
from typing import Any

from jinja2 import Environment, PackageLoader, Template
from markupsafe import Markup

from grader.answer_key import AnswerKey
from grader.exports.base import Exporter, Rendered
from grader.numbers import format_number
from grader.results import BatchResult, StudentResult, Verdict
from grader.safety import unique_stems

FOLDER = "students"

RowCache = dict[int, tuple[Verdict, Markup]]


def row_context(verdict: Verdict, key: AnswerKey, reveal: bool) -> dict[str, str]:
    return {
        "path": verdict.path,
        "raw": verdict.raw_text,
        "value": "" if verdict.value is None else format_number(verdict.value),
        "expected": format_number(key.by_path[verdict.path].value) if reveal else "",
        "status": verdict.status.value,
        "points": format_number(verdict.points),
        "possible": format_number(verdict.possible),
        "feedback": verdict.feedback,
    }


def row_html(verdict: Verdict, key: AnswerKey, reveal: bool, rows: RowCache) -> Markup:
    """A class shares a few verdict objects (scoring remembers them), so each row is rendered once
    per verdict object; the verdict is kept in the cache so its id cannot be reused."""
    cached = rows.get(id(verdict))
    if cached is None:
        cached = rows[id(verdict)] = (verdict, report_template().module.row(row_context(verdict, key, reveal), reveal))  # type: ignore[attr-defined]
    return cached[1]


def report_context(result: StudentResult, key: AnswerKey, rows: RowCache) -> dict[str, Any]:
    """Everything the template shows, already formatted; reference values only if the rubric reveals them."""
    rubric = key.rubric
    reveal = rubric.reveal == "always"
    problems = []
    for problem in rubric.problems:
        verdicts = [v for v in result.verdicts if v.problem_id == problem.id]
        problems.append(
            {
                "id": problem.id,
                "title": problem.title,
                "text": problem.text,
                "score": format_number(result.problem_score(problem.id)),
                "possible": format_number(key.problem_possible(problem.id)),
                "rows": [row_html(v, key, reveal, rows) for v in verdicts],
            }
        )
    return {
        "assignment": rubric.assignment,
        "assignment_title": rubric.title,
        "student_id": result.student_id,
        "student_name": result.name,
        "standing": result.standing.value,
        "total": format_number(result.total),
        "possible": format_number(result.possible),
        "notes": (*result.notes, result.resolution) if result.resolution else result.notes,
        "problems": problems,
        "reveal": reveal,
        "source": result.source,
    }


@cache
def report_template() -> Template:
    """Compiled once per process: compiling costs more than rendering a report."""
    environment = Environment(
        loader=PackageLoader("grader", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("report.html.j2")


def render_report(key: AnswerKey, result: StudentResult, rows: RowCache) -> bytes:
    return report_template().render(report_context(result, key, rows)).encode("utf-8")


def report_stems(batch: BatchResult) -> list[str]:
    """File stems in batch order; a student's counted submission gets the plain `<id>.html`,
    superseded ones `<id>-2.html`, …"""
    order = sorted(range(len(batch.results)), key=lambda index: not batch.results[index].counted)
    stems = dict(zip(order, unique_stems([batch.results[index].student_id for index in order])))
    return [stems[index] for index in range(len(batch.results))]


def render(batch: BatchResult) -> Rendered:
    """Each report is rendered when its content is called, possibly in another process. The reports
    of one render share a row cache; a chunk sent to a worker process takes one copy of it along."""
    stems = report_stems(batch)
    rows: RowCache = {}
    for stem, result in zip(stems, batch.results):
        yield f"{FOLDER}/{stem}.html", partial(render_report, batch.key, result, rows)


EXPORTER = Exporter(name="student reports", render=render)
