"""Benchmark: grade N synthetic submissions end to end, against merely loading the same files.

    .venv/bin/python benchmarks/grade_bench.py --students 10000 [--kind realistic shared] [--jobs N] [--repeat 3]

For each kind of class (`synthetic_class.py`: `realistic`, every answer drawn on its own for
each student, the default; `shared`, each problem copied from a bundled example), N submissions
are written to a temporary folder and timed: a bare loop of PyYAML's C loader over the files,
and `grader grade` through the real command (reports, grades.csv, gradebook.xlsx, summary.html,
LMS files). Both kinds are timed in one run, so their ratios compare on the same machine speed.
Prints both times (the best of `--repeat` runs of each, as the machine may be shared), their
ratio, the peak memory of the grading processes and the sizes of the class-wide outputs.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from synthetic_class import RUBRIC, Loader, write_class

from grader.base.parallel import available_cores

CLASS_FILES = ("summary.html", "gradebook.xlsx", "grades.csv", "shared-answers.csv")


def time_loading(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        yaml.load(path.read_bytes().decode("utf-8"), Loader=Loader)
    return time.perf_counter() - start


def time_grading(folder: Path, out: Path, jobs: list[str]) -> tuple[float, float]:
    """Wall time, and the peak resident memory of this run's grading process or its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "benchmarks/peak_memory.py", sys.executable, "-m", "grader", "grade", str(RUBRIC), str(folder), "--out", str(out), *jobs],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode > 1:
        raise SystemExit(f"grader failed: {done.stderr}")
    peak = float(done.stderr.strip().splitlines()[-1].split()[-1]) if done.stderr.strip() else 0.0
    print(f"  grader grade: {elapsed:.2f} s wall, CPU {after.ru_utime - before.ru_utime:.2f} s user + "
          f"{after.ru_stime - before.ru_stime:.2f} s kernel (all its processes), peak {peak:.0f} MiB")
    return elapsed, peak


def bench(kind: str, students: int, seed: int, repeat: int, jobs: list[str]) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "submissions"
        folder.mkdir()
        print(f"{kind} class of {students}:")
        paths = write_class(folder, students, seed, kind)
        loading = min(time_loading(paths) for _ in range(repeat))
        runs = [time_grading(folder, Path(scratch) / f"reports{run}", jobs) for run in range(repeat)]
        grading, peak = min(wall for wall, _ in runs), max(memory for _, memory in runs)
        out = Path(scratch) / "reports0"
        reports = len(list((out / "students").iterdir()))
        sizes = ", ".join(f"{name} {(out / name).stat().st_size / 1e6:.2f} MB" for name in CLASS_FILES if (out / name).exists())
    return (f"{kind:>9}: {students} students ({reports} report files); bare C-loader load {loading:.2f} s; "
            f"grader grade {grading:.2f} s; ratio {grading / loading:.2f}x; peak memory {peak:.0f} MiB; {sizes}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--kind", nargs="+", choices=("realistic", "shared"), default=["realistic", "shared"])
    parser.add_argument("--jobs", type=int, default=None, help="passed to grader grade (default: its own choice)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timing; the best is reported")
    args = parser.parse_args()
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    lines = [bench(kind, args.students, args.seed, args.repeat, jobs) for kind in args.kind]
    print(f"cores: {available_cores()}, jobs: {args.jobs or 'auto'}; best of {args.repeat}, both kinds in this one run")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
