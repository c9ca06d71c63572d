"""How much of an untrusted submission grader will read: one place for every bound, so a TA can
raise one (`grader grade --max-file-bytes …`) without touching code."""
from __future__ import annotations

from dataclasses import dataclass

MAX_FILE_BYTES = 1024 * 1024
MAX_ANSWERS = 10_000
MAX_DEPTH = 16
MAX_ANSWER_CHARS = 1_000
MAX_FORM_BYTES = 64 * 1024 * 1024
MAX_FORM_ROWS = 100_000
MAX_FORM_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_FORM_CELLS = 5_000_000


@dataclass(frozen=True)
class Limits:
    """`max_file_bytes`: a larger file is refused unread. `max_answers`: entries under `answers`
    (branches and leaves). `max_depth`: nesting under `answers`. `max_answer_chars`: a longer text
    answer is cut, marked unreadable and noted, so one pasted essay cannot bloat every report.
    `max_form_bytes`, `max_form_rows`: a form export (a whole class in one file) past either is refused.
    `max_form_unpacked_bytes`, `max_form_cells`: an .xlsx (a zip) whose parts would unpack past the
    first, or whose sheet declares or holds more cells than the second, is refused before it is read."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_answers: int = MAX_ANSWERS
    max_depth: int = MAX_DEPTH
    max_answer_chars: int = MAX_ANSWER_CHARS
    max_form_bytes: int = MAX_FORM_BYTES
    max_form_rows: int = MAX_FORM_ROWS
    max_form_unpacked_bytes: int = MAX_FORM_UNPACKED_BYTES
    max_form_cells: int = MAX_FORM_CELLS


DEFAULT_LIMITS = Limits()
