"""Softmax with cross-entropy for given logits: the probabilities, the loss and its gradient with
respect to each logit, as PyTorch's F.cross_entropy computes them for one example.

p_k = exp(z_k) / Σ_j exp(z_j); L = −Σ_k y_k·log p_k, where y is the one-hot vector of the target
class (`target: 2`, classes counted from 1) or a given distribution (`target: [0.9, 0.05, 0.05]`);
∂L/∂z_k = p_k − y_k. `units: bits` takes log base 2, which divides the loss and its gradient by ln 2.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Mapping

from grader.base.fields import FieldReader, check_number
from grader.base.numbers import Number
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, from_alternatives

MAX_CLASSES = 1000
LOG_BASE = {"nats": math.e, "bits": 2.0}


@dataclass(frozen=True)
class SoftmaxCrossEntropy:
    logits: tuple[Fraction, ...]
    target: tuple[Fraction, ...]  # a distribution over the classes: one-hot for a class label
    units: str

    @property
    def classes(self) -> range:
        return range(1, len(self.logits) + 1)


def parse(given: FieldReader) -> SoftmaxCrossEntropy | None:
    logits = _numbers(given, "logits", given.raw("logits"))
    raw_target = given.raw("target")
    units = given.choice("units", tuple(LOG_BASE), default="nats")
    given.reject_unknown()
    if logits is None or units is None or raw_target is None:
        return None
    target = _target(given, raw_target, len(logits))
    return None if target is None else SoftmaxCrossEntropy(logits, target, units)


def _numbers(given: FieldReader, name: str, raw: Any) -> tuple[Fraction, ...] | None:
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_CLASSES:
        if raw is not None:
            given.report(name, f"expected a list of 2 to {MAX_CLASSES} numbers, found {raw!r}"[:200])
        return None
    numbers = [check_number(given, f"{name}[{index}]", item) for index, item in enumerate(raw)]
    return None if None in numbers else tuple(numbers)  # type: ignore[arg-type]


def _target(given: FieldReader, raw: Any, classes: int) -> tuple[Fraction, ...] | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        if not 1 <= raw <= classes:
            given.report("target", f"expected a class from 1 to {classes} (classes are counted from 1), found {raw}")
            return None
        return tuple(Fraction(int(k == raw)) for k in range(1, classes + 1))
    distribution = _numbers(given, "target", raw)
    if distribution is None:
        if not isinstance(raw, list):
            given.report("target", f"expected a class number (from 1) or a list of {classes} probabilities, found {raw!r}"[:200])
        return None
    if len(distribution) != classes or min(distribution) < 0 or sum(distribution) != 1:
        given.report("target", f"expected {classes} probabilities (one per logit), none negative, adding up to 1, found {raw!r}"[:200])
        return None
    return distribution


def log_probabilities(logits: tuple[Fraction, ...]) -> list[float]:
    """Log-softmax, shifted by the largest logit so that no exponential overflows and no
    probability too small for a float makes the loss infinite."""
    top = max(logits)
    shifted = [float(z - top) for z in logits]
    log_total = math.log(sum(math.exp(z) for z in shifted))
    return [z - log_total for z in shifted]


def probabilities(logits: tuple[Fraction, ...]) -> list[float]:
    return [math.exp(log_p) for log_p in log_probabilities(logits)]


def solve(spec: SoftmaxCrossEntropy) -> dict[str, Number]:
    return solve_with(spec, {})


def solve_with(spec: SoftmaxCrossEntropy, own: Mapping[str, Number]) -> dict[str, Number]:
    """The loss from a student's own probabilities where given (and positive), each gradient from their own p_k."""
    computed = probabilities(spec.logits)
    answers: dict[str, Number] = {f"p{k}": p for k, p in zip(spec.classes, computed)}
    mine = [own.get(f"p{k}", p) for k, p in zip(spec.classes, computed)]
    own_usable = all(p > 0 for p, y in zip(mine, spec.target) if y)
    answers["loss"] = _loss(spec, [math.log(p) for p in mine] if own_usable else log_probabilities(spec.logits))
    scale = 1 / math.log(LOG_BASE[spec.units])
    for k, p, y in zip(spec.classes, mine, spec.target):
        answers[f"grad.z{k}"] = (p - y) * scale
    return answers


def _loss(spec: SoftmaxCrossEntropy, log_probabilities: list[float]) -> float:
    """−Σ y_k·log p_k from natural logs, in the units asked."""
    return -sum(float(y) * log_p for log_p, y in zip(log_probabilities, spec.target) if y) / math.log(LOG_BASE[spec.units])


def dependencies(spec: SoftmaxCrossEntropy) -> dict[str, tuple[str, ...]]:
    found = {"loss": tuple(f"p{k}" for k, y in zip(spec.classes, spec.target) if y)}
    found.update({f"grad.z{k}": (f"p{k}",) for k in spec.classes})
    return found


def mistakes(spec: SoftmaxCrossEntropy) -> tuple[Mistake, ...]:
    key = solve(spec)
    gradients = {name: value for name, value in key.items() if name.startswith("grad.")}
    other_units = "bits" if spec.units == "nats" else "nats"
    alternatives = [
        Alternative("gradient sign flipped", "∂L/∂z_k = p_k − y_k: the probability minus the target, not the reverse.",
                    {name: -value for name, value in gradients.items()}),
        Alternative("target not subtracted", "∂L/∂z_k = p_k − y_k: subtract the target (1 for the true class).",
                    {name: value + float(y) / math.log(LOG_BASE[spec.units]) for (name, value), y in zip(gradients.items(), spec.target)}),
        Alternative(f"loss in {other_units}", f"The loss is asked in {spec.units}: use the {'natural log' if spec.units == 'nats' else 'log base 2'}.",
                    {"loss": solve(replace(spec, units=other_units))["loss"]}),
        Alternative("log base 10", f"Cross-entropy uses the {'natural log' if spec.units == 'nats' else 'log base 2'}, not log base 10.",
                    {"loss": _loss(spec, log_probabilities(spec.logits)) * math.log(LOG_BASE[spec.units]) / math.log(10)}),
    ]
    total = sum(spec.logits)
    if total and min(spec.logits) > 0:
        linear = [float(z / total) for z in spec.logits]
        alternatives.append(Alternative("logits normalised without exponentials", "Softmax exponentiates first: p_k = e^{z_k} / Σ_j e^{z_j}.",
                                        {**{f"p{k}": p for k, p in zip(spec.classes, linear)}, "loss": _loss(spec, [math.log(p) for p in linear])}))
    return from_alternatives(key, alternatives)


KIND = ProblemKind(
    name="softmax-cross-entropy",
    summary="softmax probabilities, cross-entropy loss and its gradient for given logits",
    parse=parse,
    solve=solve,
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
    ratios=("p*",),
)
