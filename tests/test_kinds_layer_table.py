"""grader.solver.kinds.layer_table: a network's table of output shapes, parameters and MACs, derived by hand."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds.layer_table import KIND, parse, solve
from tests.homework import ROOT, read_given


def answers(given: dict) -> dict[str, Fraction]:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def issues_of(given: dict) -> list[tuple[str, str]]:
    spec, issues = read_given(parse, given)
    assert spec is None
    return issues


def conv3(name: str, filters: int) -> dict:
    return {"name": name, "type": "conv", "kernel": 3, "filters": filters, "padding": "same", "bias": True}


def pool(name: str) -> dict:
    return {"name": name, "type": "maxpool", "size": 2, "stride": 2}


VGG16 = {
    "input": [224, 224, 3],
    "layers": [
        conv3("conv1_1", 64), conv3("conv1_2", 64), pool("pool1"),
        conv3("conv2_1", 128), conv3("conv2_2", 128), pool("pool2"),
        conv3("conv3_1", 256), conv3("conv3_2", 256), conv3("conv3_3", 256), pool("pool3"),
        conv3("conv4_1", 512), conv3("conv4_2", 512), conv3("conv4_3", 512), pool("pool4"),
        conv3("conv5_1", 512), conv3("conv5_2", 512), conv3("conv5_3", 512), pool("pool5"),
        {"name": "flat", "type": "flatten"},
        {"name": "fc6", "type": "dense", "units": 4096, "bias": True},
        {"name": "fc7", "type": "dense", "units": 4096, "bias": True},
        {"name": "fc8", "type": "dense", "units": 1000, "bias": True},
    ],
}
# VGG-16 by hand: a 3x3 same conv keeps H x W; params 9*Cin*Cout + Cout; MACs H*W*9*Cin*Cout.
#   layer        H x W     Cin -> Cout   params                     MACs
#   conv1_1    224x224       3 -> 64        1,792     50,176 *   1,728 =    86,704,128
#   conv1_2    224x224      64 -> 64       36,928     50,176 *  36,864 = 1,849,688,064
#   conv2_1    112x112      64 -> 128      73,856     12,544 *  73,728 =   924,844,032
#   conv2_2    112x112     128 -> 128     147,584     12,544 * 147,456 = 1,849,688,064
#   conv3_1      56x56     128 -> 256     295,168      3,136 * 294,912 =   924,844,032
#   conv3_2/3    56x56     256 -> 256     590,080 x2   3,136 * 589,824 = 1,849,688,064 x2
#   conv4_1      28x28     256 -> 512   1,180,160        784 * 1,179,648 = 924,844,032
#   conv4_2/3    28x28     512 -> 512   2,359,808 x2     784 * 2,359,296 = 1,849,688,064 x2
#   conv5_1/2/3  14x14     512 -> 512   2,359,808 x3     196 * 2,359,296 = 462,422,016 x3
#   conv total                          14,714,688 (Keras's VGG16 without top)  15,346,630,656
#   fc6   7*7*512 = 25,088 -> 4096    102,764,544       102,760,448
#   fc7            4,096 -> 4096       16,781,312        16,777,216
#   fc8            4,096 -> 1000        4,097,000         4,096,000
#   total                             138,357,544    15,470,264,320  (the published ~15.5 G MACs)
VGG16_TOTAL_PARAMS = 138_357_544
VGG16_TOTAL_MACS = 15_470_264_320  # 15,346,630,656 conv + 123,633,664 dense


def test_kind_is_named_layer_table() -> None:
    assert (KIND.name, KIND.parse, KIND.solve, KIND.optional) == ("layer-table", parse, solve, ())


def test_vgg16_totals_are_the_published_figures() -> None:
    result = answers(VGG16)
    assert result["total.params"] == VGG16_TOTAL_PARAMS
    assert result["total.macs"] == VGG16_TOTAL_MACS


def test_vgg16_rows_by_hand() -> None:
    result = answers(VGG16)
    assert {key: value for key, value in result.items() if key.startswith("conv1_1.")} == {
        "conv1_1.output.height": 224, "conv1_1.output.width": 224, "conv1_1.output.channels": 64,
        "conv1_1.params": 1792,  # 3*3*3*64 + 64
        "conv1_1.macs": 86_704_128,  # 224*224 * 3*3*3*64
    }
    assert (result["pool1.output.height"], result["pool1.params"], result["pool1.macs"]) == (112, 0, 0)  # (224-2)/2+1
    assert (result["pool5.output.height"], result["pool5.output.width"], result["pool5.output.channels"]) == (7, 7, 512)
    assert (result["conv5_3.params"], result["conv5_3.macs"]) == (2_359_808, 462_422_016)  # 9*512*512 + 512; 14*14*...
    assert (result["flat.output.units"], result["flat.params"], result["flat.macs"]) == (25_088, 0, 0)  # 7*7*512
    assert (result["fc6.params"], result["fc6.macs"]) == (102_764_544, 102_760_448)  # 7*7*512*4096 + 4096
    assert (result["fc8.output.units"], result["fc8.params"]) == (1000, 4_097_000)  # 4096*1000 + 1000
    assert "flat.output.height" not in result and "fc6.output.channels" not in result
    assert len(result) == 13 * 5 + 5 * 5 + 4 * 3 + 2  # 3-D rows have 5 answers, flat rows 3, plus 2 totals


def test_vgg16_in_flops_doubles_every_cost() -> None:
    result = answers({**VGG16, "count": "flops"})
    assert result["total.flops"] == 30_940_528_640  # 2 * 15,470,264,320
    assert result["fc8.flops"] == 8_192_000  # 2 * 4,096,000
    assert "total.macs" not in result and "conv1_1.macs" not in result


def test_lenet5_whole_table() -> None:
    given = {
        "input": [32, 32, 1],
        "layers": [
            {"name": "c1", "type": "conv", "kernel": 5, "filters": 6, "padding": "valid", "bias": True},
            {"name": "s2", "type": "avgpool", "size": 2},
            {"name": "c3", "type": "conv", "kernel": 5, "filters": 16, "bias": True},
            {"name": "s4", "type": "avgpool", "size": 2},
            {"name": "flat", "type": "flatten"},
            {"name": "f5", "type": "dense", "units": 120, "bias": True},
            {"name": "f6", "type": "dense", "units": 84, "bias": True},
            {"name": "out", "type": "dense", "units": 10, "bias": True},
        ],
    }
    assert answers(given) == {
        # 32 - 5 + 1 = 28; 5*5*1*6 + 6 = 156; 28*28 * 5*5*1*6 = 784 * 150
        "c1.output.height": 28, "c1.output.width": 28, "c1.output.channels": 6, "c1.params": 156, "c1.macs": 117_600,
        # stride defaults to the size: (28 - 2)/2 + 1 = 14
        "s2.output.height": 14, "s2.output.width": 14, "s2.output.channels": 6, "s2.params": 0, "s2.macs": 0,
        # 14 - 5 + 1 = 10; 5*5*6*16 + 16 = 2416; 10*10 * 2400
        "c3.output.height": 10, "c3.output.width": 10, "c3.output.channels": 16, "c3.params": 2416, "c3.macs": 240_000,
        "s4.output.height": 5, "s4.output.width": 5, "s4.output.channels": 16, "s4.params": 0, "s4.macs": 0,
        "flat.output.units": 400, "flat.params": 0, "flat.macs": 0,  # 5*5*16
        "f5.output.units": 120, "f5.params": 48_120, "f5.macs": 48_000,  # 400*120 + 120
        "f6.output.units": 84, "f6.params": 10_164, "f6.macs": 10_080,  # 120*84 + 84
        "out.output.units": 10, "out.params": 850, "out.macs": 840,  # 84*10 + 10
        "total.params": 61_706,  # published; 156 + 2416 + 48120 + 10164 + 850
        "total.macs": 416_520,  # 117600 + 240000 + 48000 + 10080 + 840
    }


MOBILENET_START = {
    "input": [224, 224, 3],
    "layers": [
        {"name": "conv1", "type": "conv", "kernel": 3, "stride": 2, "padding": "same", "filters": 32},
        {"name": "conv1_bn", "type": "batchnorm"},
        {"name": "conv_dw_1", "type": "depthwise", "kernel": 3, "padding": "same"},
        {"name": "conv_dw_1_bn", "type": "batchnorm"},
        {"name": "conv_pw_1", "type": "pointwise", "filters": 64, "bias": False},
        {"name": "conv_pw_1_bn", "type": "batchnorm"},
    ],
}


def test_mobilenet_first_block_with_batchnorm() -> None:
    result = answers(MOBILENET_START)
    # conv1: same, stride 2 -> ceil(224/2) = 112; 3*3*3*32 = 864 weights, no bias; 112*112 * 864 MACs
    assert (result["conv1.output.height"], result["conv1.params"], result["conv1.macs"]) == (112, 864, 10_838_016)
    # batchnorm: gamma and beta for 32 channels, no MACs; shape passes through
    assert (result["conv1_bn.output.channels"], result["conv1_bn.params"], result["conv1_bn.macs"]) == (32, 64, 0)
    # depthwise 3x3, one filter per channel: 3*3*32 = 288; 112*112 * 288 = 3,612,672
    assert (result["conv_dw_1.output.channels"], result["conv_dw_1.params"], result["conv_dw_1.macs"]) == (32, 288, 3_612_672)
    # pointwise 32 -> 64: 2048 weights; 112*112 * 2048 = 25,690,112; its batchnorm 2*64 = 128
    assert (result["conv_pw_1.output.channels"], result["conv_pw_1.params"], result["conv_pw_1.macs"]) == (64, 2048, 25_690_112)
    assert result["conv_pw_1_bn.params"] == 128
    assert result["total.params"] == 3456  # 864 + 64 + 288 + 64 + 2048 + 128
    assert result["total.macs"] == 40_140_800  # 10,838,016 + 3,612,672 + 25,690,112


def test_batchnorm_buffers_count_running_mean_and_variance() -> None:
    result = answers({**MOBILENET_START, "batchnorm_buffers": True})
    # 4 per channel, as Keras's MobileNet summary lists them: 128, 128, 256
    assert (result["conv1_bn.params"], result["conv_dw_1_bn.params"], result["conv_pw_1_bn.params"]) == (128, 128, 256)
    assert result["total.params"] == 3712  # 864 + 128 + 288 + 128 + 2048 + 256
    assert result["total.macs"] == 40_140_800  # buffers cost nothing


SEPARABLE = {"type": "separable", "kernel": 3, "stride": 2, "padding": "same", "filters": 8, "bias": True}


def test_separable_row_is_depthwise_then_pointwise_with_one_bias() -> None:
    result = answers({"input": [8, 8, 4], "layers": [{"name": "sep", **SEPARABLE}]})
    # same, stride 2: ceil(8/2) = 4 -> 4x4x8 (16 positions)
    # depthwise 3*3*4 = 36 weights, 16*36 = 576 MACs; pointwise 4*8 = 32 weights + 8 biases, 16*32 = 512 MACs
    assert result == {"sep.output.height": 4, "sep.output.width": 4, "sep.output.channels": 8,
                      "sep.params": 76, "sep.macs": 1088, "total.params": 76, "total.macs": 1088}


def test_separable_equals_its_two_rows_written_out() -> None:
    two_rows = answers({"input": [8, 8, 4], "layers": [
        {"name": "dw", "type": "depthwise", "kernel": 3, "stride": 2, "padding": "same", "channel_multiplier": 2},
        {"name": "pw", "type": "pointwise", "filters": 8, "bias": True},
    ]})
    one_row = answers({"input": [8, 8, 4], "layers": [{"name": "sep", **SEPARABLE, "channel_multiplier": 2}]})
    # depthwise with multiplier 2: 8 filters of 3x3 = 72 weights, 16*72 = 1152 MACs -> 4x4x8
    # pointwise 8 -> 8: 64 + 8 biases = 72, 16*64 = 1024 MACs
    assert (two_rows["dw.params"], two_rows["dw.macs"], two_rows["pw.params"], two_rows["pw.macs"]) == (72, 1152, 72, 1024)
    assert (one_row["sep.params"], one_row["sep.macs"]) == (144, 2176)  # 72 + 72, 1152 + 1024
    assert (two_rows["total.params"], two_rows["total.macs"]) == (144, 2176)


def test_flops_with_bias_adds_count_the_single_separable_bias() -> None:
    result = answers({"input": [8, 8, 4], "count": "flops", "flops_count_bias_adds": True,
                      "layers": [{"name": "sep", **SEPARABLE}, {"type": "flatten"}, {"type": "dense", "units": 3, "bias": True}]})
    assert result["sep.flops"] == 2304  # 2 * 1088 + 4*4*8 bias adds on the pointwise output only
    assert result["layer3.flops"] == 771  # flatten 4*4*8 = 128 units: 2 * 128*3 + 3 bias adds
    assert result["total.flops"] == 3075  # 2304 + 0 + 771


def test_pooling_stride_padding_and_non_square_windows() -> None:
    result = answers({"input": [7, 7, 3], "layers": [
        {"name": "a", "type": "maxpool", "size": 2, "padding": "same"},  # ceil(7/2) = 4
        {"name": "b", "type": "avgpool", "size": 3, "stride": 1, "padding": 1},  # (4 + 2 - 3)/1 + 1 = 4
        {"name": "c", "type": "maxpool", "size": [2, 1]},  # height (4-2)/2+1 = 2, width (4-1)/1+1 = 4
    ]})
    assert [(result[f"{n}.output.height"], result[f"{n}.output.width"], result[f"{n}.output.channels"]) for n in "abc"] == [
        (4, 4, 3), (4, 4, 3), (2, 4, 3)
    ]
    assert result["total.params"] == 0 and result["total.macs"] == 0


def test_unnamed_layers_are_named_by_position_and_batchnorm_after_dense() -> None:
    result = answers({"input": [2, 2, 3], "batchnorm_buffers": True, "layers": [
        {"type": "flatten"}, {"name": "fc", "type": "dense", "units": 5, "bias": True}, {"type": "batchnorm"},
    ]})
    assert result == {
        "layer1.output.units": 12, "layer1.params": 0, "layer1.macs": 0,  # 2*2*3
        "fc.output.units": 5, "fc.params": 65, "fc.macs": 60,  # 12*5 + 5; 12*5
        "layer3.output.units": 5, "layer3.params": 20, "layer3.macs": 0,  # 4 per unit with buffers
        "total.params": 85, "total.macs": 60,
    }


def test_bias_defaults_to_false_as_in_the_convolution_kind() -> None:
    result = answers({"input": [1, 1, 4], "layers": [{"type": "conv", "kernel": 1, "filters": 2}, {"type": "flatten"},
                                                      {"type": "dense", "units": 3}]})
    assert (result["layer1.params"], result["layer3.params"]) == (8, 6)  # 4*2; 2*3


A = "given.layers[0]."
B = "given.layers[1]."


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({"input": [8, 8, 3], "layers": [{"type": "conv2d", "kernel": 3, "filters": 4}]},
         A + "type", "did you mean 'conv'?"),
        ({"input": [8, 8, 3], "layers": [{"type": "maxpooling", "size": 2}]}, A + "type", "did you mean 'maxpool'?"),
        ({"input": [8, 8, 3], "layers": [{"type": "lstm"}]}, A + "type", "expected one of conv, depthwise"),
        ({"input": [8, 8, 3], "layers": [{"type": 3}]}, A + "type", "expected one of conv, depthwise"),
        ({"input": [8, 8, 3], "layers": [{"kernel": 3}]}, A + "type", "required but missing"),
        ({"input": [4, 4, 3], "layers": [{"type": "conv", "kernel": 5, "filters": 2}]}, A + "kernel", "does not fit"),
        ({"input": [4, 4, 3], "layers": [{"type": "conv", "kernel": 2, "filters": 2}, {"type": "maxpool", "size": 4}]},
         B + "size", "does not fit"),  # 4 - 2 + 1 = 3 < 4
        ({"input": [8, 8, 6], "layers": [{"type": "conv", "kernel": 3, "filters": 4, "groups": 4}]},
         A + "kernel", "do not split into 4 groups"),
        ({"input": [7, 7, 512], "layers": [{"type": "dense", "units": 10}]},
         A + "type", "needs a flat input, but its input is 7×7×512: put a flatten layer before it"),
        ({"input": [2, 2, 3], "layers": [{"type": "flatten"}, {"type": "maxpool", "size": 2}]},
         B + "type", "needs an H×W×C input, but its input is flat (12 units)"),
        ({"input": [8, 8, 3], "layers": [{"type": "conv", "kernel": 3, "filter": 4}]}, A + "filter", "did you mean 'filters'?"),
        ({"input": [8, 8, 3], "layers": [{"type": "maxpool", "size": 2, "kernel": 2}]}, A + "kernel", "unknown field"),
        ({"input": [8, 8, 3], "layers": [{"type": "flatten", "units": 2}]}, A + "units", "unknown field"),
        ({"input": [8, 8, 3], "layers": [{"type": "depthwise", "kernel": 3, "filters": 6}]}, A + "filters", "unknown field"),
        ({"input": [8, 8, 3], "layers": [{"type": "conv", "input": [8, 8, 3], "kernel": 3, "filters": 2}]},
         A + "input", "output of the layer before it"),
        ({"input": [8, 8, 3], "layers": [{"type": "conv", "kernel": 3, "filters": 2, "output": [6, 6, 2]}]},
         A + "output", "the table asks for each layer's output"),
        ({"input": [8, 8, 3], "layers": [{"type": "pointwise", "kernel": 3, "filters": 2}]},
         A + "kernel", "always 1 in a pointwise layer"),
        ({"input": [8, 8, 3], "layers": [{"type": "depthwise", "kernel": 3, "groups": 3}]},
         A + "groups", "always depthwise in a depthwise layer"),
        ({"input": [8, 8, 3], "layers": [{"type": "separable", "kernel": 3}]}, A + "filters", "required but missing"),
        ({"input": [8, 8, 3], "layers": [{"type": "flatten"}, {"type": "dense", "units": 0}]}, B + "units", "≥ 1"),
        ({"input": [8, 8, 3], "layers": [{"name": "conv-1", "type": "flatten"}]}, A + "name", "letters, digits and '_'"),
        ({"input": [8, 8, 3], "layers": [{"name": "total", "type": "flatten"}]}, A + "name", "other than 'input', 'total'"),
        ({"input": [8, 8, 3], "layers": [{"name": "f", "type": "flatten"}, {"name": "f", "type": "flatten"}]},
         B + "name", "another layer is already named 'f'"),
        ({"input": [8, 8, 3], "layers": [{"type": "flatten"}, {"name": "layer1", "type": "flatten"}]},
         B + "name", "another layer is already named 'layer1'"),
        ({"input": [8, 8, 3], "layers": [[3, 3]]}, "given.layers[0]", "expected a mapping of fields"),
        ({"input": [8, 8, 3], "layers": []}, "given.layers", "non-empty list of layers"),
        ({"input": [8, 8, 3], "layers": {"type": "flatten"}}, "given.layers", "non-empty list of layers"),
        ({"input": [8, 8, 3]}, "given.layers", "required but missing"),
        ({"input": [8, 8], "layers": [{"type": "flatten"}]}, "given.input", "list of 3 whole numbers"),
        ({"input": [8, 8, 3], "count": "flop", "layers": [{"type": "flatten"}]}, "given.count", "one of macs, flops"),
        ({"input": [8, 8, 3], "batchnorm_buffers": "yes", "layers": [{"type": "flatten"}]},
         "given.batchnorm_buffers", "true or false"),
        ({"input": [8, 8, 3], "layer": [{"type": "flatten"}]}, "given.layer", "did you mean 'layers'?"),
    ],
)
def test_invalid_tables_are_reported_with_their_field(given: dict, field: str, fragment: str) -> None:
    issues = issues_of(given)
    assert any(name == field and fragment in expected for name, expected in issues), issues


def test_every_problem_is_reported_not_only_the_first() -> None:
    issues = issues_of({"input": [8, 8, 3], "cuont": "macs", "layers": [
        {"type": "conv", "kernel": 3, "filters": 4, "strid": 2},  # unknown field, but its output is known: 6x6x4
        {"type": "dense", "units": 10},  # not flat: from here on the input is unknown
        {"name": "bad name", "type": "flatten"},  # names and types are still checked
        {"type": "maxpol", "size": 2},
        {"type": "dense", "units": 10, "bais": True},  # fields after an unknown input are not
    ]})
    assert sorted(name for name, _ in issues) == [
        "given.cuont", "given.layers[0].strid", "given.layers[1].type", "given.layers[2].name", "given.layers[3].type",
    ]


def test_parts_prefix_names_the_field() -> None:
    from grader.base.fields import FieldReader

    reader = FieldReader({"input": [8, 8, 3], "layers": [{"type": "conv", "kernel": 9, "filters": 1}]}, "parts.a + given.")
    assert parse(reader) is None
    assert [name for name, _ in reader.issues] == ["parts.a + given.layers[0].kernel"]


def test_example_rubric_builds_its_answer_key() -> None:
    """Needs the kind registered in grader.solver.kinds.KINDS, which is done outside this module."""
    from grader.rubric.answer_key import build_answer_key
    from grader.rubric.model import load_rubric
    from grader.solver.kinds import KINDS

    if "layer-table" not in KINDS:
        pytest.skip("layer-table is not registered in grader.solver.kinds.KINDS yet")
    key = build_answer_key(load_rubric(ROOT / "rubrics" / "example-layer-table.yaml"))
    values = {path: entry.value for path, entry in key.by_path.items()}
    assert values["lenet.c1.output.height"] == 28  # 32 - 5 + 1
    assert values["lenet.f5.params"] == 48_120  # 400*120 + 120
    assert (values["lenet.total.params"], values["lenet.total.macs"]) == (61_706, 416_520)
    assert len([path for path in values if path.startswith("lenet.")]) == 34  # 4 rows of 5, 4 rows of 3, 2 totals
    assert values["mobilenet.conv_pw_1_bn.params"] == 256  # 4 * 64 with batchnorm_buffers
    assert values["mobilenet.total.params"] == 3712
    assert values["mobilenet.total.flops"] == 80_281_600  # 2 * 40,140,800
    assert key.by_path["mobilenet.total.params"].points == 2
    assert [path for path in values if path.startswith("mobilenet.")] == [
        "mobilenet.conv1.output.height", "mobilenet.conv1.output.width", "mobilenet.conv1.output.channels",
        "mobilenet.conv1.params", "mobilenet.conv1_bn.params", "mobilenet.conv_dw_1.params",
        "mobilenet.conv_dw_1_bn.params", "mobilenet.conv_pw_1.params", "mobilenet.conv_pw_1_bn.params",
        "mobilenet.total.params", "mobilenet.total.flops",
    ]
