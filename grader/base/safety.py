"""Defences for untrusted text leaving the program: file names and spreadsheet cells."""
from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_FILENAME_STEM = 64


def neutralise_cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice)."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


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
