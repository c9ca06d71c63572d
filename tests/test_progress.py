"""grader.progress: a bar on a terminal for long batches, nothing anywhere else."""
from __future__ import annotations

import io

from grader.progress import SHOW_FROM, progress_bar, progress_line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_batch_on_a_terminal_shows_a_bar_that_ends_the_line() -> None:
    stream = Terminal()
    with progress_bar("grading", stream, 1000, 1000) as advance:
        advance(500)
        advance(500)
    assert stream.getvalue() == (
        "\rgrading [" + "#" * 15 + "." * 15 + "] 500/1,000" + "\rgrading [" + "#" * 30 + "] 1,000/1,000\n"
    )


def test_without_a_total_the_count_is_shown() -> None:
    stream = Terminal()
    with progress_bar("files written", stream, 2000) as advance:
        advance(200)
        assert stream.getvalue() == "\rfiles written: 200"
    assert stream.getvalue() == "\rfiles written: 200\n"


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with progress_bar("grading", stream, 10_000, 10_000) as advance:
        advance(10_000)
    assert stream.getvalue() == ""


def test_silent_for_a_short_batch_even_on_a_terminal() -> None:
    stream = Terminal()
    with progress_bar("grading", stream, SHOW_FROM - 1, SHOW_FROM - 1) as advance:
        advance(SHOW_FROM - 1)
    assert stream.getvalue() == ""


def test_a_bar_that_never_moved_prints_nothing() -> None:
    stream = Terminal()
    with progress_bar("grading", stream, 1000, 1000):
        pass
    assert stream.getvalue() == ""


def test_the_line_never_overflows_its_width() -> None:
    assert progress_line("x", 0, 3) == "x [" + "." * 30 + "] 0/3"
    assert progress_line("x", 1, 3) == "x [" + "#" * 10 + "." * 20 + "] 1/3"
    assert progress_line("x", 4, 3) == "x [" + "#" * 30 + "] 4/3"
