"""Carried credit through a graph: a residual block whose rows take named inputs. Every number is
worked by hand from the table below (no biases: a conv's parameters are k·k·C_in·C_out)."""
from __future__ import annotations

from grader.judging.results import Status
from tests.test_carried_forward import graded

RESIDUAL = {"id": "r", "kind": "layer-table", "given": {"input": [16, 16, 3], "layers": [
    {"name": "stem", "type": "conv", "kernel": 3, "filters": 8, "padding": 1},  # 16x16x8
    {"name": "p", "type": "maxpool", "size": 2},  # 8x8x8
    {"name": "a", "type": "conv", "kernel": 3, "filters": 8, "padding": 1},  # 8x8x8
    {"name": "b", "type": "conv", "kernel": 3, "filters": 8, "padding": 1},  # 8x8x8
    {"name": "j", "type": "add", "inputs": ["p", "b"]},  # 8x8x8: the shortcut from p
    {"name": "proj", "type": "pointwise", "filters": 4, "input": "p"},  # 8x8x4: 8*4 = 32 weights, 64*32 = 2048 MACs
    {"name": "down", "type": "conv", "kernel": 3, "stride": 2, "filters": 4, "input": "j"},  # floor((8 - 3)/2) + 1 = 3
]}}


def verdict(answers: dict[str, int], path: str) -> tuple[Status, str]:
    found = graded(RESIDUAL, {f"r.{key}": value for key, value in answers.items()})[f"r.{path}"]
    return found.status, found.feedback


def test_a_row_builds_on_the_input_it_names_not_on_the_row_before_it() -> None:
    # p given 6 channels (key 8): proj, which takes p, has 6*4 = 24 weights and 8*8*24 = 1536 MACs
    assert verdict({"p.output.channels": 6, "proj.params": 24}, "proj.params") == (Status.CARRIED, "Correct given your p.output.channels = 6.")
    assert verdict({"p.output.channels": 6, "proj.macs": 1536}, "proj.macs") == (Status.CARRIED, "Correct given your p.output.channels = 6.")
    # the row before proj is j: 6 channels there are no reason for 24
    assert verdict({"j.output.channels": 6, "proj.params": 24}, "proj.params")[0] is Status.INCORRECT


def test_a_pooling_and_a_convolution_build_on_their_inputs_own_size() -> None:
    # stem given 20 high (key 16): p = 20/2 = 10; a (3x3, padding 1) keeps p's 10 when p is given 10
    assert verdict({"stem.output.height": 20, "p.output.height": 10}, "p.output.height") == (
        Status.CARRIED, "Correct given your stem.output.height = 20.")
    assert verdict({"p.output.height": 10, "a.output.height": 10}, "a.output.height") == (
        Status.CARRIED, "Correct given your p.output.height = 10.")
    # down takes j: j given 10 wide gives floor((10 - 3)/2) + 1 = 4
    assert verdict({"j.output.width": 10, "down.output.width": 4}, "down.output.width") == (
        Status.CARRIED, "Correct given your j.output.width = 10.")


def test_an_add_keeps_its_inputs_shape_only_where_the_students_inputs_agree() -> None:
    both = {"p.output.height": 7, "b.output.height": 7, "j.output.height": 7}
    assert verdict(both, "j.output.height") == (Status.CARRIED, "Correct given your p.output.height = 7, b.output.height = 7.")
    # p 7 and b 8 cannot be added: 7 carries from neither, 8 (the key's) is right
    assert verdict({**both, "b.output.height": 8}, "j.output.height")[0] is Status.INCORRECT
    assert verdict({**both, "b.output.height": 8, "j.output.height": 8}, "j.output.height")[0] is Status.CORRECT
    assert verdict({"p.output.channels": 5, "b.output.channels": 5, "j.output.channels": 5}, "j.output.channels")[0] is Status.CARRIED


def test_a_concat_sums_its_inputs_own_channels_and_keeps_their_agreed_size() -> None:
    problem = {"id": "c", "kind": "layer-table", "given": {"input": [8, 8, 3], "layers": [
        {"name": "x", "type": "conv", "kernel": 1, "filters": 4},  # 8x8x4
        {"name": "y", "type": "conv", "kernel": 3, "filters": 6, "padding": 1, "input": "input"},  # 8x8x6
        {"name": "cat", "type": "concat", "inputs": ["x", "y", "input"]},  # 8x8x13
    ]}}
    # (a concat naming `input` raised KeyError before layer_carry.) x given 5 channels: 5 + 6 + 3 = 14; the network input's 8 high is no student's value, so x
    # given 9 high disagrees with it and 9 is not carried
    verdicts = graded(problem, {"c.x.output.channels": 5, "c.cat.output.channels": 14, "c.x.output.height": 9, "c.cat.output.height": 9})
    assert (verdicts["c.cat.output.channels"].status, verdicts["c.cat.output.channels"].feedback) == (
        Status.CARRIED, "Correct given your x.output.channels = 5.")
    assert verdicts["c.cat.output.height"].status is Status.INCORRECT


def test_a_transposed_convolution_and_a_batchnorm_build_on_their_inputs_own_values() -> None:
    problem = {"id": "u", "kind": "layer-table", "given": {"input": [4, 4, 3], "layers": [
        {"name": "c", "type": "conv", "kernel": 1, "filters": 8},  # 4x4x8
        {"name": "t", "type": "transposed", "kernel": 2, "stride": 2, "filters": 4},  # (4 - 1)*2 + 2 = 8: 8x8x4
        {"name": "bn", "type": "batchnorm"},  # 8x8x4, γ and β: 8 parameters
    ]}}
    # c given 5 high: t = (5 - 1)*2 + 2 = 10 high; its MACs scatter each INPUT position: 5*4 * 2*2*8*4 = 2560 (key 2048)
    verdicts = graded(problem, {"u.c.output.height": 5, "u.t.output.height": 10, "u.t.macs": 2560,
                                "u.t.output.channels": 6, "u.bn.params": 12, "u.bn.output.channels": 6})
    carried = {path: v.feedback for path, v in verdicts.items() if v.status is Status.CARRIED}
    assert carried == {
        "u.t.output.height": "Correct given your c.output.height = 5.",
        "u.t.macs": "Correct given your c.output.height = 5.",
        "u.bn.params": "Correct given your t.output.channels = 6.",  # 2 per channel
        "u.bn.output.channels": "Correct given your t.output.channels = 6.",
    }
    # its own output's 10 high is no reason for 2560: a transposed convolution's cost follows its input
    assert graded(problem, {"u.t.output.height": 10, "u.t.macs": 2560})["u.t.macs"].status is Status.INCORRECT
