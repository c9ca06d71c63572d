"""Who is checking: student ids as limits and TAs should compare them, and personal access codes.

A student id typed on a page is untrusted text: `S1001`, `s1001` and `s１００１` (full-width
digits) or `s1001` with a zero-width space are one student to a limit. `normalised_id` is that
comparison (NFKC, case-folded, invisible characters removed); `look_alike_key` goes further and
also maps Cyrillic and Greek letters that look like Latin ones, which is only ever used to flag
possible duplicates for a TA, never to merge students.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from pathlib import Path
from typing import Iterable

from grader.base.errors import InputError
from grader.exports.csv_text import csv_bytes
from grader.intake.roster import Person

MIN_SECRET_BYTES = 16
CODE_LETTERS = 10  # base32: 50 bits, far beyond what an hourly limit lets anyone guess

# Letters drawn like Latin ones in common fonts (after NFKC and case folding, so lower case only).
LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ɑ": "a", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ӏ": "l", "ı": "i",
})


def _visible(char: str) -> bool:
    """False for format characters (zero-width spaces and joiners, soft hyphens, direction marks,
    BOM), control characters and any kind of space."""
    return unicodedata.category(char) not in ("Cf", "Cc", "Zs", "Zl", "Zp") and not char.isspace()


def normalised_id(student_id: str) -> str:
    """The id a limit counts and a code is derived from: NFKC, case-folded, invisible characters removed."""
    folded = unicodedata.normalize("NFKC", student_id).casefold()
    return unicodedata.normalize("NFKC", "".join(char for char in folded if _visible(char)))


def look_alike_key(student_id: str) -> str:
    """Ids with one key may be one student typed differently (`s1001` and `ѕ1001`, Cyrillic ѕ)."""
    return normalised_id(student_id).translate(LOOK_ALIKES)


def access_code(secret: bytes, student_id: str) -> str:
    """A student's personal code: HMAC-SHA256 of the normalised id under the course secret, in
    base32 without look-alike worries (no 0, 1, 8 or 9), grouped for reading aloud."""
    digest = hmac.new(secret, normalised_id(student_id).encode("utf-8"), hashlib.sha256).digest()
    letters = base64.b32encode(digest).decode("ascii")[:CODE_LETTERS]
    return f"{letters[:5]}-{letters[5:]}"


def code_matches(secret: bytes, student_id: str, given: str) -> bool:
    """Whether `given` is this student's code, however it is spaced, dashed or cased; in constant time."""
    typed = "".join(char for char in given.upper() if char.isalnum())[:64]
    expected = access_code(secret, student_id).replace("-", "")
    return hmac.compare_digest(typed.encode("utf-8", "replace"), expected.encode("ascii"))


def access_codes_csv(people: Iterable[Person], secret: bytes) -> bytes:
    """One row per roster student: id, name, email, code; for a TA's mail merge or the LMS."""
    rows = [(person.student_id, person.name, person.email, access_code(secret, person.student_id)) for person in people]
    return csv_bytes([("student_id", "name", "email", "code"), *rows])


def read_secret(path: Path) -> bytes:
    """The course secret from a file (never a command-line argument, which `ps` shows to everyone)."""
    try:
        secret = path.read_bytes().strip()
    except OSError as error:
        raise InputError(str(path), "", f"the course secret cannot be read: {error.strerror or error}") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise InputError(str(path), "", f"a course secret needs at least {MIN_SECRET_BYTES} characters; "
                                        "make one with: python -c \"import secrets; print(secrets.token_urlsafe(32))\"")
    return secret
