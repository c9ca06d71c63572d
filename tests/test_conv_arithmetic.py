"""grader.solver.conv_arithmetic against hand-derived shapes and published layer figures."""
from __future__ import annotations

import pytest

from grader.solver.conv_arithmetic import Convolution, ShapeError, output_extent, total_padding


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "dilation", "padding", "expected"),
    [
        (30, 3, 2, 1, 1, 15),  # floor((30 + 2 - 3) / 2) + 1 = 14 + 1
        (224, 7, 2, 1, 3, 112),  # ResNet-50 conv1: floor((224 + 6 - 7) / 2) + 1 = 111 + 1
        (227, 11, 4, 1, 0, 55),  # AlexNet conv1: (227 - 11) / 4 + 1
        (32, 5, 1, 1, "valid", 28),  # LeNet-5 C1
        (224, 3, 2, 1, "same", 112),  # same: ceil(224 / 2)
        (7, 3, 2, 1, "same", 4),  # same: ceil(7 / 2); total padding (4-1)*2 + 3 - 7 = 2
        (32, 3, 1, 2, 0, 28),  # dilation 2 spreads 3 taps over 5 inputs: 32 - 5 + 1
        (8, 3, 2, 1, 0, 3),  # floor((8 - 3) / 2) + 1 = 2 + 1: the floor convention
        (20, 1, 1, 1, 0, 20),
    ],
)
def test_output_extent(size, kernel, stride, dilation, padding, expected) -> None:
    assert output_extent(size, kernel, stride, dilation, padding) == expected


def test_same_padding_totals() -> None:
    assert total_padding(7, 3, 2, 1, "same") == 2  # (ceil(7/2) - 1) * 2 + 3 - 7
    assert total_padding(224, 3, 2, 1, "same") == 1  # 111 * 2 + 3 - 224: split 0 before, 1 after
    assert total_padding(10, 1, 3, 1, "same") == 0  # never negative
    assert total_padding(10, 3, 1, 1, 2) == 4


def test_kernel_larger_than_padded_input_is_a_shape_error() -> None:
    with pytest.raises(ShapeError, match="does not fit an input of 4"):
        output_extent(4, 5, 1, 1, 0)


def layer(**changes) -> Convolution:
    values = dict(
        input_shape=(227, 227, 3), kernel=(11, 11), stride=(4, 4), padding=(0, 0),
        dilation=(1, 1), groups=1, filters=96, bias=True,
    )
    values.update(changes)
    return Convolution(**values)


def test_alexnet_conv1_matches_published_figures() -> None:
    conv1 = layer()
    assert conv1.output_shape == (55, 55, 96)
    assert conv1.weights == 34_848  # 11 * 11 * 3 * 96
    assert conv1.parameters == 34_944  # + 96 biases: the published 34,944
    assert conv1.macs == 105_415_200  # 55 * 55 * 34,848 (the published ~105 M MACs)
    assert conv1.activations == 290_400  # 55 * 55 * 96
    assert conv1.flops(bias_adds=False) == 210_830_400
    assert conv1.flops(bias_adds=True) == 210_830_400 + 290_400


def test_grouped_convolution_connects_each_filter_to_a_share_of_the_channels() -> None:
    grouped = layer(input_shape=(16, 16, 32), kernel=(3, 3), stride=(1, 1), padding=(1, 1), groups=4, filters=64)
    assert grouped.weights == 4608  # 3 * 3 * (32 / 4) * 64
    assert grouped.parameters == 4672
    assert grouped.macs == 16 * 16 * 4608


def test_channels_that_do_not_split_into_groups_are_refused() -> None:
    with pytest.raises(ShapeError, match="do not split into 3 groups"):
        layer(input_shape=(8, 8, 32), groups=3, filters=48)


def test_a_stated_output_is_used_as_given() -> None:
    stated = layer(input_shape=(30, 30, 20), kernel=(3, 3), stride=(1, 1), filters=40, stated_output=(15, 15))
    assert stated.output_shape == (15, 15, 40)
    assert stated.macs == 15 * 15 * 3 * 3 * 20 * 40
