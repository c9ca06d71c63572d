"""A progress line for long batches on a terminal, and silence anywhere else (pipes, logs, CI)."""
from __future__ import annotations

from typing import TextIO

from grader.parallel import Progress

SHOW_FROM = 500  # a smaller batch is over before a bar is worth reading
WIDTH = 30


def progress_bar(label: str, stream: TextIO, batch_size: int, total: int | None = None) -> Progress:
    """A callable advancing the bar by n; a no-op unless `stream` is a terminal and the batch is
    long. With no total (the number of files to write is known only once written), the count alone."""
    if not stream.isatty() or batch_size < SHOW_FROM:
        return lambda _: None
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        stream.write("\r" + progress_line(label, done, total))
        if total is not None and done >= total:
            stream.write("\n")
        stream.flush()

    return advance


def progress_line(label: str, done: int, total: int | None) -> str:
    if total is None:
        return f"{label}: {done:,}"
    filled = WIDTH * done // max(total, 1)
    return f"{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,}"
