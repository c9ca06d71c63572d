"""Recurrent layers (RNN, LSTM, GRU): parameters and the multiply-accumulates of one time step
and of a sequence, for one or more stacked layers, one or both directions.

A cell with g gate blocks (RNN 1, LSTM 4, GRU 3) and hidden size H, fed I inputs, has g·H·(I + H)
weights per direction, and g·H biases per bias vector. PyTorch keeps two bias vectors (b_ih and
b_hh), as does Keras's GRU with its default reset_after=True; Keras's SimpleRNN, LSTM and
GRU(reset_after=False) keep one: `bias: two | one | none`. Layer 2 onwards is fed the previous
layer's output, H per direction. MACs count the matrix-vector products only (the elementwise
gate products and the nonlinearities are left out), batch 1.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Callable, Mapping

from grader.base.fields import FieldReader
from grader.base.numbers import Number
from grader.solver.kinds.problem_kind import ProblemKind
from grader.solver.mistakes import Alternative, Mistake, count_mistake, from_alternatives

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
MAX_LAYERS = 1000  # each layer is an answer of its own; a deeper stack is a typo, not a homework
BIAS_VECTORS = {"two": 2, "one": 1, "none": 0}
BIAS_LABELS = {  # (the convention asked, the one used by mistake)
    ("two", "one"): "one bias vector instead of two", ("two", "none"): "biases left out",
    ("one", "two"): "two bias vectors instead of one", ("one", "none"): "biases left out",
    ("none", "one"): "a bias vector counted", ("none", "two"): "two bias vectors counted",
}
BIAS_FEEDBACK = {
    "two": "The convention here is PyTorch's (and Keras GRU's with reset_after=True): two bias vectors, b_ih and b_hh, per gate block.",
    "one": "The convention here is Keras's (SimpleRNN, LSTM, GRU with reset_after=False): ONE bias vector per gate block.",
    "none": "This layer has no biases: count the weight matrices only.",
}


@dataclass(frozen=True)
class Recurrent:
    cell: str
    input_size: int
    hidden_size: int
    layers: int
    bidirectional: bool
    bias: str
    sequence_length: int | None
    unit: str  # macs | flops

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    def layer_input(self, layer: int) -> int:
        """What layer `layer` (from 1) is fed: the input, then the previous layer's output."""
        return self.input_size if layer == 1 else self.hidden_size * self.directions

    def weights(self, layer: int) -> int:
        """Weight-matrix entries of one layer, both directions."""
        return GATES[self.cell] * self.hidden_size * (self.layer_input(layer) + self.hidden_size) * self.directions

    def biases(self) -> int:
        """Bias entries of one layer, both directions."""
        return BIAS_VECTORS[self.bias] * GATES[self.cell] * self.hidden_size * self.directions


def parse(given: FieldReader) -> Recurrent | None:
    cell = given.choice("cell", tuple(GATES))
    input_size = given.integer("input_size", minimum=1)
    hidden_size = given.integer("hidden_size", minimum=1)
    layers = given.integer("layers", minimum=1, default=1)
    bidirectional = given.boolean("bidirectional", default=False)
    bias = given.choice("bias", tuple(BIAS_VECTORS), default="two")
    sequence_length = given.integer("sequence_length", minimum=1, default=None)
    unit = given.choice("count", ("macs", "flops"), default="macs")
    given.reject_unknown()
    fields = (cell, input_size, hidden_size, layers, bidirectional, bias, unit)
    if layers is not None and layers > MAX_LAYERS:
        given.report("layers", f"expected at most {MAX_LAYERS} stacked layers (each is an answer of its own), found {layers}")
    if any(field is None for field in fields) or given.issues:
        return None
    return Recurrent(*fields[:6], sequence_length, unit)  # type: ignore[arg-type]


def solve(spec: Recurrent) -> dict[str, Number]:
    return solve_with(spec, {})


def solve_with(spec: Recurrent, own: Mapping[str, Number]) -> dict[str, Number]:
    """Totals from a student's own per-layer counts and per-step cost where given."""
    per_flop = 1 if spec.unit == "macs" else 2
    answers: dict[str, Number] = {}
    layer_params: list[Number] = [Fraction(spec.weights(layer) + spec.biases()) for layer in range(1, spec.layers + 1)]
    if spec.layers > 1:
        for layer, params in enumerate(layer_params, start=1):
            answers[f"layer{layer}.params"] = params
        layer_params = [own.get(f"layer{layer}.params", params) for layer, params in enumerate(layer_params, start=1)]
    answers["weights"] = Fraction(sum(spec.weights(layer) for layer in range(1, spec.layers + 1)))
    answers["params"] = sum(layer_params, Fraction(0))
    per_step = f"{spec.unit}_per_step"
    answers[per_step] = answers["weights"] * per_flop
    if spec.sequence_length is not None:
        answers[spec.unit] = own.get(per_step, answers[per_step]) * spec.sequence_length
    answers["output_features"] = Fraction(spec.hidden_size * spec.directions)
    return answers


def dependencies(spec: Recurrent) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    if spec.layers > 1:
        found["params"] = tuple(f"layer{layer}.params" for layer in range(1, spec.layers + 1))
    if spec.sequence_length is not None:
        found[spec.unit] = (f"{spec.unit}_per_step",)
    return found


def mistakes(spec: Recurrent) -> tuple[Mistake, ...]:
    key = solve(spec)
    costs = [name for name in key if name.startswith(spec.unit)]
    alternatives = [
        count_mistake(spec.unit, key, costs),
        Alternative("recurrent weights left out",
                    "Each gate also multiplies the previous hidden state: g·H·(I + H) weights, not g·H·I.",
                    _without_recurrent(spec)),
    ]
    for other in BIAS_VECTORS:
        if other != spec.bias:
            alternatives.append(Alternative(BIAS_LABELS[spec.bias, other], BIAS_FEEDBACK[spec.bias], solve(replace(spec, bias=other))))
    if spec.cell != "rnn":
        alternatives.append(Alternative(
            "gate blocks left out",
            f"An {spec.cell.upper()} has {GATES[spec.cell]} gate blocks, each with its own input and recurrent weights: "
            f"{GATES[spec.cell]} × a simple RNN's count.",
            solve(replace(spec, cell="rnn"))))
    if spec.bidirectional:
        alternatives.append(Alternative(
            "backward direction left out",
            "A bidirectional layer has two independent sets of weights, one per direction: ×2.",
            solve(replace(spec, bidirectional=False))))
    if spec.layers > 1:
        alternatives.append(Alternative(
            "later layers fed the input size",
            "Layer 2 onwards is fed the previous layer's output (hidden size × directions), not the input.",
            _later_layers_fed(spec, spec.input_size)))
        if spec.bidirectional:
            alternatives.append(Alternative(
                "later layers fed one direction",
                "After a bidirectional layer the next one is fed both directions' outputs: 2 × hidden size.",
                _later_layers_fed(spec, spec.hidden_size)))
    return from_alternatives(key, alternatives)


def _without_recurrent(spec: Recurrent) -> dict[str, Number]:
    """Weights as g·H·I only: the hidden-to-hidden matrices forgotten."""
    return _with_weights(spec, lambda layer: GATES[spec.cell] * spec.hidden_size * spec.layer_input(layer) * spec.directions)


def _later_layers_fed(spec: Recurrent, fed: int) -> dict[str, Number]:
    def weights(layer: int) -> int:
        size = spec.input_size if layer == 1 else fed
        return GATES[spec.cell] * spec.hidden_size * (size + spec.hidden_size) * spec.directions
    return _with_weights(spec, weights)


def _with_weights(spec: Recurrent, weights: Callable[[int], int]) -> dict[str, Number]:
    """The answers with each layer's weight count replaced by `weights(layer)`."""
    layer_weights = [weights(layer) for layer in range(1, spec.layers + 1)]
    answers: dict[str, Number] = {}
    if spec.layers > 1:
        answers.update({f"layer{i}.params": Fraction(w + spec.biases()) for i, w in enumerate(layer_weights, start=1)})
    per_flop = 1 if spec.unit == "macs" else 2
    answers["weights"] = Fraction(sum(layer_weights))
    answers["params"] = Fraction(sum(layer_weights) + spec.biases() * spec.layers)
    answers[f"{spec.unit}_per_step"] = answers["weights"] * per_flop
    if spec.sequence_length is not None:
        answers[spec.unit] = answers["weights"] * per_flop * spec.sequence_length
    return answers


KIND = ProblemKind(
    name="recurrent",
    summary="parameters and per-step cost of RNN, LSTM and GRU layers: stacked, bidirectional, one or two bias vectors",
    parse=parse,
    solve=solve,
    optional=("weights", "output_features"),
    dependencies=dependencies,
    solve_with=solve_with,
    mistakes=mistakes,
)
