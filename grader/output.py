"""Writing a graded class's outputs: every exporter's files, and the per-student ones rendered and
written by worker processes when there are several, so neither the work nor the memory of
thousands of reports lands on one process.

The whole set is built in a staging folder and moved into place at the end (grader.files), so an
interrupted run leaves the previous set whole, and a set is never half one run's, half another's."""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, wait
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

from grader.base.parallel import CHUNK, Progress, chunked, no_progress, worker_pool
from grader.course.class_results import BatchResult
from grader.exports import EXPORTERS
from grader.exports.exporter import Content, content_pieces
from grader.exports.lms_rows import ASSIGNMENT_FILES, assignment_stem
from grader.files import carry_over, commit, fresh_staging, remove, write_plain

IN_FLIGHT = 4  # chunks handed out a worker: enough to keep it busy


def write_files(staging: Path, items: list[tuple[str, Content]]) -> int:
    made: set[Path] = {staging}
    for relative, content in items:
        path = staging / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        write_plain(path, content_pieces(content))  # a large workbook is written as it is made, never held whole
    return len(items)


def write_outputs(batch: BatchResult, out_dir: Path, workers: int = 1, progress: Progress = no_progress) -> int:
    """Deferred content goes to the workers in chunks; the rest (a few whole-class files) is
    written here meanwhile. Returns the number of files written. The caller holds the folder's
    lock (grader.files.output_lock)."""
    staging = fresh_staging(out_dir)
    batch.statistics  # noqa: B018 - worked out once here, so they travel with the batch to any worker that needs them
    try:
        written = _write_all(batch, staging, workers, progress)
        # lms/ holds each assignment's own files: grading the next assignment keeps the last one's
        carry_over(out_dir, staging, ASSIGNMENT_FILES, keep=lambda name: not name.startswith(f"{assignment_stem(batch)}-"))
    except BaseException:
        remove(staging)
        raise
    commit(out_dir, staging)
    return written


def _chunks(batch: BatchResult) -> Iterator[list[tuple[str, Content]]]:
    """Every exporter's files in chunks, in the registry's order; the per-student exporters'
    files come together where the first of them stands, each student's files in one chunk."""
    students_started = False
    for exporter in EXPORTERS:
        if not exporter.per_student:
            yield from chunked(exporter.render(batch))
        elif not students_started:
            students_started = True
            renders = [other.render(batch) for other in EXPORTERS if other.per_student]
            size = max(1, CHUNK // len(renders)) * len(renders)  # a student's files never straddle two chunks
            yield from chunked((item for files in zip(*renders, strict=True) for item in files), size)


def _write_all(batch: BatchResult, staging: Path, workers: int, progress: Progress) -> int:
    """At most IN_FLIGHT chunks a worker are handed out at a time, so that the chunks of a class
    of 100,000 are not all made (and held) before the workers have written the first."""
    written = 0
    with worker_pool(workers) as pool:
        pending: set[Future[int]] = set()
        for items in _chunks(batch):
            if pool is not None and all(callable(content) for _, content in items):
                pending.add(pool.submit(partial(write_files, staging, items)))
                if len(pending) >= IN_FLIGHT * workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    written += _counted(done, progress)
            else:
                written += write_files(staging, items)
                progress(len(items))
        written += _counted(pending, progress)
    return written


def _counted(futures: Iterable[Future[int]], progress: Progress) -> int:
    """The files the chunks wrote, once they are done (a worker's error is raised here)."""
    written = 0
    for future in futures:
        count = future.result()
        written += count
        progress(count)
    return written
