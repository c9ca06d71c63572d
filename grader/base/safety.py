"""Defences for untrusted text leaving the program: file names, spreadsheet cells and the terminal."""
from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_FILENAME_STEM = 64
MAX_CELL_CHARS = 32_767  # Excel's limit on the characters in one cell; LibreOffice and Sheets hold as many


def neutralise_cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice)."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def fit_cell(text: str) -> str:
    """Text cut to what one spreadsheet cell holds, saying so at its end (never cut silently)."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    marker = f" … [cut: {len(text):,} characters do not fit in one spreadsheet cell]"
    return text[: MAX_CELL_CHARS - len(marker)] + marker


# Every character of Unicode's categories Cc (C0 and C1 controls, where escape sequences start) and
# Cf (format characters such as the bidirectional overrides, which make a line read otherwise
# than it is), as of Unicode 15 (and the unassigned U+2065); tests/test_safety.py checks the list against unicodedata.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def terminal_safe(text: str, keep_newlines: bool = False) -> str:
    """Text for the TA's terminal: every control or format character shown as an escape
    (`\\x1b`), so student text cannot move the cursor, recolour, retitle or hide a line."""

    def shown(match: re.Match[str]) -> str:
        char = match.group()
        if keep_newlines and char == "\n":
            return char
        return char.encode("unicode_escape").decode("ascii")

    return _CONTROL.sub(shown, text) if _CONTROL.search(text) else text


def safe_file_stem(student_id: str) -> str:
    """A file name stem from a student id that cannot leave its folder or name a device."""
    stem = _UNSAFE_FILENAME_CHARS.sub("_", student_id).strip("._-")[:MAX_FILENAME_STEM]
    if not stem:
        return "student"
    return f"_{stem}" if stem.lower().split(".")[0] in _WINDOWS_RESERVED else stem


def unique_stems(student_ids: list[str]) -> list[str]:
    """Safe stems, made distinct in order of appearance (`s1`, `s1-2`, …) so no report overwrites another."""
    taken: set[str] = set()
    stems = []
    for student_id in student_ids:
        base = safe_file_stem(student_id)
        stem, counter = base, 1
        while stem.lower() in taken:
            counter += 1
            stem = f"{base}-{counter}"
        taken.add(stem.lower())
        stems.append(stem)
    return stems
