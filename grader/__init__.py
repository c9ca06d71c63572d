"""grader: automated grading of quantitative deep-learning homework. `grader.grade(...)` is the
notebook API (see grader.api); it is loaded on first use so the CLI does not pay for pandas."""
from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("grade", "Graded"):
        from grader import api

        return getattr(api, name)
    if name == "check_remote":  # a student's notebook: check against the course's self-check page
        from grader.web.client import check_remote

        return check_remote
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
