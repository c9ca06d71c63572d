"""The self-check page on a live waitress server on 127.0.0.1: the notebook client, and the
defences against hostile traffic that only a real server can show (body size before spooling,
idle and slow connections, the trusted proxy). Every loop is bounded and every wait has a timeout."""
from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from grader.web.app import ServeSettings, create_app
from grader.web.client import RemoteCheckError, api_url, check_remote
from grader.web.server import ServerSettings, make_server
from tests.homework import EXPECTED_KEY

ATTACKER = "127.0.0.2"  # all of 127.0.0.0/8 is loopback on Linux: a second client address for free


@contextlib.contextmanager
def serving(settings: ServeSettings, **server: object) -> Iterator[str]:
    app = create_app(settings)
    served = make_server(app, ServerSettings(port=0, **server), settings.max_request_bytes)  # type: ignore[arg-type]
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{served.effective_port}"
    finally:
        served.stop()
        thread.join(timeout=5)


@pytest.fixture()
def settings(homework_key, tmp_path: Path) -> ServeSettings:
    return ServeSettings({"sml-hw4": homework_key}, tmp_path / "log.jsonl", checks_per_hour=50, max_upload_bytes=4096)


def get_status(base: str, source: str = "127.0.0.1", timeout: float = 5, headers: dict | None = None, path: str = "/") -> int:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    try:
        connection.request("GET", path, headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


# --- check_remote: a notebook cell against the served page ---------------------------------------

def test_check_remote_gives_the_verdicts_the_page_gives(settings: ServeSettings) -> None:
    answers = dict(EXPECTED_KEY, **{"q1.standard.weights": "7,240", "q3.grad.x1": "4e1"})
    page = create_app(settings).test_client().post("/api/check/sml-hw4", json={"student_id": "s1001", "answers": answers}).get_json()
    with serving(settings) as base:
        result = check_remote(f"{base}/check/sml-hw4?student=s1001", "s1001", answers)
    assert (result.score, result.possible) == ("36", "37")  # hand-worked in tests/homework.py: one answer off by the bias
    assert {v.path: v.verdict for v in result.verdicts} == {v["path"]: v["verdict"] for v in page["verdicts"]}
    assert result["q1.standard.weights"].mistake == "bias counted" and result["q3.grad.x1"].verdict == "correct"
    assert "36 / 37" in str(result) and "bias counted" in str(result)


def test_check_remote_speaks_the_pages_refusals(settings: ServeSettings) -> None:
    with serving(settings) as base:
        with pytest.raises(RemoteCheckError, match="no such assignment") as missing:
            check_remote(f"{base}/check/hw99", "s1", {})
        assert missing.value.status == 404
        with pytest.raises(RemoteCheckError, match="405 .* a grader self-check page"):
            check_remote(f"{base}/static/check/selfcheck.css", "s1", {})
    with pytest.raises(RemoteCheckError, match="could not reach"):
        check_remote(base + "/check/sml-hw4", "s1", {}, timeout=2)  # the server is closed now


def test_check_remote_with_a_personal_code(settings: ServeSettings) -> None:
    from dataclasses import replace

    from grader.web.identity import access_code

    secret = b"a-course-secret-of-enough-length"
    with serving(replace(settings, access_secret=secret)) as base:
        with pytest.raises(RemoteCheckError, match="personal code") as refused:
            check_remote(f"{base}/check/sml-hw4", "s1", {"q3.grad.x1": 40})
        assert refused.value.status == 403
        assert check_remote(f"{base}/check/sml-hw4", "s1", {"q3.grad.x1": 40}, code=access_code(secret, "s1"))["q3.grad.x1"].verdict == "correct"


@pytest.mark.parametrize(
    ("url", "api"),
    [
        ("https://selfcheck.example.edu/check/hw4", "https://selfcheck.example.edu/api/check/hw4"),
        ("https://x.edu/course/selfcheck/check/hw4/?student=s1", "https://x.edu/course/selfcheck/api/check/hw4"),
        ("http://127.0.0.1:8000/api/check/hw4", "http://127.0.0.1:8000/api/check/hw4"),
    ],
)
def test_the_client_finds_the_json_endpoint_from_the_page_address(url: str, api: str) -> None:
    assert api_url(url) == api


@pytest.mark.parametrize("url", ["https://x.edu/", "file:///etc/passwd", "https://x.edu/check/"])
def test_the_client_refuses_addresses_that_name_no_assignment(url: str) -> None:
    with pytest.raises(RemoteCheckError):
        api_url(url)


# --- hostile traffic ---------------------------------------------------------------------------

def connect_idle(port: int, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    """`count` connections from the attacker's address that then say nothing more."""
    idle = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((ATTACKER, 0))
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
        if first_bytes:
            sock.sendall(first_bytes)
        idle.append(sock)
    return idle


def test_an_oversized_body_is_refused_from_its_length_before_it_is_sent(settings: ServeSettings) -> None:
    with serving(settings) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /check/sml-hw4 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                         b"Content-Length: 500000000\r\n\r\n")  # 500 MB announced, not one byte of it sent
            answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")


def test_150_idle_connections_from_one_client_do_not_lock_out_another(settings: ServeSettings) -> None:
    with serving(settings, per_client=20, channel_timeout=30) as base:
        port = int(base.rsplit(":", 1)[1])
        idle = connect_idle(port, 150, b"GET / HTTP/1.1\r\n")  # each a request begun and never finished
        try:
            started = time.monotonic()
            assert get_status(base, timeout=5) == 200
            assert time.monotonic() - started < 3
            assert 0 < sum(1 for sock in idle if not _open(sock)) <= 130  # the connections past the cap were closed
        finally:
            for sock in idle:
                sock.close()


def test_waitress_defaults_alone_would_be_locked_out(homework_key, tmp_path: Path) -> None:
    """The adversary of the test above: with waitress's defaults (100 connections, 120 s timeout)
    the same 150 idle sockets leave a fair client waiting, so the test above can fail."""
    from waitress.server import create_server

    app = create_app(ServeSettings({"sml-hw4": homework_key}, tmp_path / "log.jsonl"))
    served = create_server(app, host="127.0.0.1", port=0)
    threading.Thread(target=served.run, daemon=True).start()
    idle = connect_idle(int(served.effective_port), 150)
    try:
        with pytest.raises((TimeoutError, socket.timeout)):
            get_status(f"http://127.0.0.1:{served.effective_port}", timeout=2)
    finally:
        for sock in idle:
            sock.close()
        served.close()
        served.task_dispatcher.shutdown(timeout=5)


def test_a_silent_connection_is_closed_after_the_timeout(settings: ServeSettings) -> None:
    with serving(settings, channel_timeout=2) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            started = time.monotonic()
            assert sock.recv(1) == b""  # closed by the server, not by our timeout
            assert 1.5 < time.monotonic() - started < 8


def _open(sock: socket.socket) -> bool:
    sock.settimeout(0.05)
    try:
        return sock.recv(1) != b""
    except (TimeoutError, socket.timeout):
        return True
    except OSError:
        return False


def test_the_address_limit_reads_the_trusted_proxys_header_and_no_one_elses(homework_key, tmp_path: Path) -> None:
    settings = ServeSettings({"sml-hw4": homework_key}, tmp_path / "log.jsonl", checks_per_hour_per_address=2)

    def check(source: str, forwarded: str) -> int:
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5, source_address=(source, 0))
        body = "student=s-" + forwarded
        connection.request("POST", "/check/sml-hw4", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": forwarded})
        status = connection.getresponse().status
        connection.close()
        return status

    with serving(settings, trusted_proxy="127.0.0.1") as base:
        assert [check("127.0.0.1", "203.0.113.5") for _ in range(3)] == [200, 200, 429]
        assert check("127.0.0.1", "203.0.113.6") == 200  # another student behind the same proxy
        # a client that is not the proxy cannot choose its address by the header
        assert [check(ATTACKER, f"198.51.100.{n}") for n in range(3)] == [200, 200, 429]
    lines = (tmp_path / "log.jsonl").read_text(encoding="utf-8")
    assert '"address": "203.0.113.5"' in lines and '"address": "127.0.0.2"' in lines and "198.51.100" not in lines.split('"address"')[-1]




def test_check_remote_needs_nothing_beyond_the_standard_library() -> None:
    """A student's kernel may lack Flask, PyYAML or pandas: importing the client loads none of them."""
    import subprocess
    import sys

    probe = ("import sys, grader; grader.check_remote; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'werkzeug', 'waitress', 'yaml', 'pandas', 'openpyxl', 'jinja2'}))")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_grader_serve_with_a_secret_file_end_to_end(tmp_path: Path) -> None:
    """The command a TA runs: `grader serve --secret-file`, then a notebook checks with its code."""
    import subprocess
    import sys

    from grader.web.identity import access_code
    from tests.homework import RUBRIC

    secret = tmp_path / "course.secret"
    secret.write_text("a-course-secret-of-enough-length\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "grader", "serve", str(RUBRIC), "--port", str(port), "--secret-file", str(secret),
               "--log", str(tmp_path / "log.jsonl")]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "personal codes required" in (server.stdout.readline() if server.stdout else "")
        url = f"http://127.0.0.1:{port}/check/sml-hw4"
        code = access_code(b"a-course-secret-of-enough-length", "s1")
        for _ in range(50):  # the banner comes just before waitress listens
            try:
                result = check_remote(url, "s1", {"q3.grad.x1": 40}, code=code, timeout=5)
                break
            except RemoteCheckError as error:
                if error.status is not None:
                    raise
                time.sleep(0.1)
        assert result["q3.grad.x1"].verdict == "correct"
        with pytest.raises(RemoteCheckError, match="personal code"):
            check_remote(url, "s2", {}, code=code)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_a_missing_or_short_secret(tmp_path: Path, capsys) -> None:
    from grader.cli import main
    from tests.homework import RUBRIC

    assert main(["serve", str(RUBRIC), "--secret-file", str(tmp_path / "none")]) == 2
    (tmp_path / "short").write_text("pw", encoding="utf-8")
    assert main(["serve", str(RUBRIC), "--secret-file", str(tmp_path / "short")]) == 2
    err = capsys.readouterr().err
    assert "the course secret cannot be read" in err and "at least 16 characters" in err
