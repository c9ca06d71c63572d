"""grader: automated grading of quantitative deep-learning homework.

The Python API for notebooks (grader.api): `grader.grade(rubric, paths)` grades a class and
`grader.check(rubric, submission)` one submission, writing nothing; `GraderError` (and its kinds)
is what both raise; `grader.check_remote(url, student_id, answers)` checks against a course's
self-check page; the result types describe what they return. Each name is loaded on first
use, so the command line does not pay for pandas.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# public name → the module that defines it
PUBLIC = {
    "grade": "grader.api",
    "check": "grader.api",
    "Graded": "grader.api",
    "GraderError": "grader.base.errors",
    "InputError": "grader.base.errors",
    "RubricError": "grader.base.errors",
    "BatchResult": "grader.course.class_results",
    "StudentResult": "grader.judging.results",
    "Verdict": "grader.judging.results",
    "Status": "grader.judging.results",
    "Standing": "grader.judging.results",
    "check_remote": "grader.web.client",  # a student's notebook: check against the course's self-check page
}
__all__ = [  # the names of PUBLIC, spelled out for linters and `from grader import *`
    "BatchResult", "Graded", "GraderError", "InputError", "RubricError", "Standing", "Status", "StudentResult", "Verdict", "check", "check_remote", "grade",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time each name loads on first use
    from grader.api import Graded, check, grade
    from grader.base.errors import GraderError, InputError, RubricError
    from grader.course.class_results import BatchResult
    from grader.judging.results import Standing, Status, StudentResult, Verdict
    from grader.web.client import check_remote


def __getattr__(name: str) -> Any:
    if name in PUBLIC:
        return getattr(import_module(PUBLIC[name]), name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *PUBLIC})
