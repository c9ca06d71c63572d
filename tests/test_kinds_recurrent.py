"""grader.solver.kinds.recurrent against parameter counts of PyTorch's nn.RNN/LSTM/GRU (figures.json)."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds import KINDS
from grader.solver.kinds.recurrent import KIND, parse, solve
from tests.framework_figures import figures
from tests.homework import read_given

ROWS = figures()["1_recurrent"]["rows"]
CELLS = {"nn.RNN": "rnn", "nn.LSTM": "lstm", "nn.GRU": "gru"}


def answers(given: dict) -> dict[str, Fraction]:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def given_of(row: dict, bias: str) -> dict:
    return {"cell": CELLS[row["module"]], "input_size": row["input_size"], "hidden_size": row["hidden_size"],
            "layers": row["num_layers"], "bidirectional": row["bidirectional"], "bias": bias}


def label(row: dict) -> str:
    return f"{row['module']}-L{row['num_layers']}-{'bi' if row['bidirectional'] else 'uni'}"


def test_registered_under_its_name() -> None:
    assert KINDS["recurrent"] is KIND


@pytest.mark.parametrize("row", ROWS, ids=label)
def test_two_bias_vectors_match_pytorch(row: dict) -> None:
    assert answers(given_of(row, "two"))["params"] == row["torch_params_bias_True_two_bias_vectors"]


@pytest.mark.parametrize("row", ROWS, ids=label)
def test_no_bias_matches_pytorch_bias_false(row: dict) -> None:
    found = answers(given_of(row, "none"))
    assert found["params"] == found["weights"] == row["torch_params_bias_False"]


@pytest.mark.parametrize("row", ROWS, ids=label)
def test_one_bias_vector_is_the_keras_convention(row: dict) -> None:
    assert answers(given_of(row, "one"))["params"] == row["formula_keras_one_bias_convention"]


def test_stacked_layers_are_listed_one_by_one_and_sum_to_the_total() -> None:
    # LSTM(10 -> 20), 2 layers, bidirectional, two biases: layer 1 = 2 * 4*20*(10 + 20 + 2) = 5120;
    # layer 2 is fed 40: 2 * 4*20*(40 + 20 + 2) = 9920; 15,040 in all (figures.json's row)
    found = answers({"cell": "lstm", "input_size": 10, "hidden_size": 20, "layers": 2, "bidirectional": True})
    assert (found["layer1.params"], found["layer2.params"], found["params"]) == (5120, 9920, 15040)


def test_one_layer_has_no_per_layer_answers() -> None:
    assert not any(name.startswith("layer") for name in answers({"cell": "gru", "input_size": 10, "hidden_size": 20}))


def test_macs_per_step_and_per_sequence() -> None:
    # GRU 10 -> 20, one layer, one direction: 3*20*(10 + 20) = 1800 MACs a step; 50 steps: 90,000
    found = answers({"cell": "gru", "input_size": 10, "hidden_size": 20, "sequence_length": 50})
    assert (found["macs_per_step"], found["macs"]) == (1800, 90_000)
    flops = answers({"cell": "gru", "input_size": 10, "hidden_size": 20, "sequence_length": 50, "count": "flops"})
    assert (flops["flops_per_step"], flops["flops"]) == (3600, 180_000)


def test_bidirectional_output_features_double() -> None:
    found = answers({"cell": "rnn", "input_size": 10, "hidden_size": 20, "bidirectional": True})
    assert found["output_features"] == 40


def test_carried_credit_total_from_own_layer_counts() -> None:
    spec, _ = read_given(parse, {"cell": "rnn", "input_size": 10, "hidden_size": 20, "layers": 2, "sequence_length": 5})
    assert KIND.dependencies(spec) == {"params": ("layer1.params", "layer2.params"), "macs": ("macs_per_step",)}
    assert KIND.solve_with(spec, {"layer1.params": 600})["params"] == 600 + 840  # 20*(20 + 20 + 2) = 840
    assert KIND.solve_with(spec, {"macs_per_step": 1000})["macs"] == 5000


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({"cell": "transformer", "input_size": 1, "hidden_size": 1}, "given.cell", "expected one of rnn, lstm, gru"),
        ({"cell": "lstm", "input_size": 0, "hidden_size": 1}, "given.input_size", "≥ 1"),
        ({"cell": "lstm", "input_size": 1, "hidden_size": 1, "bias": "keras"}, "given.bias", "one of two, one, none"),
        ({"cell": "lstm", "input_size": 1, "hidden_size": 1, "bidirectonal": True}, "given.bidirectonal", "did you mean 'bidirectional'"),
        ({"cell": "lstm", "input_size": 1}, "given.hidden_size", "required but missing"),
    ],
)
def test_invalid_given_values_name_their_field(given: dict, field: str, fragment: str) -> None:
    spec, issues = read_given(parse, given)
    assert spec is None
    assert any(name == field and fragment in expected for name, expected in issues), issues


# LSTM(10 -> 20), 2 layers, bidirectional, two bias vectors: 15,040 (PyTorch). Each mistake's value:
@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("one bias vector instead of two", 14_720),  # figures.json's Keras count
        ("biases left out", 14_400),  # PyTorch's bias=False count
        ("backward direction left out", 5_920),  # PyTorch's unidirectional 2-layer count
        ("gate blocks left out", 3_760),  # PyTorch's nn.RNN of the same shape
        ("later layers fed the input size", 10_240),  # 5120 + 2*4*20*(10 + 20 + 2)
        ("later layers fed one direction", 11_840),  # 5120 + 2*4*20*(20 + 20 + 2)
        ("recurrent weights left out", 8_640),  # 2*4*20*10 + 2*4*20*40 + 2 * 2*2*4*20
    ],
)
def test_mistakes_by_the_value_they_give(label: str, value: int) -> None:
    spec, _ = read_given(parse, {"cell": "lstm", "input_size": 10, "hidden_size": 20, "layers": 2, "bidirectional": True})
    named = {(m.answer, m.label): m.value for m in KIND.mistakes(spec)}
    assert named[("params", label)] == value


def test_keras_convention_names_the_pytorch_count_as_its_mistake() -> None:
    # Keras LSTM(20) on 10 features: 4*20*(10 + 20 + 1) = 2480; PyTorch's 2560 is "two bias vectors instead of one"
    spec, _ = read_given(parse, {"cell": "lstm", "input_size": 10, "hidden_size": 20, "bias": "one"})
    named = {(m.answer, m.label): m.value for m in KIND.mistakes(spec)}
    assert solve(spec)["params"] == 2480
    assert named[("params", "two bias vectors instead of one")] == 2560
    assert ("params", "backward direction left out") not in named  # not bidirectional: no such mistake


def test_example_rubric_gives_the_framework_counts() -> None:
    from tests.test_examples import key_of

    key = key_of("example-recurrent.yaml")["answers"]
    lstm = next(row for row in ROWS if row["module"] == "nn.LSTM" and row["num_layers"] == 2 and row["bidirectional"])
    assert key["lstm.params"] == lstm["torch_params_bias_True_two_bias_vectors"]
    keras = {row["module"]: row for row in ROWS if row["num_layers"] == 1 and not row["bidirectional"]}
    assert (key["keras.rnn.params"], key["keras.lstm.params"]) == (
        keras["nn.RNN"]["formula_keras_one_bias_convention"], keras["nn.LSTM"]["formula_keras_one_bias_convention"])
    assert key["keras.gru.params"] == keras["nn.GRU"]["torch_params_bias_True_two_bias_vectors"]  # reset_after=True
