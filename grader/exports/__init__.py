"""The registry of export formats: a new format is one module, listed here once."""
from __future__ import annotations

from grader.exports import grades_csv, gradebook_xlsx, student_reports
from grader.exports.base import Exporter, Rendered

EXPORTERS: tuple[Exporter, ...] = (student_reports.EXPORTER, grades_csv.EXPORTER, gradebook_xlsx.EXPORTER)

__all__ = ["EXPORTERS", "Exporter", "Rendered"]
