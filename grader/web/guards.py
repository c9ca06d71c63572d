"""What every response says to the browser, and which requests are refused for where they come from.

The page runs no third-party code and is never framed: the Content-Security-Policy allows only
its own stylesheet and script, no inline code, and forms that post to itself. A form post from
another site (a page that makes a visitor's browser use up a student's checks) is refused by
its Origin; the JSON endpoint takes only `application/json`, which a browser will not send
cross-site without a preflight this server never grants.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Request, Response, abort

from grader.base.documents import SUBMISSION_READERS, decode_text
from grader.base.errors import GraderError

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # not "no-referrer": Chromium then sends `Origin: null` with the form
    # Kept for the back button (so a student who meets an error page goes back to their answers),
    # never by a shared proxy, and revalidated before any other use; personal codes are never in a page.
    "Cache-Control": "private, no-cache",
}


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def refuse_cross_site_form(request: Request) -> None:
    """403 unless the post comes from this site's own page. Browsers send Origin with every
    POST; a client without one (curl, an old browser) is let through by Sec-Fetch-Site or its absence."""
    cross_site = request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")
    if _foreign_origin(request) or ("Origin" not in request.headers and cross_site):
        abort(403, "This form can only be sent from the self-check page itself.")


def _foreign_origin(request: Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc.lower() != request.host.lower()


def require_json(request: Request) -> dict[str, Any]:
    """The JSON endpoint's body as a mapping; 415 for anything a cross-site form could send."""
    if not request.is_json:
        abort(415, "Send the answers as JSON (Content-Type: application/json), as grader.check_remote does.")
    if _foreign_origin(request):
        abort(403, "The JSON endpoint is for notebooks and scripts, not for other sites' pages.")
    try:  # the batch's JSON reader: duplicate keys, huge integers and deep nesting refused alike
        body = SUBMISSION_READERS[".json"](decode_text(request.get_data(), "the request"), "the request")
    except GraderError as error:
        abort(400, str(error))
    if not isinstance(body, dict):
        abort(400, 'Expected a JSON object: {"student_id": …, "answers": {…}, "code": …}.')
    return body

