"""Layer tables as graphs (named inputs, add, concat) and the newer rows, against PyTorch figures.

Every expected number comes from tests/fixtures/framework/figures.json (real torch.nn modules,
made by make_figures.py beside it) or is derived by hand in a comment; none from the solver.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from grader.solver.kinds.layer_table import parse, solve
from tests.homework import ROOT, read_given
from tests.networks import FIGURES, inverted_residual, resnet

MODELS = FIGURES["3_models"]
SIZES = FIGURES["4_pooling_conv_sizes"]
NORMS = FIGURES["8_norm_and_depthwise"]


def answers(given: dict[str, Any]) -> dict[str, Fraction]:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def issues_of(given: dict[str, Any]) -> list[tuple[str, str]]:
    spec, issues = read_given(parse, given)
    assert spec is None
    return issues


@pytest.mark.parametrize(("model", "blocks", "bottlenecks"), [("resnet18", (2, 2, 2, 2), False), ("resnet50", (3, 4, 6, 3), True)])
def test_resnet_totals_are_torchvisions(model: str, blocks: tuple[int, ...], bottlenecks: bool) -> None:
    figures = MODELS[model]
    result = answers(resnet(blocks, bottlenecks))
    assert result["total.params"] == figures["params"]  # 11,689,512 and 25,557,032: the published counts
    assert result["total.macs"] == figures["macs_224x224_conv_plus_linear"]  # 1,814,073,344 and 4,089,184,256
    assert {stage: result[f"stage.{stage}.macs"] for stage in figures["macs_by_stage"]} == figures["macs_by_stage"]


@pytest.mark.parametrize(("model", "blocks", "bottlenecks"), [("resnet18", (2, 2, 2, 2), False), ("resnet50", (3, 4, 6, 3), True)])
def test_resnet_block_outputs_are_torchs(model: str, blocks: tuple[int, ...], bottlenecks: bool) -> None:
    result = answers(resnet(blocks, bottlenecks))
    checked = 0
    for row in MODELS[model]["layer_output_shapes_batch1"]:
        _, channels, height, width = row["output_shape"] if len(row["output_shape"]) == 4 else (0, 0, 0, 0)
        if row["type"] in ("BasicBlock", "Bottleneck"):
            name = row["layer"].replace(".", "_") + "_out"
            assert (result[f"{name}.output.height"], result[f"{name}.output.width"], result[f"{name}.output.channels"]) == (height, width, channels)
            checked += 1
    assert checked == sum(blocks)
    assert result["fc.output.units"] == 1000 and result["avgpool.output.channels"] == (512 if not bottlenecks else 2048)


def test_resnet_without_its_projection_shortcuts_loses_their_parameters() -> None:
    """The adversary: drop ResNet-18's three projections and the total no longer matches."""
    table = resnet((2, 2, 2, 2), False)
    result = answers(table)
    projections = sum(result[f"layer{stage}_0_down.params"] + result[f"layer{stage}_0_down_bn.params"] for stage in (2, 3, 4))
    # 1x1 convs 64*128 + 128*256 + 256*512 = 172,032 weights; their batchnorms 2*(128 + 256 + 512) = 1,792
    assert projections == 172_032 + 1_792
    assert result["total.params"] - projections != MODELS["resnet18"]["params"]


def test_mobilenet_v2_inverted_residual_is_torchvisions() -> None:
    figures = MODELS["mobilenetv2_inverted_residual_32_t6_32_s1"]
    result = answers(inverted_residual(32, 6))
    assert result["total.params"] == figures["params"]  # 14,848
    breakdown = figures["breakdown"]
    assert [result[f"{name}.params"] for name in ("expand", "expand_bn", "dw", "dw_bn", "project", "project_bn")] == [
        breakdown[key] for key in ("expand_1x1_conv", "expand_bn", "depthwise_3x3_conv", "depthwise_bn", "project_1x1_conv", "project_bn")
    ]
    _, channels, height, width = figures["output_shape_for_input_1x32x56x56"]
    assert (result["add.output.height"], result["add.output.width"], result["add.output.channels"]) == (height, width, channels)


def one_row(row: dict[str, Any], shape: list[int]) -> dict[str, Fraction]:
    return answers({"input": shape, "layers": [{"name": "r", **row}]})


def pooling_case(case: dict[str, Any]) -> str:
    return f"{case['input']}-k{case['kernel']}s{case['stride']}p{case['padding']}-ceil{case['ceil_mode']}"


@pytest.mark.parametrize("case", SIZES["pooling_rows"], ids=pooling_case)
def test_pooling_sizes_are_torchs_with_and_without_ceil_mode(case: dict[str, Any]) -> None:
    for kind, column in (("maxpool", "MaxPool2d_out"), ("avgpool", "AvgPool2d_out")):
        row = {"type": kind, "size": case["kernel"], "stride": case["stride"], "padding": case["padding"], "ceil_mode": case["ceil_mode"]}
        assert one_row(row, [case["input"], case["input"], 2])["r.output.height"] == case[column]


def test_global_pooling_is_one_by_one_by_channels() -> None:
    for key, shape in SIZES["global_avg_pool"].items():
        if key.startswith("input_"):  # input_1x512x7x7: [1, 512, 1, 1]
            _, channels, height, width = shape
            result = one_row({"type": "globalavgpool"}, [7, 7, channels])
            assert (result["r.output.height"], result["r.output.width"], result["r.output.channels"]) == (height, width, channels)


def test_transposed_convolution_is_torchs() -> None:
    figures = SIZES["conv_transpose2d"]  # ConvTranspose2d(16, 8, k=3, stride=2, padding=1, output_padding=1) on 14x14
    row = {"type": "transposed", "kernel": 3, "filters": 8, "stride": 2, "padding": 1, "output_padding": 1}
    _, channels, height, width = figures["input_1x16x14x14_output_shape"]
    with_bias = one_row({**row, "bias": True}, [14, 14, 16])
    assert (with_bias["r.output.height"], with_bias["r.output.width"], with_bias["r.output.channels"]) == (height, width, channels)
    assert with_bias["r.params"] == figures["params_with_bias"]
    assert one_row(row, [14, 14, 16])["r.params"] == figures["params_without_bias"]
    assert with_bias["r.macs"] == 14 * 14 * 1152  # every input position meets every weight (16*8*3*3)


@pytest.mark.parametrize("case", SIZES["dilated_conv"], ids=lambda case: f"{case['input']}-p{case['padding']}")
def test_dilated_convolution_sizes_and_effective_kernel_are_torchs(case: dict[str, Any]) -> None:
    row = {"type": "conv", "kernel": case["kernel"], "dilation": case["dilation"], "padding": case["padding"], "filters": 8, "bias": True}
    result = one_row(row, [case["input"], case["input"], 3])
    assert result["r.output.height"] == case["output"]
    assert result["r.effective_kernel"] == case["effective_kernel"]
    assert result["r.params"] == case["params_3to8_with_bias"]


def test_an_undilated_row_has_no_effective_kernel_answer() -> None:
    assert "r.effective_kernel" not in one_row({"type": "conv", "kernel": 3, "filters": 1}, [8, 8, 1])


def test_receptive_fields_and_jumps_are_the_autograd_measurements() -> None:
    figures = FIGURES["5_receptive_field"]["per_layer"]
    stack = [
        {"name": "c1", "type": "conv", "kernel": 3, "filters": 1},
        {"name": "c2", "type": "conv", "kernel": 3, "filters": 1},
        {"name": "p3", "type": "maxpool", "size": 2, "stride": 2},
        {"name": "c4", "type": "conv", "kernel": 3, "filters": 1},
        {"name": "c5", "type": "conv", "kernel": 3, "stride": 2, "filters": 1},
    ]
    result = answers({"input": [64, 64, 1], "receptive_field": True, "layers": stack})
    assert [result[f"{row['name']}.receptive_field"] for row in stack] == [row["receptive_field"] for row in figures]  # 3 5 6 10 14
    assert [result[f"{row['name']}.jump"] for row in stack] == [row["jump"] for row in figures]  # 1 1 2 2 4
    assert [result[f"{row['name']}.output.height"] for row in stack] == [row["output_shape_for_64x64_input"][2] for row in figures]


def test_batchnorm_and_layernorm_counts_are_torchs() -> None:
    assert one_row({"type": "batchnorm"}, [8, 8, 64])["r.params"] == NORMS["BatchNorm2d(64)_affine_True_params"]  # 128
    assert one_row({"type": "batchnorm", "affine": False}, [8, 8, 64])["r.params"] == NORMS["BatchNorm2d(64)_affine_False_params"]  # 0
    layernorm = answers({"input": [1, 1, 768], "layers": [{"type": "flatten"}, {"name": "r", "type": "layernorm"}]})
    assert layernorm["r.params"] == NORMS["LayerNorm(768)_params"]  # 1536
    # Keras's convention (batchnorm_buffers): gamma, beta, moving mean and variance, 4 per channel;
    # torch keeps 2*64 + 1 buffer elements (num_batches_tracked), which no summary counts as parameters.
    keras = answers({"input": [8, 8, 64], "batchnorm_buffers": True, "layers": [{"name": "r", "type": "batchnorm"}]})
    assert keras["r.params"] == 4 * 64 and NORMS["BatchNorm2d(64)_buffer_elements"] == 2 * 64 + 1
    # Keras's scale=False drops gamma: beta only (64); with buffers, beta + mean + variance (192)
    assert one_row({"type": "batchnorm", "scale": False}, [8, 8, 64])["r.params"] == 64
    no_scale = answers({"input": [8, 8, 64], "batchnorm_buffers": True, "layers": [{"name": "r", "type": "batchnorm", "scale": False}]})
    assert no_scale["r.params"] == 192
    # layer norm has no running statistics, whatever the table's batchnorm convention
    assert answers({"input": [1, 1, 768], "batchnorm_buffers": True, "layers": [{"name": "r", "type": "layernorm"}]})["r.params"] == 1536


def test_depthwise_counts_are_torchs() -> None:
    row = {"type": "depthwise", "kernel": 3, "padding": 1}
    assert one_row({**row, "bias": True}, [8, 8, 32])["r.params"] == NORMS["Conv2d(32,32,k=3,groups=32)_params_with_bias"]  # 320
    assert one_row(row, [8, 8, 32])["r.params"] == NORMS["Conv2d(32,32,k=3,groups=32)_params_without_bias"]  # 288


def mobilenet_v1(**given: Any) -> dict[str, Any]:
    """MobileNet v1 (Howard et al. 2017, Table 1) at 224², α = 1, without batchnorm rows; the FC has no bias."""
    rows: list[dict[str, Any]] = [{"name": "conv1", "type": "conv", "kernel": 3, "stride": 2, "padding": "same", "filters": 32}]
    steps = [(1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512)] + [(1, 512)] * 5 + [(2, 1024), (1, 1024)]
    for index, (stride, filters) in enumerate(steps, start=1):
        rows += [{"name": f"dw{index}", "type": "depthwise", "kernel": 3, "stride": stride, "padding": "same"},
                 {"name": f"pw{index}", "type": "pointwise", "filters": filters}]
    rows += [{"name": "pool", "type": "globalavgpool"}, {"name": "flat", "type": "flatten"}, {"name": "fc", "type": "dense", "units": 1000}]
    return {"input": [224, 224, 3], "subtotals": True, "layers": rows, **given}


def test_mobilenet_v1_shares_are_the_papers_table_2() -> None:
    """Table 2 of the MobileNet paper: 1×1 conv 94.86 % of mult-adds and 74.59 % of parameters,
    depthwise 3.06 % and 1.06 %, 3×3 conv 0.02 % of parameters, FC 0.18 % and 24.33 %; 569 M
    mult-adds and 4.2 M parameters in all. Its 3×3 conv share of mult-adds is printed as 1.19 %,
    but the four printed shares then sum to 99.29 %: the digits are swapped, 10,838,016 /
    568,740,352 = 1.91 %, and the four sum to 100 (100.01 rounded)."""
    result = answers(mobilenet_v1())
    percent = {key: round(float(value) * 100, 2) for key, value in result.items() if key.endswith("_share")}
    assert percent == {
        "by_type.conv.params_share": 0.02, "by_type.conv.macs_share": 1.91,
        "by_type.pointwise.params_share": 74.59, "by_type.pointwise.macs_share": 94.86,
        "by_type.depthwise.params_share": 1.06, "by_type.depthwise.macs_share": 3.06,
        "by_type.dense.params_share": 24.33, "by_type.dense.macs_share": 0.18,
    }
    assert round(result["total.macs"] / 10**6) == 569 and round(result["total.params"] / 10**5) == 42


def test_subtotals_add_up_and_split_a_separable_row() -> None:
    # separable 3x3 on 8x8x4 to 6 filters with bias: depthwise 3*3*4 = 36 weights, 64*36 = 2,304 MACs;
    # pointwise 4*6 + 6 = 30 parameters, 64*24 = 1,536 MACs; batchnorm 2*6 = 12 parameters
    result = answers({"input": [8, 8, 4], "subtotals": True, "layers": [
        {"type": "separable", "kernel": 3, "padding": "same", "filters": 6, "bias": True}, {"type": "batchnorm"},
    ]})
    assert {key: value for key, value in result.items() if key.startswith("by_type.")} == {
        "by_type.pointwise.params": 30, "by_type.pointwise.macs": 1536,
        "by_type.depthwise.params": 36, "by_type.depthwise.macs": 2304,
        "by_type.norm.params": 12,
        "by_type.pointwise.params_share": Fraction(30, 78), "by_type.pointwise.macs_share": Fraction(1536, 3840),
        "by_type.depthwise.params_share": Fraction(36, 78), "by_type.depthwise.macs_share": Fraction(2304, 3840),
        "by_type.norm.params_share": Fraction(12, 78),
    }


def test_summaries_are_opt_in_so_existing_ask_patterns_keep_their_answers() -> None:
    result = answers({**mobilenet_v1(), "subtotals": False})
    assert not [key for key in result if key.startswith(("by_type.", "stage.")) or key.endswith((".activations", ".receptive_field"))]


SMALL = [
    {"name": "c", "type": "conv", "kernel": 3, "padding": "same", "filters": 4},  # 8x8x4 = 256 values
    {"name": "p", "type": "maxpool", "size": 2},  # 4x4x4 = 64
    {"name": "f", "type": "flatten"},  # 64
    {"name": "d", "type": "dense", "units": 10},  # 10
]


def test_activation_memory_counts_every_output_once() -> None:
    result = answers({"input": [8, 8, 3], "precision": "float16", "layers": SMALL})
    assert [result[f"{name}.activations"] for name in "cpfd"] == [256, 64, 64, 10]
    assert (result["total.activations"], result["total.activation_bytes"]) == (394, 788)  # 256+64+64+10; 2 bytes each
    with_input = answers({"input": [8, 8, 3], "precision": "float32", "activations_include_input": True, "layers": SMALL})
    assert (with_input["total.activations"], with_input["total.activation_bytes"]) == (586, 2344)  # + 8*8*3 = 192; 4 bytes
    counts_only = answers({"input": [8, 8, 3], "activations": True, "layers": SMALL})
    assert counts_only["total.activations"] == 394 and "total.activation_bytes" not in counts_only


def test_stages_run_until_the_next_stage_is_named() -> None:
    # stage a: c (3*3*3*4 = 108 weights, 64*108 = 6,912 MACs) and p; stage b: f and d (64*10 = 640)
    result = answers({"input": [8, 8, 3], "layers": [{**SMALL[0], "stage": "a"}, SMALL[1], {**SMALL[2], "stage": "b"}, SMALL[3]]})
    assert {key: value for key, value in result.items() if key.startswith("stage.")} == {
        "stage.a.params": 108, "stage.a.macs": 6912, "stage.b.params": 640, "stage.b.macs": 640,
    }


def test_concat_stacks_channels_and_inputs_may_be_any_earlier_layer() -> None:
    """An Inception-style module: three branches from one input, joined along the channels."""
    result = answers({"input": [28, 28, 192], "layers": [
        {"name": "b1", "type": "pointwise", "filters": 64},
        {"name": "b2", "type": "conv", "kernel": 3, "padding": 1, "filters": 128, "input": "input"},
        {"name": "b3", "type": "maxpool", "size": 3, "stride": 1, "padding": 1, "input": "input"},
        {"name": "b3_proj", "type": "pointwise", "filters": 32},
        {"name": "cat", "type": "concat", "inputs": ["b1", "b2", "b3_proj"]},
        {"name": "after", "type": "pointwise", "filters": 10},
    ]})
    assert (result["cat.output.height"], result["cat.output.channels"]) == (28, 64 + 128 + 32)
    assert result["b2.params"] == 3 * 3 * 192 * 128  # its input is the network's, not b1's 64 channels
    assert result["b3_proj.params"] == 192 * 32  # after the pool, which keeps 192 channels
    assert result["after.params"] == 224 * 10


def test_example_rubric_is_pytorchs_resnet18_and_mobilenet_v2_block() -> None:
    from grader.rubric.answer_key import build_answer_key
    from grader.rubric.model import load_rubric

    key = build_answer_key(load_rubric(ROOT / "rubrics" / "example-network-graphs.yaml"))
    values = {path: entry.value for path, entry in key.by_path.items()}
    resnet18 = MODELS["resnet18"]
    assert (values["resnet18.total.params"], values["resnet18.total.macs"]) == (resnet18["params"], resnet18["macs_224x224_conv_plus_linear"])
    assert {stage: values[f"resnet18.stage.{stage}.macs"] for stage in resnet18["macs_by_stage"]} == resnet18["macs_by_stage"]
    # fc: 512*1000 + 1000 = 513,000 parameters and 512,000 MACs of the totals
    assert values["resnet18.by_type.dense.params_share"] == Fraction(513_000, resnet18["params"])
    assert values["resnet18.by_type.dense.macs_share"] == Fraction(512_000, resnet18["macs_224x224_conv_plus_linear"])
    # the rubric's own mistake: the three projections (1x1 convs and batchnorms, 173,824) left out
    assert any(m.value == resnet18["params"] - 173_824 for m in key.by_path["resnet18.total.params"].mistakes)
    assert values["inverted_residual.total.params"] == MODELS["mobilenetv2_inverted_residual_32_t6_32_s1"]["params"]
    # 56*56 = 3,136 positions: expand, its bn and relu6 192 channels each; likewise the depthwise three;
    # project, its bn and the add 32 each: 3136 * (6*192 + 3*32) = 3,913,728 values, 2 bytes each in float16
    assert (values["inverted_residual.total.activations"], values["inverted_residual.total.activation_bytes"]) == (3_913_728, 7_827_456)
    figures = FIGURES["5_receptive_field"]["per_layer"]
    assert [values[f"receptive.{name}.receptive_field"] for name in ("c1", "c2", "p3", "c4", "c5")] == [row["receptive_field"] for row in figures]
    assert values["pooling_and_upsampling.pool.output.height"] == 4  # torch: 7, k2 s2, ceil_mode
    assert values["pooling_and_upsampling.up.output.height"] == 8  # (4 - 1)*2 - 2 + 3 + 1
    assert values["pooling_and_upsampling.up.params"] == 16 * 8 * 9 + 8


def test_vgg16_receptive_field_is_the_published_212() -> None:
    """Araujo, Norris and Sim, "Computing Receptive Fields of Convolutional Neural Networks"
    (Distill, 2019), Table 1: VGG-16's receptive field is 212 (at pool5); conv5_3's is 196."""
    from tests.test_kinds_layer_table import VGG16

    result = answers({**VGG16, "receptive_field": True})
    assert (result["conv5_3.receptive_field"], result["pool5.receptive_field"], result["pool5.jump"]) == (196, 212, 32)
    assert "fc6.receptive_field" not in result and "flat.receptive_field" not in result  # not defined past flatten
