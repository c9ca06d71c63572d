"""A graded class as plain frozen data: the key, every result in a stable order, and the class
figures worked out once for every output that shows them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from grader.course.statistics import ClassStatistics, class_statistics
from grader.intake.discovery import NotGraded
from grader.judging.results import Standing, StudentResult
from grader.rubric.answer_key import AnswerKey


@dataclass(frozen=True)
class BatchResult:
    """A graded class, in a stable order (by student id, then file)."""

    key: AnswerKey
    results: tuple[StudentResult, ...]
    reveal: bool = False  # may outputs show reference values (the rubric's policy at grading time)
    not_graded: tuple[NotGraded, ...] = ()  # paths under the given folders that were not graded, with why

    @cached_property
    def statistics(self) -> ClassStatistics:
        """The class figures, computed once for the summary and the workbook alike."""
        return class_statistics(self.key, self.results)

    @property
    def counted(self) -> tuple[StudentResult, ...]:
        """One result a student: the submission that counts (LMS files take these, never a
        superseded copy)."""
        return tuple(result for result in self.results if result.counted)

    @cached_property
    def standing_counts(self) -> dict[Standing, int]:
        """How many results stand where, every standing listed: the one count the terminal,
        summary.html and the workbook all show."""
        counts = dict.fromkeys(Standing, 0)
        for result in self.results:
            counts[result.standing] += 1
        return counts

    def counts_text(self) -> str:
        """`7 graded, 1 needs review, 1 invalid`: the standings that occur, in one wording everywhere."""
        return ", ".join(f"{count} {standing.value}" for standing, count in self.standing_counts.items() if count)

    @property
    def needs_attention(self) -> bool:
        return bool(self.not_graded) or any(
            result.standing in (Standing.REVIEW, Standing.INVALID, Standing.MISSING) for result in self.results
        )
