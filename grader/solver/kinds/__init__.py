"""The registry of problem kinds: a new kind is one module, listed here once."""
from __future__ import annotations

from grader.solver.kinds import (
    backprop,
    convolution,
    convolution_cost,
    layer_table,
    optimizer,
    output_size,
    recurrent,
    softmax_cross_entropy,
    transformer,
)
from grader.solver.kinds.problem_kind import ProblemKind

KINDS: dict[str, ProblemKind] = {
    kind.name: kind
    for kind in (convolution.KIND, convolution_cost.KIND, output_size.KIND, backprop.KIND, layer_table.KIND)
    + (recurrent.KIND, transformer.KIND, softmax_cross_entropy.KIND, optimizer.KIND)
}

__all__ = ["KINDS", "ProblemKind"]
