"""`lms/<assignment>-moodle.csv`: Moodle CSV grade import (moodle grade/import/csv/classes/load_data.php).

Moodle matches users on one column the TA picks ("Map from"); one row whose key is unknown, or a
blank key, aborts the whole import. So the file has exactly one key column, chosen once for the
class (`ID number`, else `Username`, else `Email address`: the first every student has most often),
and a student without it is left out and listed. Grade columns are mapped by hand, so the header
is the rubric's title; a value above 100 (the site's default grade limit) would abort the import."""
from __future__ import annotations

from functools import partial

from grader.course.class_results import BatchResult
from grader.course.roster_matching import identity
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

LMS = "moodle"
NAMES = ("First name", "Last name")
KEYS = ("ID number", "Username", "Email address")  # Map to: useridnumber, username, useremail
NO_KEY = "no {} (the column this file maps users from): Moodle aborts the whole import on a blank user key"


def key_value(person: Person, column: str) -> str:
    if person.source is not None and person.source.lms == LMS:
        return person.key(column) or ""
    return {"ID number": person.student_id, "Username": person.login, "Email address": person.email}[column]


def key_column(batch: BatchResult) -> str:
    """The key most students have; ties go to the first of KEYS."""
    people = [identity(result) for result in batch.counted]
    return max(KEYS, key=lambda column: (sum(1 for person in people if key_value(person, column)), -KEYS.index(column)))


def plan(batch: BatchResult) -> Upload:
    key = key_column(batch)

    def identity_cells(person: Person) -> IdentityCells:
        value = key_value(person, key)
        if not value or value == "0":  # PHP's empty("0") is true: Moodle treats it as blank
            return NO_KEY.format(key)
        return [*split_name(person.name), given(person, value)]

    column = existing_column(batch, LMS)
    title = batch.key.rubric.title
    return planned(batch, LMS, [(*NAMES, key, title)], identity_cells, column.header if column else "")


EXPORTER = Exporter(name="Moodle grade import", render=partial(render_upload, plan))
