"""Benchmark: grade N synthetic submissions end to end, against merely loading the same files.

    .venv/bin/python benchmarks/grade_bench.py --students 10000

Submissions are built from the bundled examples' answers (each problem's answers taken from a
randomly chosen example, so the usual mistakes appear in realistic proportions), written to a
temporary folder, then timed twice: `grader grade` through the real command, and a bare loop
of PyYAML's C loader over the same files. Prints both times and their ratio.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

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


def time_grading(folder: Path, out: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", str(RUBRIC), str(folder), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode > 1:
        raise SystemExit(f"grader failed: {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "submissions"
        folder.mkdir()
        paths = write_class(folder, args.students, args.seed)
        loading = time_loading(paths)
        grading = time_grading(folder, Path(scratch) / "reports")
    print(f"students: {args.students}")
    print(f"bare C-loader load: {loading:.2f} s")
    print(f"grader grade (reports, grades.csv, gradebook.xlsx): {grading:.2f} s")
    print(f"ratio: {grading / loading:.1f}x")


if __name__ == "__main__":
    main()
