"""Reading the fields of a rubric mapping, collecting every problem instead of stopping at the first."""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Sequence

from grader.base.numbers import UnreadableNumber, read_number

_ABSENT: Any = object()


class FieldReader:
    """Typed access to one mapping's fields; records (field, expected) issues instead of raising.

    `prefix` makes field names read as the rubric author wrote them, e.g. `given.kernel`.
    """

    def __init__(self, mapping: object, prefix: str = "") -> None:
        self.prefix = prefix
        self.issues: list[tuple[str, str]] = []
        self._seen: set[str] = set()
        if isinstance(mapping, Mapping):
            self.mapping: Mapping[str, Any] = mapping
        else:
            self.mapping = {}
            self.issues.append((prefix.rstrip(".") or "(top level)", "expected a mapping of fields"))

    def field(self, name: str) -> str:
        """The field's full name; an empty name means the mapping itself (`given`)."""
        return f"{self.prefix}{name}" if name else self.prefix.rstrip(".")

    def report(self, name: str, expected: str) -> None:
        """Record an issue once, however often the field is read."""
        issue = (self.field(name), expected)
        if issue not in self.issues:
            self.issues.append(issue)

    def raw(self, name: str, default: Any = _ABSENT) -> Any:
        """The field's value; an empty field (`kind:` in YAML) counts as absent, so a required one
        is reported rather than silently read as None."""
        self._seen.add(name)
        value = self.mapping.get(name)
        if value is not None:
            return value
        if default is _ABSENT:
            self.report(name, "required but empty" if name in self.mapping else "required but missing")
            return None
        return default

    def text(self, name: str, default: Any = _ABSENT) -> str | None:
        value = self.raw(name, default)
        if value is None or isinstance(value, str):
            return value
        self.report(name, f"expected text, found {value!r}")
        return None

    def choice(self, name: str, options: Sequence[str], default: Any = _ABSENT) -> str | None:
        value = self.raw(name, default)
        if value is None or value in options:
            return value
        close = difflib.get_close_matches(str(value), list(options), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.report(name, f"expected one of {', '.join(options)}, found {value!r}{hint}")
        return None

    def boolean(self, name: str, default: Any = _ABSENT) -> bool | None:
        value = self.raw(name, default)
        if value is None or isinstance(value, bool):
            return value
        self.report(name, f"expected true or false, found {value!r}")
        return None

    def integer(self, name: str, minimum: int | None = None, default: Any = _ABSENT) -> int | None:
        return check_integer(self, name, self.raw(name, default), minimum)

    def number(self, name: str, minimum: Fraction | None = None, default: Any = _ABSENT) -> Fraction | None:
        value = self.raw(name, default)
        if value is None:
            return None
        return check_number(self, name, value, minimum)

    def integers(self, name: str, length: int, minimum: int | None = None, default: Any = _ABSENT) -> tuple[int, ...] | None:
        """A list of `length` integers; a single integer stands for all of them (`kernel: 3`)."""
        value = self.raw(name, default)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            single = check_integer(self, name, value, minimum)
            return None if single is None else (single,) * length
        if not isinstance(value, list) or len(value) != length:
            self.report(name, f"expected a list of {length} whole numbers, found {value!r}"[:200])
            return None
        checked = [check_integer(self, f"{name}[{index}]", item, minimum) for index, item in enumerate(value)]
        return None if None in checked else tuple(int(item) for item in checked)  # type: ignore[arg-type]

    def mapping_of(self, name: str, default: Any = _ABSENT) -> Mapping[str, Any] | None:
        value = self.raw(name, default)
        if value is None or (isinstance(value, Mapping) and all(isinstance(key, str) for key in value)):
            return value
        self.report(name, "expected a mapping of names to values")
        return None

    def list_of_text(self, name: str, default: Any = _ABSENT) -> tuple[str, ...] | None:
        value = self.raw(name, default)
        if value is None:
            return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        self.report(name, "expected a list of names")
        return None

    def reject_unknown(self) -> None:
        """Report fields nobody asked for: usually a typo that would otherwise be silently ignored."""
        for name in self.mapping:
            if name not in self._seen:
                close = difflib.get_close_matches(str(name), sorted(self._seen), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.report(str(name), f"unknown field{hint}")


def check_integer(reader: FieldReader, name: str, value: Any, minimum: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        reader.report(name, f"expected a whole number, found {value!r}")
        return None
    if minimum is not None and value < minimum:
        reader.report(name, f"expected a whole number ≥ {minimum}, found {value}")
        return None
    return value


def check_number(reader: FieldReader, name: str, value: Any, minimum: Fraction | None = None) -> Fraction | None:
    try:
        number = read_number(value)
    except UnreadableNumber as error:
        reader.report(name, f"expected a number ({error}), found {value!r}")
        return None
    if minimum is not None and number < minimum:
        reader.report(name, f"expected a number ≥ {minimum}, found {value!r}")
        return None
    return number
