"""grader.intake.formats: the registry of submission formats, each file read into its submissions."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.base.errors import InputError
from grader.base.limits import Limits
from grader.intake.formats import READERS, is_submission_format, read_documents
from grader.intake.settings import Intake


def test_the_registry_knows_structured_files_and_form_exports() -> None:
    assert sorted(READERS) == [".csv", ".ipynb", ".json", ".md", ".txt", ".xlsx", ".yaml", ".yml"]
    assert [is_submission_format(Path(n)) for n in ("a.CSV", "b.xlsx", "c.yml", "d.md", "e.xls", "f.pdf")] == [True, True, True, True, False, False]


def test_a_structured_file_is_one_document(tmp_path: Path) -> None:
    path = tmp_path / "ada.yaml"
    path.write_text("student_id: s1\n", encoding="utf-8")
    [document] = read_documents(path)
    assert (document.source, document.fallback_id, document.data) == (str(path), "ada", {"student_id": "s1"})


def test_a_form_export_is_a_document_per_row(tmp_path: Path) -> None:
    path = tmp_path / "class.csv"
    path.write_text("student_id,q1.a\ns1,1\ns2,2\n", encoding="utf-8")
    assert [d.data["student_id"] for d in read_documents(path)] == ["s1", "s2"]


def test_form_exports_have_their_own_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "class.csv"
    path.write_text("student_id,q1.a\n" + "s1,1\n" * 40, encoding="utf-8")
    intake = Intake(Limits(max_file_bytes=10, max_form_bytes=100))
    with pytest.raises(InputError) as caught:
        read_documents(path, intake)
    assert caught.value.expected == "larger than the limit of 100 bytes"
    (tmp_path / "small.csv").write_text("student_id\ns1\n", encoding="utf-8")
    assert len(read_documents(tmp_path / "small.csv", intake)) == 1  # over max_file_bytes, under max_form_bytes


def test_an_unknown_format_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "answers.xls"
    path.write_bytes(b"x")
    with pytest.raises(InputError) as caught:
        read_documents(path)
    assert caught.value.expected == "unknown file type '.xls', expected one of .csv, .ipynb, .json, .md, .txt, .xlsx, .yaml, .yml"
