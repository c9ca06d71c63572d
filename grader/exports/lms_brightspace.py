"""`lms/<assignment>-brightspace.csv`: Brightspace grades import: `OrgDefinedId`, `Username` (the
first two columns; either one identifies the student), `<item> Points Grade`, and the
`End-of-Line Indicator` column whose every value is `#`.

The export's own item header is reused when the roster was a Brightspace export; otherwise
`<title> Points Grade <Numeric MaxPoints:N>` gives a new item its maximum. Keys from an export keep
the `#` Brightspace puts in front of them."""
from __future__ import annotations

from functools import partial

from grader.base.numbers import format_number
from grader.course.class_results import BatchResult
from grader.exports.csv_text import CsvCell, Verbatim
from grader.exports.exporter import Exporter
from grader.exports.lms_rows import (
    IdentityCells,
    Upload,
    existing_column,
    given,
    own_login,
    planned,
    render_upload,
)
from grader.intake.roster import Person

LMS = "brightspace"
IDENTITY = ("OrgDefinedId", "Username")
END_OF_LINE = "End-of-Line Indicator"


def identity_cells(person: Person) -> IdentityCells:
    if person.source is not None and person.source.lms == LMS:
        return [Verbatim(person.key("OrgDefinedId") or ""), Verbatim(person.key("Username") or "")]
    return [given(person, person.student_id), given(person, own_login(person))]


def plan(batch: BatchResult) -> Upload:
    column = existing_column(batch, LMS)
    title = batch.key.rubric.title
    header: CsvCell = Verbatim(column.header) if column else f"{title} Points Grade <Numeric MaxPoints:{format_number(batch.key.possible)}>"
    head: list[tuple[CsvCell, ...]] = [(*IDENTITY, header, END_OF_LINE)]
    return planned(batch, LMS, head, identity_cells, column.header if column else "", tail=("#",))


EXPORTER = Exporter(name="Brightspace grades import", render=partial(render_upload, plan))
