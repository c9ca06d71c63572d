"""`W2 = (W1 − F + 2P)/S + 1` with one or two unknowns among W1, W2, F, P and S, plus the filters.

The equation is taken exactly, as courses state it: a non-integer output is no solution. When
several answers fit, the key holds the constraint and prefers the smallest stride, then the
smallest padding, kernel, input and output; a student's answers are right when, together, they
satisfy it within the allowed ranges (by default padding below the kernel size).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Mapping

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.constraints import Constraint
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, from_alternatives

QUANTITIES = ("input", "output", "kernel", "padding", "stride")
PREFERENCE = ("stride", "padding", "kernel", "input", "output")
DEFAULT_RANGES = {"input": (1, 4096), "output": (1, 4096), "kernel": (1, 15), "padding": (0, 64), "stride": (1, 16)}
MAX_RANGE_VALUE = 16_384  # an unknown is searched through its range: this keeps the search under a second
EQUATION = "W2 = (W1 − F + 2P)/S + 1"
Axes = tuple[int, int]


def output_extent(size: int, kernel: int, padding: int, stride: int) -> Fraction:
    """`(W1 − F + 2P)/S + 1`, exactly, so a non-integer result is visible rather than floored."""
    return Fraction(size - kernel + 2 * padding, stride) + 1


@dataclass(frozen=True)
class OutputSize:
    """Known quantities per axis (height, width); unknowns are searched in `ranges`."""

    known: Mapping[str, Axes]
    unknowns: tuple[str, ...]
    ranges: Mapping[str, tuple[int, int]]
    filters: int | None
    input_channels: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return self.unknowns

    def satisfied_by(self, values: Mapping[str, Fraction]) -> bool:
        if any(value.denominator != 1 for value in values.values()):
            return False
        return self.fits({name: int(value) for name, value in values.items()})

    def describe(self) -> str:
        return EQUATION

    def fits(self, guess: Mapping[str, int]) -> bool:
        """Whether the known values and this guess of every unknown satisfy the equation on both axes."""
        for name, value in guess.items():
            low, high = self.ranges[name]
            if not low <= value <= high:
                return False
        values = {**{name: axes for name, axes in self.known.items()}, **{n: (v, v) for n, v in guess.items()}}
        padding, stride = values["padding"][0], values["stride"][0]
        if padding >= max(values["kernel"]) and "padding" not in self.explicit_ranges:
            return False
        return all(
            kernel <= size + 2 * padding and output_extent(size, kernel, padding, stride) == out
            for size, kernel, out in zip(values["input"], values["kernel"], values["output"])
        )

    @property
    def explicit_ranges(self) -> frozenset[str]:
        return frozenset(name for name, bounds in self.ranges.items() if bounds != DEFAULT_RANGES[name])


def parse(given: FieldReader) -> OutputSize | None:
    known: dict[str, Axes] = {}
    filters = given.integer("filters", minimum=1, default=None)
    input_channels = None
    for name in QUANTITIES:
        value = _read_quantity(given, name)
        if value is not None:
            known[name] = value[:2]  # type: ignore[assignment]
            if name == "output" and len(value) == 3 and filters is None:
                filters = value[2]
            if name == "input" and len(value) == 3:
                input_channels = value[2]
    ranges = _read_ranges(given)
    given.reject_unknown()
    unknowns = tuple(name for name in QUANTITIES if name not in known)
    if given.issues or ranges is None:
        return None
    if not 1 <= len(unknowns) <= 2:
        given.report("", f"expected one or two unknowns among {', '.join(QUANTITIES)}, found {len(unknowns)}")
        return None
    for name in ("padding", "stride"):
        if name in known and known[name][0] != known[name][1]:
            given.report(name, "expected one number for both axes")
            return None
    spec = OutputSize(known, unknowns, ranges, filters, input_channels)
    if preferred_solution(spec) is None:
        ranges_text = ", ".join(f"{name} {ranges[name][0]}..{ranges[name][1]}" for name in unknowns)
        given.report("", f"no whole numbers ({ranges_text}, padding below the kernel) satisfy {EQUATION} here")
        return None
    return spec


def _read_quantity(given: FieldReader, name: str) -> tuple[int, ...] | None:
    """A number (both axes), [height, width], or for input and output [height, width, channels]."""
    raw = given.raw(name, default=None)
    if raw is None:
        return None
    if isinstance(raw, list) and len(raw) == 3 and name in ("input", "output"):
        return given.integers(name, 3, minimum=1)
    minimum = 0 if name == "padding" else 1
    return given.integers(name, 2, minimum=minimum)


def _read_ranges(given: FieldReader) -> dict[str, tuple[int, int]] | None:
    raw = given.mapping_of("ranges", default={}) or {}
    ranges = dict(DEFAULT_RANGES)
    sub = FieldReader(raw, prefix=given.field("ranges."))
    for name in raw:
        lowest = 0 if name == "padding" else 1  # a stride or kernel of 0 has no meaning (and divides by zero)
        bounds = sub.integers(name, 2, minimum=lowest) if name in QUANTITIES else None
        if name not in QUANTITIES:
            sub.report(name, f"expected one of {', '.join(QUANTITIES)}")
        elif bounds is not None and (bounds[0] > bounds[1] or bounds[1] > MAX_RANGE_VALUE):
            sub.report(name, f"expected [lowest, highest] with highest at most {MAX_RANGE_VALUE:,}")
        elif bounds is not None:
            ranges[name] = (bounds[0], bounds[1])
    given.issues.extend(sub.issues)
    return None if sub.issues else ranges


def solutions(spec: OutputSize) -> Iterator[dict[str, int]]:
    """Every fitting guess: the first unknown (if two) is enumerated, the last solved for directly."""
    *enumerated, solved = spec.unknowns
    for values in itertools.product(*(range(spec.ranges[n][0], spec.ranges[n][1] + 1) for n in enumerated)):
        guess = dict(zip(enumerated, values))
        for candidate in _solve_for(spec, solved, guess):
            if spec.fits({**guess, solved: candidate}):
                yield {**guess, solved: candidate}


def _solve_for(spec: OutputSize, name: str, guess: Mapping[str, int]) -> list[int]:
    """Candidates for one unknown from the equation on the height axis (`fits` checks both)."""
    value = {n: axes[0] for n, axes in spec.known.items()} | dict(guess)
    low, high = spec.ranges[name]
    if name == "stride":
        span, steps = value["input"] - value["kernel"] + 2 * value["padding"], value["output"] - 1
        if steps == 0:
            return [low] if span == 0 else []
        return [span // steps] if span % steps == 0 else []
    if name == "padding":
        twice = (value["output"] - 1) * value["stride"] - value["input"] + value["kernel"]
        return [twice // 2] if twice % 2 == 0 else []
    if name == "kernel":
        return [value["input"] + 2 * value["padding"] - (value["output"] - 1) * value["stride"]]
    if name == "input":
        return [(value["output"] - 1) * value["stride"] + value["kernel"] - 2 * value["padding"]]
    span = value["input"] - value["kernel"] + 2 * value["padding"]
    return [span // value["stride"] + 1] if span % value["stride"] == 0 else []


def preferred_solution(spec: OutputSize) -> dict[str, int] | None:
    """The key's choice among all solutions: smallest stride, then padding, kernel, input, output."""
    return min(solutions(spec), key=lambda found: tuple(found.get(n, 0) for n in PREFERENCE), default=None)


def solve(spec: OutputSize) -> dict[str, Number]:
    solution = preferred_solution(spec)
    if solution is None:
        raise ValueError("unsolvable output-size problem passed validation")
    answers: dict[str, Number] = {name: Fraction(solution[name]) for name in spec.unknowns}
    if spec.filters is not None:
        answers["filters"] = Fraction(spec.filters)
    return answers


def constraints(spec: OutputSize) -> tuple[Constraint, ...]:
    return (spec,)


def mistakes(spec: OutputSize) -> tuple[Mistake, ...]:
    """The formula misremembered: P instead of 2P, or the + 1 left out, solved for each unknown."""
    key = solve(spec)
    solution = preferred_solution(spec) or {}
    v = {name: Fraction(axes[0]) for name, axes in spec.known.items()} | {n: Fraction(x) for n, x in solution.items()}
    w1, w2, f, p, s = v["input"], v["output"], v["kernel"], v["padding"], v["stride"]
    single_p = {"padding": 2 * p, "output": (w1 - f + p) / s + 1}
    no_one = {"padding": p + s / 2, "output": (w1 - f + 2 * p) / s, "input": w2 * s + f - 2 * p}
    if w2:
        no_one["stride"] = (w1 - f + 2 * p) / w2
    alternatives = [
        Alternative("P instead of 2P", f"Padding is added on both sides: {EQUATION}, with 2P.", single_p),
        Alternative("the + 1 left out", f"Count the first position too: {EQUATION}, with + 1.", no_one),
        *_size_kept_mistakes(spec, w1, w2, f),
    ]
    if spec.filters is not None and spec.input_channels not in (None, spec.filters):
        alternatives.append(Alternative("filters equal to the input channels",
                                        "The number of filters is the number of OUTPUT channels, not the input's.",
                                        {"filters": Fraction(spec.input_channels or 0)}))
    return from_alternatives(key, alternatives)


def _size_kept_mistakes(spec: OutputSize, w1: Fraction, w2: Fraction, f: Fraction) -> list[Alternative]:
    """Where the size is kept: stride 2 taken as if the layer downsampled, no padding for a k×k
    "same" layer (k > 1), and padding added for a 1×1 layer."""
    if w1 != w2:
        return []
    found = []
    if "stride" in spec.unknowns:
        found.append(Alternative("stride 2 where the size is kept", "The output is as large as the input: the filter moves 1 pixel at a time.",
                                 {"stride": Fraction(2)}))
    if "padding" in spec.unknowns and f > 1:
        found.append(Alternative(f"no padding for a {f}×{f} same layer",
                                 f"Without padding a {f}×{f} filter shrinks the output by {f - 1}: pad (F − 1)/2 on each side.", {"padding": Fraction(0)}))
    if "padding" in spec.unknowns and f == 1:
        found.append(Alternative("padding for a 1×1 layer", "A 1×1 filter keeps the size by itself: no padding is needed.", {"padding": Fraction(1)}))
    return found


def words(spec: OutputSize) -> dict[str, dict[str, Number]]:
    """A padding asked may be answered `valid` (0) or `same`: the padding that keeps
    ceil(W1 / S) outputs for the problem's filter size and stride (1 when the stride is asked)."""
    if "padding" not in spec.unknowns or "kernel" not in spec.known:
        return {}
    size, kernel = spec.known["input"][0] if "input" in spec.known else None, spec.known["kernel"][0]
    stride = spec.known["stride"][0] if "stride" in spec.known else 1
    found: dict[str, Number] = {"valid": Fraction(0)}
    if size is not None:
        kept = -(-size // stride)
        twice = (kept - 1) * stride + kernel - size
        if twice >= 0 and twice % 2 == 0:
            found["same"] = Fraction(twice // 2)
    return {"padding": found}


SYMBOLS = {"input": "W1", "output": "W2", "kernel": "F", "padding": "P", "stride": "S"}


def working(spec: OutputSize) -> dict[str, str]:
    """Each unknown: the equation to solve for it, with the problem's known values."""
    known = ", ".join(f"{SYMBOLS[name]} = {_axes(spec.known[name])}" for name in QUANTITIES if name in spec.known)
    others = [SYMBOLS[name] for name in spec.unknowns]
    found = {name: f"solve {EQUATION} for {SYMBOLS[name]} with {known}" + (f" (and a whole-number {', '.join(o for o in others if o != SYMBOLS[name])})"
                                                                             if len(others) > 1 else "")
             for name in spec.unknowns}
    if spec.filters is not None:
        found["filters"] = f"one filter per output channel: {spec.filters}"
    return found


def _axes(axes: Axes) -> str:
    return str(axes[0]) if axes[0] == axes[1] else f"{axes[0]}×{axes[1]}"


KIND = ProblemKind(
    name="output-size",
    summary="unknowns of W2 = (W1 − F + 2P)/S + 1, any valid answer accepted, and the number of filters",
    parse=parse,
    solve=solve,
    constraints=constraints,
    mistakes=mistakes,
    words=words,
    working=working,
)
