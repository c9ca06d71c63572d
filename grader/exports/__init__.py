"""The outputs: every export format (reports, summary, grades.csv, workbook, LMS files), a registry in
which a new format is one module listed here once. Takes in a BatchResult; gives out each file's
name and bytes, written by grader.output at the edge."""
from __future__ import annotations

from grader.exports import (
    class_summary,
    gradebook_xlsx,
    grades_csv,
    lms_blackboard,
    lms_brightspace,
    lms_canvas,
    lms_moodle,
    lms_sakai,
    lms_uploads,
    not_graded_csv,
    shared_answers_csv,
    student_markdown,
    student_reports,
)
from grader.exports.exporter import Exporter, Rendered

# In the order the shell starts them: the workbook first, so that a worker takes it while the
# reports queue behind it and this process writes the smaller whole-class files.
EXPORTERS: tuple[Exporter, ...] = (
    gradebook_xlsx.EXPORTER,
    student_reports.EXPORTER,
    student_markdown.EXPORTER,
    grades_csv.EXPORTER,
    class_summary.EXPORTER,
    not_graded_csv.EXPORTER,
    shared_answers_csv.EXPORTER,
    lms_canvas.EXPORTER,
    lms_moodle.EXPORTER,
    lms_blackboard.EXPORTER,
    lms_brightspace.EXPORTER,
    lms_sakai.EXPORTER,
    lms_uploads.EXPORTER,
)

__all__ = ["EXPORTERS", "Exporter", "Rendered"]
