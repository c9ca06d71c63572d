"""grader.intake.notebook and the notebook template: homework handed in as a Jupyter notebook is read
without running it. Notebooks are built and validated with nbformat, Jupyter's own library."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.course.class_grading import grade_class
from grader.intake.notebook import read_notebook
from grader.intake.settings import Intake
from grader.judging.results import Status
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import load_rubric
from tests.homework import EXPECTED_KEY, RUBRIC
from tests.test_cli import run

nbformat = pytest.importorskip("nbformat")
v4 = nbformat.v4


def notebook_bytes(*cells: object) -> bytes:
    notebook = v4.new_notebook(cells=list(cells))
    nbformat.validate(notebook)
    return nbformat.writes(notebook).encode("utf-8")


def tagged(source: str, kind: str = "code") -> object:
    make = v4.new_code_cell if kind == "code" else v4.new_markdown_cell
    return make(source, metadata={"tags": ["answers"]})


def read(data: bytes) -> dict[str, object]:
    [document] = read_notebook(data, Path("hw.ipynb"), Intake())
    return document.data  # type: ignore[no-any-return]


def test_the_template_is_a_valid_notebook_and_filled_in_scores_full_marks(tmp_path: Path) -> None:
    blank = tmp_path / "blank.ipynb"
    assert run("template", str(RUBRIC), "--format", "ipynb", "--out", str(blank)).returncode == 0
    notebook = nbformat.read(blank, as_version=4)
    nbformat.validate(notebook)  # Jupyter's schema, not grader's idea of it
    [cell] = [c for c in notebook.cells if "answers" in c.metadata.get("tags", [])]
    filled = cell.source.replace('student_id = ""', 'student_id = "t1"')
    for path, value in EXPECTED_KEY.items():
        filled = filled.replace(f'"{path}": None,', f'"{path}": {value},')
    assert "None" not in filled
    cell.source = filled
    notebook.cells.append(v4.new_code_cell("weights = 1  # the student's own scratch work after the answers"))
    handed_in = tmp_path / "t1.ipynb"
    nbformat.write(notebook, handed_in)
    checked = run("check", str(RUBRIC), str(handed_in))
    assert checked.returncode == 0, checked.stderr
    assert "Score: 37 / 37 (37 correct)" in checked.stdout


def test_values_are_read_as_typed_and_never_run() -> None:
    data = notebook_bytes(
        v4.new_code_cell("%matplotlib inline\nimport numpy as np\nweights = 3 * 3 * 20 * 40\n!pip install torch"),
        v4.new_markdown_cell("My answers are below."),
        tagged('%%time\nstudent_id = 1001\nname: str = "Ada"\n'
               'answers = {"q1.standard.weights": weights, "q1.standard.macs": 1.62e6,\n'
               '           "q1.depthwise": {"weights": 3*3*20, "macs": "40,500"}, "q3.forward.z": -3, "q3.forward.L": None}'),
    )
    assert read(data) == {
        "student_id": "1001", "name": "Ada",
        "answers": {"q1.standard.weights": "weights", "q1.standard.macs": "1.62e6",
                    "q1.depthwise": {"weights": "3*3*20", "macs": "40,500"}, "q3.forward.z": "-3", "q3.forward.L": None},
    }


def test_a_computed_value_is_unreadable_and_the_rest_graded(tmp_path: Path) -> None:
    path = tmp_path / "s1.ipynb"
    path.write_bytes(notebook_bytes(tagged('student_id = "s1"\nanswers = {"q1.standard.weights": weights, "q1.standard.macs": 1.62e6}')))
    [result] = grade_class(build_answer_key(load_rubric(RUBRIC)), [path]).results
    verdicts = {v.path: v.status for v in result.verdicts}
    assert verdicts["q1.standard.weights"] is Status.UNREADABLE
    assert verdicts["q1.standard.macs"] is Status.CORRECT
    assert result.source == str(path)


def test_without_a_tag_every_code_cell_is_read_and_the_last_assignment_counts() -> None:
    data = notebook_bytes(
        v4.new_code_cell('answers = {"q1.a": 1}\nstudent_id = "s1"'),
        v4.new_code_cell("this is not python ("),  # untagged: passed over
        v4.new_code_cell("answers = compute_answers()"),  # untagged and not a dict: scratch work
        v4.new_code_cell('answers = {"q1.a": 2, "q1.b": 3}'),
    )
    assert read(data) == {"student_id": "s1", "answers": {"q1.a": "2", "q1.b": "3"}}


def test_with_a_tag_only_the_tagged_cells_count() -> None:
    data = notebook_bytes(v4.new_code_cell('answers = {"q1.a": 1}'), tagged('answers = {"q1.b": 2}'))
    assert read(data) == {"answers": {"q1.b": "2"}}


def test_a_tagged_markdown_cell_is_read_as_a_typed_sheet() -> None:
    data = notebook_bytes(tagged("student_id: s2\n\n- **q1.a**: 7,200\n| q1.b | −3 |", kind="markdown"))
    assert read(data) == {"student_id": "s2", "answers": {"q1.a": "7,200", "q1.b": "−3"}}


@pytest.mark.parametrize(("cells", "place", "expected"), [
    ([tagged('answers = {"q1.a": 1')], "cell 1, line 1", "the answers cell is not valid Python"),
    ([v4.new_markdown_cell("x"), tagged("answers = [1, 2]")], "cell 2, line 1", "expected answers = {...}, a dict of answer path → value"),
    ([tagged("answers = {q1: 1}")], "cell 1, line 1", 'expected each key of answers to be an answer path in quotes, such as "q1.a"'),
    ([v4.new_code_cell("x = 1")], "", "no answers found: expected a cell tagged 'answers' holding answers = {...} "
                                       "(`grader template --format ipynb` writes one)"),
])
def test_unreadable_notebooks_are_refused_with_the_place(cells: list[object], place: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read(notebook_bytes(*cells))
    assert (caught.value.source, caught.value.place, caught.value.expected) == ("hw.ipynb", place, expected)


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"cells": 3}', "not a Jupyter notebook: expected a JSON object with a list of 'cells'"),
    (json.dumps({"cells": [{"cell_type": "code", "source": 7}]}).encode(), "expected the cell's source as text or a list of lines"),
])
def test_a_file_that_is_not_a_notebook_is_refused(data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read(data)
    assert caught.value.expected == expected


def test_code_in_a_value_stays_text_and_deep_nesting_is_refused_cleanly(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    data = notebook_bytes(tagged(f'answers = {{"q1.a": open({str(marker)!r}, "w").write("x")}}'))
    assert read(data) == {"answers": {"q1.a": f'open({str(marker)!r}, "w").write("x")'}}
    assert not marker.exists()
    with pytest.raises(InputError) as caught:
        read(notebook_bytes(tagged('answers = {"q1.a": ' + "[" * 5000 + "]" * 5000 + "}")))
    assert caught.value.expected == "the answers cell is not valid Python"
