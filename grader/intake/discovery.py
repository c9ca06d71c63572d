"""Finding submission files: the paths a TA gives, and every file of a readable format under a folder.

Nothing under a given folder is passed over in silence: each entry is either found for grading or
listed as `NotGraded` with its reason (a hidden file, a format grader cannot read, a link that
loops, dangles or leads outside the folder, a folder that cannot be opened), and the run shows the
list to the TA in its summary, its outputs and its exit code. A listed folder stands for every
path beneath it."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Iterable, Iterator

from grader.base.errors import InputError
from grader.intake.formats import is_submission_format

OUTPUT_MARKER = ".grader-output"  # written by the shell into every output folder
HAND_GRADED = frozenset((".pdf", ".docx", ".doc", ".odt", ".rtf", ".pages", ".ipynb", ".png", ".jpg", ".jpeg", ".heic", ".zip"))


@dataclass(frozen=True)
class NotGraded:
    """A path under a given folder that grader did not grade, and why, for a TA to look at."""

    path: str
    reason: str


@dataclass(frozen=True)
class Discovery:
    """The files to grade, in a stable order, and every other path found, with its reason."""

    files: tuple[Path, ...]
    not_graded: tuple[NotGraded, ...] = ()


def discover(paths: Iterable[Path]) -> Discovery:
    """Files as given, and every file of a readable format under each folder; a folder holding
    grader's outputs (marked by OUTPUT_MARKER) is never read, so no run grades its own reports."""
    found: list[Path] = []
    listed: list[NotGraded] = []
    for path in paths:
        if path.is_dir():
            files, passed_over = _scan(path)
            found.extend(sorted(files, key=attrgetter("parts")))  # as Paths sort, at C speed
            listed.extend(passed_over)
        elif path.exists():
            found.append(path)
        else:
            raise InputError(str(path), "", "no such file or folder")
    graded = {str(path) for path in found}
    unique = {item.path: item for item in listed if item.path not in graded}
    return Discovery(tuple(dict.fromkeys(found)), tuple(sorted(unique.values(), key=attrgetter("path"))))


def find_submission_files(paths: Iterable[Path]) -> list[Path]:
    """The files to grade alone (for callers that show nothing else)."""
    return list(discover(paths).files)


def _scan(root: Path) -> tuple[list[Path], list[NotGraded]]:
    real_root = os.path.realpath(root)
    files: list[Path] = []
    listed: list[NotGraded] = []
    for path, is_link, reason in _entries_under(root):
        if reason is None and is_link:
            reason = _link_problem(path, real_root)
        if reason is None:
            reason = _format_problem(path)
        if reason is None:
            files.append(path)
        else:
            listed.append(NotGraded(str(path), reason))
    return files, listed


def _entries_under(root: Path) -> Iterator[tuple[Path, bool, str | None]]:
    """Every entry in `root` and its folders (not below a hidden folder, which is listed itself):
    its path, whether it is a link, and a reason when it is no candidate file. The directory
    entries tell files from folders, so a class of thousands costs no extra call per file; one
    entry that cannot be examined never ends the scan of its folder."""
    folders = [root]
    while folders:
        folder = folders.pop()
        if (folder / OUTPUT_MARKER).exists():
            yield folder, False, "grader's output folder, never read as submissions"
            continue
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as error:
            yield folder, False, f"a folder that cannot be read ({error.strerror or error})"
            continue
        for entry in entries:
            try:
                is_link = entry.is_symlink()
                reason = _entry_problem(entry)
            except OSError as error:
                is_link, reason = False, f"cannot be examined ({error.strerror or error})"
            if reason == _DESCEND:
                folders.append(Path(entry.path))
            else:
                yield Path(entry.path), is_link, reason


_DESCEND = "descend"


def _entry_problem(entry: os.DirEntry[str]) -> str | None:
    is_folder = entry.is_dir(follow_symlinks=False)
    if entry.name.startswith("."):
        return "a hidden folder, not read" if is_folder else "a hidden file, not read"
    if is_folder:
        return _DESCEND
    if entry.is_symlink():
        return None  # judged by where it leads
    return None if entry.is_file(follow_symlinks=False) else "not a regular file (a device, socket or pipe)"


def _link_problem(path: Path, real_root: str) -> str | None:
    """A link is followed only to a file inside the given folder."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "a symbolic link that loops"
    except FileNotFoundError:
        return "a symbolic link to nothing (dangling)"
    except OSError as error:
        return "a symbolic link that loops" if error.errno == errno.ELOOP else f"a symbolic link that cannot be followed ({error.strerror or error})"
    if os.path.commonpath([real_root, str(target)]) != real_root:
        return "a symbolic link leading outside the given folder, refused"
    if target.is_dir():
        return "a symbolic link to a folder, not followed"
    if not target.is_file():
        return "a symbolic link to something that is not a regular file"
    return None


def _format_problem(path: Path) -> str | None:
    if is_submission_format(path):
        return None
    suffix = path.suffix.lower()
    if suffix in HAND_GRADED:
        return f"a {suffix} file grader cannot read: a submission for a TA to grade by hand"
    return f"an unsupported file type ({suffix or 'no extension'})"
