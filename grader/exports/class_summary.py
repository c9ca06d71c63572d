"""`summary.html`: where the class went wrong, one self-contained page (inline SVG, no script, no network)."""
from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader

from grader.base.numbers import format_number
from grader.course.class_results import BatchResult
from grader.course.statistics import ClassStatistics, ItemStatistics, SharedAnswers
from grader.exports.exporter import Exporter, Rendered

FILE_NAME = "summary.html"
SHARED_FILE_NAME = "shared-answers.csv"  # every finding; the page shows the first few
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 600, 200, 4
# The page is read by a person and stays a few hundred KB whatever the class: the rarest findings,
# each naming its first students.
SHOWN_FINDINGS, SHOWN_STUDENTS = 50, 12


def template_environment() -> Environment:
    """Autoescaping everywhere: student text and rubric text are both untrusted in a page."""
    return Environment(
        loader=PackageLoader("grader", "templates"), autoescape=True, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True
    )


def _figure(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _item(item: ItemStatistics) -> dict[str, Any]:
    return {
        "name": item.name,
        "possible": format_number(item.possible),
        "share_correct": _percent(item.share_correct),
        "difficulty": _percent(item.difficulty),
        "discrimination": _figure(item.discrimination),
        "wrong": [{"value": format_number(w.value), "students": w.students, "mistake": w.mistake} for w in item.wrong],
    }


def _bars(stats: ClassStatistics) -> list[dict[str, Any]]:
    """Bar geometry for the inline SVG, computed here so the template only places rectangles."""
    bins = stats.distribution
    tallest = max((b.students for b in bins), default=0) or 1
    width = CHART_WIDTH / len(bins)
    bars = []
    for index, bin_ in enumerate(bins):
        height = round(bin_.students / tallest * (CHART_HEIGHT - 20))
        bars.append({
            "x": round(index * width + BAR_GAP / 2, 1), "width": round(width - BAR_GAP, 1),
            "y": CHART_HEIGHT - height, "height": height, "students": bin_.students,
            "label": f"{format_number(bin_.low)}–{format_number(bin_.high)}", "middle": round((index + 0.5) * width, 1),
        })
    return bars


def summary_context(batch: BatchResult) -> dict[str, Any]:
    stats = batch.statistics
    rubric = batch.key.rubric
    return {
        "title": rubric.title,
        "assignment": rubric.assignment,
        "counted": len(stats.scores),
        "counts": batch.counts_text(),
        "possible": format_number(stats.possible),
        "mean": _figure(stats.mean),
        "median": _figure(stats.median),
        "spread": _figure(stats.spread),
        "bars": _bars(stats),
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT},
        "problems": [_item(item) for item in stats.problems],
        "answers": [_item(item) for item in stats.answers],
        "not_graded": [{"path": item.path, "reason": item.reason} for item in batch.not_graded],
        "shared": [_finding(finding) for finding in stats.shared[:SHOWN_FINDINGS]],
        "shared_total": len(stats.shared),
        "shared_file": SHARED_FILE_NAME,
    }


def _finding(finding: SharedAnswers) -> dict[str, Any]:
    shown = finding.students[:SHOWN_STUDENTS]
    more = len(finding.students) - len(shown)
    return {
        "size": len(finding.students),
        "students": " & ".join(shown) + (f" and {more} more" if more else ""),
        "answers": [f"{path} = {format_number(value)} ({count} of {finding.counted})"
                    for (path, value), count in zip(finding.answers, finding.givers)],
    }


def render(batch: BatchResult) -> Rendered:
    html = template_environment().get_template("summary.html.j2").render(summary_context(batch))
    yield FILE_NAME, html.encode("utf-8")


EXPORTER = Exporter(name="class summary", render=render)
