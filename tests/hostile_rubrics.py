"""Rubrics built to hang or crash a grader (issue 13): each with the words its refusal must hold.
Shared by tests/test_hostile_rubrics.py and benchmarks/hostile_rubric_bench.py."""
from __future__ import annotations

HEADER = "assignment: hostile\ntitle: Hostile\nproblems:\n"
OUTPUT_SIZE = "  - id: q\n    kind: output-size\n    title: T\n    given:\n"
SMALL_PROBLEM = "  - id: q\n    kind: output-size\n    title: T\n    given: {input: [20, 20], output: [20, 20], kernel: 3}\n"


def backprop(nodes: dict[str, str], loss: str, values: str = "        x: 10\n") -> str:
    lines = "".join(f'        {name}: "{equation}"\n' for name, equation in nodes.items())
    return (HEADER + "  - id: q\n    kind: backprop\n    title: T\n    given:\n      values:\n" + values
            + f"      nodes:\n{lines}      loss: {loss}\n    ask: [forward.*]\n")


def chained(first: str, step: str, count: int) -> dict[str, str]:
    nodes = {"n0": first}
    for index in range(1, count):
        nodes[f"n{index}"] = step.format(previous=f"n{index - 1}", index=index + 2)
    return nodes


def alias_bomb(indent: str, levels: int = 9) -> str:
    lines = [f"{indent}a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"]
    for level in range(1, levels):
        lines.append(f"{indent}a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]\n")
    return "".join(lines)


HOSTILE: dict[str, tuple[str, str]] = {
    "nested powers": (backprop({"L": "((((x^64)^64)^64)^64)^64"}, "L"), "grows past 30,000 digits"),
    "chained powers": (backprop(chained("x^64", "{previous}^64", 8), "n7"), "grows past 30,000 digits"),
    "chained squares": (backprop(chained("x*x", "{previous}*{previous}", 40), "n39"), "grows past 30,000 digits"),
    "chained fractions": (backprop(chained("x/7 + 1/3", "{previous}*{previous} + 1/{index}", 40), "n39"), "grows past 30,000 digits"),
    "alias bomb in given values": (
        HEADER + "  - id: q\n    kind: layer-table\n    title: T\n    given:\n      input: [32, 32, 1]\n"
        + alias_bomb("      ") + "      layers:\n        - {name: f, type: dense, units: 10}\n",
        "aliases expand to 1,2",  # a8 alone is 1 + 10 × a7 = 1,111,111,111 values; with a0 … a7 and the rest, 1.23 billion
    ),
    "alias bomb among backprop values": (
        backprop({"L": "x"}, "L", values="        x: 1\n" + alias_bomb("        ", 8)), "aliases expand to 123,",  # a7 alone: 111,111,111
    ),
    "huge output-size ranges": (
        HEADER + OUTPUT_SIZE + "      input: [20, 20, 10]\n      output: [20, 20, 10]\n      kernel: 3\n"
        "      ranges: {padding: [0, 1000000000], stride: [1, 1000000000]}\n",
        "highest at most 16,384",
    ),
    "zero stride in a range": (
        HEADER + OUTPUT_SIZE + "      input: [20, 20]\n      output: [1, 1]\n      kernel: 20\n      padding: 0\n"
        "      ranges: {stride: [0, 0]}\n",
        "ranges.stride[0]': expected a whole number ≥ 1, found 0",
    ),
    "zero kernel in a range": (
        HEADER + OUTPUT_SIZE + "      input: [20, 20]\n      output: [20, 20]\n      stride: 1\n      ranges: {kernel: [0, 4], padding: [0, 4]}\n",
        "ranges.kernel[0]': expected a whole number ≥ 1, found 0",
    ),
    "late due at the calendar's end": (
        HEADER + SMALL_PROBLEM + "late: {due: '9999-12-31 23:59', timezone: Pacific/Kiritimati, penalty_per_day: 10}\n",
        "between the years 1900 and 2200",
    ),
    "late due at the calendar's start": (
        HEADER + SMALL_PROBLEM + "late: {due: '0001-01-01 00:00', timezone: America/Los_Angeles, penalty_per_day: 10}\n",
        "between the years 1900 and 2200",
    ),
    "a century and more of zero-after days": (
        HEADER + SMALL_PROBLEM + "late: {due: '2026-01-01 00:00', timezone: UTC, penalty_per_day: 10, zero_after_days: 100000000000}\n",
        "expected at most 36,525",
    ),
    "grace past the calendar": (
        HEADER + SMALL_PROBLEM + "late: {due: '2026-01-01 00:00', timezone: UTC, penalty_per_day: 10, grace_minutes: 10000000000000}\n",
        "expected at most 52,596,000",
    ),
    "resubmission deadline at the calendar's end": (HEADER + SMALL_PROBLEM + "deadline: 9999-12-31T23:59:59-12:00\n", "between the years 1900 and 2200"),
    "resubmission deadline at the calendar's start": (HEADER + SMALL_PROBLEM + "deadline: 0001-01-01T00:00:00+14:00\n", "between the years 1900 and 2200"),
    "reveal due at the calendar's end": (
        HEADER + SMALL_PROBLEM + "reveal: after_due\ndue: 9999-12-31T23:59:59-12:00\n", "between the years 1900 and 2200",
    ),
}


def layer_table(layers: int) -> str:
    rows = "".join(f"        - {{name: c{index}, type: conv, kernel: 1, filters: {10 + index % 7}, bias: true}}\n" for index in range(layers))
    return HEADER + f"  - id: q\n    kind: layer-table\n    title: T\n    given:\n      input: [8, 8, 3]\n      layers:\n{rows}"


def long_graph(nodes: int) -> str:
    """A chain whose exact values keep growing denominators (1/2, 1/3, …), as a long one would."""
    return backprop(chained("x*w + 1/2", "{previous}*w + 1/{index}", nodes), f"n{nodes - 1}", values="        x: 1\n        w: 1\n")
