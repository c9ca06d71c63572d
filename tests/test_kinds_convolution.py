"""grader.solver.kinds.convolution: one general convolution layer, values derived by hand."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds import KINDS
from grader.solver.kinds.convolution import KIND, parse, solve
from tests.homework import read_given


def answers(given: dict) -> dict[str, Fraction]:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def test_registered() -> None:
    assert KINDS["convolution"] is KIND


def test_alexnet_conv1_with_bias() -> None:
    assert answers({"input": [227, 227, 3], "kernel": 11, "stride": 4, "filters": 96, "bias": True}) == {
        "output.height": 55, "output.width": 55, "output.channels": 96,  # (227 - 11) / 4 + 1
        "weights": 34_848,  # 11 * 11 * 3 * 96
        "parameters": 34_944,  # + 96 biases
        "macs": 105_415_200,  # 55 * 55 * 34,848
        "activations": 290_400,  # 55 * 55 * 96
    }


def test_flops_with_bias_adds() -> None:
    given = {"input": [8, 6, 2], "kernel": [3, 1], "padding": [1, 0], "filters": 4, "bias": True,
             "count": "flops", "flops_count_bias_adds": True}
    # output 8 x 6 x 4 = 192 values; weights 3*1*2*4 = 24; MACs 48 positions * 24 = 1152
    result = answers(given)
    assert result["flops"] == 2 * 1152 + 192
    assert "macs" not in result
    assert (result["output.height"], result["output.width"]) == (8, 6)


def test_depthwise_with_channel_multiplier_and_same_padding() -> None:
    result = answers({"input": [10, 10, 8], "kernel": 3, "padding": "same", "groups": "depthwise",
                      "channel_multiplier": 2, "bias": True})
    # 16 filters, each 3x3 over one channel: 144 weights + 16 biases; 10x10 positions
    assert result == {"output.height": 10, "output.width": 10, "output.channels": 16, "weights": 144,
                      "parameters": 160, "macs": 14_400, "activations": 1600}


def test_dilated_strided_non_square() -> None:
    result = answers({"input": [32, 20, 3], "kernel": [3, 5], "stride": [2, 1], "dilation": 2, "filters": 8})
    # height: span 2*(3-1)+1 = 5 -> floor((32 - 5) / 2) + 1 = 14; width: span 2*(5-1)+1 = 9 -> 20 - 9 + 1 = 12
    assert (result["output.height"], result["output.width"], result["output.channels"]) == (14, 12, 8)
    assert result["weights"] == 3 * 5 * 3 * 8
    assert result["macs"] == 14 * 12 * 360


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({"input": [30, 30, 20], "kernel": 3, "stride": 2, "padding": 1, "output": [16, 16, 40]},
         "given.output", "into (15, 15, 40), not (16, 16, 40)"),
        ({"input": [4, 4, 1], "kernel": 5, "filters": 1}, "given.kernel", "does not fit"),
        ({"input": [8, 8, 6], "kernel": 3, "filters": 4, "groups": 4}, "given.kernel", "do not split into 4 groups"),
        ({"input": [8, 8, 6], "kernel": 3, "filters": 4, "padding": "full"}, "given.padding", "'same' or 'valid'"),
        ({"input": [8, 8, 6], "kernel": 3}, "given.filters", "required"),
        ({"input": [8, 8, 6], "kernel": 3, "filters": 4, "count": "flop"}, "given.count", "one of macs, flops"),
    ],
)
def test_invalid_layers_are_reported(given: dict, field: str, fragment: str) -> None:
    spec, issues = read_given(parse, given)
    assert spec is None
    assert any(name == field and fragment in expected for name, expected in issues), issues
