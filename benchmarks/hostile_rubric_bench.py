"""Benchmark: how long `grader validate` takes to refuse each hostile rubric of issue 13, and to
accept a 1,000-layer table and an 800-node graph (cubic before the fix: minutes).

    .venv/bin/python benchmarks/hostile_rubric_bench.py [--repeat 3]

Each rubric is validated in this process (`grader.cli.main`, so start-up is not counted), the
best of `--repeat` runs printed with the exit code.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import cli  # noqa: E402
from tests.hostile_rubrics import HOSTILE, layer_table, long_graph  # noqa: E402


def timed(text: str, repeat: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        rubric = Path(folder) / "rubric.yaml"
        rubric.write_text(text, encoding="utf-8")
        best, code = float("inf"), -1
        for _ in range(repeat):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = cli.main(["validate", str(rubric)])
            best = min(best, time.perf_counter() - start)
    return best, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    cases = {**{name: text for name, (text, _) in HOSTILE.items()}, "1,000-layer table": layer_table(1_000), "800-node graph": long_graph(800)}
    for name, text in cases.items():
        seconds, code = timed(text, repeat)
        print(f"{name:48} exit {code}  {seconds:7.3f} s")


if __name__ == "__main__":
    main()
