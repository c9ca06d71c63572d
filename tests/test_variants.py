"""grader.rubric.variants and per-student rubrics: reproducible, different between students, always valid."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from grader.base.errors import RubricError
from grader.intake.submission import Submission
from grader.judging.scoring import grade_submission
from grader.rubric.answer_key import answer_key_for, build_answer_key
from grader.rubric.model import for_student, load_rubric, parse_rubric
from grader.rubric.variants import draw, draw_issues, has_draws, is_draw, rng_for
from tests.homework import ROOT

EXAMPLE = ROOT / "rubrics" / "example-variants.yaml"


def conv_rubric(channels: object, filters: object = 8) -> dict:
    return {
        "assignment": "hw-var",
        "problems": [{"id": "q1", "kind": "convolution", "text": "Input {input}, {filters} filters.",
                      "given": {"input": [8, 8, channels], "kernel": 3, "padding": 1, "filters": filters}}],
    }


def test_draw_shapes_are_recognised() -> None:
    assert is_draw({"between": [1, 4]}) and is_draw({"one_of": [1, 2]}) and is_draw({"between": [0, 1], "step": 0.25})
    assert not is_draw({"between": [1, 4], "one_of": [1]}) and not is_draw({"range": [1, 2]}) and not is_draw(3)
    assert has_draws({"values": {"x": {"between": [1, 2]}}}) and has_draws([1, [2, {"one_of": [3]}]])
    assert not has_draws({"values": {"x": 1}, "nodes": ["a"]})


@pytest.mark.parametrize(
    ("node", "field"),
    [
        ({"between": [5, 1]}, "given.x.between"),
        ({"between": [1, 5], "step": 0}, "given.x.between"),
        ({"between": "1..5"}, "given.x.between"),
        ({"one_of": []}, "given.x.one_of"),
        ({"one_of": [[1, 2]]}, "given.x.one_of"),
        ({"between": [0, 10**9]}, "given.x.between"),  # a billion choices
    ],
)
def test_malformed_draws_are_located(node: dict, field: str) -> None:
    assert [issue[0] for issue in draw_issues({"x": node}, "given")] == [field]


def test_draws_are_reproducible_and_stay_in_range() -> None:
    template = {"a": {"between": [0, 1], "step": 0.25}, "b": [{"one_of": [3, 5]}, 7], "c": {"between": [-3, 3]}}
    first = draw(template, rng_for("hw", "s1", "q1", 0))
    assert first == draw(template, rng_for("hw", "s1", "q1", 0))
    seen = [draw(template, rng_for("hw", f"s{i}", "q1", 0)) for i in range(200)]
    assert {v["a"] for v in seen} == {0, "0.25", "0.5", "0.75", 1}  # exact text for fractions, ints when whole
    assert {v["b"][0] for v in seen} == {3, 5} and all(v["b"][1] == 7 for v in seen)
    assert {v["c"] for v in seen} == set(range(-3, 4))


def test_students_get_their_own_numbers_every_time() -> None:
    rubric = parse_rubric(conv_rubric({"between": [1, 64]}, {"between": [1, 64]}), "r.yaml")
    assert rubric.varies
    given = [for_student(rubric, f"s{i}").problems[0].parts[0].given for i in range(20)]
    assert len({(g["input"][2], g["filters"]) for g in given}) > 10  # 4,096 combinations: 20 students differ
    assert for_student(rubric, "s3").problems[0].parts[0].given == given[3]  # a rerun sees the same numbers


def test_a_draw_that_breaks_the_problem_is_never_produced() -> None:
    # groups 4 needs channels and filters divisible by 4: most draws of 1..16 break it
    document = conv_rubric({"between": [1, 16]}, {"between": [1, 16]})
    document["problems"][0]["given"]["groups"] = 4
    rubric = parse_rubric(document, "r.yaml")
    for index in range(50):
        given = for_student(rubric, f"s{index}").problems[0].parts[0].given
        assert given["input"][2] % 4 == 0 and given["filters"] % 4 == 0


def test_a_problem_no_draw_can_satisfy_is_refused() -> None:
    document = conv_rubric({"one_of": [3, 5, 7]}, 8)
    document["problems"][0]["given"]["groups"] = 2  # 3, 5 and 7 channels never split into 2 groups
    with pytest.raises(RubricError, match="no draw in 100 attempts gives a valid problem"):
        parse_rubric(document, "r.yaml")


def test_each_student_is_graded_against_their_own_variant() -> None:
    key = build_answer_key(parse_rubric(conv_rubric({"between": [1, 64]}, {"between": [1, 64]}), "r.yaml"))
    mine = for_student(key.rubric, "ada").problems[0].parts[0].given
    channels, filters = mine["input"][2], mine["filters"]
    answers = {  # written out independently: 8x8 output with padding 1, 3x3 kernels
        "q1.output.height": 8, "q1.output.width": 8, "q1.output.channels": filters,
        "q1.weights": 9 * channels * filters, "q1.parameters": 9 * channels * filters,
        "q1.macs": 64 * 9 * channels * filters, "q1.activations": 64 * filters,
    }
    own = grade_submission(answer_key_for(key, "ada"), Submission("a.yaml", "ada", "", answers))
    assert own.total == own.possible == 7
    others = [answer_key_for(key, f"other{i}") for i in range(5)]
    assert any(grade_submission(k, Submission("a.yaml", "x", "", answers)).total < 7 for k in others)


def test_text_placeholders_must_name_given_values() -> None:
    document = conv_rubric(4)
    document["problems"][0]["text"] = "Input {input}, {stride} stride."
    with pytest.raises(RubricError, match=r"field 'text': \{stride\} names no given value"):
        parse_rubric(document, "r.yaml")


def test_the_bundled_example_is_valid_and_varies() -> None:
    rubric = load_rubric(EXAMPLE)
    assert rubric.varies
    keys = {tuple(e.value for e in answer_key_for(build_answer_key(rubric), f"s{i}").entries) for i in range(10)}
    assert len(keys) > 5
    ratio = next(e for e in build_answer_key(for_student(rubric, "s1")).entries if e.path == "q1.ratio")
    assert isinstance(ratio.value, Fraction) and ratio.tolerance.relative == Fraction(1, 100)


def test_variant_free_rubrics_are_returned_unchanged(homework_key) -> None:
    assert for_student(homework_key.rubric, "anyone") is homework_key.rubric
    assert answer_key_for(homework_key, "anyone") is homework_key


def test_paths_do_not_depend_on_the_student() -> None:
    rubric = load_rubric(Path(EXAMPLE))
    paths = {tuple(e.path for e in build_answer_key(for_student(rubric, f"s{i}")).entries) for i in range(10)}
    assert len(paths) == 1
