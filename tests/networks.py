"""Published architectures written out as layer-table rows, the way an instructor would type them,
for the tests that compare the solver with framework figures (tests/fixtures/framework/).

The structure follows torchvision's resnet.py and MobileNetV2's InvertedResidual: convolutions
without bias, each followed by batchnorm; a projection shortcut (1×1 convolution + batchnorm)
where the stride or the channels change; ResNet-50 puts the stride on the 3×3 ("V1.5").
"""
from __future__ import annotations

from typing import Any

from tests.framework_figures import figures

FIGURES = figures()
Row = dict[str, Any]


def conv(name: str, kernel: int, filters: int, stride: int = 1, **more: Any) -> Row:
    return {"name": name, "type": "conv", "kernel": kernel, "filters": filters, "stride": stride, "padding": kernel // 2, **more}


def bn(name: str, **more: Any) -> Row:
    return {"name": name, "type": "batchnorm", **more}


def relu(name: str, **more: Any) -> Row:
    return {"name": name, "type": "activation", **more}


def stem() -> list[Row]:
    return [
        conv("conv1", 7, 64, 2, stage="conv1"), bn("bn1"), relu("relu"),
        {"name": "maxpool", "type": "maxpool", "size": 3, "stride": 2, "padding": 1},
    ]


def basic_block(name: str, source: str, channels_in: int, channels: int, stride: int) -> list[Row]:
    rows = [
        conv(f"{name}_conv1", 3, channels, stride, input=source), bn(f"{name}_bn1"), relu(f"{name}_relu1"),
        conv(f"{name}_conv2", 3, channels), bn(f"{name}_bn2"),
    ]
    return rows + _projection(name, source, channels_in, channels, stride)


def bottleneck(name: str, source: str, channels_in: int, width: int, stride: int) -> list[Row]:
    rows = [
        conv(f"{name}_conv1", 1, width, input=source), bn(f"{name}_bn1"), relu(f"{name}_relu1"),
        conv(f"{name}_conv2", 3, width, stride), bn(f"{name}_bn2"), relu(f"{name}_relu2"),
        conv(f"{name}_conv3", 1, 4 * width), bn(f"{name}_bn3"),
    ]
    return rows + _projection(name, source, channels_in, 4 * width, stride)


def _projection(name: str, source: str, channels_in: int, channels_out: int, stride: int) -> list[Row]:
    """The 1×1 convolution + batchnorm shortcut where the stride or the channels change; none otherwise."""
    if stride == 1 and channels_in == channels_out:
        return []
    return [conv(f"{name}_down", 1, channels_out, stride, input=source), bn(f"{name}_down_bn")]


def resnet(blocks: tuple[int, ...], bottlenecks: bool) -> dict[str, Any]:
    """ResNet-18 (2, 2, 2, 2) with basic blocks, ResNet-50 (3, 4, 6, 3) with bottlenecks, at 224²."""
    rows = stem()
    source, channels_in = "maxpool", 64
    for stage, count in enumerate(blocks, start=1):
        width = 64 * 2 ** (stage - 1)
        for index in range(count):
            name = f"layer{stage}_{index}"
            stride = 2 if stage > 1 and index == 0 else 1
            make = bottleneck if bottlenecks else basic_block
            block = make(name, source, channels_in, width, stride)
            last = block[-3]["name"] if block[-1]["name"].endswith("_down_bn") else block[-1]["name"]
            shortcut = block[-1]["name"] if block[-1]["name"].endswith("_down_bn") else source
            block += [{"name": f"{name}_add", "type": "add", "inputs": [last, shortcut]}, relu(f"{name}_out")]
            if index == 0:
                block[0]["stage"] = f"layer{stage}"
            rows += block
            source, channels_in = f"{name}_out", width * (4 if bottlenecks else 1)
    rows += [
        {"name": "avgpool", "type": "globalavgpool", "stage": "fc"},
        {"name": "flatten", "type": "flatten"},
        {"name": "fc", "type": "dense", "units": 1000, "bias": True},
    ]
    return {"input": [224, 224, 3], "layers": rows}


def inverted_residual(channels: int, expansion: int) -> dict[str, Any]:
    """MobileNetV2's block with stride 1 and equal channels, so it has its residual add."""
    hidden = channels * expansion
    return {"input": [56, 56, channels], "layers": [
        {"name": "expand", "type": "pointwise", "filters": hidden}, bn("expand_bn"), relu("expand_relu", function="relu6"),
        {"name": "dw", "type": "depthwise", "kernel": 3, "padding": 1}, bn("dw_bn"), relu("dw_relu", function="relu6"),
        {"name": "project", "type": "pointwise", "filters": channels}, bn("project_bn"),
        {"name": "add", "type": "add", "inputs": ["project_bn", "input"]},
    ]}
