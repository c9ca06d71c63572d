"""grader.web under hostile use, through Flask's test client: personal codes, limits that hold
against throwaway and disguised ids, look-alike ids flagged for a TA, security headers and the
Origin check. The live-server defences are in test_web_live.py."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.web.app import ServeSettings, create_app
from tests.test_web import NOW, Clock, form_answers, make_client


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def client(homework_key, tmp_path: Path, clock: Clock):
    return make_client(homework_key, tmp_path, clock)


# --- personal access codes ---------------------------------------------------------------------

SECRET = b"course-secret-for-tests-only-0123"


def independent_code(student_id: str) -> str:
    """RFC 2104 HMAC-SHA256 by hand (two SHA-256 passes with the pads), base32, first ten letters."""
    import base64
    import hashlib

    block = SECRET.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block) + student_id.encode("utf-8")).digest()
    mac = hashlib.sha256(bytes(b ^ 0x5C for b in block) + inner).digest()
    letters = base64.b32encode(mac).decode("ascii")[:10]
    return f"{letters[:5]}-{letters[5:]}"


@pytest.fixture()
def coded(homework_key, tmp_path: Path, clock: Clock):
    settings = ServeSettings({"sml-hw4": homework_key}, tmp_path / "log.jsonl", checks_per_hour=2, access_secret=SECRET, clock=clock)
    return create_app(settings).test_client()


def test_access_codes_are_hmacs_of_the_normalised_id() -> None:
    from grader.web.identity import access_code

    assert access_code(SECRET, "s1001") == independent_code("s1001")
    assert access_code(SECRET, "S1001") == access_code(SECRET, "s\u200b1001") == independent_code("s1001")
    assert access_code(SECRET, "s1002") != access_code(SECRET, "s1001")
    assert access_code(b"another-course-secret-0123456789", "s1001") != independent_code("s1001")


def test_with_a_secret_every_check_needs_the_students_own_code(coded) -> None:
    code = independent_code("s1001")
    assert 'id="code"' in coded.get("/check/sml-hw4?student=s1001").get_data(as_text=True)
    missing = coded.post("/check/sml-hw4", data=form_answers({}))
    assert missing.status_code == 403 and "personal code" in missing.get_data(as_text=True)
    someone_elses = coded.post("/check/sml-hw4", data={**form_answers({}), "code": independent_code("s1002")})
    assert someone_elses.status_code == 403
    typed_loosely = code.lower().replace("-", " ")
    accepted = coded.post("/check/sml-hw4", data={**form_answers({}), "code": typed_loosely})
    assert accepted.status_code == 200 and typed_loosely not in accepted.get_data(as_text=True)  # never echoed into a page
    api = coded.post("/api/check/sml-hw4", json={"student_id": "s1001", "answers": {}, "code": code})
    assert api.status_code == 200 and coded.post("/api/check/sml-hw4", json={"student_id": "s1001", "answers": {}}).status_code == 403


def test_wrong_codes_do_not_use_up_the_students_checks(coded) -> None:
    for _ in range(5):
        assert coded.post("/check/sml-hw4", data={**form_answers({}), "code": "AAAAA-AAAAA"}).status_code == 403
    for _ in range(2):
        assert coded.post("/check/sml-hw4", data={**form_answers({}), "code": independent_code("s1001")}).status_code == 200


def test_the_codes_command_writes_one_code_per_roster_student(tmp_path: Path, capsys) -> None:
    import csv

    from grader.cli import main

    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,section\ns1001,Ada Lovelace,ada@example.edu,A\n=cmd,Eve,eve@example.edu,A\n", encoding="utf-8")
    (tmp_path / "secret").write_bytes(SECRET + b"\n")
    assert main(["codes", str(roster), "--secret-file", str(tmp_path / "secret"), "--out", str(tmp_path / "codes.csv")]) == 0
    rows = list(csv.DictReader((tmp_path / "codes.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == {"student_id": "s1001", "name": "Ada Lovelace", "email": "ada@example.edu", "code": independent_code("s1001")}
    assert rows[1]["student_id"] == "'=cmd"  # a formula never reaches the TA's spreadsheet
    (tmp_path / "short").write_text("abc", encoding="utf-8")
    assert main(["codes", str(roster), "--secret-file", str(tmp_path / "short")]) == 2
    assert "at least 16 characters" in capsys.readouterr().err


# --- limits that hold against throwaway and disguised ids --------------------------------------

@pytest.mark.parametrize("disguise", ["S1001", "s\uff11\uff10\uff10\uff11", "s\u200b1001", " s1001\u00ad", "\ufeffs1001"])
def test_one_student_is_one_limit_however_the_id_is_typed(client, disguise: str) -> None:
    for _ in range(3):
        assert client.post("/check/sml-hw4", data=form_answers({})).status_code == 200
    assert client.post("/check/sml-hw4", data={"student": disguise}).status_code == 429


def test_the_address_limit_stops_a_throwaway_id_attack(homework_key, tmp_path: Path, clock: Clock) -> None:
    settings = ServeSettings({"sml-hw4": homework_key}, tmp_path / "log.jsonl", checks_per_hour=3, checks_per_hour_per_address=10, clock=clock)
    client = create_app(settings).test_client()
    statuses = [client.post("/check/sml-hw4", data={"student": f"throwaway-{n}"}).status_code for n in range(12)]
    assert statuses == [200] * 10 + [429] * 2
    other = client.post("/check/sml-hw4", data={"student": "s1"}, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 200


def test_limiter_memory_is_bounded() -> None:
    from grader.web.attempts import LookAlikes, RateLimiter

    limiter = RateLimiter(per_hour=1, capacity=100)
    for n in range(10_000):
        assert limiter.allow(("a", f"id-{n}"), NOW)
    assert len(limiter) == 100
    assert not limiter.allow(("a", "id-9999"), NOW)  # the most recent are the ones kept
    twins = LookAlikes(capacity=10)
    for n in range(1000):
        twins.others(f"k{n}", f"id-{n}")
    assert len(twins._seen) == 10


def test_look_alike_ids_are_flagged_for_a_ta_in_the_log(client, tmp_path: Path) -> None:
    for student in ["s1001", "S1001", "\u0455100\u0031", "s1002"]:  # the third begins with Cyrillic ѕ
        client.post("/check/sml-hw4", data={"student": student})
    lines = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line.get("possible_duplicate_of") for line in lines] == [None, ["s1001"], ["S1001", "s1001"], None]
    assert "\\u0455" in (tmp_path / "log.jsonl").read_text(encoding="utf-8")  # shown as an escape, not as a look-alike


# --- what every response tells the browser, and where posts may come from -----------------------

@pytest.mark.parametrize("url", ["/", "/check/sml-hw4?student=s1", "/check/nope?student=s1", "/static/selfcheck.css"])
def test_security_headers_on_every_response(client, url: str) -> None:
    headers = client.get(url).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"], headers["Referrer-Policy"]) == ("DENY", "nosniff", "same-origin")


def test_pages_hold_no_inline_script_or_style(client) -> None:
    page = client.post("/check/sml-hw4", data=form_answers({})).get_data(as_text=True)
    assert "<style" not in page and "style=" not in page and "<script>" not in page and "onclick" not in page.lower()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "http://localhost"}, 200),
        ({}, 200),
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "http://localhost.evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
    ],
)
def test_the_form_post_must_come_from_the_page(client, headers: dict, status: int) -> None:
    assert client.post("/check/sml-hw4", data=form_answers({}), headers=headers).status_code == status


def test_a_restarted_page_still_flags_look_alikes_of_ids_in_its_log(homework_key, tmp_path: Path, clock: Clock) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text('{"student_id": "s1001"}\nnot json\n[1]\n{"student_id": 7}\n', encoding="utf-8")
    client = create_app(ServeSettings({"sml-hw4": homework_key}, log, clock=clock)).test_client()
    client.post("/check/sml-hw4", data={"student": "S1001"})
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["possible_duplicate_of"] == ["s1001"]


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", " ", "\u00a0", "\u3000"]


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20),
       st.lists(st.tuples(st.integers(0, 20), st.sampled_from(INVISIBLE)), max_size=5))
def test_invisible_characters_and_case_never_make_a_new_id(student_id: str, inserted: list) -> None:
    from grader.web.identity import access_code, code_matches, normalised_id

    disguised = student_id
    for position, char in inserted:
        disguised = disguised[:position] + char + disguised[position:]
    assert normalised_id(disguised.upper()) == normalised_id(student_id.upper())
    assert normalised_id(normalised_id(student_id)) == normalised_id(student_id)
    assert code_matches(SECRET, disguised, access_code(SECRET, student_id))


def test_distinct_ids_are_not_merged() -> None:
    from grader.web.identity import look_alike_key, normalised_id

    ids = ["s1001", "s1002", "s10010", "s-1001", "t1001", "s1001a"]
    assert len({normalised_id(i) for i in ids}) == len({look_alike_key(i) for i in ids}) == len(ids)
