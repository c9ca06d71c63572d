"""The one-method interface every export format implements."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Union

from grader.course.class_results import BatchResult

Content = Union[bytes, Callable[[], Union[bytes, Iterable[bytes]]]]
Rendered = Iterator[tuple[str, Content]]


@dataclass(frozen=True)
class Exporter:
    """`render` yields (path relative to the output folder, file content) pairs, one file at a time,
    so a class of thousands never holds every report in memory; the shell writes them.

    Content that is costly and one of many (a report per student) may be a picklable callable
    (a `functools.partial` of a module-level function) that renders it later, so the shell can
    spread that work over processes. An exporter that yields exactly one file per result, in the
    batch's order, says so with `per_student`: the shell then sends each student's files from
    every such exporter to a worker together, so a result is pickled once for all its files.

    A large file's callable may return its bytes in pieces (an iterable), which the shell
    writes as they come, so that a class's workbook is never held whole."""

    name: str
    render: Callable[[BatchResult], Rendered]
    per_student: bool = False


def content_pieces(content: Content) -> Iterable[bytes]:
    made = content() if callable(content) else content
    return (made,) if isinstance(made, bytes) else made


def content_bytes(content: Content) -> bytes:
    return b"".join(content_pieces(content))
