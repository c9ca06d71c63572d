"""A student as the LMS knows them, and which LMS export they came from."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LmsColumn:
    """A grade column of an LMS export: its header as written, the item's title, its points where given."""

    header: str
    title: str
    possible: str = ""


@dataclass(frozen=True)
class LmsExport:
    """Which LMS a roster came from, its delimiter, and its grade columns (to reuse the existing one)."""

    lms: str
    delimiter: str
    columns: tuple[LmsColumn, ...] = ()


@dataclass(frozen=True)
class Person:
    """A student as the LMS knows them. `lms_id` is the LMS's own user id (Canvas `ID`), `login` its
    username. `keys` holds the LMS export's identity cells and `grades` its grade cells, by header,
    exactly as the LMS wrote them; `source` says which export (None for a plain roster)."""

    student_id: str
    name: str
    email: str = ""
    section: str = ""
    lms_id: str = ""
    login: str = ""
    keys: tuple[tuple[str, str], ...] = ()
    grades: tuple[tuple[str, str], ...] = ()
    source: LmsExport | None = None

    def key(self, header: str) -> str | None:
        """The export's identity cell under `header`, or None when the export has no such column."""
        return dict(self.keys).get(header)

    def grade(self, header: str) -> str:
        return dict(self.grades).get(header, "")


def split_name(name: str) -> tuple[str, str]:
    """(first, last) from `Last, First` (as Canvas writes it) or `First Last`."""
    if "," in name:
        last, first = name.split(",", 1)
        return first.strip(), last.strip()
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")
