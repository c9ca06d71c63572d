"""An answer as a TA reads it: the number in what a student typed, and a note saying how it was read.

`grader.base.numbers.read_number` reads a number and refuses anything it would have to guess;
this layer first sets aside what a TA reads past without hesitation (a unit or word after the
number, `$…$`, working in brackets after the answer, a remark after it, `≈`), expands what a TA
expands (`k`/`M`/`G`, `3x3x20x40`, Indian grouping, `same`/`valid` for a padding), and settles a
separator only where the answer's nature settles it (a count is whole, so `7.200` is 7200).
Whatever is left ambiguous is refused for a TA, never guessed; every step taken is noted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from grader.base.numbers import UnreadableNumber, format_number, read_number

MISSING_WORDS = frozenset({"n/a", "na", "n.a.", "idk", "i don't know", "dunno", "-", "--", "—", "–", "?", "??", "none", "skip", "tbd", "x"})
UNIT_WORDS = (
    "weights?", "param(?:eter)?s?", "macs?", "multiply[- ]accumulates?", "multiplications?", "mults?", "flops?", "ops",
    "operations?", "filters?", "kernels?", "channels?", "pixels?", "px", "units?", "activations?", "values?", "neurons?",
    "biases", "bias", "positions?", "steps?",
)
_UNIT = re.compile(r"^(?P<number>.*?[\d%)])\s*(?P<unit>(?:" + "|".join(UNIT_WORDS) + r"))\.?$", re.IGNORECASE)
_SCALES = {"k": 1000, "K": 1000, "M": 10**6, "G": 10**9, "thousand": 1000, "million": 10**6, "billion": 10**9}
_SCALE = re.compile(r"^(?P<number>[-+\u2212]?\d[\d.,]*)\s*(?P<scale>k|K|M|G|thousand|million|billion)$")
_DIMENSIONS = re.compile(r"^[1-9]\d*(?:\s*[xX\u00d7]\s*[1-9]\d*)+$")
_INDIAN = re.compile(r"^[-+\u2212]?\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?$")
_DOTTED_THOUSANDS = re.compile(r"^[-+\u2212]?[1-9]\d{0,2}(?:\.\d{3})+$")
_ONE_COMMA_GROUP = re.compile(r"^[-+\u2212]?[1-9]\d{0,2},\d{3}$")
_DECIMAL_COMMA = re.compile(r"^[-+\u2212]?(?:0,\d+|\d+,\d{1,2}|\d+,\d{4,})$")
_REMARK = re.compile(
    r"\s*(?:;|,?\s+(?:so|then|thus|hence|therefore|i\.e\.)\s+|,\s+|\s*(?:\u2192|->|=>)\s*)(?=[^=]*[^\W\d]\w*\s*=)", re.IGNORECASE
)
_ARROW = re.compile(r"\s*(?:\u2192|->|=>)\s*")
_TWO_VALUES = re.compile(r"\s+(?:or|and/or)\s+|\s*\|\s*", re.IGNORECASE)
_COUNTED = {"macs": "mac", "flops": "flop", "weights": "weight"}  # what a count is of, by the stem of its unit
_SHOWN = {"macs": "MACs", "flops": "FLOPs", "weights": "weights"}
_APPROXIMATELY = re.compile(r"^(?:\u2248|~|\u223c|approx\.?)\s*")


@dataclass(frozen=True)
class Hints:
    """What the question settles about an answer: whether it is whole (a count), whether a
    percentage may stand for it, and the words that name a value (`same`, `valid` for a padding)."""

    whole: bool | None = None
    percent_allowed: bool = False
    words: tuple[tuple[str, Fraction], ...] = ()
    asked: str = ""  # what the answer counts (`macs`, `flops`, `weights`), to note a unit that says otherwise


NO_HINTS = Hints()


@dataclass(frozen=True)
class Interpretation:
    """`value` read, or None with `outcome` saying why: missing, two values, or unreadable (`reason`)."""

    value: Fraction | None
    outcome: str = "number"  # number | missing | two values | unreadable
    notes: tuple[str, ...] = ()
    reason: str = ""


def interpret(raw: object, hints: Hints = NO_HINTS) -> Interpretation:
    if not isinstance(raw, str):
        try:
            return Interpretation(read_number(raw, percent_allowed=hints.percent_allowed))
        except UnreadableNumber as error:
            return Interpretation(None, "unreadable", reason=str(error))
    notes: list[str] = []
    text = raw.strip()
    if text.lower() in MISSING_WORDS:
        return Interpretation(None, "missing", (f"{text!r} counts as no answer",))
    try:
        return _interpret_text(text, hints, notes)
    except UnreadableNumber as error:
        return Interpretation(None, "unreadable", tuple(notes), str(error))


def _interpret_text(text: str, hints: Hints, notes: list[str]) -> Interpretation:
    text = _without_latex(text)
    text = _without_remark(text, notes)
    text = _without_bracketed_working(text, notes)
    text = _ARROW.sub(" = ", text)
    if _APPROXIMATELY.match(text) or "\u2248" in text:
        notes.append("≈ read as the value itself, judged within the answer's tolerance")
        text = _APPROXIMATELY.sub("", text).replace("\u2248", "=")
    values = [part for part in _TWO_VALUES.split(text) if part.strip()]
    if len(values) > 1:
        read = {_answer_value(part, hints, []) for part in values}
        if len(read) > 1:
            shown = " or ".join(format_number(value) for value in sorted(read))
            return Interpretation(None, "two values", tuple(notes), f"two values given ({shown}): give one answer")
        text = values[0]
    return Interpretation(_answer_value(text, hints, notes), notes=tuple(notes))


def _answer_value(text: str, hints: Hints, notes: list[str]) -> Fraction:
    working, equals, answer = text.rpartition("=")
    answer = answer.strip()
    word = dict(hints.words).get(answer.lower())
    if word is not None:
        notes.append(f"the word {answer!r} for this question")
        return word
    answer = _without_unit(answer, notes, hints.asked)
    answer, scale = _scaled(answer, notes)
    percent = "%" if answer.endswith("%") else ""
    answer = _settled_separators(answer.removesuffix("%").rstrip(), hints, notes) + percent
    if _DIMENSIONS.match(answer):
        answer = re.sub(r"\s*[xX\u00d7]\s*", "*", answer)
    return read_number(f"{working}{equals}{answer}" if equals else answer, percent_allowed=hints.percent_allowed) * scale


def _without_latex(text: str) -> str:
    if len(text) > 2 and text[0] == text[-1] == "$":
        text = text.strip("$").strip()
    for command, plain in ((r"\times", "*"), (r"\cdot", "*"), (r"\approx", "\u2248"), ("{,}", ","), (r"\,", ""), (r"\!", "")):
        text = text.replace(command, plain)
    return text


def _without_remark(text: str, notes: list[str]) -> str:
    """`−3, so L = 25` and `−3 → L = 25` answer −3: a remark naming another quantity follows it."""
    found = _REMARK.search(text)
    if found and found.start() > 0:
        notes.append(f"the remark after the answer ({text[found.end():].strip()!r}) is not read")
        return text[: found.start()].strip()
    return text


def _without_bracketed_working(text: str, notes: list[str]) -> str:
    """`980 (=180+800)`: the answer comes first, its working in brackets after it."""
    if not text.endswith(")"):
        return text
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            head, inside = text[:index].rstrip(), text[index + 1: -1].strip()
            spaced = index > 0 and text[index - 1].isspace()
            if head and re.search(r"[\d%a-zA-Z]$", head) and (spaced or inside[:1] in ("=", "\u2248")):
                notes.append(f"the working in brackets ({inside!r}) is not read")
                return head
            return text
    return text


def _without_unit(answer: str, notes: list[str], asked: str) -> str:
    found = _UNIT.match(answer)
    if not found:
        return answer
    unit = found["unit"].lower()
    counted = next((name for name, stem in _COUNTED.items() if unit.startswith(stem)), "")
    if counted and asked in _COUNTED and counted != asked:
        notes.append(f"the word {found['unit']!r} is set aside, but {_SHOWN[asked]} are asked")
    else:
        notes.append(f"the word {found['unit']!r} after the number is set aside")
    return found["number"].strip()


def _scaled(answer: str, notes: list[str]) -> tuple[str, Fraction]:
    found = _SCALE.match(answer)
    if not found:
        return answer, Fraction(1)
    notes.append(f"{found['scale']!r} read as ×{_SCALES[found['scale']]:,}")
    return found["number"], Fraction(_SCALES[found["scale"]])


def _settled_separators(answer: str, hints: Hints, notes: list[str]) -> str:
    """Separators read as the answer's nature settles them; left ambiguous, refused for a TA."""
    if _INDIAN.match(answer):
        notes.append("Indian digit grouping read")
        return answer.replace(",", "")
    if _DOTTED_THOUSANDS.match(answer) and (answer.count(".") > 1 or hints.whole):
        notes.append("'.' separates thousands" + (" (a count is a whole number)" if answer.count(".") == 1 else ""))
        return answer.replace(".", "")
    if _ONE_COMMA_GROUP.match(answer) and hints.whole is False:
        decimal = answer.replace(",", ".")
        raise UnreadableNumber(f"ambiguous: {answer!r} may be {decimal} (a decimal comma) or {answer.replace(',', '')}; a TA decides")
    if _DECIMAL_COMMA.match(answer):
        decimal = answer.replace(",", ".")
        if answer.lstrip("-+\u2212").startswith("0,"):
            notes.append(f"{answer!r} read as {decimal}: a leading '0,' is never a thousands group, so ',' is a decimal comma")
        elif hints.whole is False:
            notes.append(f"{answer!r} read as {decimal}: a decimal comma (this answer need not be whole)")
        else:
            raise UnreadableNumber(f"ambiguous: {answer!r} is no thousands group, and a decimal comma would make a count"
                                   f" {decimal}; a TA decides")
        return decimal
    return answer


def hints_for(value: Fraction | float, percent_allowed: bool, words: Mapping[str, Fraction] | None = None, path: str = "") -> Hints:
    whole = isinstance(value, Fraction) and value.denominator == 1
    return Hints(whole, percent_allowed, tuple(sorted((words or {}).items())), path.rsplit(".", 1)[-1])
