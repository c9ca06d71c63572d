"""Softmax with cross-entropy for given logits: the probabilities, the loss and its gradient with
respect to each logit, as PyTorch's F.cross_entropy computes them for one example.

p_k = exp(z_k) / Σ_j exp(z_j); L = −Σ_k y_k·log p_k, where y is the one-hot vector of the target
class (`target: 2`, classes counted from 1) or a given distribution (`target: [0.9, 0.05, 0.05]`);
∂L/∂z_k = p_k − y_k. `units: bits` takes log base 2, which divides the loss and its gradient by ln 2.
A batch (logits as rows, one target each) has answers per example (`ex2.p1`) and one loss, the
mean (as PyTorch's default reduction, so each gradient is divided by N) or the sum.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Mapping

from grader.base.fields import FieldReader, check_number
from grader.base.numbers import Number
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, from_alternatives, scaled

MAX_CLASSES = 1000
MAX_EXAMPLES = 100
MAX_LOGITS = 10_000  # a batch's rows × classes: each logit gives two answers, p and its gradient
LOG_BASE = {"nats": math.e, "bits": 2.0}


@dataclass(frozen=True)
class Example:
    logits: tuple[Fraction, ...]
    target: tuple[Fraction, ...]  # a distribution over the classes: one-hot for a class label


@dataclass(frozen=True)
class SoftmaxCrossEntropy:
    examples: tuple[Example, ...]
    batched: bool  # logits given as a list of rows: answers per example (`ex2.p1`)
    reduction: str  # mean | sum over the batch
    units: str

    @property
    def classes(self) -> range:
        return range(1, len(self.examples[0].logits) + 1)

    def prefix(self, index: int) -> str:
        return f"ex{index}." if self.batched else ""

    @property
    def share(self) -> Fraction:
        """What each example's loss counts for in the loss asked."""
        return Fraction(1, len(self.examples)) if self.reduction == "mean" else Fraction(1)


def parse(given: FieldReader) -> SoftmaxCrossEntropy | None:
    raw_logits = given.raw("logits")
    raw_target = given.raw("target")
    reduction = given.choice("reduction", ("mean", "sum"), default="mean")
    units = given.choice("units", tuple(LOG_BASE), default="nats")
    given.reject_unknown()
    if raw_logits is None or raw_target is None or reduction is None or units is None:
        return None
    batched = isinstance(raw_logits, list) and bool(raw_logits) and all(isinstance(row, list) for row in raw_logits)
    examples = _batch(given, raw_logits, raw_target) if batched else _example(given, "", raw_logits, raw_target)
    return None if examples is None or given.issues else SoftmaxCrossEntropy(examples, batched, reduction, units)


def _batch(given: FieldReader, rows: list[Any], targets: Any) -> tuple[Example, ...] | None:
    if not isinstance(targets, list) or len(targets) != len(rows) or len(rows) > MAX_EXAMPLES:
        given.report("target", f"expected one target per row of logits ({len(rows)}, at most {MAX_EXAMPLES}), found {targets!r}"[:200])
        return None
    examples = [_example(given, f"[{index}]", row, target) for index, (row, target) in enumerate(zip(rows, targets))]
    if any(example is None for example in examples):
        return None
    if len({len(example[0].logits) for example in examples if example}) > 1:
        given.report("logits", "expected the same number of logits in every row")
    elif len(rows) * len(rows[0]) > MAX_LOGITS:
        given.report("logits", f"expected at most {MAX_LOGITS:,} logits in all (two answers each), found {len(rows)} rows of {len(rows[0])}")
    return tuple(example[0] for example in examples if example)


def _example(given: FieldReader, index: str, raw_logits: Any, raw_target: Any) -> tuple[Example] | None:
    logits = _numbers(given, f"logits{index}", raw_logits)
    if logits is None:
        return None
    target = _target(given, f"target{index}", raw_target, len(logits))
    return None if target is None else (Example(logits, target),)


def _numbers(given: FieldReader, name: str, raw: Any) -> tuple[Fraction, ...] | None:
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_CLASSES:
        given.report(name, f"expected a list of 2 to {MAX_CLASSES} numbers, found {raw!r}"[:200])
        return None
    numbers = [check_number(given, f"{name}[{index}]", item) for index, item in enumerate(raw)]
    return None if None in numbers else tuple(numbers)  # type: ignore[arg-type]


def _target(given: FieldReader, name: str, raw: Any, classes: int) -> tuple[Fraction, ...] | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        if not 1 <= raw <= classes:
            given.report(name, f"expected a class from 1 to {classes} (classes are counted from 1), found {raw}")
            return None
        return tuple(Fraction(int(k == raw)) for k in range(1, classes + 1))
    if not isinstance(raw, list):
        given.report(name, f"expected a class number (from 1) or a list of {classes} probabilities, found {raw!r}"[:200])
        return None
    distribution = _numbers(given, name, raw)
    if distribution is not None and (len(distribution) != classes or min(distribution) < 0 or sum(distribution) != 1):
        given.report(name, f"expected {classes} probabilities (one per logit), none negative, adding up to 1, found {raw!r}"[:200])
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
    """Each loss from a student's own probabilities where given (and positive), each gradient from
    their own p_k, the batch's loss from their own per-example losses."""
    answers: dict[str, Number] = {}
    scale = 1 / math.log(LOG_BASE[spec.units])
    losses: list[Number] = []
    for index, example in enumerate(spec.examples, start=1):
        prefix = spec.prefix(index)
        computed = probabilities(example.logits)
        answers.update({f"{prefix}p{k}": p for k, p in zip(spec.classes, computed)})
        mine = [own.get(f"{prefix}p{k}", p) for k, p in zip(spec.classes, computed)]
        usable = all(p > 0 for p, y in zip(mine, example.target) if y)
        loss = answers[f"{prefix}loss"] = _loss(spec, example, [math.log(p) for p in mine] if usable else log_probabilities(example.logits))
        for k, p, y in zip(spec.classes, mine, example.target):
            answers[f"{prefix}grad.z{k}"] = (p - y) * scale * spec.share
        losses.append(own.get(f"{prefix}loss", loss) if spec.batched else loss)
    if spec.batched:  # one example's loss is the problem's (key order: p, loss, gradients)
        answers["loss"] = sum(losses) * spec.share
    return answers


def _loss(spec: SoftmaxCrossEntropy, example: Example, log_probabilities: list[float]) -> float:
    """−Σ y_k·log p_k from natural logs, in the units asked."""
    return -sum(float(y) * log_p for log_p, y in zip(log_probabilities, example.target) if y) / math.log(LOG_BASE[spec.units])


def dependencies(spec: SoftmaxCrossEntropy) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for index, example in enumerate(spec.examples, start=1):
        prefix = spec.prefix(index)
        found[f"{prefix}loss"] = tuple(f"{prefix}p{k}" for k, y in zip(spec.classes, example.target) if y)
        found.update({f"{prefix}grad.z{k}": (f"{prefix}p{k}",) for k in spec.classes})
    if spec.batched:
        found["loss"] = tuple(f"{spec.prefix(index)}loss" for index in range(1, len(spec.examples) + 1))
    return found


def mistakes(spec: SoftmaxCrossEntropy) -> tuple[Mistake, ...]:
    key = solve(spec)
    gradients = [name for name in key if "grad.z" in name]
    losses = [name for name in key if name.endswith("loss")]
    other_units = "bits" if spec.units == "nats" else "nats"
    log_name = "natural log" if spec.units == "nats" else "log base 2"
    targets = [y * spec.share / math.log(LOG_BASE[spec.units]) for example in spec.examples for y in example.target]
    alternatives = [
        Alternative("gradient sign flipped", "∂L/∂z_k = p_k − y_k: the probability minus the target, not the reverse.",
                    {name: -key[name] for name in gradients}),
        Alternative("target not subtracted", "∂L/∂z_k = p_k − y_k: subtract the target (1 for the true class).",
                    {name: key[name] + float(y) for name, y in zip(gradients, targets)}),
        Alternative(f"loss in {other_units}", f"The loss is asked in {spec.units}: use the {log_name}.",
                    {name: value for name, value in solve(replace(spec, units=other_units)).items() if name in losses}),
        scaled("log base 10", f"Cross-entropy uses the {log_name}, not log base 10.", key, losses,
               math.log(LOG_BASE[spec.units]) / math.log(10)),
    ]
    if spec.batched and spec.reduction == "mean":
        alternatives.append(scaled("the mean's 1/N left out",
                                   f"The loss is the MEAN over the {len(spec.examples)} examples, and so is each gradient: divide by N.",
                                   key, [*gradients, "loss"], len(spec.examples)))
    if spec.batched and spec.reduction == "sum":
        alternatives.append(scaled("averaged instead of summed", "The loss is the SUM over the examples: no division by N.",
                                   key, [*gradients, "loss"], Fraction(1, len(spec.examples))))
    alternatives.extend(_linear(spec))
    return from_alternatives(key, alternatives)


def _linear(spec: SoftmaxCrossEntropy) -> list[Alternative]:
    """p_k = z_k / Σ z (no exponentials), where every logit is positive so that this is a distribution."""
    found = []
    for index, example in enumerate(spec.examples, start=1):
        if min(example.logits) > 0:
            linear = [float(z / sum(example.logits)) for z in example.logits]
            answers: dict[str, Number] = {f"{spec.prefix(index)}p{k}": p for k, p in zip(spec.classes, linear)}
            answers[f"{spec.prefix(index)}loss"] = _loss(spec, example, [math.log(p) for p in linear])
            found.append(Alternative("logits normalised without exponentials", "Softmax exponentiates first: p_k = e^{z_k} / Σ_j e^{z_j}.", answers))
    return found


KIND = ProblemKind(
    name="softmax-cross-entropy",
    summary="softmax probabilities, cross-entropy loss and its gradient for given logits",
    parse=parse,
    solve=solve,
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
    ratios=("p*", "ex*.p*"),
)
