"""Placeholders in a problem's text (`{input}`, `{values.x1}`) filled with a student's numbers."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def show_value(value: Any) -> str:
    """`[30, 30, 20]` as 30 × 30 × 20; other lists (logits, names) as `[2, −1, 0.1]`; `-1` with a
    true minus sign; mappings as `x = 1` pairs."""
    if isinstance(value, list) and all(isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value):
        return " × ".join(show_value(item) for item in value)
    if isinstance(value, list):
        return "[" + ", ".join(show_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return ", ".join(f"{name} = {show_value(item)}" for name, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "−" + text[1:] if text.startswith("-") else text


def lookup(given: Mapping[str, Any], dotted: str) -> Any:
    node: Any = given
    for name in dotted.split("."):
        if not isinstance(node, Mapping) or name not in node:
            raise KeyError(dotted)
        node = node[name]
    return node


def unknown_placeholders(text: str, given: Mapping[str, Any]) -> list[str]:
    missing = []
    for match in PLACEHOLDER.finditer(text):
        try:
            lookup(given, match.group(1))
        except KeyError:
            missing.append(match.group(0))
    return missing


def fill(text: str, given: Mapping[str, Any]) -> str:
    """`{input}` or `{values.x1}` in a problem's text replaced by the student's value."""
    return PLACEHOLDER.sub(lambda match: show_value(lookup(given, match.group(1))), text)
