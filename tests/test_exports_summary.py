"""summary.html read back with an HTML parser: the class figures, the inline chart, escaping."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from grader.course.class_grading import grade_class
from grader.exports import class_summary, shared_answers_csv
from grader.intake.discovery import find_submission_files
from tests.homework import EXPECTED_KEY, SUBMISSIONS
from tests.test_exports import parse_html


def page_data(batch) -> bytes:  # type: ignore[no-untyped-def]
    [(name, data)] = list(class_summary.render(batch))
    assert name == "summary.html"
    return data


@pytest.fixture(scope="module")
def data(homework_key) -> bytes:
    return page_data(grade_class(homework_key, find_submission_files([SUBMISSIONS])))


def test_the_class_figures(data) -> None:
    text = re.sub(r"\s+", " ", parse_html(data).text)
    assert "7 graded, 1 needs review, 1 invalid" in text  # s1008 needs review, broken-upload is invalid; and "the 8 submissions that could be read" in text
    # scores 37 34 34 34 35 36 36 10 (credit carried forward): mean 256/8, median (34 + 35)/2, SD √70.25
    assert "Mean 32.00 / 37" in text and "Median 34.50" in text and "Spread (standard deviation) 8.38" in text


def test_the_distribution_is_inline_svg_without_script_or_network(data) -> None:
    page = parse_html(data)
    assert "svg" in page.tags and "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
    html = data.decode("utf-8")
    assert re.findall(r"https?://[^\"]+", html) == ["http://www.w3.org/2000/svg"]
    titles = re.findall(r"<title>([^<]+)</title>", html)[1:]
    assert titles[8] == "32–36: 4" and titles[9] == "36–37: 3" and len(titles) == 10  # 34 34 34 35 | 36 36 37


def test_each_answer_shows_share_correct_and_frequent_wrong_values(data) -> None:
    text = re.sub(r"\s+", " ", parse_html(data).text)
    assert "q1.standard.weights 88% 12% " in text  # 7 of 8 right; 1/8 of the points lost
    assert "7240 (1, bias counted)" in text  # Turing's bias-counted weights, with the mistake named


def test_shared_rare_answers_are_listed_and_escaped(homework_key, tmp_path: Path) -> None:
    paths = []
    for index in range(20):  # two of 20: a tenth of the class, still rare
        answers = dict(EXPECTED_KEY)
        student = f"<b>s{index}</b>" if index in (1, 2) else f"s{index}"
        if index in (1, 2):
            answers |= {"q1.standard.weights": 7777, "q3.forward.z": 5}
        path = tmp_path / f"s{index}.json"
        path.write_text(json.dumps({"student_id": student, "answers": answers}), encoding="utf-8")
        paths.append(path)
    data = page_data(grade_class(homework_key, paths))
    page = parse_html(data)
    assert "b" not in page.tags
    assert "<b>s1</b> & <b>s2</b>" in page.text and "q1.standard.weights = 7777" in page.text


def test_many_groups_the_page_shows_the_rarest_and_the_csv_all(homework_key, tmp_path: Path) -> None:
    """300 students: 60 pairs each share two values of their own; 20 students share two values
    (given by 20 of 300, still rare). The page shows 50 groups, a group by its first 12 students; the CSV
    lists all 61, the pairs (rarer) first."""
    paths = []
    for index in range(300):
        answers = dict(EXPECTED_KEY)
        if index < 120:
            answers |= {"q1.standard.weights": 8000 + index // 2, "q3.forward.z": 100 + index // 2}
        elif index < 140:
            answers |= {"q2.a.stride": 7, "q2.b.stride": 7}
        path = tmp_path / f"s{index:03d}.json"
        path.write_text(json.dumps({"student_id": f"s{index:03d}", "answers": answers}), encoding="utf-8")
        paths.append(path)
    batch = grade_class(homework_key, paths)
    text = re.sub(r"\s+", " ", parse_html(page_data(batch)).text)
    assert "The 50 rarest of 61 groups are shown; all are in" in text and "shared-answers.csv" in text
    assert "s098 & s099" in text and "s100 & s101" not in text  # the 50th pair shown, the 51st not
    assert class_summary._finding(batch.statistics.shared[-1])["students"].endswith("s131 and 8 more")
    assert "s000 & s001" in text and "q1.standard.weights = 8000 (2 of 300)" in text
    [(name, data)] = list(shared_answers_csv.render(batch))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert name == "shared-answers.csv" and len(rows) == 62
    assert rows[1][:4] == ["1", "2", "s000; s001", "q1.standard.weights = 8000; q3.forward.z = 100"]
    assert rows[-1][1] == "20" and rows[-1][4] == "20; 20"
    assert len(page_data(batch)) < 60_000
