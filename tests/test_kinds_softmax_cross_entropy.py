"""grader.solver.kinds.softmax_cross_entropy against PyTorch's F.cross_entropy and autograd
(figures.json), and its gradient against finite differences of its own loss."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest

from grader.solver.kinds import KINDS
from grader.solver.kinds.softmax_cross_entropy import KIND, parse, solve
from tests.framework_figures import figures
from tests.homework import read_given

TORCH = figures()["7_softmax_cross_entropy"]
GIVEN = {"logits": TORCH["logits"], "target": TORCH["target_class"] + 1}  # PyTorch counts classes from 0


def answers(given: dict) -> dict:
    spec, issues = read_given(parse, given)
    assert issues == []
    return solve(spec)


def test_registered_under_its_name() -> None:
    assert KINDS["softmax-cross-entropy"] is KIND


def test_probabilities_loss_and_gradient_match_pytorch() -> None:
    found = answers(GIVEN)
    assert [found[f"p{k}"] for k in (1, 2, 3)] == pytest.approx(TORCH["softmax_probabilities"], rel=1e-12)
    assert found["loss"] == pytest.approx(TORCH["cross_entropy_loss_nats"], rel=1e-12)
    assert [found[f"grad.z{k}"] for k in (1, 2, 3)] == pytest.approx(TORCH["grad_wrt_logits"], rel=1e-12)


def test_bits() -> None:
    assert answers({**GIVEN, "units": "bits"})["loss"] == pytest.approx(TORCH["cross_entropy_loss_bits"], rel=1e-12)


@pytest.mark.parametrize(
    "given",
    [GIVEN, {**GIVEN, "target": 3}, {**GIVEN, "units": "bits"}, {"logits": [-1, 0.5, 3, 0], "target": [0.7, 0.1, 0.1, 0.1]}],
    ids=["torch", "other-class", "bits", "soft-target"],
)
def test_gradient_is_the_finite_difference_of_the_loss(given: dict) -> None:
    found, h = answers(given), 1e-6
    for k in range(len(given["logits"])):
        up = [float(z) + (h if i == k else 0) for i, z in enumerate(given["logits"])]
        down = [float(z) - (h if i == k else 0) for i, z in enumerate(given["logits"])]
        slope = (answers({**given, "logits": up})["loss"] - answers({**given, "logits": down})["loss"]) / (2 * h)
        assert found[f"grad.z{k + 1}"] == pytest.approx(slope, abs=1e-8)


# A batch: figures.json's example, and logits (0, 0, 0) of class 2, whose p = 1/3 each, loss ln 3 and
# gradient (1/3, −2/3, 1/3) need no computer; PyTorch's default reduction is the mean.
BATCH = {"logits": [TORCH["logits"], [0, 0, 0]], "target": [1, 2]}


def test_a_batch_averages_the_losses_and_the_gradients() -> None:
    found = answers(BATCH)
    assert found["loss"] == pytest.approx((TORCH["cross_entropy_loss_nats"] + math.log(3)) / 2, rel=1e-12)
    assert (found["ex1.loss"], found["ex2.loss"]) == (pytest.approx(TORCH["cross_entropy_loss_nats"]), pytest.approx(math.log(3)))
    assert [found[f"ex1.grad.z{k}"] for k in (1, 2, 3)] == pytest.approx([g / 2 for g in TORCH["grad_wrt_logits"]], rel=1e-12)
    assert [found[f"ex2.grad.z{k}"] for k in (1, 2, 3)] == pytest.approx([1 / 6, -1 / 3, 1 / 6], rel=1e-12)
    assert found["ex2.p3"] == pytest.approx(1 / 3)


def test_a_summed_batch_keeps_whole_gradients() -> None:
    found = answers({**BATCH, "reduction": "sum"})
    assert found["loss"] == pytest.approx(TORCH["cross_entropy_loss_nats"] + math.log(3), rel=1e-12)
    assert found["ex2.grad.z2"] == pytest.approx(-2 / 3, rel=1e-12)


def batch_loss_nudged(row: int, k: int, step: float) -> float:
    logits = [[float(z) for z in r] for r in BATCH["logits"]]
    logits[row][k] += step
    return answers({**BATCH, "logits": logits})["loss"]


def test_batch_gradients_are_finite_differences_of_the_mean_loss() -> None:
    found, h = answers(BATCH), 1e-6
    for row in range(2):
        for k in range(3):
            slope = (batch_loss_nudged(row, k, h) - batch_loss_nudged(row, k, -h)) / (2 * h)
            assert found[f"ex{row + 1}.grad.z{k + 1}"] == pytest.approx(slope, abs=1e-8)


def test_batch_mistakes_and_carried_credit() -> None:
    spec, _ = read_given(parse, BATCH)
    named = {(m.answer, m.label): m.value for m in KIND.mistakes(spec)}
    assert named[("loss", "the mean's 1/N left out")] == pytest.approx(TORCH["cross_entropy_loss_nats"] + math.log(3))
    assert named[("ex2.grad.z2", "the mean's 1/N left out")] == pytest.approx(-2 / 3)
    assert KIND.dependencies(spec)["loss"] == ("ex1.loss", "ex2.loss")
    assert KIND.solve_with(spec, {"ex1.loss": 1, "ex2.loss": 2})["loss"] == pytest.approx(1.5)


def test_a_one_hot_list_is_the_class_label() -> None:
    assert answers({**GIVEN, "target": [1, 0, 0]}) == answers(GIVEN)


def test_soft_target_loss_from_pytorchs_probabilities() -> None:
    # label smoothing 0.1 over 3 classes: y = [0.9333…, 0.0333…, 0.0333…]; L = −Σ y·ln p with torch's p
    y = [Fraction(14, 15), Fraction(1, 30), Fraction(1, 30)]
    expected = -sum(float(t) * math.log(p) for t, p in zip(y, TORCH["softmax_probabilities"]))
    assert answers({**GIVEN, "target": [str(t) for t in y]})["loss"] == pytest.approx(expected, rel=1e-12)


def test_huge_logits_do_not_overflow() -> None:
    found = answers({"logits": [1000, 0], "target": 2})
    assert found["loss"] == pytest.approx(1000)  # −ln(e^0 / (e^1000 + 1)) ≈ 1000


def test_carried_credit_from_own_probabilities() -> None:
    spec, _ = read_given(parse, GIVEN)
    assert KIND.dependencies(spec)["loss"] == ("p1",)
    assert KIND.solve_with(spec, {"p1": 0.5})["loss"] == pytest.approx(math.log(2))
    assert KIND.solve_with(spec, {"p2": 0.3})["grad.z2"] == pytest.approx(0.3)
    assert KIND.solve_with(spec, {"p1": 0})["loss"] == pytest.approx(TORCH["cross_entropy_loss_nats"])  # no log of 0


@pytest.mark.parametrize(
    ("answer", "label", "value"),
    [
        ("grad.z1", "gradient sign flipped", 0.3409988611140321),
        ("grad.z1", "target not subtracted", 0.6590011388859679),  # p1 itself
        ("loss", "loss in bits", 0.6016471363858742),  # torch's loss in bits
        ("loss", "log base 10", 0.41703001627783354 / math.log(10)),
        ("p1", "logits normalised without exponentials", 2 / 3.1),
    ],
)
def test_mistakes_by_the_value_they_give(answer: str, label: str, value: float) -> None:
    spec, _ = read_given(parse, GIVEN)
    named = {(m.answer, m.label): m.value for m in KIND.mistakes(spec)}
    assert named[(answer, label)] == pytest.approx(value, rel=1e-12)


def test_no_linear_normalisation_mistake_for_negative_logits() -> None:
    spec, _ = read_given(parse, {"logits": [-1, 2], "target": 1})
    assert not any(m.label == "logits normalised without exponentials" for m in KIND.mistakes(spec))


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({"logits": [1, 2], "target": 0}, "given.target", "counted from 1"),
        ({"logits": [1, 2], "target": [0.5, 0.6]}, "given.target", "adding up to 1"),
        ({"logits": [1, 2], "target": [1, 0, 0]}, "given.target", "one per logit"),
        ({"logits": [1], "target": 1}, "given.logits", "a list of 2 to"),
        ({"logits": [1, "x"], "target": 1}, "given.logits[1]", "expected a number"),
        ({"logits": [1, 2], "target": "cat"}, "given.target", "a class number"),
        ({"logits": [1, 2], "target": 1, "units": "dits"}, "given.units", "one of nats, bits"),
        ({"logits": [[1, 2], [3, 4]], "target": 1}, "given.target", "one target per row of logits (2"),
        ({"logits": [[1, 2], [3, 4]], "target": [1, 3]}, "given.target[1]", "a class from 1 to 2"),
        ({"logits": [[1, 2], [3, 4, 5]], "target": [1, 1]}, "given.logits", "the same number of logits in every row"),
    ],
)
def test_invalid_given_values_name_their_field(given: dict, field: str, fragment: str) -> None:
    spec, issues = read_given(parse, given)
    assert spec is None
    assert any(name == field and fragment in expected for name, expected in issues), issues
