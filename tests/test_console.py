"""grader.console: the terminal views, read as a student or a TA would read them."""
from __future__ import annotations

from grader.console import check_as_text, key_as_text, summary_as_text
from grader.course.file_grading import grade_files
from tests.homework import SUBMISSIONS


def test_check_colours_rows_by_verdict_only_when_asked(homework_key) -> None:
    batch = grade_files(homework_key, [SUBMISSIONS / "katherine-johnson.yaml"])
    result = batch.results[0]
    plain = check_as_text(result, homework_key, reveal=False)
    coloured = check_as_text(result, homework_key, reveal=False, colour=True)
    assert "\033[" not in plain
    assert "\033[31mq3.grad.y1" in coloured  # wrong: red
    assert "\033[36mq3.grad.x1" in coloured  # right given earlier answers: cyan
    assert "\033[32mq1.standard.weights" in coloured  # right: green
    assert "Score: 36 / 37 (32 correct, 4 correct given earlier answers, 1 incorrect)" in plain


def test_check_shows_expected_values_only_when_revealed(homework_key) -> None:
    result = grade_files(homework_key, [SUBMISSIONS / "alan-turing.json"]).results[0]
    hidden = check_as_text(result, homework_key, reveal=False)
    shown = check_as_text(result, homework_key, reveal=True)
    assert "expected" not in hidden.splitlines()[1] and "expected" in shown.splitlines()[1]
    weights = next(line for line in shown.splitlines() if line.startswith("q1.standard.weights"))
    assert "7240" in weights and "7200" in weights and "[bias counted]" in weights


def test_key_text_names_the_rule_where_any_valid_answer_counts(homework_key) -> None:
    assert "q2.a.padding" in key_as_text(homework_key)
    assert "or any answers satisfying W2 = (W1 − F + 2P)/S + 1" in key_as_text(homework_key)


def test_summary_lists_what_needs_attention(homework_key) -> None:
    from grader.intake.discovery import find_submission_files

    text = summary_as_text(grade_files(homework_key, find_submission_files([SUBMISSIONS])))
    assert "2 submission(s) need attention:" in text
    assert "claude-shannon.yaml [needs review]: unreadable answers: q1.standard.macs" in text


def test_the_self_check_shows_what_was_read_beside_what_was_typed(homework_key) -> None:
    from grader.console import check_as_text
    from grader.intake.submission import Submission
    from grader.judging.scoring import grade_submission

    result = grade_submission(homework_key, Submission("s.yaml", "s1", "", {"q1.standard.weights": "7200 weights"}))
    assert "(read as 7200 (the word 'weights' after the number is set aside)) Correct." in check_as_text(result, homework_key, False)
