"""Writing outputs so that an interrupted run never leaves a half-written file or a mixed set.

A run builds its whole output set in `.staging/` inside the output folder, marks it complete
(naming every entry), then moves each entry into place. A run killed before the mark leaves the
previous set untouched (its staging is deleted by the next run); one killed after it is rolled
forward by the next run, which finishes the moves. `.grader-output` names the entries of the
set in place (so a later run removes what it no longer writes) and tells discovery never to read
the folder as submissions; `.grader-lock` keeps a second run out while one writes."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from grader.base.errors import GraderError
from grader.intake.discovery import OUTPUT_MARKER

STAGING = ".staging"
RETIRED = ".retired"
COMPLETE = ".complete"
LOCK = ".grader-lock"


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a temporary file beside the target, then rename it over the target. `data` may
    come in pieces, written as they are made (a large class's workbook)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.writelines((data,) if isinstance(data, bytes) else data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_plain(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Plain writes, for a file in a staging folder: no temporary file, and through the OS's own
    calls, which cost half of `Path.write_bytes`'s (no buffer, no terminal check, no seek) when a
    class writes 20,000 reports. `data` may come in pieces, written as they are made (a large
    class's workbook is never held whole)."""
    handle = os.open(path, _NEW_FILE, 0o644)
    try:
        for piece in (data,) if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:
                view = view[os.write(handle, view):]
    finally:
        os.close(handle)


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """One run at a time in `out_dir`: a second stops at once with a message, rather than
    splicing its files into the first's. The lock is the operating system's, so it ends with
    the process, however that ends."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / LOCK).open("a+") as handle:
        if not _try_lock(handle):
            raise GraderError(
                f"{out_dir}: another grader run is writing its outputs here; wait for it to finish, or choose another --out"
            )
        if not (out_dir / OUTPUT_MARKER).exists():
            write_atomic(out_dir / OUTPUT_MARKER, b"[]")  # from now on, never read as submissions
        yield


def _try_lock(handle: IO[str]) -> bool:
    try:
        import fcntl  # noqa: PLC0415 - POSIX only

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # Windows
        import msvcrt  # noqa: PLC0415

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
    except OSError:
        return False
    return True


def fresh_staging(out_dir: Path) -> Path:
    """An empty staging folder, once any leftover of an interrupted run is repaired or removed."""
    repair(out_dir)
    staging = out_dir / STAGING
    staging.mkdir(parents=True)
    return staging


def repair(out_dir: Path) -> None:
    """Leave `out_dir` holding one whole output set: a staged set marked complete is moved into
    place (the run was killed while moving it), an unmarked one is deleted (killed while building)."""
    staging = out_dir / STAGING
    if (staging / COMPLETE).is_file():
        _move_into_place(out_dir, staging)
    remove(staging)
    remove(out_dir / RETIRED)


def carry_over(out_dir: Path, staging: Path, folder: str, keep: Callable[[str], bool]) -> None:
    """Files of the set in place under `folder` that `keep` names, linked (or copied) into the
    staged set, so they survive its commit; links and folders there are never followed."""
    source = out_dir / folder
    if source.is_symlink() or not source.is_dir():
        return
    for entry in sorted(source.iterdir()):
        target = staging / folder / entry.name
        if entry.is_symlink() or not entry.is_file() or not keep(entry.name) or target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(entry, target)
        except OSError:
            shutil.copy2(entry, target)


def commit(out_dir: Path, staging: Path) -> None:
    """Mark the staged set complete, then move it into place; from the mark on, a killed run is
    finished by the next one (`repair`)."""
    names = sorted(entry.name for entry in staging.iterdir())
    write_atomic(staging / COMPLETE, json.dumps(names).encode("utf-8"))
    _move_into_place(out_dir, staging)
    remove(staging)
    remove(out_dir / RETIRED)


def _move_into_place(out_dir: Path, staging: Path) -> None:
    """Idempotent: each staged entry replaces its namesake (the old one goes to `.retired/`), and
    entries of the previous set this one lacks are retired too."""
    names = json.loads((staging / COMPLETE).read_text(encoding="utf-8"))
    retired = out_dir / RETIRED
    retired.mkdir(exist_ok=True)
    for name in names:
        if (staging / name).exists() or (staging / name).is_symlink():
            _retire(out_dir / name, retired)
            (staging / name).rename(out_dir / name)
    for name in set(_set_in_place(out_dir)) - set(names):
        _retire(out_dir / name, retired)
    write_atomic(out_dir / OUTPUT_MARKER, json.dumps(names).encode("utf-8"))


def _set_in_place(out_dir: Path) -> Iterable[str]:
    try:
        names = json.loads((out_dir / OUTPUT_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    hidden = {STAGING, RETIRED, LOCK, OUTPUT_MARKER}
    return [name for name in names if isinstance(name, str) and "/" not in name and name not in hidden and name not in ("", ".", "..")]


def _retire(path: Path, retired: Path) -> None:
    if path.exists() or path.is_symlink():
        remove(retired / path.name)
        path.rename(retired / path.name)


def remove(path: Path) -> None:
    """A folder with everything in it, or a file or link (never what a link points to)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
