"""Benchmark: grade N synthetic submissions end to end, against merely loading the same files.

    .venv/bin/python benchmarks/grade_bench.py --students 10000 [--jobs N] [--repeat 3]

Submissions are built from the bundled examples' answers (each problem's answers taken from a
randomly chosen example, so the usual mistakes appear in realistic proportions), written to a
temporary folder, then timed twice: `grader grade` through the real command (reports,
grades.csv, gradebook.xlsx), and a bare loop of PyYAML's C loader over the same files. Prints
both times (the best of `--repeat` runs of each, as the machine may be shared), their ratio, and
the peak memory of the grading processes.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from grader.base.parallel import available_cores

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rubrics" / "sml-hw4.yaml"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def example_answers() -> list[dict]:
    answers = []
    for path in sorted((ROOT / "submissions").glob("*.yaml")):
        try:
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        except yaml.YAMLError:
            continue
        if isinstance(document, dict) and isinstance(document.get("answers"), dict):
            answers.append(document["answers"])
    return answers


def write_class(folder: Path, students: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    examples = example_answers()
    paths = []
    for index in range(students):
        answers = {problem: rng.choice(examples).get(problem) for problem in ("q1", "q2", "q3")}
        document = {"student_id": f"b{index:06d}", "name": f"Student {index}", "answers": answers}
        path = folder / f"b{index:06d}.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def time_loading(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        yaml.load(path.read_bytes().decode("utf-8"), Loader=Loader)
    return time.perf_counter() - start


def time_grading(folder: Path, out: Path, jobs: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(RUBRIC), str(folder), "--out", str(out), *jobs],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode > 1:
        raise SystemExit(f"grader failed: {done.stderr}")
    print(f"  grader grade: {elapsed:.2f} s wall, CPU {after.ru_utime - before.ru_utime:.2f} s user + "
          f"{after.ru_stime - before.ru_stime:.2f} s kernel (all its processes)")
    return elapsed


def peak_memory_mib() -> float:
    """The largest resident set of any finished child process (grader and its workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=None, help="passed to grader grade (default: its own choice)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timing; the best is reported")
    args = parser.parse_args()
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "submissions"
        folder.mkdir()
        paths = write_class(folder, args.students, args.seed)
        loading = min(time_loading(paths) for _ in range(args.repeat))
        grading = min(time_grading(folder, Path(scratch) / f"reports{run}", jobs) for run in range(args.repeat))
        reports = len(list((Path(scratch) / "reports0" / "students").iterdir()))
    print(f"students: {args.students} ({reports} reports written), cores: {available_cores()}, jobs: {args.jobs or 'auto'}")
    print(f"bare C-loader load: {loading:.2f} s")
    print(f"grader grade (reports, grades.csv, gradebook.xlsx): {grading:.2f} s")
    print(f"ratio: {grading / loading:.1f}x")
    print(f"peak memory of a grading process: {peak_memory_mib():.0f} MiB")


if __name__ == "__main__":
    main()
