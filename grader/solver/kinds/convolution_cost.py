"""A standard convolution against its depthwise-separable twin: weights, cost, and their ratio.

A separable convolution factors a kh×kw×C→N convolution into a depthwise step (one kh×kw filter
per input channel, or `channel_multiplier` of them, carrying stride, padding and dilation) and
a pointwise step (a 1×1 convolution to N channels). Weights include biases when `bias` is on.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Mapping

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.conv_arithmetic import Convolution, one_by_one
from grader.solver.kinds.convolution import cost, layer_working, read_convolution, read_count
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import (
    Alternative,
    Mistake,
    bias_mistake,
    count_mistake,
    from_alternatives,
    scaled,
)


@dataclass(frozen=True)
class ConvolutionCost:
    standard: Convolution
    multiplier: int
    count: tuple[str, bool]

    @property
    def depthwise(self) -> Convolution:
        channels = self.standard.input_shape[2]
        return replace(self.standard, groups=channels, filters=channels * self.multiplier)

    @property
    def pointwise(self) -> Convolution:
        return one_by_one(self.depthwise.output_shape, self.standard.filters, self.standard.bias)


def parse(given: FieldReader) -> ConvolutionCost | None:
    multiplier = given.integer("channel_multiplier", minimum=1, default=1)
    standard = read_convolution(given)
    count = read_count(given)
    given.reject_unknown()
    if standard is None or count is None or multiplier is None:
        return None
    if standard.groups != 1:
        given.report("groups", "the standard convolution of this comparison has one group")
        return None
    return ConvolutionCost(standard, multiplier, count)


def solve(spec: ConvolutionCost) -> dict[str, Number]:
    return solve_with(spec, {})


def solve_with(spec: ConvolutionCost, own: Mapping[str, Number]) -> dict[str, Number]:
    """The totals and the ratio from a student's own step values where given."""
    steps = {"standard": spec.standard, "depthwise": spec.depthwise, "pointwise": spec.pointwise}
    unit = spec.count[0]
    answers: dict[str, Number] = {}
    for name, layer in steps.items():
        answers[f"{name}.weights"] = Fraction(layer.parameters)
        answers[f"{name}.{unit}"] = Fraction(cost(layer, spec.count))
    return _totals({**answers, **{name: own[name] for name in answers if name in own}}, own, unit)


def _totals(answers: dict[str, Number], own: Mapping[str, Number], unit: str) -> dict[str, Number]:
    for measure in ("weights", unit):
        total = answers[f"depthwise.{measure}"] + answers[f"pointwise.{measure}"]
        answers[f"separable.{measure}"] = own.get(f"separable.{measure}", total)
    standard = answers[f"standard.{unit}"]
    answers["ratio"] = answers[f"separable.{unit}"] / standard if standard else Fraction(0)
    return answers


def dependencies(spec: ConvolutionCost) -> dict[str, tuple[str, ...]]:
    unit = spec.count[0]
    return {
        "separable.weights": ("depthwise.weights", "pointwise.weights"),
        f"separable.{unit}": (f"depthwise.{unit}", f"pointwise.{unit}"),
        "ratio": (f"separable.{unit}", f"standard.{unit}"),
    }


def mistakes(spec: ConvolutionCost) -> tuple[Mistake, ...]:
    key = solve(spec)
    standard = spec.standard
    unit = spec.count[0]
    costs = [name for name in key if name.endswith(f".{unit}")]
    (in_h, in_w, channels), (out_h, out_w, _) = standard.input_shape, standard.output_shape
    alternatives = [
        bias_mistake(standard.bias, solve(replace(spec, standard=replace(standard, bias=not standard.bias)))),
        _bias_in_cost(spec, key) if not standard.bias else None,
        count_mistake(unit, key, costs),
        scaled("input size instead of output size",
               "Each filter is applied once per OUTPUT position: use the output's height × width, not the input's.",
               key, costs, Fraction(in_h * in_w, out_h * out_w)),
        Alternative("input channels left out", "Each filter spans every input channel: multiply by the input depth.",
                    solve(replace(spec, standard=replace(standard, input_shape=(in_h, in_w, 1))))),
        _depthwise_as(spec, key, "depthwise counted as a full convolution", standard.weights,
                      "The depthwise step has ONE k×k filter per input channel, not k×k×C_in×C_out weights."),
        _depthwise_as(spec, key, "depthwise counted per output channel", spec.depthwise.weights * standard.filters // channels,
                      "The depthwise step has one k×k filter per INPUT channel; the output channels come from the pointwise step."),
        Alternative("separable taken as the depthwise step alone", "The separable convolution is the depthwise step AND the pointwise step: add both.",
                    _totals({**key, "separable.weights": key["depthwise.weights"], f"separable.{unit}": key[f"depthwise.{unit}"]},
                            {"separable.weights": key["depthwise.weights"], f"separable.{unit}": key[f"depthwise.{unit}"]}, unit)),
        Alternative("ratio inverted", "The ratio asked is separable ÷ standard (below 1), not standard ÷ separable.",
                    {"ratio": 1 / key["ratio"]} if key["ratio"] else {}),
    ]
    return from_alternatives(key, [alternative for alternative in alternatives if alternative is not None])


def _bias_in_cost(spec: ConvolutionCost, key: Mapping[str, Number]) -> Alternative:
    """A bias counted as one more multiply-accumulate per output value (the weights are the
    "bias counted" mistake's)."""
    unit, steps = spec.count[0], {"standard": spec.standard, "depthwise": spec.depthwise, "pointwise": spec.pointwise}
    per_value = 1 if unit == "macs" else 2
    own = {f"{name}.{unit}": key[f"{name}.{unit}"] + per_value * layer.activations for name, layer in steps.items()}
    answers = {name: value for name, value in _totals({**key, **own}, own, unit).items() if not name.endswith(".weights")}
    return Alternative("bias counted in the cost", "This layer has no bias: count no bias operation per output value.", answers)


def _depthwise_as(spec: ConvolutionCost, key: Mapping[str, Number], label: str, kernel_weights: int, feedback: str) -> Alternative:
    """The depthwise step with `kernel_weights` (its biases as they are, its cost per weight as
    it is), and the totals built on it."""
    unit, depthwise = spec.count[0], spec.depthwise
    cost_per_weight = Fraction(cost(depthwise, spec.count) - (depthwise.activations if spec.count == ("flops", True) and depthwise.bias else 0),
                               depthwise.weights)
    own = {"depthwise.weights": Fraction(kernel_weights + depthwise.biases), f"depthwise.{unit}": cost_per_weight * kernel_weights}
    return Alternative(label, feedback, _totals({**key, **own}, own, unit))


def working(spec: ConvolutionCost) -> dict[str, str]:
    """Each step's weights (biases included) and cost as one layer's; the totals and the ratio from them."""
    unit, found = spec.count[0], {}
    for name, layer in {"standard": spec.standard, "depthwise": spec.depthwise, "pointwise": spec.pointwise}.items():
        steps = layer_working(layer, spec.count)
        found[f"{name}.weights"] = steps["weights"] + (f" + {layer.biases} biases" if layer.bias else "")
        found[f"{name}.{unit}"] = steps[unit]
    found.update({f"separable.{measure}": f"depthwise {measure} + pointwise {measure}" for measure in ("weights", unit)})
    found["ratio"] = f"separable {unit} ÷ standard {unit}"
    return found


KIND = ProblemKind(
    name="convolution-cost",
    summary="weights and cost of a standard vs a depthwise-separable convolution, and their ratio",
    parse=parse,
    solve=solve,
    optional=("ratio",),
    ratios=("ratio",),
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
    working=working,
)
