"""Domain exceptions: each carries a message a TA can act on, and the shell catches them once."""
from __future__ import annotations

from dataclasses import dataclass


class GraderError(Exception):
    """Anything the user can fix: a bad rubric, an unreadable file, a wrong argument."""


@dataclass(frozen=True)
class RubricIssue:
    """One thing wrong with a rubric, located precisely enough to fix without guessing."""

    source: str
    problem: str | None
    field: str
    expected: str

    def __str__(self) -> str:
        where = f"problem {self.problem}, " if self.problem else ""
        return f"{self.source}: {where}field '{self.field}': {self.expected}"


class RubricError(GraderError):
    """A rubric that cannot be used; lists every issue found, not only the first."""

    def __init__(self, issues: list[RubricIssue] | tuple[RubricIssue, ...]) -> None:
        self.issues = tuple(issues)
        count = len(self.issues)
        heading = "rubric is invalid" if count == 1 else f"rubric is invalid ({count} issues)"
        super().__init__("\n".join([heading, *(f"  - {issue}" for issue in self.issues)]))


class InputError(GraderError):
    """A file that cannot be read as a whole; in a batch the submission is flagged and the rest go on."""

    def __init__(self, source: str, place: str, expected: str) -> None:
        self.source = source
        self.place = place
        self.expected = expected
        super().__init__(f"{source} at {self.detail}" if place else f"{source}: {self.detail}")

    @property
    def detail(self) -> str:
        """The message without the file name, for places that already show the file."""
        return f"{self.place}: {self.expected}" if self.place else self.expected


class ExpressionError(GraderError):
    """An arithmetic expression in a rubric that does not parse or cannot be evaluated."""


class SettingsError(GraderError):
    """A TA's settings file (overrides, timestamps) that cannot be used; lists every issue found."""

    def __init__(self, source: str, issues: list[str]) -> None:
        self.issues = tuple(issues)
        super().__init__("\n".join([f"{source} cannot be used:", *(f"  - {issue}" for issue in self.issues)]))
