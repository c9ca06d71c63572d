"""`lms/<assignment>-blackboard.csv`: Blackboard Learn Grade Center upload, every field quoted as
Blackboard asks of comma-delimited files.

Blackboard matches students on `Username` only, and a column on its `|<column id>`: the Grade
Center download's own header is reused when the roster was that download. Without one, the
header `Title [Total Pts: N Score]` makes Blackboard create a new column (docs/lms.md: create the
column first, download, and pass that download as --roster)."""
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
    planned,
    render_upload,
)
from grader.intake.roster import Person, split_name

LMS = "blackboard"
IDENTITY = ("Last Name", "First Name", "Username")
NO_USERNAME = "no Blackboard username: pass the Grade Center download as --roster, or add a username column to the roster"


def identity_cells(person: Person) -> IdentityCells:
    if not person.login:
        return NO_USERNAME
    first, last = split_name(person.name)
    return [last, first, given(person, person.login)]


def plan(batch: BatchResult) -> Upload:
    column = existing_column(batch, LMS)
    header: CsvCell = Verbatim(column.header) if column else f"{batch.key.rubric.title} [Total Pts: {format_number(batch.key.possible)} Score]"
    return planned(batch, LMS, [(*IDENTITY, header)], identity_cells, column.header if column else "", quoted=True)


EXPORTER = Exporter(name="Blackboard Grade Center upload", render=partial(render_upload, plan))
