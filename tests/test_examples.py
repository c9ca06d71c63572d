"""Every bundled rubric solves through the real command, against values derived by hand or published."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from tests.homework import ROOT

RUBRICS = sorted((ROOT / "rubrics").glob("*.yaml"))


def key_of(name: str, *extra: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "grader", "solve", str(ROOT / "rubrics" / name), "--format", "json", *extra],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("rubric", RUBRICS, ids=lambda path: path.name)
def test_every_bundled_rubric_gives_a_key(rubric) -> None:
    key = key_of(rubric.name)
    assert key["answers"] and set(key["answers"]) == set(key["points"])


def test_convolution_examples() -> None:
    answers = key_of("example-convolution.yaml")["answers"]
    assert answers["alexnet.parameters"] == 34_944  # 11*11*3*96 + 96, the published figure
    assert answers["alexnet.macs"] == 105_415_200  # 55*55*34,848
    # same padding, stride 2: ceil(64/2) x ceil(48/2) = 32 x 24; 3*3*32*64 = 18,432 weights
    assert (answers["dilated.output.height"], answers["dilated.output.width"]) == (32, 24)
    assert answers["dilated.flops"] == 2 * 32 * 24 * 18_432 + 32 * 24 * 64
    assert answers["depthwise.weights"] == 3 * 3 * 64  # 64 filters of 3x3x1
    assert answers["kernel_size.kernel"] == 5  # 32 - 28 + 1
    assert (answers["stride_padding.padding"], answers["stride_padding.stride"]) == (0, 2)


def test_output_size_constraint_is_published_in_the_key() -> None:
    key = key_of("example-convolution.yaml")
    assert {"answers": ["stride_padding.padding", "stride_padding.stride"], "rule": "W2 = (W1 − F + 2P)/S + 1"} in key[
        "constraints"
    ]


def test_backprop_examples() -> None:
    answers = key_of("example-backprop.yaml")["answers"]
    assert answers["mazur.forward.E"] == pytest.approx(0.298371109)  # Mazur's E_total
    assert answers["mazur.step.wo_11"] == pytest.approx(0.35891648)  # Mazur's w5+
    # logistic: z = 0.5*2 - 1 = 0, y = 1/2, L = ln 2; dL/dz = y - t = -1/2, dL/dw = -1/2 * 2, dL/db = -1/2
    assert answers["logistic.forward.L"] == pytest.approx(math.log(2))
    assert [answers[f"logistic.grad.{n}"] for n in ("z", "w", "b")] == pytest.approx([-0.5, -1.0, -0.5])
    assert answers["softmax.forward.L"] == pytest.approx(0.40760596)  # -ln(e^3 / (e + e^2 + e^3))


def test_layer_table_example_matches_lenet() -> None:
    answers = key_of("example-layer-table.yaml")["answers"]
    assert answers["lenet.total.params"] == 61_706  # LeNet-5's published parameter count


def test_variant_keys_differ_between_students_and_repeat_for_one() -> None:
    first = key_of("example-variants.yaml", "--student", "s1")["answers"]
    assert first == key_of("example-variants.yaml", "--student", "s1")["answers"]
    assert any(key_of("example-variants.yaml", "--student", f"s{i}")["answers"] != first for i in (2, 3, 4))
