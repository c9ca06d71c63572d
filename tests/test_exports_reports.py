"""Student reports, HTML and Markdown: scores, adjustments with their reasons, escaping, no leaked answers."""
from __future__ import annotations

import dataclasses
import datetime
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from grader.course.class_grading import grade_class
from grader.course.class_inputs import ClassInputs
from grader.course.class_results import BatchResult
from grader.exports import student_markdown, student_reports
from grader.exports.exporter import content_bytes
from grader.intake.discovery import find_submission_files
from grader.intake.roster import Person
from grader.judging.results import LatePenalty, Override
from tests.homework import EXAMPLES, ORDER, SUBMISSIONS
from tests.test_exports import numbers_in, parse_html

DUE = datetime.datetime(2026, 3, 1, 23, 59, tzinfo=datetime.timezone.utc)


def rendered(module, batch) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    return {name: content_bytes(content) for name, content in module.render(batch)}


@pytest.fixture(scope="module")
def batch(homework_key) -> BatchResult:
    return grade_class(homework_key, find_submission_files([SUBMISSIONS]))


@pytest.fixture(scope="module")
def adjusted(homework_key) -> BatchResult:
    """Turing (34 of 37, q1 5 of 8) with q1 set to 8 (→ 37) and a 10% late penalty (−3.7 → 33.3)."""
    [turing] = grade_class(homework_key, [SUBMISSIONS / "alan-turing.json"]).results
    late = LatePenalty(DUE + datetime.timedelta(hours=5), datetime.timedelta(hours=5), Fraction(1, 10), "1 day late at 10% a day")
    override = Override("s1002", "q1", "bias is accepted this year", points=Fraction(8))
    return BatchResult(homework_key, (dataclasses.replace(turing, overrides=(override,), late=late),))


def test_markdown_reports_for_every_student_with_their_score(batch) -> None:
    files = rendered(student_markdown, batch)
    assert sorted(files) == sorted(f"students/{sid}.md" for sid in ORDER)
    for sid, (*_, total) in EXAMPLES.items():
        assert f"**Score: {total} / 37**" in files[f"students/{sid}.md"].decode("utf-8"), sid


def test_markdown_does_not_reveal_reference_values(batch) -> None:
    turing = rendered(student_markdown, batch)["students/s1002.md"].decode("utf-8")
    assert "Expected" not in turing
    assert "| q1.standard.weights | 7240 | 7240 | incorrect | 0 / 1 | **bias counted**: This layer has no bias: count the kernel weights only. |" in turing
    assert not {"7200", "180", "800", "980"} & numbers_in(turing)


def test_markdown_escapes_what_a_student_wrote(homework_key, tmp_path: Path) -> None:
    path = tmp_path / "evil.json"
    answer = "<img src=x onerror=alert(1)> | *bold* [link](http://x)\n# heading"
    path.write_text(json.dumps({"student_id": "s9", "name": "<script>x</script>", "answers": {"q1.standard.weights": answer}}), encoding="utf-8")
    text = rendered(student_markdown, grade_class(homework_key, [path]))["students/s9.md"].decode("utf-8")
    assert "<" not in text and "&lt;script&gt;x&lt;/script&gt;" in text
    row = next(line for line in text.splitlines() if line.startswith("| q1.standard.weights"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # the table keeps its six columns
    assert "\\*bold\\* \\[link\\](http://x) \\# heading" in row


@pytest.mark.parametrize("module", [student_reports, student_markdown])
def test_overrides_and_late_penalty_are_shown_with_their_reasons(adjusted, module) -> None:
    [(name, data)] = rendered(module, adjusted).items()
    text = re.sub(r"\s+", " ", parse_html(data).text if name.endswith(".html") else data.decode("utf-8"))
    text = re.sub(r" ([:.])", r"\1", text)  # the HTML parser joins text around tags with spaces
    assert "Score: 33.3 / 37" in text
    assert "Points from your answers: 34 / 37" in text
    assert "q1: set to 8. bias is accepted this year" in text
    assert "Late penalty: −3.7 (10%). Submitted 2026-03-02T04:59:00+00:00. 1 day late at 10% a day" in text


@pytest.mark.parametrize("module", [student_reports, student_markdown])
def test_no_adjustment_section_without_adjustments(batch, module) -> None:
    text = rendered(module, batch)[f"students/s1002.{'html' if module is student_reports else 'md'}"].decode("utf-8")
    assert "Points from your answers" not in text and "Late penalty" not in text


@pytest.mark.parametrize("module", [student_reports, student_markdown])
def test_a_missing_student_gets_a_report_saying_so(homework_key, module) -> None:
    batch = grade_class(homework_key, [SUBMISSIONS / "ada-lovelace.yaml"], ClassInputs(roster=(Person("s1001", "Ada"), Person("s7", "Bo Li"))))
    files = rendered(module, batch)
    text = files[f"students/s7.{'html' if module is student_reports else 'md'}"].decode("utf-8")
    assert "No submission was received for" in text and "status: missing" in text and "Graded from" not in text


def test_a_variant_report_shows_the_students_own_numbers(tmp_path: Path) -> None:
    from grader.rubric.answer_key import build_answer_key
    from grader.rubric.model import for_student, load_rubric
    from tests.homework import ROOT

    key = build_answer_key(load_rubric(ROOT / "rubrics" / "example-variants.yaml"))
    path = tmp_path / "s7.yaml"
    path.write_text("student_id: s7\nanswers: {}\n", encoding="utf-8")
    given = for_student(key.rubric, "s7").problems[1].parts[0].given["values"]
    html = rendered(student_reports, grade_class(key, [path]))["students/s7.html"].decode("utf-8")
    assert "{values.x}" not in html
    assert f"x = {str(given['x']).replace('-', '−')}, w = {str(given['w']).replace('-', '−')}" in html


@pytest.mark.parametrize("module", [student_reports, student_markdown])
def test_rows_shared_between_reports_show_each_answer_as_typed(homework_key, tmp_path: Path, module) -> None:
    """`25` and `25.0` give equal verdicts; each report still shows what its student wrote."""
    for sid, loss in (("a1", "25"), ("a2", "25.0"), ("a3", "[25, 25.0]")):
        (tmp_path / f"{sid}.yaml").write_text(f"student_id: {sid}\nanswers:\n  q3:\n    forward:\n      L: {loss}\n", encoding="utf-8")
    batch = grade_class(homework_key, find_submission_files([tmp_path]))
    suffix = ".html" if module is student_reports else ".md"
    files = {name: body.decode("utf-8") for name, body in rendered(module, batch).items()}
    cell = "<code>{}</code>" if module is student_reports else "| {} |"
    assert cell.format("25") in files[f"students/a1{suffix}"]
    assert cell.format("25.0") in files[f"students/a2{suffix}"]
    assert cell.format("25 | 25.0") in files[f"students/a3{suffix}"] or "25 \\| 25.0" in files[f"students/a3{suffix}"]


@pytest.mark.parametrize("module", [student_reports, student_markdown])
def test_every_report_shows_what_was_read_beside_what_was_typed(homework_key, tmp_path: Path, module) -> None:
    (tmp_path / "b1.yaml").write_text("student_id: b1\nanswers:\n  q1:\n    standard: {weights: 7.2k}\n", encoding="utf-8")
    batch = grade_class(homework_key, find_submission_files([tmp_path]))
    suffix = ".html" if module is student_reports else ".md"
    report = rendered(module, batch)[f"students/b1{suffix}"].decode("utf-8")
    assert "7.2k" in report and "read as 7200 (&#39;k&#39; read as ×1,000)" in report if suffix == ".html" else "read as 7200 ('k' read as ×1,000)" in report
