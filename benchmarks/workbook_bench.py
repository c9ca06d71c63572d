"""Benchmark: render gradebook.xlsx for N synthetic students, apart from grading them.

    .venv/bin/python benchmarks/workbook_bench.py --students 10000 [--repeat 3]

The class is written as grade_bench does (`--kind realistic` or `shared`) and graded once; the class statistics, which other
outputs share, are computed before the clock starts. Then the workbook is rendered `--repeat`
times and the best time of each step is printed: openpyxl building the workbook (headers, the
Statistics sheet), and making the rows and writing the zip.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_class import RUBRIC, write_class  # noqa: E402

from grader.base.parallel import available_cores  # noqa: E402
from grader.course.class_grading import grade_class  # noqa: E402
from grader.exports.workbook_file import build_workbook, workbook_bytes  # noqa: E402
from grader.rubric.answer_key import build_answer_key  # noqa: E402
from grader.rubric.model import load_rubric  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3, help="renderings; the best of each step is reported")
    parser.add_argument("--kind", choices=("realistic", "shared"), default="realistic", help="the synthetic class (see synthetic_class.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        paths = write_class(Path(scratch), args.students, args.seed, args.kind)
        batch = grade_class(build_answer_key(load_rubric(RUBRIC)), paths, workers=available_cores())
    batch.statistics  # noqa: B018 -- shared with the class summary; not the workbook's cost
    builds, writes, size = [], [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        workbook, rows = build_workbook(batch)
        built = time.perf_counter()
        size = len(workbook_bytes(workbook, rows))
        builds.append(built - start)
        writes.append(time.perf_counter() - built)
    print(f"students: {args.students} ({args.kind} class), best of {args.repeat}")
    print(f"build (openpyxl, gradebook table): {min(builds):.2f} s")
    print(f"rows and zip: {min(writes):.2f} s")
    print(f"workbook: {min(b + w for b, w in zip(builds, writes)):.2f} s, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
