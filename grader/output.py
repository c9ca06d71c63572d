"""Writing a graded class's outputs: every exporter's files, each written atomically, and the
per-student ones rendered and written by worker processes when there are several, so neither the
work nor the memory of thousands of reports lands on one process."""
from __future__ import annotations

from concurrent.futures import Future
from functools import partial
from pathlib import Path

from grader.exports import EXPORTERS
from grader.exports.base import Content, content_bytes
from grader.files import write_atomic
from grader.parallel import Progress, chunked, no_progress, worker_pool
from grader.results import BatchResult


def write_files(out_dir: Path, items: list[tuple[str, Content]]) -> int:
    for relative, content in items:
        write_atomic(out_dir / relative, content_bytes(content))
    return len(items)


def write_outputs(batch: BatchResult, out_dir: Path, workers: int = 1, progress: Progress = no_progress) -> int:
    """Deferred content goes to the workers in chunks; the rest (a few whole-class files) is
    written here meanwhile. Returns the number of files written."""
    written = 0
    with worker_pool(workers) as pool:
        pending: list[Future[int]] = []
        for exporter in EXPORTERS:
            for items in chunked(exporter.render(batch)):
                if pool is not None and all(callable(content) for _, content in items):
                    pending.append(pool.submit(partial(write_files, out_dir, items)))
                else:
                    written += write_files(out_dir, items)
                    progress(len(items))
        for future in pending:
            count = future.result()
            written += count
            progress(count)
    return written

