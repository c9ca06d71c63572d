"""The one-method interface every export format implements."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from grader.results import BatchResult

Rendered = Iterator[tuple[str, bytes]]


@dataclass(frozen=True)
class Exporter:
    """`render` yields (path relative to the output folder, file content) pairs, one file at a time,
    so a class of thousands never holds every report in memory; the shell writes them."""

    name: str
    render: Callable[[BatchResult], Rendered]
