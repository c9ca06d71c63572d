"""`lms/<assignment>-canvas.csv`: Canvas gradebook import (canvas-lms lib/gradebook_importer.rb).

Identity columns `Student, ID, SIS User ID, SIS Login ID, Section` (Section last: the importer
requires it), then the assignment: the export's own `Title (id)` column when the roster was a
Canvas export, so the scores land on the existing assignment; else the rubric's title, which
Canvas creates with the `Points Possible` row's points. Canvas matches a student on `ID`, then
`SIS User ID`, `SIS Login ID`, then the name. `EX` excuses."""
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
    own_login,
    planned,
    render_upload,
)
from grader.intake.roster import Person

LMS = "canvas"
IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
EXCUSED = "EX"


def identity_cells(person: Person) -> IdentityCells:
    canvas = person.source is not None and person.source.lms == LMS
    sis_id = person.key("SIS User ID") if canvas else person.student_id
    return [
        person.name, given(person, person.lms_id), given(person, sis_id or ""), given(person, own_login(person)),
        person.section,
    ]


def plan(batch: BatchResult) -> Upload:
    column = existing_column(batch, LMS)
    header = column.header if column else batch.key.rubric.title
    head: list[tuple[CsvCell, ...]] = [
        (*IDENTITY, Verbatim(header) if column else header),
        (POINTS_POSSIBLE, "", "", "", "", lms_score(batch.key.possible)),
    ]
    return planned(batch, LMS, head, identity_cells, header, EXCUSED)


EXPORTER = Exporter(name="Canvas gradebook import", render=partial(render_upload, plan))
