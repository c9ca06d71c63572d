"""Layer tables as graphs: what a wrong table is told, the strict output rule, the named mistakes
and credit carried from a student's own earlier values. Expected values are derived by hand."""
from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.solver.kinds.layer_table import dependencies, mistakes, parse, solve, solve_with
from tests.homework import ROOT, read_given
from tests.networks import resnet

A, B, C = "given.layers[0].", "given.layers[1].", "given.layers[2]."


def spec_of(given: dict[str, Any]) -> Any:
    spec, issues = read_given(parse, given)
    assert issues == []
    return spec


def issues_of(given: dict[str, Any]) -> list[tuple[str, str]]:
    spec, issues = read_given(parse, given)
    assert spec is None
    return issues


def conv(name: str, filters: int, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": "conv", "kernel": 3, "padding": 1, "filters": filters, **more}


@pytest.mark.parametrize(
    ("layers", "field", "fragment"),
    [
        ([conv("a", 4), conv("b", 8), {"name": "j", "type": "add", "inputs": ["a", "b"]}],
         C + "inputs", "layer 'j': an add needs inputs of one shape, but 'a' gives 8×8×4, 'b' gives 8×8×8"),
        ([conv("a", 4), conv("b", 4, stride=2), {"name": "j", "type": "concat", "inputs": ["a", "b"]}],
         C + "inputs", "layer 'j': a concat needs inputs that differ only in channels (the same height and width), but 'a' gives 8×8×4, 'b' gives 4×4×4"),
        ([conv("a", 4), conv("b", 4, input="conv_a")], B + "input", "layer 'b' takes its input from 'conv_a', but no earlier layer has that name"),
        ([conv("a", 4), conv("b", 4, input="aa")], B + "input", "(did you mean 'a'?); expected one of input, a"),
        ([conv("a", 4, input="b"), conv("b", 4)], A + "input", "layer 'a' takes its input from 'b', which comes later in the table"),
        ([conv("a", 4), {"name": "j", "type": "add", "inputs": ["a", "nope"]}], B + "inputs", "no earlier layer has that name"),
        ([conv("a", 4), {"name": "j", "type": "add", "inputs": ["a"]}], B + "inputs", "two or more names of earlier layers"),
        ([conv("a", 4), {"name": "j", "type": "add", "input": "a"}], B + "input", "joins several: write inputs: [a, b]"),
        ([conv("a", 4, inputs=["input", "input"])], A + "inputs", "only add and concat rows join several inputs"),
        ([conv("a", 4, input=[8, 8, 3])], A + "input", "expected the name of an earlier layer, or 'input'"),
        ([conv("input", 4)], A + "name", "other than 'input'"),
        ([conv("a", 4, stage="stage one")], A + "stage", "letters, digits and '_'"),
        ([{"type": "maxpool", "size": 2, "padding": 2}], A + "padding", "at most half the window"),
        ([{"type": "maxpool", "size": 2, "padding": "same", "ceil_mode": True}], A + "ceil_mode", "needs a numeric padding"),
        ([{"type": "transposed", "kernel": 3, "filters": 2, "stride": 2, "output_padding": 2}], A + "output_padding", "smaller than the stride"),
        ([{"type": "batchnorm", "affine": False, "scale": True}], A + "affine", "already drops γ and β"),
        ([{"type": "globalavgpool", "size": 2}], A + "size", "unknown field"),
    ],
)
def test_a_wrong_table_is_told_which_layer_and_what_was_expected(layers: list[dict[str, Any]], field: str, fragment: str) -> None:
    issues = issues_of({"input": [8, 8, 3], "layers": layers})
    assert any(name == field and fragment in expected for name, expected in issues), issues


def test_resnet_without_a_projection_fails_at_its_add_naming_both_branches() -> None:
    table = resnet((2, 2, 2, 2), False)
    table["layers"] = [row for row in table["layers"] if not row["name"].startswith("layer2_0_down")]
    add = next(index for index, row in enumerate(table["layers"]) if row["name"] == "layer2_0_add")
    table["layers"][add]["inputs"] = ["layer2_0_bn2", "layer1_1_out"]
    assert (f"given.layers[{add}].inputs", "layer 'layer2_0_add': an add needs inputs of one shape, "
            "but 'layer2_0_bn2' gives 28×28×128, 'layer1_1_out' gives 56×56×64") in issues_of(table)


def test_rows_using_a_failed_row_are_checked_for_name_and_type_only() -> None:
    issues = issues_of({"input": [8, 8, 3], "layers": [
        conv("a", 4, kernel=11), conv("b", 4, bais=True), {"name": "j", "type": "add", "inputs": ["a", "b"]}, {"name": "k", "type": "ad"},
    ]})
    assert sorted(name for name, _ in issues) == [A + "kernel", "given.layers[3].type"]


def test_strict_rule_refuses_a_step_that_is_not_whole_and_floor_floors_it() -> None:
    row = {"name": "c", "type": "conv", "kernel": 3, "stride": 2, "filters": 1}  # (8 - 3 + 0)/2 = 2.5
    issues = issues_of({"input": [8, 8, 1], "output_rule": "strict", "layers": [row]})
    assert (A + "stride", "(W − F + 2P)/S = (8 − 3 + 2·0)/2 = 5/2 is not whole on the height (output_rule: strict); "
            "change the padding or stride, or use output_rule: floor") in issues
    assert solve(spec_of({"input": [8, 8, 1], "layers": [row]}))["c.output.height"] == 3  # floor(2.5) + 1
    whole = solve(spec_of({"input": [9, 9, 1], "output_rule": "strict", "layers": [row]}))
    assert whole["c.output.height"] == 4  # (9 - 3)/2 + 1
    pool = {"type": "maxpool", "size": 2}  # (7 - 2)/2 = 2.5
    assert any(name == A + "stride" for name, _ in issues_of({"input": [7, 7, 1], "output_rule": "strict", "layers": [pool]}))
    assert any(name == "given.output_rule" for name, _ in issues_of({"input": [7, 7, 1], "output_rule": "cs231n", "layers": [pool]}))


def named(table: dict[str, Any]) -> dict[tuple[str, Fraction], str]:
    return {(mistake.answer, mistake.value): mistake.label for mistake in mistakes(spec_of(table))}


def test_mistakes_of_joins_normalisation_pooling_and_transposed_rows() -> None:
    first = named({"input": [7, 7, 4], "layers": [{"name": "p", "type": "maxpool", "size": 2}]})  # floor: 3; ceil: 4
    assert first[("p.output.height", 4)] == "ceil and floor swapped"  # a row on the network's input too
    found = named({"input": [7, 7, 4], "layers": [
        {"name": "a", "type": "pointwise", "filters": 4}, {"name": "bn", "type": "batchnorm"},
        {"name": "j", "type": "add", "inputs": ["bn", "input"]}, {"name": "cat", "type": "concat", "inputs": ["j", "a"]},
        {"name": "p", "type": "maxpool", "size": 2, "ceil_mode": True},  # ceil((7-2)/2)+1 = 4; floor gives 3
        {"name": "t", "type": "transposed", "kernel": 3, "stride": 2, "padding": 1, "output_padding": 1, "filters": 2},
        {"name": "d", "type": "conv", "kernel": 3, "dilation": 2, "filters": 1},
    ]})
    assert found[("j.output.channels", 8)] == "add given summed channels"  # 4 + 4
    assert found[("cat.output.channels", 4)] == "concat given one input's channels"  # j's 4 instead of 4 + 4
    assert found[("bn.params", 16)] == "running statistics counted"  # 4 per channel instead of 2
    assert found[("p.output.height", 3)] == "ceil and floor swapped"
    # transposed on 4x4: (4-1)*2 - 2 + 3 + 1 = 8; as a convolution (4 + 2 - 3)//2 + 1 = 2; without output_padding 7
    assert found[("t.output.height", 2)] == "convolution formula for a transposed convolution"
    assert found[("t.output.height", 7)] == "output_padding forgotten"
    assert found[("d.effective_kernel", 6)] == "dilation times kernel"  # 3*2 instead of 2*(3-1)+1 = 5


def test_mistakes_of_receptive_fields_and_memory() -> None:
    found = named({"input": [16, 16, 1], "receptive_field": True, "precision": "float16", "layers": [
        {"name": "a", "type": "conv", "kernel": 3, "stride": 2, "filters": 1},  # 7x7: 49 values; r 3, jump 2
        {"name": "b", "type": "conv", "kernel": 3, "filters": 1},  # 5x5: 25 values; r 3 + 2*2 = 7
    ]})
    assert found[("b.receptive_field", 5)] == "strides ignored"  # 3 + 2*1
    assert found[("a.jump", 1)] == found[("b.jump", 1)] == "strides ignored"  # the jumps are 2
    assert found[("total.activations", 74 + 256)] == "input counted or not"  # 49 + 25, + 16*16
    assert found[("total.activation_bytes", 74 * 2 * 8)] == "bits for bytes"
    assert found[("total.activation_bytes", 74 * 4)] == "float32's 4 bytes"


def test_credit_carries_from_a_students_own_earlier_values() -> None:
    table = spec_of({"input": [16, 16, 3], "receptive_field": True, "precision": "float32", "subtotals": True, "layers": [
        {"name": "a", "type": "conv", "kernel": 3, "stride": 2, "filters": 8, "stage": "s1"},  # 7x7x8; 216 params
        {"name": "b", "type": "pointwise", "filters": 4, "stage": "s2"},  # 8*4 = 32 params
        {"name": "c", "type": "concat", "inputs": ["a", "b"]},  # 12 channels
    ]})
    deps = dependencies(table)
    assert deps["c.output.channels"] == ("a.output.channels", "b.output.channels")
    assert deps["b.receptive_field"] == ("a.receptive_field", "a.jump")
    assert deps["by_type.pointwise.params_share"] == ("by_type.pointwise.params", "total.params")
    assert deps["stage.s2.params"] == ("b.params", "c.params")
    own = solve_with(table, {
        "a.output.channels": Fraction(6), "a.receptive_field": Fraction(4), "a.jump": Fraction(1),
        "total.activations": Fraction(100), "total.params": Fraction(300), "b.params": Fraction(30),
    })
    assert own["c.output.channels"] == 10  # their 6 + b's 4
    assert own["b.params"] == 24  # 6 input channels * 4 filters
    assert own["b.receptive_field"] == 4  # their 4 + (1 - 1) * their jump
    assert own["total.activation_bytes"] == 400  # their 100 values * 4 bytes
    assert own["by_type.pointwise.params_share"] == Fraction(32, 300)  # the key's subtotal over their total
    assert own["stage.s2.params"] == 30  # their b, plus c's 0


def test_validate_names_the_layer_and_what_its_add_expected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    layers = [conv("a", 4), conv("b", 8), {"name": "j", "type": "add", "inputs": ["a", "b"]}, conv("k", 2, input="a_typo")]
    bad.write_text(yaml.safe_dump({"assignment": "hw", "problems": [
        {"id": "q1", "kind": "layer-table", "given": {"input": [8, 8, 3], "layers": layers}},
    ]}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader", "validate", str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "field 'given.layers[2].inputs': layer 'j': an add needs inputs of one shape, but 'a' gives 8×8×4, 'b' gives 8×8×8" in done.stderr
    assert "field 'given.layers[3].input': layer 'k' takes its input from 'a_typo', but no earlier layer has that name" in done.stderr


@pytest.mark.parametrize(
    ("settings", "field", "fragment"),
    [
        ({"precision": "fp16"}, "given.precision", "expected one of float64, float32, float16, bfloat16, int8"),
        ({"subtotals": "yes"}, "given.subtotals", "true or false"),
        ({"receptive_fields": True}, "given.receptive_fields", "did you mean 'receptive_field'?"),
        ({"activations_include_input": True}, "given.activations_include_input", "ask for them too"),
        ({"output_rule": "cs231n"}, "given.output_rule", "expected one of floor, strict"),
    ],
)
def test_a_misspelt_or_idle_setting_is_reported_not_ignored(settings: dict[str, Any], field: str, fragment: str) -> None:
    issues = issues_of({"input": [8, 8, 3], "layers": [conv("a", 4)], **settings})
    assert any(name == field and fragment in expected for name, expected in issues), issues
