"""Optimizer cases the review of issue 17 found, against torch.optim figures
(tests/fixtures/framework/review_figures.json, written by make_review_figures.py beside it)."""
from __future__ import annotations

import json
from fractions import Fraction

from grader.solver.kinds.optimizer import mistakes, parse, solve
from tests.homework import ROOT, read_given

REVIEW = json.loads((ROOT / "tests" / "fixtures" / "framework" / "review_figures.json").read_text(encoding="utf-8"))
QUARTIC = {"values": {"w": 1}, "nodes": {"L": "w^4"}, "loss": "L", "parameters": ["w"], "optimizer": "sgd", "learning_rate": 0.1}


def test_thirty_steps_on_a_quartic_end_where_torch_ends_without_exact_fractions_exploding() -> None:
    """Exactly, w's fraction triples its digits at every step (3³⁰ of them by step 30): the solver
    never finished. It carries on in floats once a fraction grows long, and lands on torch's values."""
    figures = REVIEW["sgd_quartic_w1_lr0.1_30_steps"]
    spec, issues = read_given(parse, {**QUARTIC, "steps": 30})
    assert issues == []
    result = solve(spec)
    assert result["step1.w"] == Fraction(3, 5) and result["step1.loss"] == Fraction(81, 625)  # still exact: 1 − 0.1·4
    for name, value in (("step30.w", figures["step30"]["w"]), ("step30.loss", figures["step30"]["loss"])):
        assert abs(result[name] - value) <= 1e-12 * abs(value)
    assert mistakes(spec)  # the mistaken trajectories (uphill, …) are bounded the same way


def test_diverging_steps_are_refused_with_the_step_named_not_computed_forever() -> None:
    """lr 10 on w⁴ from 0.5 multiplies w's digits by three at every step: exactly, 100 steps never
    end; in floats the loss passes 1e308 at step 5 (w: −4.5, 3,640.5, −1.9·10¹², …)."""
    from grader.base.errors import ExpressionError

    spec, _ = read_given(parse, {**QUARTIC, "values": {"w": 0.5}, "learning_rate": 10, "steps": 100})
    try:
        solve(spec)
    except ExpressionError as error:
        assert str(error).startswith("step 5: ") and "learning_rate" in str(error)
    else:
        raise AssertionError("diverging steps were solved")


def test_adam_needs_a_positive_eps_where_a_gradient_is_zero() -> None:
    _, issues = read_given(parse, {**QUARTIC, "values": {"w": 0}, "optimizer": "adam", "eps": 0})
    assert [field for field, _ in issues] == ["given.eps"]
