"""grader.intake.submission: who handed a file in and what they wrote, keyed by answer path."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.intake.submission import parse_submission, read_submission

KNOWN = ("q1.a", "q1.b", "q2.x.weights", "q2.y.weights")


def parse(document: object, fallback: str = "upload") -> Any:
    return parse_submission(document, "sub.yaml", fallback, KNOWN)


def refusal(document: object) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(document)
    assert caught.value.source == "sub.yaml"
    return caught.value


def nested(depth: int) -> Any:
    node: Any = 1
    for _ in range(depth):
        node = {"a": node}
    return node


@pytest.mark.parametrize(
    "answers",
    [
        {"q1": {"a": 1, "b": "2"}, "q2": {"x": {"weights": 3}, "y": {"weights": None}}},
        {"q1.a": 1, "q1.b": "2", "q2.x.weights": 3, "q2.y.weights": None},
        {"q1": {"a": 1}, "q1.b": "2", "q2.x": {"weights": 3}, "q2": {"y.weights": None}},
    ],
    ids=["nested", "dotted", "mixed"],
)
def test_nested_and_dotted_keys_give_the_same_paths(answers: dict[str, Any]) -> None:
    submission = parse({"student_id": "s1", "name": "Ada", "answers": answers})
    assert dict(submission.answers) == {"q1.a": 1, "q1.b": "2", "q2.x.weights": 3, "q2.y.weights": None}
    assert list(submission.answers) == ["q1.a", "q1.b", "q2.x.weights", "q2.y.weights"]
    assert (submission.source, submission.student_id, submission.name, submission.notes) == ("sub.yaml", "s1", "Ada", ())


def test_a_path_given_twice_keeps_both_values_and_is_noted() -> None:
    submission = parse({"student_id": "s1", "answers": {"q1": {"a": 1, "b": 5}, "q1.a": 2}})
    assert dict(submission.answers) == {"q1.a": [1, 2], "q1.b": 5}
    assert submission.notes == ("q1.a is answered more than once; it is marked unreadable",)


def test_a_path_given_three_times_is_noted_once() -> None:
    document = {"student_id": "s1", "answers": {"q2": {"x.weights": 1, "x": {"weights": 2}}, "q2.x.weights": 3}}
    submission = parse(document)
    assert submission.answers["q2.x.weights"] == [1, 2, 3]
    assert submission.notes == ("q2.x.weights is answered more than once; it is marked unreadable",)


def test_unknown_paths_are_noted_with_a_did_you_mean() -> None:
    submission = parse({"student_id": "s1", "answers": {"q1": {"bb": 1, "a": 2}, "q2.x.wieghts": 3, "zzz": 4}})
    assert dict(submission.answers) == {"q1.bb": 1, "q1.a": 2, "q2.x.wieghts": 3, "zzz": 4}
    assert submission.notes == (
        "q1.bb is not a question of this assignment (did you mean q1.b?); it was not graded",
        "q2.x.wieghts is not a question of this assignment (did you mean q2.x.weights?); it was not graded",
        "zzz is not a question of this assignment; it was not graded",
    )


@pytest.mark.parametrize("student_id", [None, "", "   "])
def test_missing_student_id_falls_back_to_the_file_name_with_a_note(student_id: object) -> None:
    document: dict[str, Any] = {"name": "Ada", "answers": {"q1.a": 1}}
    if student_id is not None:
        document["student_id"] = student_id
    submission = parse(document, fallback="ada-upload")
    assert submission.student_id == "ada-upload"
    assert submission.notes == ("no student_id in the file; the file name 'ada-upload' is used instead",)


def test_read_submission_uses_the_file_stem_as_fallback(tmp_path: Path) -> None:
    path = tmp_path / "late-upload.json"
    path.write_text(json.dumps({"name": "Alan", "answers": {"q1": {"b": 7}}}), encoding="utf-8")
    submission = read_submission(path, KNOWN)
    assert (submission.source, submission.student_id, submission.name) == (str(path), "late-upload", "Alan")
    assert dict(submission.answers) == {"q1.b": 7}
    assert submission.notes == ("no student_id in the file; the file name 'late-upload' is used instead",)


@pytest.mark.parametrize(("raw", "student_id"), [(1001, "1001"), ("  s1001 ", "s1001")])
def test_student_id_is_text(raw: object, student_id: str) -> None:
    assert parse({"student_id": raw, "answers": {}}).student_id == student_id


def test_other_oddities_become_notes() -> None:
    assert parse({"student_id": "s1"}).notes == ("no 'answers' section: every answer is missing",)
    assert parse({"student_id": "s1", "answers": {}, "nmae": "x", "extra": 1}).notes == (
        "fields ignored (expected student_id, name, submitted, submitted_at, answers): extra, nmae",
    )


@pytest.mark.parametrize(
    ("document", "found"),
    [(None, "an empty file"), ([1, 2], "a list"), ("just text", "a str"), (42, "a int")],
)
def test_a_document_that_is_not_a_mapping_is_refused(document: object, found: str) -> None:
    error = refusal(document)
    assert error.place == "top level"
    assert error.expected == f"expected a mapping with student_id, name and answers, found {found}"


@pytest.mark.parametrize(
    ("text", "found"), [(b"", "an empty file"), (b"- 1\n- 2\n", "a list"), (b"hello\n", "a str")]
)
def test_non_mapping_files_are_refused(tmp_path: Path, text: bytes, found: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_bytes(text)
    with pytest.raises(InputError) as caught:
        read_submission(path, KNOWN)
    assert (caught.value.source, caught.value.place) == (str(path), "top level")
    assert caught.value.expected.endswith(f"found {found}")


@pytest.mark.parametrize(
    ("document", "place", "expected"),
    [
        ({"student_id": "s1", "answers": [1, 2]}, "answers", "expected a mapping of answer paths to values"),
        ({"student_id": "s1", "answers": "q1.a = 1"}, "answers", "expected a mapping of answer paths to values"),
        ({"student_id": ["s1"], "answers": {}}, "student_id", "expected text, found a list"),
        ({"student_id": True, "answers": {}}, "student_id", "expected text, found true/false"),
        ({"student_id": "s1", "name": {"first": "A"}, "answers": {}}, "name", "expected text, found a mapping"),
        ({"student_id": "x" * 201, "answers": {}}, "student_id", "longer than 200 characters"),
    ],
)
def test_unusable_identity_or_answers_are_refused(document: object, place: str, expected: str) -> None:
    error = refusal(document)
    assert (error.place, error.expected) == (place, expected)


def test_too_many_answers_are_refused() -> None:
    error = refusal({"student_id": "s1", "answers": {f"k{i}": i for i in range(10_001)}})
    assert (error.place, error.expected) == ("answers", "more than 10,000 entries")


def test_many_answers_below_the_limit_are_read() -> None:
    submission = parse({"student_id": "s1", "answers": {f"k{i}": i for i in range(9_000)}})
    assert len(submission.answers) == 9_000


def test_exactly_ten_thousand_answers_are_not_more_than_ten_thousand() -> None:
    submission = parse({"student_id": "s1", "answers": {f"k{i}": i for i in range(10_000)}})
    assert len(submission.answers) == 10_000


def test_too_deep_nesting_is_refused() -> None:
    error = refusal({"student_id": "s1", "answers": nested(40)})
    assert error.expected == "nested deeper than 16 levels"
    assert error.place.startswith("answers.a.a.a")


def test_moderate_nesting_is_read() -> None:
    submission = parse({"student_id": "s1", "answers": nested(10)})
    assert dict(submission.answers) == {".".join(["a"] * 10): 1}


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["student_id: s1", "answers:", "  l0: &l0 {" + ", ".join(f"k{i}: 1" for i in range(10)) + "}"]
    for level in range(1, 9):
        lines.append(f"  l{level}: &l{level} {{" + ", ".join(f"k{i}: *l{level - 1}" for i in range(10)) + "}")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_submission(path, KNOWN)
    assert caught.value.expected == "more than 10,000 entries"


def test_limits_are_configurable(tmp_path: Path) -> None:
    tight = Limits(max_file_bytes=60, max_answers=2, max_depth=1, max_answer_chars=5)
    with pytest.raises(InputError) as caught:
        parse_submission({"student_id": "s1", "answers": {"q1": {"a": 1}, "q2": 2}}, "sub.yaml", "x", KNOWN, tight)
    assert caught.value.expected == "more than 2 entries"
    with pytest.raises(InputError) as caught:
        parse_submission({"student_id": "s1", "answers": {"q2": {"x": {"weights": 1}}}}, "sub.yaml", "x", KNOWN, tight)
    assert (caught.value.place, caught.value.expected) == ("answers.q2.x", "nested deeper than 1 levels")
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"student_id": "s1", "answers": {"q1.a": "1" * 60}}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_submission(path, KNOWN, Intake(tight))
    assert caught.value.expected == "larger than the limit of 60 bytes"


def test_a_text_answer_past_the_limit_is_cut_and_noted() -> None:
    limits = Limits(max_answer_chars=5)
    submission = parse_submission({"student_id": "s1", "answers": {"q1.a": "123456", "q1.b": "12345"}}, "s.yaml", "x", KNOWN, limits)
    assert dict(submission.answers) == {"q1.a": "12345…", "q1.b": "12345"}
    assert submission.notes == ("q1.a is longer than 5 characters; it is cut and marked unreadable",)


def test_the_default_answer_length_is_a_thousand_characters() -> None:
    submission = parse({"student_id": "s1", "answers": {"q1.a": "x" * 1000, "q1.b": "y" * 1001}})
    assert (len(submission.answers["q1.a"]), submission.answers["q1.b"]) == (1000, "y" * 1000 + "…")


# Properties: any document, any bytes, gives a Submission or an InputError, never anything else.
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from grader.course.file_grading import grade_path  # noqa: E402
from grader.intake.settings import Intake  # noqa: E402
from grader.judging.scoring import grade_submission  # noqa: E402

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates()
KEYS = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["student_id", "name", "answers", *KNOWN])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20)
DOCUMENTS = VALUES | st.fixed_dictionaries({}, optional={"student_id": VALUES, "name": VALUES, "answers": VALUES})
YAML_TEXT = st.text(alphabet="abq12.: -[]{},&*!|>'\"#\n\t\\", max_size=80)


@settings(max_examples=500)
@given(DOCUMENTS)
def test_any_document_is_a_submission_or_an_input_error(homework_key, document: object) -> None:
    try:
        submission = parse(document)
    except InputError as error:
        assert error.source == "sub.yaml" and error.expected
    else:
        assert isinstance(submission.student_id, str) and all(isinstance(path, str) for path in submission.answers)
        assert len(grade_submission(homework_key, submission).verdicts) == len(homework_key.entries)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200) | YAML_TEXT.map(str.encode), st.sampled_from([".yaml", ".json", ".csv", ".xlsx", ".md", ".txt"]))
def test_any_file_is_read_or_refused_with_a_reason(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(data)
    try:
        read_submission(path, KNOWN)
    except InputError as error:
        assert error.source == str(path) and error.expected


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAML_TEXT)
def test_any_file_grades_to_a_result_with_every_answer(tmp_path: Path, homework_key, text: str) -> None:
    path = tmp_path / "upload.yaml"
    path.write_text(text, encoding="utf-8")
    [result] = grade_path(homework_key, path)
    assert len(result.verdicts) == len(homework_key.entries)
    assert result.readable or result.notes
    assert not any("please report this file" in note for note in result.notes)  # no internal error was caught


def test_a_form_export_of_several_rows_is_not_one_submission(tmp_path: Path) -> None:
    path = tmp_path / "class.csv"
    path.write_text("student_id,q1.a\ns1,1\ns2,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_submission(path, KNOWN)
    assert caught.value.expected == "holds 2 submissions, expected one; grade it with `grader grade`"
    path.write_text("student_id,q1.a\ns1,1\n", encoding="utf-8")
    assert read_submission(path, KNOWN).answers == {"q1.a": "1"}
