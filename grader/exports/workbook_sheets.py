"""The workbook's sheets beyond Grades: every answer as written, and the class statistics with a
native bar chart of the score distribution."""
from __future__ import annotations

from typing import Iterable, Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from grader.class_statistics import ClassStatistics, ItemStatistics
from grader.exports.xlsx_cells import XlsxCell, cell_value
from grader.numbers import format_number
from grader.results import BatchResult

ANSWER_HEADERS = ("student_id", "name", "answer", "problem", "wrote", "read as", "verdict", "points", "possible", "feedback")
ITEM_HEADERS = ("item", "possible", "share correct", "difficulty", "discrimination", "frequent wrong values (students)")
SHARE_FORMAT = "0.0%"
RATIO_FORMAT = "0.00"


def append_rows(sheet: Worksheet, rows: Iterable[Sequence[XlsxCell]]) -> None:
    for row in rows:
        sheet.append([cell_value(value) for value in row])


def bold_row(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)


def set_widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def add_answers_sheet(workbook: Workbook, batch: BatchResult) -> None:
    """A row per student and answer: filterable by answer or verdict to see who wrote what."""
    sheet = workbook.create_sheet("Answers")
    sheet.append(list(ANSWER_HEADERS))
    bold_row(sheet, 1)
    append_rows(
        sheet,
        (
            (r.student_id, r.name, v.path, v.problem_id, v.raw_text, v.value, v.status.value, v.points, v.possible, v.feedback)
            for r in batch.results
            for v in r.verdicts
        ),
    )
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    set_widths(sheet, (14, 24, 26, 9, 22, 12, 12, 8, 9, 40))


def add_statistics_sheet(workbook: Workbook, stats: ClassStatistics) -> None:
    sheet = workbook.create_sheet("Statistics")
    append_rows(sheet, [("Class", "value"), ("students counted", len(stats.scores)), ("points possible", stats.possible),
                        ("mean", stats.mean), ("median", stats.median), ("spread (standard deviation)", stats.spread)])
    bold_row(sheet, 1)
    _item_table(sheet, "problem", stats.problems)
    _item_table(sheet, "answer", stats.answers)
    _shared_table(sheet, stats)
    _distribution(sheet, stats)
    set_widths(sheet, (28, 10, 14, 12, 15, 40, 2, 14, 10))


def _item_table(sheet: Worksheet, label: str, items: tuple[ItemStatistics, ...]) -> None:
    sheet.append([])
    sheet.append([label, *ITEM_HEADERS[1:]])
    bold_row(sheet, sheet.max_row)
    for item in items:
        wrong = "; ".join(f"{format_number(w.value)} ({w.students})" for w in item.wrong)
        append_rows(sheet, [(item.name, item.possible, item.share_correct, item.difficulty, item.discrimination, wrong)])
        row = sheet.max_row
        sheet.cell(row, 3).number_format = sheet.cell(row, 4).number_format = SHARE_FORMAT
        sheet.cell(row, 5).number_format = RATIO_FORMAT


def _shared_table(sheet: Worksheet, stats: ClassStatistics) -> None:
    sheet.append([])
    sheet.append(["students sharing rare wrong answers", "", "", "", "", "answers (value)"])
    bold_row(sheet, sheet.max_row)
    for shared in stats.shared:
        answers = "; ".join(f"{path} ({format_number(value)})" for path, value in shared.answers)
        append_rows(sheet, [(" & ".join(shared.students), "", "", "", "", answers)])


def _distribution(sheet: Worksheet, stats: ClassStatistics) -> None:
    """The bins sit in columns H:I beside the tables; the chart reads them from there."""
    sheet.cell(1, 8, "score from").font = Font(bold=True)
    sheet.cell(1, 9, "students").font = Font(bold=True)
    for row, bin_ in enumerate(stats.distribution, start=2):
        sheet.cell(row, 8, format_number(bin_.low))
        sheet.cell(row, 9, bin_.students)
    last = len(stats.distribution) + 1
    chart = BarChart()
    chart.title = "Score distribution"
    chart.y_axis.title = "students"
    chart.x_axis.title = "score from"
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=9, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=8, min_row=2, max_row=last))
    sheet.add_chart(chart, "K2")
