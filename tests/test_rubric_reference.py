"""docs/rubrics.md is the one complete reference of the rubric: every field the rubric reader
accepts, at any level, is documented there (a kind's own given fields may be in the kind's page
under docs/kinds/, which it links). The fields are found by recording what the reader
asks for while it reads rubrics that use every section, so a new field fails this test until
it is documented."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.base.fields import FieldReader
from grader.rubric.answer_key import build_answer_key
from grader.rubric.model import parse_rubric
from tests.homework import ROOT

REFERENCE = ROOT / "docs" / "rubrics.md"

EVERY_SECTION = """
assignment: everything
title: Every field
reveal: after_due
due: 2026-12-01T23:59:00+01:00
points: 1
carried_forward: 0.5
tolerance: {absolute: 0, relative: 0.001, significant_figures: 3}
resubmissions: latest
deadline: 2026-11-21 23:59
late: {due: 2026-11-20 23:59, timezone: Europe/Berlin, grace_minutes: 15, penalty_per_day: 10, cap: 50, zero_after_days: 7}
problems:
  - id: q1
    kind: convolution-cost
    title: t
    text: An input of {input}
    points: 2
    tolerance: {relative: 0.01}
    given: {input: [30, 30, 20], kernel: 3, output: [15, 15, 40]}
    ask: [standard.*, separable.*, ratio]
    answers:
      ratio:
        points: 3
        tolerance: {absolute: 0.001}
        partial: [{tolerance: {relative: 0.05}, credit: 0.5}]
        builds_on: [q1.standard.macs]
        carried_forward: 1
    mistakes:
      - {answer: standard.weights, value: "kernel*kernel*input_3*output_3*2", feedback: Each weight is counted once., credit: 0.5}
"""


def fields_read(monkeypatch: pytest.MonkeyPatch, documents: list[Any]) -> set[str]:
    """The name of every field any FieldReader was asked for, as the author writes it (the last
    part of its path: `grace_minutes`, `significant_figures`)."""
    asked: set[str] = set()
    original = FieldReader.raw

    def recording(self: FieldReader, name: str, *args: Any, **kwargs: Any) -> Any:
        if name:
            asked.add(name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(FieldReader, "raw", recording)
    for document in documents:
        parse_rubric(document, "rubric.yaml")
    return asked


def test_every_field_the_reader_accepts_is_in_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "rubrics").glob("*.yaml"))]
    asked = fields_read(monkeypatch, [yaml.safe_load(EVERY_SECTION), *bundled])
    assert {"late", "grace_minutes", "resubmissions", "deadline", "mistakes", "partial", "carried_forward", "due"} <= asked
    text = "\n".join(path.read_text(encoding="utf-8") for path in (REFERENCE, *sorted((ROOT / "docs" / "kinds").glob("*.md"))))
    undocumented = sorted(name for name in asked if not re.search(rf"(`{re.escape(name)}`|\b{re.escape(name)}:)", text))
    assert undocumented == [], undocumented


def test_every_reveal_policy_and_resubmission_rule_is_in_the_reference() -> None:
    from grader.rubric.resubmission_rule import RULES
    from grader.rubric.scoring_settings import REVEAL_POLICIES

    text = REFERENCE.read_text(encoding="utf-8")
    for word in (*REVEAL_POLICIES, *RULES):
        assert f"`{word}`" in text or re.search(rf"\b{word}\b \|| \| {word}\b", text), word


def test_the_reference_example_rubric_is_valid() -> None:
    """The complete example in the reference is a rubric the reader accepts as written."""
    text = REFERENCE.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    complete = [block for block in blocks if block.startswith("assignment:") and "problems:" in block and "{...}" not in block]
    assert complete, "no complete example rubric in docs/rubrics.md"
    for block in complete:
        rubric = parse_rubric(yaml.safe_load(block), str(Path("docs/rubrics.md")))
        key = build_answer_key(rubric)  # its answers, rules and mistakes are well-formed too
        assert rubric.late is not None and rubric.reveal.policy == "after_due" and key.entries
