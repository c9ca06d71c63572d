"""The workbook's sheets, written in openpyxl's write-only mode. The Grades and Answers sheets'
data rows, a cell per student and answer, are returned as text (`xlsx_rows`) to be spliced in
after openpyxl has saved the rest; their headers, panes, filters and widths stay openpyxl's.
The Statistics sheet, small and laid out in two blocks side by side, is composed as a grid first
and then streamed."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Iterator, Mapping, Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from grader.base.numbers import format_number
from grader.course.class_results import BatchResult
from grader.course.statistics import ClassStatistics, ItemStatistics
from grader.exports.class_summary import SHARED_FILE_NAME, SHOWN_FINDINGS
from grader.exports.gradebook_table import POSSIBLE_LABEL, Table
from grader.exports.xlsx_cells import XlsxCell, cell_value
from grader.exports.xlsx_rows import CELL_CACHE, ColumnCells, SheetRows, cell_xml, number_style, row_xml, table_rows
from grader.judging.results import StudentResult, Verdict

IDENTITY = ("student_id", "name")
ITEM_HEADERS = ("item", "possible", "share correct", "difficulty", "discrimination", "frequent wrong values (students)")
TEXT_WIDTHS = {"student_id": 14, "name": 24, "status": 14, "file": 30, "notes": 40}
SHOWN_AS_IS = frozenset((str, int, bool, type(None)))
DISTINCT = {"student_id", "name", "file"}  # one value per student: not worth remembering
DECIMAL, SHARE_FORMAT, RATIO_FORMAT = "0.00", "0.0%", "0.00"
BOLD = Font(bold=True)


def styled(sheet: WriteOnlyWorksheet, value: XlsxCell, bold: bool = False, number_format: str | None = None) -> Cell:
    cell = WriteOnlyCell(sheet, cell_value(value))
    if bold:
        cell.font = BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def set_widths(sheet: WriteOnlyWorksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]  # in openpyxl, not in its stubs


def _column_format(values: Sequence[XlsxCell]) -> str | None:
    """Two decimals for a column of points with fractions. Whole numbers need no format (General
    shows them the same), and a styled cell costs three plain ones to write."""
    if values and all(isinstance(value, Fraction) for value in values) and any(value.denominator != 1 for value in values):  # type: ignore[union-attr]
        return DECIMAL
    return None


def add_grades_sheet(workbook: Workbook, table: Table) -> SheetRows:
    """A row a student under the header and the points-possible row, both frozen; filterable."""
    sheet = workbook.create_sheet("Grades")
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{len(table.rows) + 2}"
    set_widths(sheet, [TEXT_WIDTHS.get(header, max(8, len(header) + 2)) for header in table.headers])
    formats = [
        _column_format([row[index] for row in table.rows] + [p for p in (table.possible[index],) if p is not None])
        for index in range(len(table.headers))
    ]
    possible = [POSSIBLE_LABEL if index == 0 else p for index, p in enumerate(table.possible)]
    sheet.append([styled(sheet, header, bold=True) for header in table.headers])
    sheet.append([styled(sheet, value, bold=True, number_format=fmt) for value, fmt in zip(possible, formats)])
    columns = [
        ColumnCells(get_column_letter(index), number_style(sheet, fmt) if fmt else None, header not in DISTINCT)
        for index, (header, fmt) in enumerate(zip(table.headers, formats), start=1)
    ]
    return SheetRows("Grades", table_rows(table.rows, columns, first=3), len(table.rows) + 2, len(table.headers))


def add_answers_sheet(workbook: Workbook, batch: BatchResult) -> SheetRows:
    """A row per student with, for each answer, what they wrote and the verdict: filter a verdict
    column to see who got that part wrong and what they wrote. (A row per answer would be easier
    to pivot but five times the cells, which a class of thousands pays for in seconds.)"""
    sheet = workbook.create_sheet("Answers")
    paths = [entry.path for entry in batch.key.entries]
    headers = [*IDENTITY, *(f"{path}{suffix}" for path in paths for suffix in ("", " verdict"))]
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(batch.results) + 1}"
    set_widths(sheet, [14, 24, *([14] * (len(headers) - 2))])
    sheet.append([styled(sheet, header, bold=True) for header in headers])
    return SheetRows("Answers", _answer_rows(batch.results, len(paths)), len(batch.results) + 1, len(headers))


def _answer_rows(results: Iterable[StudentResult], answers: int) -> Iterator[str]:
    ids, names = ColumnCells("A", repeats=False), ColumnCells("B", repeats=False)
    pairs = [VerdictCells(get_column_letter(3 + 2 * index), get_column_letter(4 + 2 * index)) for index in range(answers)]
    for number, result in enumerate(results, start=2):
        cells = [ids(result.student_id), names(result.name)]
        for pair, verdict in zip(pairs, result.verdicts):  # inlined: a call would cost more than the look-up
            text = pair.known.get(id(verdict))
            cells.append(pair.add(verdict) if text is None else text)
        yield row_xml(number, cells)


@dataclass
class VerdictCells:
    """One answer's two cells: what the student wrote and the verdict. A Verdict shared by many
    students is found by identity (`known`), and kept so that its id cannot be reused while the
    sheet is written; a new one by what was written and its status (`made`). What was written is
    keyed by itself where equal values always show alike (not floats: 0.0 == -0.0), else by its
    text; the status, an Enum member, by its id, as hashing an Enum runs Python code."""

    answer: str
    status: str
    known: dict[int, str] = field(default_factory=dict)
    kept: list[Verdict] = field(default_factory=list)
    made: dict[tuple[object, type, int], str] = field(default_factory=dict)

    def add(self, verdict: Verdict) -> str:
        if len(self.kept) >= CELL_CACHE:  # a realistic class: few students share a verdict, so keep only the recent
            self.known.clear()
            self.kept.clear()
            self.made.clear()
        raw, kind = verdict.raw, type(verdict.raw)
        key = (raw, kind, id(verdict.status)) if kind in SHOWN_AS_IS else (verdict.raw_text, str, id(verdict.status))
        text = self.made.get(key)
        if text is None:
            text = self.made[key] = cell_xml(self.answer, verdict.raw_text) + cell_xml(self.status, verdict.status.value)
        self.known[id(verdict)] = text
        self.kept.append(verdict)
        return text


class Grid:
    """A small sheet composed by position, then streamed row by row."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[XlsxCell, bool, str | None]] = {}
        self.rows = 0

    def put(self, row: int, column: int, value: XlsxCell, bold: bool = False, number_format: str | None = None) -> None:
        self.cells[(row, column)] = (value, bold, number_format)
        self.rows = max(self.rows, row)

    def append(self, values: Iterable[XlsxCell], bold: bool = False, formats: dict[int, str] | None = None) -> None:
        row = self.rows + 1
        for column, value in enumerate(values, start=1):
            self.put(row, column, value, bold, (formats or {}).get(column))
        self.rows = row

    def write(self, sheet: WriteOnlyWorksheet) -> None:
        width = max((column for _, column in self.cells), default=0)
        for row in range(1, self.rows + 1):
            line = []
            for column in range(1, width + 1):
                value, bold, fmt = self.cells.get((row, column), (None, False, None))
                line.append(styled(sheet, value, bold, fmt) if bold or fmt else cell_value(value))
            sheet.append(line)


def add_not_graded_sheet(workbook: Workbook, batch: BatchResult) -> None:
    """Every path passed over and why: present (with its header alone) on every run."""
    sheet = workbook.create_sheet("Not graded")
    set_widths(sheet, (60, 70))
    sheet.append([styled(sheet, header, bold=True) for header in ("path", "reason")])
    for item in batch.not_graded:
        sheet.append([cell_value(item.path), cell_value(item.reason)])


def add_statistics_sheet(workbook: Workbook, stats: ClassStatistics, standings: Mapping[str, int]) -> None:
    """`standings`: how many results stand where (graded, needs review, …), as every output counts them."""
    sheet = workbook.create_sheet("Statistics")
    grid = Grid()
    grid.append(("Class", "value"), bold=True)
    for label, value in (("students counted", len(stats.scores)), ("points possible", stats.possible), ("mean", stats.mean),
                         ("median", stats.median), ("spread (standard deviation)", stats.spread)):
        grid.append((label, value))
    for standing, count in standings.items():
        grid.append((f"submissions {standing}", count))
    _item_table(grid, "problem", stats.problems)
    _item_table(grid, "answer", stats.answers)
    _shared_table(grid, stats)
    last = _distribution(grid, stats)
    set_widths(sheet, (28, 10, 14, 12, 15, 40, 2, 14, 10))
    grid.write(sheet)
    chart = BarChart()
    chart.title = "Score distribution"
    chart.y_axis.title = "students"
    chart.x_axis.title = "score from"
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=9, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=8, min_row=2, max_row=last))
    sheet.add_chart(chart, "K2")


def _item_table(grid: Grid, label: str, items: tuple[ItemStatistics, ...]) -> None:
    grid.rows += 1  # a blank row before each table
    grid.append((label, *ITEM_HEADERS[1:]), bold=True)
    for item in items:
        wrong = "; ".join(f"{format_number(w.value)} ({w.students})" for w in item.wrong)
        grid.append((item.name, item.possible, item.share_correct, item.difficulty, item.discrimination, wrong),
                    formats={3: SHARE_FORMAT, 4: SHARE_FORMAT, 5: RATIO_FORMAT})


def _shared_table(grid: Grid, stats: ClassStatistics) -> None:
    """The rarest groups, as on summary.html; every group is in shared-answers.csv."""
    grid.rows += 1  # a blank row before the table
    grid.append(("students sharing rare wrong answers", "", "", "", "", "answers (value, students in the class who gave it)"), bold=True)
    for shared in stats.shared[:SHOWN_FINDINGS]:
        answers = "; ".join(f"{path} ({format_number(value)}, {count})" for (path, value), count in zip(shared.answers, shared.givers))
        grid.append((" & ".join(shared.students), "", "", "", "", answers))
    if len(stats.shared) > SHOWN_FINDINGS:
        grid.append((f"the {SHOWN_FINDINGS} rarest of {len(stats.shared)} groups; all are in {SHARED_FILE_NAME}",))


def _distribution(grid: Grid, stats: ClassStatistics) -> int:
    """The bins sit in columns H:I beside the tables, where the chart reads them; returns the last row."""
    grid.put(1, 8, "score from", bold=True)
    grid.put(1, 9, "students", bold=True)
    for row, bin_ in enumerate(stats.distribution, start=2):
        grid.put(row, 8, format_number(bin_.low))
        grid.put(row, 9, bin_.students)
    return len(stats.distribution) + 1
