"""The strict output rule in the one-layer `convolution` kind, with CS231n's own examples (notes,
"Convolutional Networks", Spatial arrangement): W = 10, F = 3, P = 0 cannot use S = 2, since
(10 − 3 + 0)/2 + 1 = 4.5; AlexNet's first layer, (227 − 11)/4 + 1 = 55, can."""
from __future__ import annotations

from grader.solver.kinds.convolution import parse, solve
from tests.homework import read_given


def test_cs231n_stride_that_does_not_fit_is_a_rubric_error_under_the_strict_rule() -> None:
    spec, issues = read_given(parse, {"input": [10, 10, 3], "kernel": 3, "stride": 2, "filters": 4, "output_rule": "strict"})
    assert spec is None
    [(field, message)] = issues
    assert field == "given.stride" and "7/2 is not whole" in message


def test_the_same_layer_floors_under_the_default_rule_as_the_frameworks_do() -> None:
    spec, issues = read_given(parse, {"input": [10, 10, 3], "kernel": 3, "stride": 2, "filters": 4})
    assert issues == [] and solve(spec)["output.height"] == 4  # floor(7/2) + 1, torch.nn.Conv2d's size


def test_alexnets_first_layer_is_whole_under_the_strict_rule() -> None:
    spec, issues = read_given(parse, {"input": [227, 227, 3], "kernel": 11, "stride": 4, "filters": 96, "output_rule": "strict"})
    assert issues == [] and solve(spec)["output.height"] == 55


def test_same_padding_keeps_every_digit_of_a_huge_input() -> None:
    """'same' at stride 1 keeps the size (TensorFlow's ceil(W/S)); ceil(W/S) in floats made
    2⁵³ + 1 into 2⁵³, a silently wrong key. At stride 3, ceil((2⁵³ + 1)/3) = (2⁵³ + 1)/3 exactly."""
    size = 2**53 + 1
    for stride, expected in ((1, size), (3, size // 3)):
        spec, issues = read_given(parse, {"input": [size, 5, 1], "kernel": 3, "padding": "same", "stride": stride, "filters": 1})
        assert issues == [] and solve(spec)["output.height"] == expected
