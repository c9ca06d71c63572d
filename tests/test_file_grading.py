"""grader.course.file_grading: finding a class's files, grading each on its own, flagging what needs a TA."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.course.file_grading import grade_files
from grader.intake.discovery import discover, find_submission_files
from grader.judging.results import Standing, Status
from tests.homework import EXAMPLES, SUBMISSIONS

EXPECTED = EXAMPLES


@pytest.fixture(scope="module")
def key(homework_key):
    return homework_key


@pytest.fixture(scope="module")
def bundled(key):
    return grade_files(key, find_submission_files([SUBMISSIONS]))


def answer_file(folder: Path, name: str, student_id: str, weights: object = 7200) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"student_id": student_id, "name": student_id.upper(),
                                "answers": {"q1.standard.weights": weights}}), encoding="utf-8")
    return path


def test_bundled_folder_is_found_in_name_order() -> None:
    assert [p.name for p in find_submission_files([SUBMISSIONS])] == [
        "ada-lovelace.yaml", "alan-turing.json", "barbara-liskov.yaml", "broken-upload.yaml", "claude-shannon.yaml",
        "edsger-dijkstra.yaml", "grace-hopper.yaml", "john-mccarthy.yaml", "katherine-johnson.yaml",
    ]


def test_discovery_recurses_skips_hidden_and_other_formats_and_keeps_given_files(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.json", "sub/c.yml", "sub/deeper/d.YAML", ".hidden.yaml", ".git/e.yaml",
                 "sub/.cache/f.json", "notes.pdf", "photo.jpg", "g.yaml.bak"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    found = find_submission_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.json", "b.yaml", "sub/c.yml", "sub/deeper/d.YAML"]
    explicit = tmp_path / "notes.pdf"
    again = find_submission_files([tmp_path / "b.yaml", tmp_path, explicit, tmp_path / "b.yaml"])
    assert [p.relative_to(tmp_path).as_posix() for p in again] == [
        "b.yaml", "a.json", "sub/c.yml", "sub/deeper/d.YAML", "notes.pdf",
    ]


def test_discovery_takes_links_to_files_inside_and_lists_every_other_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    answer_file(elsewhere, "outside.json", "s9")
    answer_file(elsewhere / "deep", "deeper.json", "s8")
    root = tmp_path / "class"
    answer_file(root, "own.json", "s1")
    (root / "inside.json").symlink_to(root / "own.json")
    (root / "linked.json").symlink_to(elsewhere / "outside.json")
    (root / "folder-link").symlink_to(elsewhere / "deep", target_is_directory=True)
    (root / "broken.json").symlink_to(tmp_path / "gone.json")
    found = discover([root])
    assert [p.name for p in found.files] == ["inside.json", "own.json"]
    assert [(Path(item.path).name, item.reason) for item in found.not_graded] == [
        ("broken.json", "a symbolic link to nothing (dangling)"),
        ("folder-link", "a symbolic link leading outside the given folder, refused"),
        ("linked.json", "a symbolic link leading outside the given folder, refused"),
    ]


def test_a_hidden_folder_given_by_name_is_searched(tmp_path: Path) -> None:
    answer_file(tmp_path / ".uploads", "x.json", "s1")
    assert [p.name for p in find_submission_files([tmp_path / ".uploads"])] == ["x.json"]


def test_a_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        find_submission_files([tmp_path / "nowhere"])
    assert (caught.value.source, caught.value.expected) == (str(tmp_path / "nowhere"), "no such file or folder")


def test_bundled_class_totals_match_the_hand_derived_ones(bundled) -> None:
    found = {
        r.student_id: (r.name, r.standing.value, *(int(r.problem_score(p)) for p in ("q1", "q2", "q3")), int(r.total))
        for r in bundled.results
    }
    assert found == EXPECTED
    assert [r.student_id for r in bundled.results] == list(EXPECTED)
    assert all(r.possible == 37 for r in bundled.results)
    assert bundled.needs_attention


def test_the_broken_upload_is_invalid_with_its_reason(bundled) -> None:
    broken = bundled.results[0]
    assert (broken.student_id, broken.readable, broken.standing) == ("broken-upload", False, Standing.INVALID)
    assert broken.source.endswith("broken-upload.yaml")
    assert broken.notes[0].startswith("line 7, column 14: not valid YAML")
    assert broken.count(Status.MISSING) == 37


def test_unreadable_answer_puts_shannon_under_review(bundled) -> None:
    shannon = next(r for r in bundled.results if r.student_id == "s1008")
    assert [v.path for v in shannon.verdicts if v.status is Status.UNREADABLE] == ["q1.standard.macs"]
    assert (shannon.count(Status.CORRECT), shannon.count(Status.MISSING)) == (10, 26)


def test_one_broken_file_does_not_stop_the_batch(key, tmp_path: Path) -> None:
    answer_file(tmp_path, "good.json", "s1")
    (tmp_path / "cut.yaml").write_text("student_id: s2\nanswers: {q1: [\n", encoding="utf-8")
    (tmp_path / "binary.json").write_bytes(b"\x00\x01\x02")
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    (tmp_path / "evil.yaml").write_text("!!python/object/apply:os.system ['true']\n", encoding="utf-8")
    (tmp_path / "answers-list.yaml").write_text("student_id: s3\nanswers: [1, 2]\n", encoding="utf-8")
    batch = grade_files(key, find_submission_files([tmp_path]))
    summary = {r.student_id: (r.standing.value, int(r.total)) for r in batch.results}
    assert summary == {
        "answers-list": ("invalid", 0), "binary": ("invalid", 0), "cut": ("invalid", 0),
        "evil": ("invalid", 0), "list": ("invalid", 0), "s1": ("graded", 1),
    }
    reasons = {r.student_id: r.notes[0] for r in batch.results if not r.readable}
    assert reasons["binary"] == "binary data, expected a text file"
    assert reasons["answers-list"] == "answers: expected a mapping of answer paths to values"
    assert reasons["list"].startswith("top level: expected a mapping")
    assert reasons["cut"].startswith("line ") and "not valid YAML" in reasons["cut"]


def test_duplicate_student_ids_are_flagged_on_both(key, tmp_path: Path) -> None:
    first = answer_file(tmp_path, "first.json", "s1")
    second = answer_file(tmp_path, "second.json", "s1", weights=1)
    other = answer_file(tmp_path, "other.json", "s2")
    batch = grade_files(key, [second, other, first])
    assert [(r.student_id, r.source) for r in batch.results] == [("s1", str(first)), ("s1", str(second)), ("s2", str(other))]
    assert batch.results[0].staff_notes == (f"student id 's1' also appears in {second}",)
    assert batch.results[1].staff_notes == (f"student id 's1' also appears in {first}",)
    assert batch.results[2].notes == ()
    assert [r.standing for r in batch.results] == [Standing.REVIEW, Standing.REVIEW, Standing.GRADED]
    assert [int(r.total) for r in batch.results] == [1, 0, 1]


def test_an_invalid_file_does_not_count_as_a_duplicate(key, tmp_path: Path) -> None:
    good = answer_file(tmp_path, "s1.json", "s1")
    (tmp_path / "sub").mkdir()
    broken = tmp_path / "sub" / "s1.yaml"
    broken.write_text("student_id: [\n", encoding="utf-8")
    batch = grade_files(key, [good, broken])
    assert [(r.source, r.standing) for r in batch.results] == [(str(good), Standing.GRADED), (str(broken), Standing.INVALID)]
    assert batch.results[0].notes == ()


def test_a_clean_class_needs_no_attention(key) -> None:
    batch = grade_files(key, [SUBMISSIONS / "ada-lovelace.yaml", SUBMISSIONS / "alan-turing.json"])
    assert [r.standing for r in batch.results] == [Standing.GRADED, Standing.GRADED]
    assert not batch.needs_attention


DEEP_YAML = "[" * 5000 + "1" + "]" * 5000
DEEP_JSON = "[" * 900 + "1" + "]" * 900  # under json's own recursion limit, so it does load


@pytest.mark.parametrize(
    ("name", "text", "standing"),
    [
        ("hostile.yaml", f"student_id: {DEEP_YAML}\nanswers: {{}}\n", Standing.INVALID),
        ("hostile.yaml", f"student_id: s2\nanswers:\n  q1.standard.weights: {DEEP_YAML}\n", Standing.INVALID),
        ("hostile.json", f'{{"student_id": {DEEP_JSON}, "answers": {{}}}}', Standing.INVALID),
        ("hostile.json", f'{{"student_id": "s2", "answers": {{"q1.standard.weights": {DEEP_JSON}}}}}', Standing.REVIEW),
    ],
    ids=["yaml-id", "yaml-answer", "json-id", "json-answer"],
)
def test_a_deeply_nested_value_does_not_stop_the_batch(key, tmp_path: Path, name: str, text: str, standing: Standing) -> None:
    answer_file(tmp_path, "good.json", "s1")
    (tmp_path / name).write_text(text, encoding="utf-8")
    batch = grade_files(key, find_submission_files([tmp_path]))
    by_file = {Path(result.source).name: result for result in batch.results}
    assert set(by_file) == {"good.json", name}
    assert by_file["good.json"].standing is Standing.GRADED
    assert by_file[name].standing is standing
    if standing is Standing.INVALID:
        assert by_file[name].notes[0].startswith(("not valid YAML: nested deeper than 100 levels", "student_id: expected text, found a list"))
    else:
        weights = by_file[name].verdicts[0]
        assert (weights.status.value, weights.raw_text) == ("unreadable", "[…]")


def test_several_workers_give_the_same_batch(key, tmp_path: Path) -> None:
    for index in range(450):  # three chunks, each with its own memo
        answer_file(tmp_path, f"s{index:03d}.json", f"s{index % 400:03d}", weights=7200 if index % 3 else "7,2OO")
    files = find_submission_files([tmp_path, SUBMISSIONS])
    progress: list[int] = []
    assert grade_files(key, files, workers=2, progress=progress.append) == grade_files(key, files)
    assert sum(progress) == len(files) == 459


def test_a_form_export_is_graded_a_row_a_student_beside_single_files(key, tmp_path: Path) -> None:
    answer_file(tmp_path, "single.json", "s9")
    (tmp_path / "class.csv").write_text(
        "student_id,name,q1.standard.weights,q1.standard.macs\n"
        "s1,Ada,\"7,200\",1620000\n"  # both right
        ",Nobody,7200,\n"  # no id: the row names itself
        "s2,\"=cmd|' /C calc'!A0\",7201,about 1.6M\n"  # one wrong, one unreadable
        "s1,Ada again,7200,1\n",  # the same student twice
        encoding="utf-8")
    (tmp_path / "broken.csv").write_bytes(b"\x00\x01")
    batch = grade_files(key, find_submission_files([tmp_path]))
    found = {(r.student_id, Path(r.source).name): (r.standing.value, int(r.total)) for r in batch.results}
    csv_name = "class.csv"
    assert found == {
        ("broken", "broken.csv"): ("invalid", 0),
        ("class-row3", f"{csv_name}, row 3"): ("needs review", 1),
        ("s1", f"{csv_name}, row 2"): ("needs review", 2),
        ("s1", f"{csv_name}, row 5"): ("needs review", 1),
        ("s2", f"{csv_name}, row 4"): ("needs review", 0),
        ("s9", "single.json"): ("graded", 1),
    }
    s1 = next(r for r in batch.results if r.source.endswith("row 2"))
    assert s1.staff_notes == (f"student id 's1' also appears in {tmp_path / csv_name}, row 5",)
