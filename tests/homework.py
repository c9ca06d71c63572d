"""Hand-derived facts about the bundled SML homework 4 and its example submissions, shared by the tests.

Nothing here is computed by grader: every number was worked out by hand (arithmetic in comments).
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rubrics" / "sml-hw4.yaml"
SUBMISSIONS = ROOT / "submissions"

# Question 3 as the rubric declares it.
Q3_VALUES = {
    "x1": 1, "x2": -1, "t": 2,
    "w1_11": 2, "w1_21": 1, "w1_12": 0, "w1_22": -1,
    "w2_11": 1, "w2_21": 1, "w2_12": -1, "w2_22": 0,
    "w3_1": -1, "w3_2": 1,
}
Q3_NODES = {
    "y1": "x1*w1_11 + x2*w1_21",
    "y2": "x1*w1_12 + x2*w1_22",
    "z1": "y1*w2_11 + y2*w2_21",
    "z2": "y1*w2_12 + y2*w2_22",
    "z": "z1*w3_1 + z2*w3_2",
    "L": "(z - t)^2",
}
# y1 = 1*2 + (-1)*1 = 1; y2 = 1*0 + (-1)(-1) = 1; z1 = 1 + 1 = 2; z2 = -1 + 0 = -1;
# z = 2*(-1) + (-1)*1 = -3; L = (-3 - 2)^2 = 25
Q3_FORWARD = {"y1": 1, "y2": 1, "z1": 2, "z2": -1, "z": -3, "L": 25}
# dL/dz = 2(z - t) = -10; dz1 = -10*w3_1 = 10; dz2 = -10*w3_2 = -10; dw3_1 = -10*z1; dw3_2 = -10*z2;
# dy1 = 10*w2_11 + (-10)*w2_12 = 20; dy2 = 10*w2_21 + (-10)*w2_22 = 10; dw2_ij = dz_j * y_i;
# dw1_ij = dy_j * x_i; dx1 = 20*2 + 10*0 = 40; dx2 = 20*1 + 10*(-1) = 10; dt = -2(z - t) = 10
Q3_GRADIENTS = {
    "L": 1, "z": -10, "z1": 10, "z2": -10, "w3_1": -20, "w3_2": 10, "y1": 20, "y2": 10,
    "w2_11": 10, "w2_21": 10, "w2_12": -10, "w2_22": -10,
    "w1_11": 20, "w1_21": -20, "w1_12": 10, "w1_22": -10, "x1": 40, "x2": 10, "t": 10,
}
Q3_LEAVES = {name: Fraction(value) for name, value in Q3_VALUES.items()}

# The whole answer key, in rubric order, as the assignment states it.
EXPECTED_KEY = {
    "q1.standard.weights": 7200, "q1.standard.macs": 1620000,  # 3*3*20*40; 15*15*40 * 3*3*20
    "q1.depthwise.weights": 180, "q1.depthwise.macs": 40500,  # 3*3*20; 15*15*20 * 3*3
    "q1.pointwise.weights": 800, "q1.pointwise.macs": 180000,  # 20*40; 15*15*20*40
    "q1.separable.weights": 980, "q1.separable.macs": 220500,  # sums of the two steps
    "q2.a.padding": 0, "q2.a.stride": 1, "q2.a.filters": 10,  # (20 - 1 + 0)/1 + 1 = 20
    "q2.b.padding": 1, "q2.b.stride": 1, "q2.b.filters": 10,  # (20 - 3 + 2)/1 + 1 = 20
    **{f"q3.forward.{node}": value for node, value in Q3_FORWARD.items()},
    **{
        f"q3.grad.{name}": Q3_GRADIENTS[name]
        for name in ("z", "z1", "z2", "w3_1", "w3_2", "y1", "y2", "w2_11", "w2_21", "w2_12", "w2_22",
                     "w1_11", "w1_21", "w1_12", "w1_22", "x1", "x2")
    },
}

# Each example's (name, status, q1, q2, q3, total), one point per answer, 37 possible (8 + 6 + 23).
# An answer that is right given the student's own earlier (wrong) answers earns its point
# (credit carried forward, the rubric's default): one slip is not punished twice.
EXAMPLES = {
    "broken-upload": ("", "invalid", 0, 0, 0, 0),  # YAML cut off half way
    "s1001": ("Ada Lovelace", "graded", 8, 6, 23, 37),  # all correct, many number formats
    # bias counted in the three step weights (wrong); the separable total 200 + 840 is carried
    "s1002": ("Alan Turing", "graded", 5, 6, 23, 34),
    # FLOPs = 2 x MACs in the three step MACs; the separable total 81,000 + 360,000 is carried
    "s1003": ("Grace Hopper", "graded", 5, 6, 23, 34),
    # 30x30 input instead of 15x15 output in the three step MACs; the separable total is carried
    "s1004": ("Edsger Dijkstra", "graded", 5, 6, 23, 34),
    "s1005": ("Barbara Liskov", "graded", 8, 4, 23, 35),  # stride 2 in both parts of Q2: the only valid stride is 1
    # dL/dz = 2(t - z) = +10: a sign error; the 16 gradients built on it are right given it
    "s1006": ("John McCarthy", "graded", 8, 6, 22, 36),
    # dL/dy1 = 10, the path via z2 left out; w1_11, w1_21, x1 and x2 are right given it
    "s1007": ("Katherine Johnson", "graded", 8, 6, 22, 36),
    "s1008": ("Claude Shannon", "needs review", 7, 3, 0, 10),  # Q2(b), Q3 blank; one unreadable
}
ORDER = sorted(EXAMPLES)


def read_given(parse, given):  # type: ignore[no-untyped-def]
    """Run a problem kind's `parse` over a `given` mapping: (spec or None, [(field, expected), ...])."""
    from grader.base.fields import FieldReader

    reader = FieldReader(given, prefix="given.")
    spec = parse(reader)
    return spec, reader.issues
