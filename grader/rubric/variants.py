"""Per-student variants: given values drawn from ranges or lists, the same for a student every time.

A draw is a mapping `{between: [low, high], step: s}` or `{one_of: [a, b, c]}` anywhere in a
problem's `given` or `parts`. Each student's numbers follow from a hash of the assignment id,
the student id, the problem id and an attempt counter, so a rerun, a regrade and a self-check
see the same numbers; a draw that makes the problem invalid is retried with the next attempt.
"""
from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from grader.base.numbers import UnreadableNumber, format_number, read_number

DRAW_KEYS = frozenset({"between", "one_of"})
MAX_ATTEMPTS = 100
MAX_CHOICES = 1_000_000


def is_draw(node: Any) -> bool:
    return isinstance(node, Mapping) and len(DRAW_KEYS & set(node)) == 1 and set(node) <= DRAW_KEYS | {"step"}


def has_draws(node: Any) -> bool:
    if is_draw(node):
        return True
    if isinstance(node, Mapping):
        return any(has_draws(child) for child in node.values())
    if isinstance(node, list):
        return any(has_draws(child) for child in node)
    return False


def draw_issues(node: Any, field: str) -> list[tuple[str, str]]:
    """Every malformed draw under `node`, located by field name."""
    if is_draw(node):
        return _check_draw(node, field)
    children = node.items() if isinstance(node, Mapping) else enumerate(node) if isinstance(node, list) else ()
    issues: list[tuple[str, str]] = []
    for key, child in children:
        issues.extend(draw_issues(child, f"{field}.{key}" if isinstance(key, str) else f"{field}[{key}]"))
    return issues


def _check_draw(node: Mapping[str, Any], field: str) -> list[tuple[str, str]]:
    if "one_of" in node:
        options = node["one_of"]
        ok = isinstance(options, list) and options and "step" not in node and not any(isinstance(o, (dict, list)) for o in options)
        return [] if ok else [(f"{field}.one_of", "expected a non-empty list of values (and no step)")]
    try:
        low, high = (read_number(bound) for bound in node["between"])
        step = read_number(node.get("step", 1))
    except (UnreadableNumber, TypeError, ValueError):
        return [(f"{field}.between", "expected [lowest, highest] numbers and an optional positive step")]
    if step <= 0 or high < low or (high - low) / step >= MAX_CHOICES:
        return [(f"{field}.between", f"expected lowest ≤ highest, a positive step, and under {MAX_CHOICES:,} choices")]
    return []


def rng_for(assignment: str, student_id: str, problem_id: str, attempt: int) -> random.Random:
    """Seeded from a hash (not Python's salted hash()) so every machine draws the same numbers."""
    digest = hashlib.sha256("\0".join((assignment, student_id, problem_id, str(attempt))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def draw(node: Any, rng: random.Random) -> Any:
    """A copy of `node` with every draw replaced by a value, in a fixed (document) order."""
    if is_draw(node):
        return _draw_one(node, rng)
    if isinstance(node, Mapping):
        return {key: draw(child, rng) for key, child in node.items()}
    if isinstance(node, list):
        return [draw(child, rng) for child in node]
    return node


def _draw_one(node: Mapping[str, Any], rng: random.Random) -> Any:
    if "one_of" in node:
        return node["one_of"][rng.randrange(len(node["one_of"]))]
    low, high = (read_number(bound) for bound in node["between"])
    step = read_number(node.get("step", 1))
    value = low + step * rng.randrange(int((high - low) / step) + 1)
    return plain(value)


def plain(value: Fraction) -> int | str:
    """Whole numbers as ints (shape fields need them); others as exact text such as 0.25 or 1/3."""
    return value.numerator if value.denominator == 1 else format_exact(value)


def format_exact(value: Fraction) -> str:
    text = format_number(value)
    return text if read_number(text) == value else f"{value.numerator}/{value.denominator}"
