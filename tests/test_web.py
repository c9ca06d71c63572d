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


def make_client(homework_key, tmp_path: Path, clock: Clock):
    """The page with two assignments, 3 checks an hour per student and a 4 KB upload limit."""
    variants = build_answer_key(load_rubric(ROOT / "rubrics" / "example-variants.yaml"))
    keys = {"sml-hw4": homework_key, "variants-demo": variants}
    app = create_app(ServeSettings(keys, tmp_path / "log.jsonl", checks_per_hour=3, max_upload_bytes=4096, clock=clock))
    return app.test_client()


@pytest.fixture()
def client(homework_key, tmp_path: Path, clock: Clock):
    return make_client(homework_key, tmp_path, clock)


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
                    "score": "36", "possible": "37", "via": "form", "address": "127.0.0.1"}


def test_an_uploaded_file_is_checked(client) -> None:
    data = {"student": "s1002", "file": (io.BytesIO((SUBMISSIONS / "alan-turing.json").read_bytes()), "mine.json")}
    page = client.post("/check/sml-hw4", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Score: 34 / 37" in page


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("answers.yaml", b"answers: [1, 2", "not valid YAML"),
        ("answers.exe", b"MZ", "the page takes one student&#39;s answer file (.yaml, .yml, .json, .md, .txt)"),
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
    assert response.status_code == 400 and "a form export of a class is for the TA" in response.get_data(as_text=True)


def test_a_spreadsheet_upload_is_refused_unopened(client) -> None:
    """A zip bomb named .xlsx: refused by its suffix, so the page never unzips anything."""
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * 2_000_000 + "</a>")
    bomb.seek(0)
    response = client.post("/check/sml-hw4", data={"student": "s1", "file": (bomb, "answers.XLSX")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "a form export of a class is for the TA" in response.get_data(as_text=True)


# --- the page keeps the answers and puts each verdict beside its field ---------------------------

def fields(page: str) -> dict[str, dict[str, str]]:
    """Each answer field as a browser would see it: its value, and the verdict shown under it."""
    from lxml import html

    tree = html.fromstring(page)
    found = {}
    for field in tree.xpath("//div[@class='field']"):
        path = field.get("data-path")
        verdict = field.xpath(".//p[contains(@class, 'verdict')]")
        found[path] = {"value": field.xpath(".//input")[0].get("value", ""),
                       "status": verdict[0].xpath(".//span[@class='status']")[0].text_content() if verdict else "",
                       "text": verdict[0].text_content() if verdict else ""}
    return found


def test_the_checked_page_keeps_every_typed_answer_and_shows_each_verdict_by_its_field(client) -> None:
    answers = dict(EXPECTED_KEY, **{"q1.standard.weights": "7,240", "q3.grad.x1": "4e1"})
    del answers["q1.separable.weights"]  # left blank: it stays blank and is missing
    page = client.post("/check/sml-hw4", data=form_answers(answers)).get_data(as_text=True)
    shown = fields(page)
    assert set(shown) == set(EXPECTED_KEY)
    assert {path: shown[path]["value"] for path in answers} == {path: str(value) for path, value in answers.items()}
    assert shown["q1.standard.weights"]["status"] == "incorrect" and "bias counted" in shown["q1.standard.weights"]["text"]
    assert shown["q3.grad.x1"]["status"] == "correct"
    assert shown["q1.separable.weights"] == {"value": "", "status": "missing", "text": shown["q1.separable.weights"]["text"]}
    assert "Check again" in page and "Expected" not in page


def test_an_uploaded_file_fills_the_form_with_what_it_says(client) -> None:
    import yaml

    sent = yaml.safe_load((SUBMISSIONS / "katherine-johnson.yaml").read_text(encoding="utf-8"))["answers"]
    flat = {}
    for problem, parts in sent.items():  # the file nests answers two or three levels deep
        for part, value in parts.items():
            if isinstance(value, dict):
                flat.update({f"{problem}.{part}.{leaf}": str(v) for leaf, v in value.items()})
            else:
                flat[f"{problem}.{part}"] = str(value)
    data = {"student": "s1007", "file": (io.BytesIO((SUBMISSIONS / "katherine-johnson.yaml").read_bytes()), "k.yaml")}
    page = client.post("/check/sml-hw4", data=data, content_type="multipart/form-data").get_data(as_text=True)
    shown = fields(page)
    assert {path: shown[path]["value"] for path in flat} == flat
    assert shown["q3.grad.x1"]["status"] == "correct given earlier answers"


def test_answer_fields_offer_a_keyboard_with_a_minus_sign(client) -> None:
    from lxml import html

    page = client.get("/check/sml-hw4?student=s1").get_data(as_text=True)
    inputs = html.fromstring(page).xpath("//input[@data-answer]")
    assert len(inputs) == len(EXPECTED_KEY)
    assert {(i.get("type"), i.get("inputmode")) for i in inputs} == {("text", "text")}  # iOS's decimal pad has no minus


def test_the_form_offers_exactly_the_formats_the_page_reads(client) -> None:
    from lxml import html

    page = client.get("/check/sml-hw4?student=s1").get_data(as_text=True)
    accept = html.fromstring(page).get_element_by_id("file").get("accept").split(",")
    assert ".csv" not in accept and ".xlsx" not in accept and {".yaml", ".json", ".md"} <= set(accept)
    for suffix in accept:  # each offered format is read, not refused by its name
        response = client.post("/check/sml-hw4", data={"student": "s1", "file": (io.BytesIO(b"student_id: s1\n"), "a" + suffix)},
                               content_type="multipart/form-data")
        assert "a form export of a class" not in response.get_data(as_text=True)


# --- the JSON endpoint -------------------------------------------------------------------------

def test_the_json_endpoint_gives_the_pages_verdicts(client) -> None:
    answers = dict(EXPECTED_KEY, **{"q1.standard.weights": "7,240"})
    page = fields(client.post("/check/sml-hw4", data=form_answers(answers)).get_data(as_text=True))
    response = client.post("/api/check/sml-hw4", json={"student_id": "s1001", "answers": answers})
    body = response.get_json()
    assert response.status_code == 200 and (body["score"], body["possible"]) == ("36", "37")
    assert {v["path"]: v["verdict"] for v in body["verdicts"]} == {path: shown["status"] for path, shown in page.items()}
    wrong = next(v for v in body["verdicts"] if v["path"] == "q1.standard.weights")
    assert wrong["mistake"] == "bias counted" and wrong["answer"] == "7,240" and "expected" not in wrong


def test_the_json_endpoint_reads_nested_answers_and_notes_unknown_paths(client) -> None:
    body = client.post("/api/check/sml-hw4", json={"student_id": "s1", "answers": {"q3": {"grad": {"x1": 40}}, "q9": 1}}).get_json()
    assert next(v for v in body["verdicts"] if v["path"] == "q3.grad.x1")["verdict"] == "correct"
    assert any("q9" in note for note in body["notes"])


@pytest.mark.parametrize(
    ("send", "status", "fragment"),
    [
        ({"data": "student_id=s1", "content_type": "application/x-www-form-urlencoded"}, 415, "application/json"),
        ({"data": "{\"student_id\": ", "content_type": "application/json"}, 400, "not valid JSON"),
        ({"data": "[" * 5000 + "]" * 5000, "content_type": "application/json"}, 400, "JSON"),
        ({"json": ["s1"]}, 400, "Expected a JSON object"),
        ({"json": {"student_id": "s1", "answers": [1, 2]}}, 400, "mapping of answer paths"),
        ({"json": {"answers": {}}}, 400, "student id"),
        ({"json": {"student_id": "s1", "answers": {}}, "headers": {"Origin": "https://evil.example"}}, 403, "other sites"),
    ],
)
def test_the_json_endpoint_refuses_in_json(client, send: dict, status: int, fragment: str) -> None:
    response = client.post("/api/check/sml-hw4", **send)
    assert response.status_code == status and fragment in response.get_json()["error"]


def test_an_unknown_assignment_on_the_json_endpoint(client) -> None:
    response = client.post("/api/check/nope", json={"student_id": "s1", "answers": {}})
    assert response.status_code == 404 and response.get_json()["error"] == "There is no such assignment here."


@pytest.mark.parametrize("student_id", [1001, ["s1001"], {"id": "s1001"}, None])
def test_the_json_endpoint_takes_only_text_as_an_id(client, student_id) -> None:
    response = client.post("/api/check/sml-hw4", json={"student_id": student_id, "answers": {}})
    assert response.status_code == 400 and "student id" in response.get_json()["error"]


def test_the_page_shows_what_was_read_beside_what_was_typed(client) -> None:
    answers = dict(EXPECTED_KEY, **{"q1.standard.weights": "7.2k", "q1.depthwise.weights": "180 weights"})
    page = client.post("/check/sml-hw4", data=form_answers(answers)).get_data(as_text=True)
    assert "Score: 37 / 37" in page
    assert "read as 7200 (&#39;k&#39; read as ×1,000)" in page
    assert "read as 180 (the word &#39;weights&#39; after the number is set aside)" in page
