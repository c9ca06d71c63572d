"""grader.solver.kinds.optimizer against trajectories of torch.optim.SGD, Adam and AdamW (figures.json),
and its gradients against finite differences of its own loss."""
from __future__ import annotations

from fractions import Fraction

import pytest

from grader.solver.kinds import KINDS
from grader.solver.kinds.optimizer import KIND, parse, solve
from tests.framework_figures import figures
from tests.homework import read_given

TORCH = figures()["6_optimizers"]["results"]
# figures.json's problem: w = [1, −2], L = 0.5·Σ(w − 0.5)², learning rate 0.1, float64
PROBLEM = {"values": {"w1": 1, "w2": -2}, "nodes": {"L": "0.5*((w1 - 0.5)^2 + (w2 - 0.5)^2)"}, "loss": "L",
           "parameters": ["w1", "w2"], "learning_rate": 0.1, "steps": 3}
SETTINGS = {
    "SGD": {"optimizer": "sgd"},
    "SGD_momentum": {"optimizer": "sgd", "momentum": 0.9},
    "SGD_nesterov": {"optimizer": "sgd", "momentum": 0.9, "nesterov": True},
    "SGD_weight_decay": {"optimizer": "sgd", "weight_decay": 0.01},
    "Adam": {"optimizer": "adam"},
    "Adam_weight_decay": {"optimizer": "adam", "weight_decay": 0.01},
    "AdamW": {"optimizer": "adamw", "weight_decay": 0.01},
}


def answers(given: dict) -> dict:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def named_mistakes(given: dict) -> dict:
    spec, _ = read_given(parse, given)
    return {(m.answer, m.label): m.value for m in KIND.mistakes(spec)}


def test_registered_under_its_name() -> None:
    assert KINDS["optimizer"] is KIND


@pytest.mark.parametrize("name", SETTINGS)
def test_trajectory_matches_pytorch(name: str) -> None:
    found = answers({**PROBLEM, **SETTINGS[name]})
    steps = TORCH[name]["steps"]
    assert found["loss.initial"] == steps[0]["loss_before_step"]
    for torch_step in steps:
        k = torch_step["step"]
        assert [found[f"step{k}.grad.w1"], found[f"step{k}.grad.w2"]] == pytest.approx(torch_step["grad_used"], rel=1e-12)
        assert [found[f"step{k}.w1"], found[f"step{k}.w2"]] == pytest.approx(torch_step["w_after"], rel=1e-12)
        assert found[f"step{k}.loss"] == pytest.approx(torch_step["loss_after"], rel=1e-12)
    assert found["loss.drop"] == pytest.approx(steps[0]["loss_before_step"] - steps[-1]["loss_after"], rel=1e-12)


def test_sgd_stays_exact() -> None:
    found = answers({**PROBLEM, **SETTINGS["SGD_momentum"]})
    assert found["step3.w1"] == Fraction(743, 1000)  # torch: 0.743
    assert found["step2.velocity.w1"] == Fraction(9, 10) * Fraction(1, 2) + Fraction(45, 100)  # μ·b1 + g2 = 0.9


def test_classic_convention_reports_the_velocity_as_minus_rate_times_the_buffer() -> None:
    pytorch = answers({**PROBLEM, **SETTINGS["SGD_momentum"]})
    classic = answers({**PROBLEM, **SETTINGS["SGD_momentum"], "convention": "classic"})
    assert classic["step1.velocity.w1"] == Fraction(-1, 20)  # v = 0.9·0 − 0.1·0.5
    assert classic["step2.velocity.w1"] == Fraction(-9, 100)  # 0.9·(−0.05) − 0.1·0.45
    assert {n: v for n, v in classic.items() if "velocity" not in n} == {n: v for n, v in pytorch.items() if "velocity" not in n}


@pytest.mark.parametrize("nodes", [
    {"z": "w1*x + w2", "y": "sigmoid(z)", "L": "-(t*log(y) + (1 - t)*log(1 - y))"},
    {"L": "exp(w1*w2) + w1^3"},
])
def test_gradients_are_finite_differences_of_the_loss(nodes: dict) -> None:
    given = {"values": {"w1": 0.3, "w2": -0.7, "x": 2, "t": 1}, "nodes": nodes, "loss": "L", "parameters": ["w1", "w2"],
             "optimizer": "sgd", "learning_rate": 0.5}
    found, h = answers(given), 1e-6
    for name in ("w1", "w2"):
        up = answers({**given, "values": {**given["values"], name: given["values"][name] + h}})["loss.initial"]
        down = answers({**given, "values": {**given["values"], name: given["values"][name] - h}})["loss.initial"]
        assert found[f"step1.grad.{name}"] == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_layer_shorthands_give_the_loss() -> None:
    given = {"values": {"x1": 1, "t": 0}, "layers": [{"dense": {"inputs": ["x1"], "outputs": ["y"], "weights": "w", "matrix": [[2]]}}],
             "nodes": {"L": "(y - t)^2"}, "loss": "L", "parameters": ["w_11"], "optimizer": "sgd", "learning_rate": 0.125}
    found = answers(given)
    # y = 2, L = 4, dL/dw = 2(y − t)·x = 4; w = 2 − 0.5 = 1.5; L = 2.25; drop 1.75
    assert (found["step1.grad.w_11"], found["step1.w_11"], found["step1.loss"], found["loss.drop"]) == (4, Fraction(3, 2), Fraction(9, 4), Fraction(7, 4))


def test_state_answers_are_optional() -> None:
    assert KIND.optional == ("step*.velocity.*", "step*.m.*", "step*.v.*", "step*.m_hat.*", "step*.v_hat.*")


def test_carried_credit_continues_from_the_students_weights() -> None:
    spec, _ = read_given(parse, {**PROBLEM, **SETTINGS["SGD"]})
    deps = KIND.dependencies(spec)
    assert deps["step2.grad.w1"] == ("step1.w1", "step1.w2")
    assert deps["step2.w1"] == ("step1.w1", "step2.grad.w1")
    assert deps["loss.drop"] == ("loss.initial", "step3.loss")
    # a student's step1.w1 = 0.9: gradient 0.4, step 2 gives 0.9 − 0.04 = 0.86
    own = KIND.solve_with(spec, {"step1.w1": Fraction(9, 10)})
    assert (own["step2.grad.w1"], own["step2.w1"]) == (Fraction(2, 5), Fraction(86, 100))


def test_adam_state_dependencies() -> None:
    spec, _ = read_given(parse, {**PROBLEM, **SETTINGS["Adam_weight_decay"]})
    deps = KIND.dependencies(spec)
    assert deps["step2.m.w1"] == ("step2.grad.w1", "step1.w1", "step1.m.w1")  # L2: the decay term uses the weight
    assert deps["step2.m_hat.w1"] == ("step2.m.w1",)
    assert deps["step2.w1"] == ("step1.w1", "step2.grad.w1", "step2.m.w1", "step2.v.w1", "step2.m_hat.w1", "step2.v_hat.w1")


@pytest.mark.parametrize(
    ("setting", "answer", "label", "value"),
    [
        ("SGD_momentum", "step2.w1", "momentum left out", TORCH["SGD"]["steps"][1]["w_after"][0]),
        ("SGD_momentum", "step1.velocity.w1", "velocity in the other convention", -0.05),
        ("SGD_nesterov", "step2.w1", "Nesterov look-ahead left out", TORCH["SGD_momentum"]["steps"][1]["w_after"][0]),
        ("SGD_weight_decay", "step3.w1", "weight decay left out", TORCH["SGD"]["steps"][2]["w_after"][0]),
        ("AdamW", "step3.w1", "decay coupled (L2 in the gradient) instead of decoupled", TORCH["Adam_weight_decay"]["steps"][2]["w_after"][0]),
        ("Adam_weight_decay", "step3.w1", "decay decoupled (AdamW) instead of L2", TORCH["AdamW"]["steps"][2]["w_after"][0]),
        ("AdamW", "step3.w1", "weight decay left out", TORCH["Adam"]["steps"][2]["w_after"][0]),
        # m = 0.05, v = 0.00025 uncorrected: 1 − 0.1·0.05/(√0.00025 + 1e-8)
        ("Adam", "step1.w1", "no bias correction", 1 - 0.1 * 0.05 / (0.00025**0.5 + 1e-8)),
        ("SGD", "step1.w1", "step taken uphill", 1.05),
        ("SGD", "loss.drop", "loss rise instead of drop", -(3.25 - 1.72718325)),
    ],
)
def test_mistakes_by_the_value_they_give(setting: str, answer: str, label: str, value: float) -> None:
    assert named_mistakes({**PROBLEM, **SETTINGS[setting]})[(answer, label)] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({**PROBLEM, "optimizer": "sgd", "nesterov": True}, "given.nesterov", "needs a `momentum`"),
        ({**PROBLEM, "optimizer": "sgd", "momentum": 1}, "given.momentum", "below 1"),
        ({**PROBLEM, "optimizer": "adam", "momentum": 0.9}, "given.momentum", "unknown field"),
        ({**PROBLEM, "optimizer": "adam", "betas": [0.9]}, "given.betas", "two numbers"),
        ({**PROBLEM, "optimizer": "adam", "betas": [0.9, 1]}, "given.betas", "up to (not including) 1"),
        ({**PROBLEM, "optimizer": "rmsprop"}, "given.optimizer", "one of sgd, adam, adamw"),
        ({**PROBLEM, "optimizer": "sgd", "parameters": ["w3"]}, "given.parameters", "'w3' is not a given value"),
        ({**PROBLEM, "optimizer": "sgd", "learning_rate": -1}, "given.learning_rate", "≥ 0"),
        ({**PROBLEM, "optimizer": "sgd", "steps": 1000}, "given.steps", "at most 100"),
        ({**PROBLEM, "optimizer": "sgd", "nodes": {"L": "w1 +"}}, "given.nodes", "node 'L'"),
        ({**PROBLEM, "optimizer": "sgd", "loss": "M"}, "given.nodes", "loss 'M' is not one of the nodes"),
        ({**PROBLEM, "optimizer": "sgd", "parameters": ["w1", "w1"]}, "given.parameters", "w1 more than once"),
        ({"values": {"m": 1}, "nodes": {"L": "m^2"}, "loss": "L", "parameters": ["m"], "optimizer": "adam", "learning_rate": 0.1},
         "given.parameters", "may not be called 'm'"),
        ({**PROBLEM, "optimizer": "sgd", "learning_rate": 0}, "given.learning_rate", "above 0"),
    ],
)
def test_invalid_given_values_name_their_field(given: dict, field: str, fragment: str) -> None:
    spec, issues = read_given(parse, given)
    assert spec is None
    assert any(name == field and fragment in expected for name, expected in issues), issues


def test_adamw_decays_by_pytorchs_default_when_no_rate_is_given() -> None:
    found = answers({**PROBLEM, "optimizer": "adamw"})  # torch.optim.AdamW's weight_decay defaults to 0.01
    assert found["step3.w1"] == pytest.approx(TORCH["AdamW"]["steps"][2]["w_after"][0], rel=1e-12)


def test_example_rubric_follows_pytorch() -> None:
    from tests.test_examples import key_of

    key = key_of("example-training.yaml")["answers"]
    momentum = TORCH["SGD_momentum"]["steps"]
    assert key["momentum.step3.w1"] == pytest.approx(momentum[2]["w_after"][0])
    assert key["momentum.loss.drop"] == pytest.approx(3.25 - momentum[2]["loss_after"])
    assert key["adam.a.step2.loss"] == pytest.approx(TORCH["Adam_weight_decay"]["steps"][1]["loss_after"])
    assert key["adam.b.step2.loss"] == pytest.approx(TORCH["AdamW"]["steps"][1]["loss_after"])
    assert key["softmax.loss"] == pytest.approx(figures()["7_softmax_cross_entropy"]["cross_entropy_loss_nats"])


def test_a_mistaken_way_that_leaves_the_losss_domain_names_nothing_instead_of_failing() -> None:
    # L = −log(w) from w = 0.5 with η = 1: the key steps to w = 0.5 + 2 = 2.5; uphill gives w = −1.5,
    # whose log does not exist, so that mistake names no value, and the key is still built
    given = {"values": {"w": 0.5}, "nodes": {"L": "-log(w)"}, "loss": "L", "parameters": ["w"], "optimizer": "sgd",
             "learning_rate": 1}
    assert answers(given)["step1.w"] == Fraction(5, 2)
    assert not any(label == "step taken uphill" for _, label in named_mistakes(given))


def test_a_parameter_may_share_a_buffers_name_where_that_buffer_does_not_exist() -> None:
    given = {"values": {"m": 1}, "nodes": {"L": "m^2"}, "loss": "L", "parameters": ["m"], "optimizer": "sgd", "learning_rate": 0.25}
    assert answers(given)["step1.m"] == Fraction(1, 2)  # dL/dm = 2, m = 1 − 0.25·2
