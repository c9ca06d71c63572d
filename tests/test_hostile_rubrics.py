"""Rubrics cannot hang or crash grader: each hostile one is refused with a message naming the
field, exit 2, no traceback; very large honest ones are valid (issue 13). How fast: see
benchmarks/hostile_rubric_bench.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader import cli
from tests.hostile_rubrics import HOSTILE, layer_table, long_graph


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_rubric_is_refused_with_a_clear_message(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, words = HOSTILE[case]
    rubric = tmp_path / "hostile.yaml"
    rubric.write_text(text, encoding="utf-8")
    assert cli.main(["validate", str(rubric)]) == 2
    captured = capsys.readouterr()
    assert words in captured.err, captured.err
    assert captured.err.startswith("grader: ") and str(rubric) in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize(("text", "answers"), [(layer_table(1_000), 5_002), (long_graph(800), 800)], ids=["1000-layer table", "800-node graph"])
def test_a_very_large_honest_rubric_is_valid(text: str, answers: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rubric = tmp_path / "large.yaml"
    rubric.write_text(text, encoding="utf-8")
    assert cli.main(["validate", str(rubric)]) == 0
    assert f"valid (1 problems, {answers} answers)" in capsys.readouterr().out


def test_the_exact_bound_leaves_room_for_every_honest_value() -> None:
    """A value just under the bound is computed exactly; one power more is refused."""
    from fractions import Fraction

    from grader.base.errors import ExpressionError
    from grader.base.expressions import MAX_EXACT_BITS, evaluate, parse_expression

    assert evaluate(parse_expression("2^64 * 2^64"), {}) == Fraction(2) ** 128
    big = {"x": Fraction(2) ** (MAX_EXACT_BITS - 64)}
    assert evaluate(parse_expression("x * 2^63"), big) == Fraction(2) ** (MAX_EXACT_BITS - 1)
    with pytest.raises(ExpressionError, match="grows past"):
        evaluate(parse_expression("x * 2^64 * 2"), big)
