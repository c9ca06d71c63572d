"""grader.web: the self-check page through Flask's test client (the browser tests drive Chromium)."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import load_rubric
from grader.web.app import ServeSettings, create_app
from tests.homework import EXPECTED_KEY, ROOT, SUBMISSIONS

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def client(homework_key, tmp_path: Path, clock: Clock):
    variants = build_answer_key(load_rubric(ROOT / "rubrics" / "example-variants.yaml"))
    keys = {"sml-hw4": homework_key, "variants-demo": variants}
    app = create_app(ServeSettings(keys, tmp_path / "log.jsonl", checks_per_hour=3, max_upload_bytes=4096, clock=clock))
    return app.test_client()


def form_answers(values: dict) -> dict:
    return {"student": "s1001", **{f"answer:{path}": str(value) for path, value in values.items()}}


def test_index_lists_the_assignments(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "SML Homework 4" in page and 'value="variants-demo"' in page


def test_choosing_redirects_to_the_students_form(client) -> None:
    response = client.get("/check?assignment=sml-hw4&student=s1001")
    assert response.status_code == 302 and response.headers["Location"] == "/check/sml-hw4?student=s1001"


def test_the_form_has_one_field_per_answer_and_the_students_numbers(client) -> None:
    page = client.get("/check/sml-hw4?student=s1001").get_data(as_text=True)
    assert all(f'name="answer:{path}"' in page for path in EXPECTED_KEY)
    variant = client.get("/check/variants-demo?student=s7").get_data(as_text=True)
    key = build_answer_key(load_rubric(ROOT / "rubrics" / "example-variants.yaml"))
    from grader.rubric.model import for_student

    given = for_student(key.rubric, "s7").problems[0].parts[0].given
    assert f"{given['kernel']}×{given['kernel']} filters" in variant


def test_typed_answers_are_checked_without_revealing_the_key(client, tmp_path: Path) -> None:
    answers = dict(EXPECTED_KEY, **{"q1.standard.weights": "7,240"})
    page = client.post("/check/sml-hw4", data=form_answers(answers)).get_data(as_text=True)
    assert "Score: 36 / 37" in page and "<strong>bias counted</strong>" in page
    assert "Expected" not in page
    line = json.loads((tmp_path / "log.jsonl").read_text(encoding="utf-8"))
    assert line == {"time": "2026-11-24T12:00:00+00:00", "assignment": "sml-hw4", "student_id": "s1001",
                    "score": "36", "possible": "37", "via": "form"}


def test_an_uploaded_file_is_checked(client) -> None:
    data = {"student": "s1002", "file": (io.BytesIO((SUBMISSIONS / "alan-turing.json").read_bytes()), "mine.json")}
    page = client.post("/check/sml-hw4", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Score: 34 / 37" in page


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("answers.yaml", b"answers: [1, 2", "not valid YAML"),
        ("answers.exe", b"MZ", "unknown file type"),
        ("../../etc/passwd.yaml", b"\x00\x01", "binary data"),
    ],
)
def test_a_bad_upload_gets_a_clear_page_not_a_stack_trace(client, name: str, content: bytes, fragment: str) -> None:
    response = client.post("/check/sml-hw4", data={"student": "s1", "file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and fragment in page and "Traceback" not in page


def test_an_upload_over_the_limit_is_refused(client) -> None:
    big = io.BytesIO(b"a: 1\n" * 40_000)  # 200 KB against a 4 KB limit
    response = client.post("/check/sml-hw4", data={"student": "s1", "file": (big, "a.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)


def test_the_hourly_limit_per_student(client, clock: Clock) -> None:
    for _ in range(3):
        assert client.post("/check/sml-hw4", data=form_answers({})).status_code == 200
    blocked = client.post("/check/sml-hw4", data=form_answers({}))
    assert blocked.status_code == 429 and "3 times in the last hour" in blocked.get_data(as_text=True)
    assert client.post("/check/sml-hw4", data={"student": "someone-else"}).status_code == 200
    clock.now = NOW + dt.timedelta(minutes=61)
    assert client.post("/check/sml-hw4", data=form_answers({})).status_code == 200


def test_hostile_text_is_escaped(client) -> None:
    payload = "<script>alert(1)</script>"
    page = client.post("/check/sml-hw4", data={"student": payload, "answer:q1.standard.weights": payload}).get_data(as_text=True)
    assert payload not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("method", "url", "data", "code"),
    [
        ("get", "/check/nope?student=s1", None, 404),
        ("post", "/check/sml-hw4", {"student": ""}, 400),
        ("post", "/check/sml-hw4", {"student": "x" * 65}, 400),
        ("delete", "/check/sml-hw4", None, 405),
    ],
)
def test_every_error_has_its_page(client, method: str, url: str, data, code: int) -> None:
    response = getattr(client, method)(url, data=data)
    assert response.status_code == code
    assert "Cannot check this" in response.get_data(as_text=True)


def test_reference_values_appear_once_the_rubric_allows(homework_key, tmp_path: Path, clock: Clock) -> None:
    import dataclasses

    from grader.rubric.scoring_settings import RevealPolicy

    rubric = dataclasses.replace(homework_key.rubric, reveal=RevealPolicy("after_due", NOW + dt.timedelta(days=1)))
    key = dataclasses.replace(homework_key, rubric=rubric)
    client = create_app(ServeSettings({"sml-hw4": key}, tmp_path / "log.jsonl", clock=clock)).test_client()
    assert "Expected" not in client.post("/check/sml-hw4", data=form_answers({})).get_data(as_text=True)
    clock.now = NOW + dt.timedelta(days=2)
    assert "Expected" in client.post("/check/sml-hw4", data=form_answers({})).get_data(as_text=True)


def test_a_typed_markdown_sheet_can_be_uploaded_too(client) -> None:
    sheet = "student_id: s1\n" + "".join(f"{path}: {value}\n" for path, value in EXPECTED_KEY.items())
    data = {"student": "s1", "file": (io.BytesIO(sheet.encode("utf-8")), "answers.md")}
    page = client.post("/check/sml-hw4", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Score: 37 / 37" in page


def test_a_class_form_export_is_not_a_students_upload(client) -> None:
    form = "student_id,q1.standard.weights\ns1,7200\ns2,7200\n"
    data = {"student": "s1", "file": (io.BytesIO(form.encode("utf-8")), "class.csv")}
    response = client.post("/check/sml-hw4", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "expected one student&#39;s answers" in response.get_data(as_text=True)


def test_the_page_shows_what_was_read_beside_what_was_typed(client) -> None:
    answers = dict(EXPECTED_KEY, **{"q1.standard.weights": "7.2k", "q1.depthwise.weights": "180 weights"})
    page = client.post("/check/sml-hw4", data=form_answers(answers)).get_data(as_text=True)
    assert "Score: 37 / 37" in page
    assert "read as 7200 (&#39;k&#39; read as ×1,000)" in page
    assert "read as 180 (the word &#39;weights&#39; after the number is set aside)" in page
