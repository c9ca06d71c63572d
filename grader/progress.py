"""A progress line for long batches on a terminal, and silence anywhere else (pipes, logs, CI)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, TextIO

from grader.base.parallel import Progress

SHOW_FROM = 500  # a smaller batch is over before a bar is worth reading
WIDTH = 30


@contextmanager
def progress_bar(label: str, stream: TextIO, batch_size: int, total: int | None = None) -> Iterator[Progress]:
    """A callable advancing the line by n, ended with a newline on leaving the block; a no-op
    unless `stream` is a terminal and the batch is long. With no total (the number of files to
    write is known only once written), the count alone is shown."""
    if not stream.isatty() or batch_size < SHOW_FROM:
        yield lambda _: None
        return
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        stream.write("\r" + progress_line(label, done, total))
        stream.flush()

    try:
        yield advance
    finally:
        if done:
            stream.write("\n")
            stream.flush()


def progress_line(label: str, done: int, total: int | None) -> str:
    if total is None:
        return f"{label}: {done:,}"
    filled = WIDTH * min(done, total) // max(total, 1)
    return f"{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,}"
