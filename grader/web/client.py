"""`grader.check_remote`: check answers against a course's self-check page from a notebook cell.

Standard library only (urllib), so it runs in any Jupyter kernel with grader importable: the
student needs neither the rubric nor Flask. It posts to the page's JSON endpoint and gives
back the same verdicts, points and feedback the page shows, under the same limits.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit, urlunsplit

from grader.base.errors import GraderError

TIMEOUT_SECONDS = 30
MAX_RESPONSE_BYTES = 8 * 1024 * 1024


class RemoteCheckError(GraderError):
    """The page refused the check (unknown assignment, wrong code, hourly limit) or could not be reached."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RemoteVerdict:
    path: str
    answer: str
    verdict: str  # "correct", "incorrect", … as on the page
    points: str
    possible: str
    feedback: str = ""
    mistake: str = ""
    expected: str | None = None  # only where the rubric's reveal policy allows


@dataclass(frozen=True)
class RemoteCheck:
    assignment: str
    student_id: str
    score: str
    possible: str
    verdicts: tuple[RemoteVerdict, ...]
    notes: tuple[str, ...] = ()

    def __getitem__(self, path: str) -> RemoteVerdict:
        """The verdict of one answer path: `result["q1.a"].verdict`."""
        for verdict in self.verdicts:
            if verdict.path == path:
                return verdict
        raise KeyError(path)

    def __str__(self) -> str:
        width = max((len(v.path) for v in self.verdicts), default=0)
        lines = [f"{self.assignment} · {self.student_id}: score {self.score} / {self.possible}", *self.notes]
        for v in self.verdicts:
            told = f"{v.mistake}: {v.feedback}" if v.mistake else v.feedback
            expected = f" (expected {v.expected})" if v.expected else ""
            lines.append(f"  {v.path:<{width}}  {v.verdict:<12} {v.points}/{v.possible}{expected}  {told}".rstrip())
        return "\n".join(lines)


def api_url(url: str) -> str:
    """The JSON endpoint for a page address: `…/check/<assignment>` (the page a student uses,
    whatever follows it) becomes `…/api/check/<assignment>`; an `/api/` address is kept."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise RemoteCheckError(f"{url!r} is not a web address (http:// or https://)")
    path = parts.path.rstrip("/")
    if "/api/check/" not in path:
        before, found, assignment = path.rpartition("/check/")
        if not found or not assignment:
            raise RemoteCheckError(f"{url!r} does not name an assignment: expected an address ending in /check/<assignment>")
        path = f"{before}/api/check/{assignment}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def check_remote(url: str, student_id: str, answers: Mapping[str, Any], code: str | None = None,
                 timeout: float = TIMEOUT_SECONDS) -> RemoteCheck:
    """Check `answers` ({path: value}, dotted or nested) as `student_id` on the self-check page
    at `url` (the page's address, such as https://selfcheck.example.edu/check/hw4); `code` is the
    student's personal code where the course uses them. Raises RemoteCheckError with the page's
    own message when it refuses."""
    body = json.dumps({"student_id": student_id, "answers": answers, **({"code": code} if code else {})}, default=str)
    request = urllib.request.Request(api_url(url), data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the scheme is checked)
            data = _read_json(response.read(MAX_RESPONSE_BYTES + 1))
    except urllib.error.HTTPError as error:
        refusal = _read_json(error.read(MAX_RESPONSE_BYTES + 1), quiet=True)
        message = refusal.get("error") if isinstance(refusal, dict) else None
        fallback = f"the page answered {error.code} {error.reason}: is {url} a grader self-check page?"
        raise RemoteCheckError(str(message or fallback), error.code) from None
    except (urllib.error.URLError, OSError) as error:
        raise RemoteCheckError(f"could not reach {url}: {getattr(error, 'reason', error)}") from None
    return _as_check(data)


def _read_json(raw: bytes, quiet: bool = False) -> Any:
    if len(raw) > MAX_RESPONSE_BYTES:
        raise RemoteCheckError("the page's answer is larger than any self-check gives")
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        if quiet:
            return None
        raise RemoteCheckError("the page did not answer with JSON: is this the address of a grader self-check page?") from None


def _as_check(data: Any) -> RemoteCheck:
    try:
        verdicts = tuple(
            RemoteVerdict(v["path"], v["answer"], v["verdict"], v["points"], v["possible"], v.get("feedback", ""),
                          v.get("mistake", ""), v.get("expected"))
            for v in data["verdicts"]
        )
        return RemoteCheck(data["assignment"], data["student_id"], data["score"], data["possible"], verdicts, tuple(data.get("notes", ())))
    except (KeyError, TypeError) as error:
        raise RemoteCheckError(f"the page's answer lacks {error}: is it a grader self-check page of this version?") from None
