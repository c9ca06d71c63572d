"""`lms/<assignment>-sakai.csv`: Sakai GradebookNG import (sakai gradebookng ImportGradesHelper.java).

Column 0 is the student's EID and column 1 their name, whatever the headers say; an item column
is `Title [points]` (points with at most 2 decimals, no `[` in the title), matched to an existing
item by its exact title. The export's own header is reused when the roster was a Sakai export,
so neither the title nor the points change. `;` where the export used it (a decimal-comma locale)."""
from __future__ import annotations

from functools import partial

from grader.course.class_results import BatchResult
from grader.exports.csv_text import CsvCell, Verbatim
from grader.exports.exporter import Exporter
from grader.exports.lms_rows import (
    IdentityCells,
    Upload,
    existing_column,
    given,
    lms_score,
    planned,
    render_upload,
)
from grader.intake.roster import Person

LMS = "sakai"
IDENTITY = ("Student ID", "Student Name")
NO_EID = "no Sakai user id (EID): pass the Sakai gradebook export as --roster, or add a username column to the roster"


def identity_cells(person: Person) -> IdentityCells:
    if not person.login:
        return NO_EID
    return [given(person, person.login), person.name]


def item_header(title: str, points: str) -> str:
    """`Title [points]`, the title cleared of what Sakai's header pattern cannot take."""
    clean = title.replace("[", "(").replace("]", ")").lstrip("#* ").strip() or "Assignment"
    return f"{clean} [{points}]"


def plan(batch: BatchResult) -> Upload:
    column = existing_column(batch, LMS)
    header: CsvCell = Verbatim(column.header) if column else item_header(batch.key.rubric.title, lms_score(batch.key.possible))
    return planned(batch, LMS, [(*IDENTITY, header)], identity_cells, column.header if column else "")


EXPORTER = Exporter(name="Sakai gradebook import", render=partial(render_upload, plan))
