"""Optimizer steps on a loss written as named equations (as in `backprop`): SGD with momentum or
Nesterov, Adam with bias correction, weight decay as L2 in the gradient or decoupled (AdamW);
the gradient, the weights and the loss after each step, so "how much did the loss drop" is askable.

The update rules are PyTorch's (torch.optim.SGD, Adam, AdamW), one step per `step`:
- SGD: d = g + λw; with momentum μ, b = d on the first step and μb + d after; w ← w − η·b, or
  with Nesterov w ← w − η·(d + μb). `convention: classic` reports the velocity as v = μv − η·d,
  w ← w + v (Sutskever, CS231n, Keras): with a constant rate the weights are the same, v = −η·b.
- Adam: d = g + λw; m ← β1·m + (1 − β1)·d; v ← β2·v + (1 − β2)·d²; m̂ = m/(1 − β1ᵗ),
  v̂ = v/(1 − β2ᵗ); w ← w − η·m̂/(√v̂ + ε). AdamW: d = g, and first w ← w·(1 − η·λ).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Callable, Mapping

from grader.base.errors import ExpressionError
from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.graph import Graph, forward, gradients
from grader.solver.kinds import backprop
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, from_alternatives

OPTIMIZERS = ("sgd", "adam", "adamw")
MAX_STEPS = 100
GRAPH_FIELDS = ("values", "nodes", "layers", "loss")
Keep = Callable[[str, Number], Number]  # records a computed answer, returns the value to carry on with
EXACT_DIGITS = 40  # a fraction whose numerator or denominator grows longer is carried on as a float (see `_exact_while_short`)
STATE = {"sgd": ("velocity",), "adam": ("m", "v", "m_hat", "v_hat"), "adamw": ("m", "v", "m_hat", "v_hat")}


@dataclass(frozen=True)
class Optimizer:
    graph: Graph
    parameters: tuple[str, ...]
    optimizer: str
    learning_rate: Fraction
    steps: int
    momentum: Fraction = Fraction(0)
    nesterov: bool = False
    convention: str = "pytorch"
    betas: tuple[Fraction, Fraction] = (Fraction(9, 10), Fraction(999, 1000))
    eps: Fraction = Fraction(1, 10**8)
    weight_decay: Fraction = Fraction(0)
    bias_correction: bool = True


def parse(given: FieldReader) -> Optimizer | None:
    graph = _graph(given)
    parameters = given.list_of_text("parameters")
    optimizer = given.choice("optimizer", OPTIMIZERS)
    rate = given.number("learning_rate", minimum=Fraction(0))
    steps = given.integer("steps", minimum=1, default=1)
    decay = given.number("weight_decay", minimum=Fraction(0), default=0.01 if optimizer == "adamw" else 0)
    if None in (graph, parameters, optimizer, rate, steps, decay) or given.issues:
        given.reject_unknown()
        return None
    plain = Optimizer(graph, parameters, optimizer, rate, steps, weight_decay=decay)  # type: ignore[arg-type]
    spec = _momentum(given, plain) if optimizer == "sgd" else _adam(given, plain)
    given.reject_unknown()
    if spec is None or given.issues:
        return None
    _check(given, spec)
    return None if given.issues else spec


def _graph(given: FieldReader) -> Graph | None:
    """The loss's equations, read by the backprop kind from this problem's own fields."""
    own = {name: given.raw(name, default=None) for name in GRAPH_FIELDS}
    reader = FieldReader({name: value for name, value in own.items() if value is not None}, prefix=given.prefix)
    spec = backprop.parse(reader)
    for field, expected in reader.issues:
        given.report(field[len(given.prefix):], expected)
    return None if spec is None else spec.graph


def _momentum(given: FieldReader, spec: Optimizer) -> Optimizer | None:
    momentum = given.number("momentum", minimum=Fraction(0), default=0)
    nesterov = given.boolean("nesterov", default=False)
    convention = given.choice("convention", ("pytorch", "classic"), default="pytorch")
    if momentum is None or nesterov is None or convention is None:
        return None
    if momentum >= 1:
        given.report("momentum", f"expected a momentum below 1, found {momentum}")
    if nesterov and not momentum:
        given.report("nesterov", "Nesterov momentum needs a `momentum` above 0")
    return replace(spec, momentum=momentum, nesterov=nesterov, convention=convention)


def _adam(given: FieldReader, spec: Optimizer) -> Optimizer | None:
    betas = given.raw("betas", default=None)
    eps = given.number("eps", minimum=Fraction(0), default=1e-8)
    correction = given.boolean("bias_correction", default=True)
    pair = _betas(given, betas) if betas is not None else spec.betas
    if eps == 0:
        given.report("eps", "expected an eps above 0: it keeps m̂/(√v̂ + ε) defined where a gradient is 0")
    if eps is None or eps == 0 or correction is None or pair is None:
        return None
    return replace(spec, betas=pair, eps=eps, bias_correction=correction)


def _betas(given: FieldReader, raw: object) -> tuple[Fraction, Fraction] | None:
    reader = FieldReader({"beta1": raw[0], "beta2": raw[1]} if isinstance(raw, list) and len(raw) == 2 else {}, given.prefix)
    if not reader.mapping:
        given.report("betas", f"expected two numbers [β1, β2], such as [0.9, 0.999], found {raw!r}"[:200])
        return None
    pair = (reader.number("beta1", minimum=Fraction(0)), reader.number("beta2", minimum=Fraction(0)))
    if None in pair or any(beta >= 1 for beta in pair if beta is not None):  # type: ignore[operator]
        given.report("betas", f"expected two numbers from 0 up to (not including) 1, found {raw!r}"[:200])
        return None
    return pair  # type: ignore[return-value]


def _check(given: FieldReader, spec: Optimizer) -> None:
    if spec.steps > MAX_STEPS:
        given.report("steps", f"expected at most {MAX_STEPS} steps, found {spec.steps}")
    for name in spec.parameters:
        if name not in spec.graph.leaves:
            given.report("parameters", f"'{name}' is not a given value: the parameters are trained among `values` (or a layer's weights)")
        if name in ("loss", "grad", *_buffers(spec)):
            given.report("parameters", f"a parameter may not be called '{name}': it would clash with the answers step<k>.{name}…")
    if not spec.parameters:
        given.report("parameters", "expected at least one parameter to train")
    repeated = sorted({name for name in spec.parameters if spec.parameters.count(name) > 1})
    if repeated:
        given.report("parameters", f"expected each parameter once, found {', '.join(repeated)} more than once")
    if spec.learning_rate <= 0:
        given.report("learning_rate", f"expected a learning rate above 0, found {spec.learning_rate}")


def loss_at(graph: Graph, weights: Mapping[str, Number]) -> Number:
    return forward(replace(graph, leaves={**graph.leaves, **weights}))[graph.loss]


def solve(spec: Optimizer) -> dict[str, Number]:
    return solve_with(spec, {})


def solve_with(spec: Optimizer, own: Mapping[str, Number]) -> dict[str, Number]:
    """The whole trajectory; every value computed from the student's own earlier values where given."""
    answers: dict[str, Number] = {}

    def keep(name: str, value: Number) -> Number:
        """Record the computed value; carry on with the student's own where they gave it."""
        value = _exact_while_short(value)
        answers[name] = value
        return own.get(name, value)

    weights = {name: spec.graph.leaves[name] for name in spec.parameters}
    first = keep("loss.initial", loss_at(spec.graph, weights))
    state: dict[str, dict[str, Number]] = {name: {} for name in spec.parameters}
    loss = first
    for step in range(1, spec.steps + 1):
        try:
            graph = replace(spec.graph, leaves={**spec.graph.leaves, **weights})
            computed = gradients(graph)
            for name in spec.parameters:
                grad = keep(f"step{step}.grad.{name}", computed[name])
                weights[name] = _update(spec, step, name, weights[name], grad, state[name], keep)
            loss = keep(f"step{step}.loss", loss_at(spec.graph, weights))
        except (ExpressionError, ArithmeticError) as error:
            raise ExpressionError(f"step {step}: {error} (do the steps diverge? a lower learning_rate may help)") from None
    answers["loss.drop"] = first - loss
    return answers


def _exact_while_short(value: Number) -> Number:
    """Exact while the fraction stays short, a float after: a polynomial loss multiplies the digits
    of the weights' fractions at every step (w ← w − η·4w³ triples them), so 30 exact steps of w⁴
    would never finish, while a float keeps the 15 digits any tolerance can judge."""
    if not isinstance(value, Fraction) or max(abs(value.numerator), value.denominator) <= 10**EXACT_DIGITS:
        return value
    try:
        return float(value)
    except OverflowError:
        raise ArithmeticError(f"a value passes 1e308 ({value.numerator.bit_length()} bits)") from None


def _update(spec: Optimizer, step: int, name: str, weight: Number, grad: Number, state: dict[str, Number], keep: Keep) -> Number:
    """One parameter's step; `state` carries its buffers (as the student has them) to the next step."""
    prefix = f"step{step}."
    decay = spec.weight_decay
    if spec.optimizer == "adamw":
        weight = weight * (1 - spec.learning_rate * decay)
        decay = Fraction(0)
    direction = grad + decay * weight
    if spec.optimizer == "sgd":
        if spec.momentum:
            buffer = direction if step == 1 else spec.momentum * state["velocity"] + direction
            state["velocity"] = _from_velocity(spec, keep(f"{prefix}velocity.{name}", _velocity(spec, buffer)))
            direction = direction + spec.momentum * state["velocity"] if spec.nesterov else state["velocity"]
        return keep(prefix + name, weight - spec.learning_rate * direction)
    beta1, beta2 = spec.betas
    state["m"] = keep(f"{prefix}m.{name}", beta1 * state.get("m", 0) + (1 - beta1) * direction)
    state["v"] = keep(f"{prefix}v.{name}", beta2 * state.get("v", 0) + (1 - beta2) * direction * direction)
    corrections = (1 - beta1**step, 1 - beta2**step) if spec.bias_correction else (1, 1)
    m_hat = keep(f"{prefix}m_hat.{name}", state["m"] / corrections[0])
    v_hat = keep(f"{prefix}v_hat.{name}", state["v"] / corrections[1])
    return keep(prefix + name, weight - spec.learning_rate * m_hat / (math.sqrt(max(v_hat, 0)) + spec.eps))


def _velocity(spec: Optimizer, buffer: Number) -> Number:
    """PyTorch's momentum buffer b as the convention asked reports it (classic: v = −η·b)."""
    return buffer if spec.convention == "pytorch" else -spec.learning_rate * buffer


def _from_velocity(spec: Optimizer, velocity: Number) -> Number:
    return velocity if spec.convention == "pytorch" else velocity / -spec.learning_rate


def dependencies(spec: Optimizer) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for step in range(1, spec.steps + 1):
        now, before = f"step{step}.", f"step{step - 1}."
        previous = tuple(before + name for name in spec.parameters) if step > 1 else ()
        for name in spec.parameters:
            found[f"{now}grad.{name}"] = previous
            earlier = (before + name,) if step > 1 else ()
            state = tuple(f"{now}{buffer}.{name}" for buffer in _buffers(spec))
            found[now + name] = (*earlier, f"{now}grad.{name}", *state)
            found.update(_state_dependencies(spec, step, name, earlier))
        found[f"{now}loss"] = tuple(now + name for name in spec.parameters)
    found["loss.drop"] = ("loss.initial", f"step{spec.steps}.loss")
    return found


def _buffers(spec: Optimizer) -> tuple[str, ...]:
    return STATE[spec.optimizer] if spec.optimizer != "sgd" or spec.momentum else ()


def _state_dependencies(spec: Optimizer, step: int, name: str, earlier: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    now, before = f"step{step}.", f"step{step - 1}."
    coupled = earlier if spec.weight_decay and spec.optimizer != "adamw" else ()
    grad = f"{now}grad.{name}"
    if spec.optimizer == "sgd":
        if not spec.momentum:
            return {}
        return {f"{now}velocity.{name}": (grad, *coupled, *((f"{before}velocity.{name}",) if step > 1 else ()))}
    moments = {
        f"{now}{moment}.{name}": (grad, *coupled, *((f"{before}{moment}.{name}",) if step > 1 else ())) for moment in ("m", "v")
    }
    return {**moments, f"{now}m_hat.{name}": (f"{now}m.{name}",), f"{now}v_hat.{name}": (f"{now}v.{name}",)}


def _solve_or_nothing(spec: Optimizer) -> dict[str, Number]:
    """A mistaken way of working may leave the loss's domain (log of a negative weight, an overflowing
    exp): then it names no value, rather than stopping the whole answer key."""
    try:
        return solve(spec)
    except (ExpressionError, ArithmeticError, ValueError):
        return {}


def mistakes(spec: Optimizer) -> tuple[Mistake, ...]:
    key = solve(spec)
    alternatives = [
        Alternative("step taken uphill", "A descent step SUBTRACTS the learning rate times the update: w ← w − η·(…).",
                    _solve_or_nothing(replace(spec, learning_rate=-spec.learning_rate))),
        Alternative("loss rise instead of drop", "The drop is the loss before the steps minus the loss after them.", {"loss.drop": -key["loss.drop"]}),
    ]
    if spec.weight_decay:
        alternatives.append(Alternative("weight decay left out", "Weight decay shrinks every weight: add λ·w (or decay w by η·λ in AdamW).",
                                        _solve_or_nothing(replace(spec, weight_decay=Fraction(0)))))
    if spec.optimizer == "sgd" and spec.momentum:
        alternatives.append(Alternative("momentum left out", "With momentum, each step follows the velocity, not just the gradient.",
                                        _solve_or_nothing(replace(spec, momentum=Fraction(0), nesterov=False))))
        other = "classic" if spec.convention == "pytorch" else "pytorch"
        alternatives.append(Alternative(
            "velocity in the other convention",
            "The velocity is asked in PyTorch's convention: b ← μ·b + g, w ← w − η·b." if other == "classic"
            else "The velocity is asked in the classic convention: v ← μ·v − η·g, w ← w + v.",
            _solve_or_nothing(replace(spec, convention=other))))
    if spec.nesterov:
        alternatives.append(Alternative("Nesterov look-ahead left out", "Nesterov steps along g + μ·b (the look-ahead), not along b alone.",
                                        _solve_or_nothing(replace(spec, nesterov=False))))
    if spec.optimizer != "sgd" and spec.bias_correction:
        alternatives.append(Alternative("no bias correction", "Adam divides m by 1 − β1ᵗ and v by 1 − β2ᵗ (bias correction).",
                                        _solve_or_nothing(replace(spec, bias_correction=False))))
    if spec.optimizer != "sgd" and spec.weight_decay:
        coupled = spec.optimizer == "adam"
        alternatives.append(Alternative(
            "decay decoupled (AdamW) instead of L2" if coupled else "decay coupled (L2 in the gradient) instead of decoupled",
            "Adam's weight_decay adds λ·w to the gradient (L2), which then passes through m and v." if coupled
            else "AdamW decays the weights directly, w ← w·(1 − η·λ), outside m and v.",
            _solve_or_nothing(replace(spec, optimizer="adamw" if coupled else "adam"))))
    return from_alternatives(key, alternatives)


KIND = ProblemKind(
    name="optimizer",
    summary="SGD (momentum, Nesterov), Adam and AdamW steps with weight decay: gradients, weights and the loss after each step",
    parse=parse,
    solve=solve,
    optional=tuple(f"step*.{buffer}.*" for buffer in ("velocity", "m", "v", "m_hat", "v_hat")),
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
)
