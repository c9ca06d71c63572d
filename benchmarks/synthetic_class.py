"""Synthetic classes of the bundled homework for the benchmarks, written as YAML files.

Two kinds:

- `realistic` (the default): every answer drawn on its own, for each student on its own, from
  what a real class writes: mostly the key's value, some diagnosed mistakes (the rubric's named
  wrong values), small slips (off by one, a power of ten, a dropped sign, a nearby number), the
  right value typed another way (`7,200`, `7 200`, `7.2e3`, a Unicode minus), blanks and text
  no number reader can read. Few students then share a whole problem, and none a report.
- `shared`: each problem's answers copied from one of the seven bundled examples, so that
  nearly every verdict, report section and workbook row is shared between students.
"""
from __future__ import annotations

import random
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from grader.rubric.answer_key import AnswerKey, KeyEntry, build_answer_key
from grader.rubric.model import load_rubric

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rubrics" / "sml-hw4.yaml"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Shares of the answers, drawn independently per answer; the rest is right as usually typed.
MISTAKE, SLIP, FORMATTED, BLANK, UNREADABLE = 0.08, 0.08, 0.08, 0.04, 0.015
UNREADABLE_TEXT = ("see notes", "??", "about {}", "{} (not sure)", "don't know", "N/A", "{} or so", "idk")


def example_answers() -> list[dict]:
    answers = []
    for path in sorted((ROOT / "submissions").glob("*.yaml")):
        try:
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        except yaml.YAMLError:
            continue
        if isinstance(document, dict) and isinstance(document.get("answers"), dict):
            answers.append(document["answers"])
    return answers


def _plain(value: Fraction | int) -> int | float:
    fraction = Fraction(value)
    return int(fraction) if fraction.denominator == 1 else float(fraction)


def _formatted(rng: random.Random, value: Fraction | int) -> Any:
    """The right value as people also type it."""
    number = _plain(value)
    if isinstance(number, float) or rng.random() < 0.25:
        return f"{float(number)}"
    if number < 0 and rng.random() < 0.5:
        return f"\u2212{-number}"
    if abs(number) >= 1000:
        return rng.choice([f"{number:,}", f"{number:,}".replace(",", " "), f"{number:.3e}".replace("e+0", "e")])
    return f"{number}.0"


def _slip(rng: random.Random, value: Fraction | int) -> int | float:
    """A small mistake of one's own: the nearby, the scaled, the sign dropped."""
    number = _plain(value)
    kind = rng.random()
    if kind < 0.25:
        return number + rng.choice((-1, 1))
    if kind < 0.45:
        return number * rng.choice((10, -1)) if number else 1
    if kind < 0.6 and abs(number) >= 10:
        return number // 10
    spread = max(2, int(abs(number) * 0.2))
    return number + rng.choice((-1, 1)) * rng.randint(1, spread)


def _unreadable(rng: random.Random, value: Fraction | int) -> str:
    return rng.choice(UNREADABLE_TEXT).format(_plain(value))


def _answer(rng: random.Random, entry: KeyEntry) -> Any:
    roll = rng.random()
    for share, make in ((MISTAKE, partial(_mistaken, entry=entry)), (SLIP, _slip), (FORMATTED, _formatted), (BLANK, _blank), (UNREADABLE, _unreadable)):
        if roll < share:
            return make(rng, entry.value)
        roll -= share
    return _plain(entry.value)


def _mistaken(rng: random.Random, value: Fraction | int, entry: KeyEntry) -> int | float:
    return _plain(rng.choice(entry.mistakes).value) if entry.mistakes else _slip(rng, value)


def _blank(rng: random.Random, value: object) -> None:
    return None


def _nest(answers: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for name in parents:
        answers = answers.setdefault(name, {})
    answers[leaf] = value


def realistic_answers(rng: random.Random, key: AnswerKey) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for entry in key.entries:
        _nest(answers, entry.path, _answer(rng, entry))
    return answers


def write_class(folder: Path, students: int, seed: int, kind: str = "realistic") -> list[Path]:
    rng = random.Random(seed)
    if kind == "shared":
        examples = example_answers()
        make = lambda: {problem: rng.choice(examples).get(problem) for problem in ("q1", "q2", "q3")}  # noqa: E731
    else:
        key = build_answer_key(load_rubric(RUBRIC))
        make = lambda: realistic_answers(rng, key)  # noqa: E731
    paths = []
    for index in range(students):
        document = {"student_id": f"b{index:06d}", "name": f"Student {index}", "answers": make()}
        path = folder / f"b{index:06d}.yaml"
        path.write_text(yaml.dump(document, allow_unicode=True, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)), encoding="utf-8")
        paths.append(path)
    return paths
