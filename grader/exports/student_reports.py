"""One HTML report per student, through an autoescaping Jinja2 template."""
from __future__ import annotations

from functools import cache, partial
from typing import Any

from jinja2 import Environment, PackageLoader, Template

from grader.answer_key import AnswerKey
from grader.exports.base import Exporter, Rendered
from grader.numbers import format_number
from grader.results import BatchResult, StudentResult
from grader.safety import unique_stems

FOLDER = "students"


def report_context(result: StudentResult, key: AnswerKey) -> dict[str, Any]:
    """Everything the template shows, already formatted; reference values only if the rubric reveals them."""
    rubric = key.rubric
    reveal = rubric.reveal == "always"
    problems = []
    for problem in rubric.problems:
        verdicts = [v for v in result.verdicts if v.problem_id == problem.id]
        rows = [
            {
                "path": v.path,
                "raw": v.raw_text,
                "value": "" if v.value is None else format_number(v.value),
                "expected": format_number(key.by_path[v.path].value) if reveal else "",
                "status": v.status.value,
                "points": format_number(v.points),
                "possible": format_number(v.possible),
                "feedback": v.feedback,
            }
            for v in verdicts
        ]
        problems.append(
            {
                "id": problem.id,
                "title": problem.title,
                "text": problem.text,
                "score": format_number(result.problem_score(problem.id)),
                "possible": format_number(key.problem_possible(problem.id)),
                "rows": rows,
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
        "notes": result.notes,
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


def render_report(key: AnswerKey, result: StudentResult) -> bytes:
    return report_template().render(report_context(result, key)).encode("utf-8")


def render(batch: BatchResult) -> Rendered:
    """Each report is rendered when its content is called, possibly in another process."""
    stems = unique_stems([result.student_id for result in batch.results])
    for stem, result in zip(stems, batch.results):
        yield f"{FOLDER}/{stem}.html", partial(render_report, batch.key, result)


EXPORTER = Exporter(name="student reports", render=render)
