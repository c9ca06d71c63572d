"""One HTML report per student, through an autoescaping Jinja2 template."""
from __future__ import annotations

from typing import Any

from grader.answer_key import AnswerKey
from grader.exports.class_summary import template_environment
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


def render(batch: BatchResult) -> Rendered:
    template = template_environment().get_template("report.html.j2")
    stems = unique_stems([result.student_id for result in batch.results])
    for stem, result in zip(stems, batch.results):
        html = template.render(report_context(result, batch.key))
        yield f"{FOLDER}/{stem}.html", html.encode("utf-8")


EXPORTER = Exporter(name="student reports", render=render)
