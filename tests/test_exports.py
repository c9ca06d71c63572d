"""grader.exports: every output of the bundled class rendered, read back, and rendered again identically."""
from __future__ import annotations

import copy
import dataclasses
import datetime
import io
import json
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from grader.base.documents import read_document
from grader.course.file_grading import grade_files
from grader.exports import EXPORTERS
from grader.exports.exporter import content_bytes
from grader.intake.discovery import find_submission_files
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import parse_rubric
from tests.homework import EXAMPLES, ORDER, RUBRIC, SUBMISSIONS

TOTALS = {student: total for student, (*_, total) in EXAMPLES.items()}
STATUS = {student: status for student, (_, status, *_) in EXAMPLES.items()}
HOSTILE_NAME = "<script>alert(1)</script>"


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def parse_html(data: bytes) -> Page:
    page = Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page


def render_all(batch) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for exporter in EXPORTERS:
        for relative, content in exporter.render(batch):
            assert relative not in files
            files[relative] = content_bytes(content)
    return files


def numbers_in(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", text))


@pytest.fixture(scope="module")
def key(homework_key):
    return homework_key


@pytest.fixture(scope="module")
def outputs(key) -> dict[str, bytes]:
    return render_all(grade_files(key, find_submission_files([SUBMISSIONS])))


def hostile_batch(key, tmp_path: Path, **fields: object):
    path = tmp_path / "hostile.json"
    document = {"student_id": "s9", "name": HOSTILE_NAME, "answers": {"q1.standard.weights": 7200}} | fields
    path.write_text(json.dumps(document), encoding="utf-8")
    return grade_files(key, [path])


def test_every_output_is_rendered(outputs) -> None:
    lms = ["lms/sml-hw4-not-uploaded.csv", *(f"lms/sml-hw4-{name}.csv" for name in ("blackboard", "brightspace", "canvas", "moodle", "sakai"))]
    reports = [f"students/{sid}.{ext}" for sid in ORDER for ext in ("html", "md")]
    assert sorted(outputs) == sorted(["grades.csv", "gradebook.xlsx", "not-graded.csv", "summary.html", "shared-answers.csv", *lms, *reports])
    assert all(outputs.values())


def test_workbook_reads_back(outputs) -> None:
    book = openpyxl.load_workbook(io.BytesIO(outputs["gradebook.xlsx"]))
    assert book.sheetnames == ["Grades", "Answers", "Statistics", "Not graded"]
    rows = list(book["Grades"].iter_rows(values_only=True))
    headers = rows[0]
    assert len(headers) == 46 and headers[:3] == ("student_id", "name", "status") and headers[-4:] == ("q1", "q2", "q3", "total")
    assert rows[1][:5] == ("Points possible", None, None, None, None)
    assert rows[1][-4:] == (8, 6, 23, 37)
    assert [row[0] for row in rows[2:]] == ORDER
    found = {row[0]: (row[2], row[-1]) for row in rows[2:]}
    assert found == {sid: (STATUS[sid], TOTALS[sid]) for sid in ORDER}
    johnson = next(row for row in rows if row[0] == "s1007")
    assert (johnson[1], johnson[-4:]) == ("Katherine Johnson", (8, 6, 22, 36))


def test_workbook_numbers_stay_numbers(outputs) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(outputs["gradebook.xlsx"]))["Grades"]
    for row in sheet.iter_rows(min_row=2, min_col=6):
        for cell in row:
            assert cell.data_type == "n" and isinstance(cell.value, int) and not isinstance(cell.value, bool), cell.coordinate
    assert sheet.freeze_panes == "C3"


@pytest.mark.parametrize(
    ("student_id", "name", "shown_id", "shown_name"),
    [
        ("s9", "=cmd|' /C calc'!A0", "s9", "'=cmd|' /C calc'!A0"),
        ("=1+1", "@SUM(A1)", "'=1+1", "'@SUM(A1)"),
        ("s9", "+1", "s9", "'+1"),
        ("s9", "-1", "s9", "'-1"),
    ],
)
def test_workbook_neutralises_formula_payloads(key, tmp_path: Path, student_id: str, name: str, shown_id: str, shown_name: str) -> None:
    batch = hostile_batch(key, tmp_path, student_id=student_id, name=name)
    data = dict(render_all(batch))["gradebook.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Grades"]
    id_cell, name_cell = sheet["A3"], sheet["B3"]
    assert (id_cell.value, name_cell.value) == (shown_id, shown_name)
    assert id_cell.data_type == "s" and name_cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_reports_show_each_students_score(outputs) -> None:
    for sid in ORDER:
        page = parse_html(outputs[f"students/{sid}.html"])
        assert f"Score: {TOTALS[sid]} / 37" in page.text, sid
        assert f"status: {STATUS[sid]}" in page.text, sid
        assert "script" not in page.tags
    johnson = parse_html(outputs["students/s1007.html"]).text
    assert "Katherine Johnson" in johnson and "(22 / 23)" in johnson
    broken = parse_html(outputs["students/broken-upload.html"]).text
    assert "line 7, column 14: not valid YAML" in broken


def test_a_hostile_name_is_escaped_in_the_report(key, tmp_path: Path) -> None:
    batch = hostile_batch(key, tmp_path, student_id="<b>s9</b>", answers={"q1.standard.weights": "<img src=x onerror=alert(1)>"})
    files = render_all(batch)
    assert "students/b_s9_b.html" in files
    data = files["students/b_s9_b.html"]
    page = parse_html(data)
    assert not {"script", "b", "img"} & set(page.tags)
    assert HOSTILE_NAME in page.text and "<b>s9</b>" in page.text and "<img src=x onerror=alert(1)>" in page.text
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in data


def test_reports_do_not_reveal_reference_values(outputs) -> None:
    turing = parse_html(outputs["students/s1002.html"])
    assert "Expected" not in turing.text
    numbers = numbers_in(turing.text)
    assert {"7240", "200", "840", "1040"} <= numbers  # what he wrote is shown
    assert not {"7200", "180", "800", "980"} & numbers  # the weights he got wrong are not
    shannon = numbers_in(parse_html(outputs["students/s1008.html"]).text)
    assert "1620000" not in shannon  # his unreadable answer's reference
    broken = numbers_in(parse_html(outputs["students/broken-upload.html"]).text)
    assert not {"7200", "1620000", "220500", "180000"} & broken


def test_reports_reveal_reference_values_when_the_rubric_says_always(key) -> None:
    document = copy.deepcopy(read_document(RUBRIC))
    document["reveal"] = "always"
    revealing = build_answer_key(parse_rubric(document, str(RUBRIC)))
    batch = grade_files(revealing, [SUBMISSIONS / "alan-turing.json"])
    assert revealing.rubric.reveal.allows(datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
    files = render_all(dataclasses.replace(batch, reveal=True))
    page = parse_html(files["students/s1002.html"])
    assert "Expected" in page.text
    assert {"7200", "180", "800", "980"} <= numbers_in(page.text)


def test_rendering_twice_gives_identical_bytes(key, outputs) -> None:
    time.sleep(1.1)  # a timestamp taken at render time would now differ
    again = render_all(grade_files(key, find_submission_files([SUBMISSIONS])))
    assert sorted(again) == sorted(outputs)
    for relative in outputs:
        assert again[relative] == outputs[relative], relative


def test_workbook_carries_fixed_timestamps(outputs) -> None:
    with zipfile.ZipFile(io.BytesIO(outputs["gradebook.xlsx"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "2000-01-01T00:00:00Z" in core


def test_a_control_character_in_a_name_does_not_crash_the_workbook(key, tmp_path: Path) -> None:
    batch = hostile_batch(key, tmp_path, name="Bob\u0007")
    data = render_all(batch)["gradebook.xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Grades"]
    assert sheet["A3"].value == "s9" and sheet["B3"].value == "Bob\ufffd"


