"""Outputs under a kill and a second run: the output folder always holds one whole set of one run,
a second run into it stops with a message, and workers end with their parent (issue 13)."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader import files
from grader.base.errors import GraderError
from grader.files import commit, fresh_staging, output_lock, repair
from grader.intake.discovery import OUTPUT_MARKER
from tests.homework import ROOT, RUBRIC, SUBMISSIONS

ADA = (SUBMISSIONS / "ada-lovelace.yaml").read_text(encoding="utf-8")


def make_class(folder: Path, prefix: str, size: int) -> Path:
    folder.mkdir(parents=True)
    for number in range(size):
        student = f"{prefix}{number:04d}"
        (folder / f"{student}.yaml").write_text(ADA.replace("s1001", student), encoding="utf-8")
    return folder


def grade_command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "grader", "grade", str(RUBRIC), str(folder), "--out", str(out), *extra]


def output_set(out: Path) -> dict[str, bytes]:
    """What a TA sees: every file but the folder's own bookkeeping (names starting with a dot)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


@pytest.fixture(scope="module")
def two_classes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """Two classes and the whole output set each gives on its own."""
    base = tmp_path_factory.mktemp("classes")
    first, second = make_class(base / "a", "a", 150), make_class(base / "b", "b", 400)
    sets = []
    for folder in (first, second):
        out = base / f"reference-{folder.name}"
        assert subprocess.run(grade_command(folder, out), cwd=ROOT, capture_output=True, timeout=600).returncode == 0
        sets.append(output_set(out))
    assert sets[0] != sets[1]
    return first, second, sets[0], sets[1]


def test_a_run_killed_at_any_moment_leaves_one_whole_set(two_classes, tmp_path: Path) -> None:
    """Class A's set in place, then class B's run killed (SIGKILL) at growing moments: the folder
    holds A's set or B's, never a mix; what the next run repairs is B's set whole."""
    first, second, set_a, set_b = two_classes
    out = tmp_path / "out"
    subprocess.run(grade_command(first, out), cwd=ROOT, capture_output=True, timeout=600, check=True)
    seen = set()
    for delay in (0.3, 1.0, 2.0, 3.5, 6.0):
        process = subprocess.Popen(grade_command(second, out, "--jobs", "2"), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        now = output_set(out)
        marked = (out / files.STAGING / files.COMPLETE).exists()
        assert now in (set_a, set_b) or marked, f"a mixed set after a kill at {delay} s"
        seen.add("A" if now == set_a else "B" if now == set_b else "moving")
        _repair_as_the_next_run(out)
        assert output_set(out) in (set_a, set_b)
        assert not (out / files.STAGING).exists() and not (out / files.RETIRED).exists()
    assert "A" in seen  # at least one kill landed before the new set was complete


def _repair_as_the_next_run(out: Path) -> None:
    """The next run's first step, once the killed run's workers (which share its lock) are gone."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with output_lock(out):
                repair(out)
                return
        except GraderError:
            assert time.monotonic() < deadline, "the killed run's lock was never released"
            time.sleep(0.1)


def test_a_commit_interrupted_after_any_move_is_finished_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every point at which a move can be cut short, tried in turn."""
    old = {"grades.csv": b"old grades", "students/s1.html": b"old s1", "lms/canvas.csv": b"old lms", "gone.csv": b"old only"}
    new = {"grades.csv": b"new grades", "students/s2.html": b"new s2", "lms/canvas.csv": b"new lms", "summary.html": b"new"}
    moves = 0
    real_rename = Path.rename
    for cut_after in range(12):
        out = tmp_path / f"out{cut_after}"
        _commit_set(out, old)
        assert output_set(out) == old
        calls = 0

        def rename(self: Path, target: Path, cut: int = cut_after) -> Path:
            nonlocal calls
            calls += 1
            if calls > cut:
                raise KeyboardInterrupt
            return real_rename(self, target)

        monkeypatch.setattr(Path, "rename", rename)
        try:
            _commit_set(out, new)
            moves = max(moves, calls)
        except KeyboardInterrupt:
            pass
        finally:
            monkeypatch.setattr(Path, "rename", real_rename)
        if (out / files.STAGING / files.COMPLETE).exists():
            repair(out)
            assert output_set(out) == new, cut_after
        else:
            assert output_set(out) in (old, new), cut_after
            repair(out)
            assert output_set(out) in (old, new)
    assert moves and moves < 12  # the last cuts came after every move: the loop covered them all


def _commit_set(out: Path, contents: dict[str, bytes]) -> None:
    staging = fresh_staging(out)
    for name, data in contents.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    commit(out, staging)


def test_a_half_built_staging_of_a_killed_run_is_dropped_and_the_old_set_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _commit_set(out, {"grades.csv": b"whole"})
    (out / files.STAGING / "students").mkdir(parents=True)
    (out / files.STAGING / "grades.csv").write_bytes(b"half")
    repair(out)
    assert output_set(out) == {"grades.csv": b"whole"} and sorted(os.listdir(out)) == [OUTPUT_MARKER, "grades.csv"]


def test_a_second_run_into_a_locked_folder_stops_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out):
        done = subprocess.run(grade_command(SUBMISSIONS, out), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "another grader run is writing its outputs here" in done.stderr
    assert output_set(out) == {}


def test_two_real_runs_into_one_folder_never_splice(two_classes, tmp_path: Path) -> None:
    """B starts while A writes: B stops at once with the message, and A's set is whole."""
    first, second, set_a, set_b = two_classes
    out = tmp_path / "out"
    running = subprocess.Popen(grade_command(second, out, "--jobs", "2"), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_lock(out)
    other = subprocess.run(grade_command(first, out), cwd=ROOT, capture_output=True, text=True, timeout=300)
    _, errors = running.communicate(timeout=600)
    assert running.returncode == 0, errors
    assert other.returncode == 2 and "another grader run is writing its outputs here" in other.stderr
    assert output_set(out) == set_b


def _wait_for_lock(out: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (out / files.LOCK).exists():
            with (out / files.LOCK).open("a") as handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
                except OSError:
                    return
        time.sleep(0.02)
    raise AssertionError("the first run never took the lock")


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_workers_end_when_their_parent_is_killed(two_classes, tmp_path: Path) -> None:
    _, second, _, _ = two_classes
    process = subprocess.Popen(grade_command(second, tmp_path / "out", "--jobs", "2"), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "no worker processes seen"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
