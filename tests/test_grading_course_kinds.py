"""The recurrent, transformer, softmax-cross-entropy and optimizer kinds through the real grading:
a wrong answer named by its mistake, and a later answer right given the student's own earlier one."""
from __future__ import annotations

import math

from grader.judging.results import Status
from tests.test_carried_forward import graded

LSTM_2x_BI = {"cell": "lstm", "input_size": 10, "hidden_size": 20, "layers": 2, "bidirectional": True}


def test_recurrent_keras_count_under_the_pytorch_convention_is_named() -> None:
    problem = {"id": "q1", "kind": "recurrent", "given": {"cell": "lstm", "input_size": 10, "hidden_size": 20}}
    verdict = graded(problem, {"q1.params": 2480})["q1.params"]  # Keras's count; PyTorch's is 2560
    assert (verdict.status, verdict.mistake) == (Status.INCORRECT, "one bias vector instead of two")


def test_recurrent_total_carries_from_the_students_layers() -> None:
    problem = {"id": "q1", "kind": "recurrent", "given": LSTM_2x_BI}
    # one bias vector in each layer: 2·4·20·31 = 4960 and 2·4·20·61 = 9760, summed correctly to 14,720
    verdicts = graded(problem, {"q1.layer1.params": 4960, "q1.layer2.params": 9760, "q1.params": 14_720})
    assert verdicts["q1.layer1.params"].status is Status.INCORRECT
    assert verdicts["q1.params"].status is Status.CARRIED


def test_transformer_layer_carries_from_an_attention_without_output_projection() -> None:
    problem = {"id": "q2", "kind": "transformer", "given": {"d_model": 512, "heads": 8, "d_ff": 2048}}
    attention = 3 * 512 * 512 + 3 * 512
    verdicts = graded(problem, {"q2.attention.params": attention, "q2.feed_forward.params": 2_099_712,
                                "q2.norms.params": 2048, "q2.layer.params": attention + 2_099_712 + 2048})
    assert verdicts["q2.attention.params"].mistake == "output projection left out"
    assert verdicts["q2.layer.params"].status is Status.CARRIED


def test_softmax_loss_carries_from_the_students_probability() -> None:
    problem = {"id": "q3", "kind": "softmax-cross-entropy", "given": {"logits": [2, 1, 0.1], "target": 1},
               "tolerance": {"relative": 0.001}}
    verdicts = graded(problem, {"q3.p1": 0.6, "q3.loss": -math.log(0.6), "q3.grad.z1": 0.341})
    assert verdicts["q3.p1"].status is Status.INCORRECT
    assert verdicts["q3.loss"].status is Status.CARRIED
    assert verdicts["q3.grad.z1"].mistake == "gradient sign flipped"


def test_adam_without_bias_correction_is_named_and_the_loss_after_it_carries() -> None:
    given = {"values": {"w": 1}, "nodes": {"L": "1/2*(w - 0.5)^2"}, "loss": "L", "parameters": ["w"],
             "optimizer": "adam", "learning_rate": 0.1}
    problem = {"id": "q4", "kind": "optimizer", "given": given, "tolerance": {"relative": 0.0001}}
    # uncorrected: m = 0.05, v = 0.00025; w = 1 − 0.1·0.05/√0.00025 = 0.683772; L = ½·0.183772²
    w = 1 - 0.1 * 0.05 / math.sqrt(0.00025)
    verdicts = graded(problem, {"q4.step1.w": w, "q4.step1.loss": (w - 0.5) ** 2 / 2})
    assert verdicts["q4.step1.w"].mistake == "no bias correction"
    assert verdicts["q4.step1.loss"].status is Status.CARRIED
