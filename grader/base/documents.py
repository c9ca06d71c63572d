"""Structured files (YAML, JSON) read safely into plain Python data, one reader per format.

A new input format is one function registered in `READERS`. Files are untrusted: sizes are
bounded, YAML is loaded with the safe loader (the C one where PyYAML has it), duplicate keys are
refused rather than silently overwritten, and every error names the file and the place.
"""
from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Container

import yaml

from grader.base.errors import InputError
from grader.base.limits import MAX_FILE_BYTES

MAX_NESTING = 100
# Integer literals longer than this stay text: Python refuses to convert past 4,300 digits, and
# the number reader then calls the answer unreadable instead of the whole file being refused.
MAX_INT_LITERAL = 1_000

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_BRACKETS = re.compile(r"[\[\]{}]")
_BLOCK_INDICATORS = re.compile(r"^[ \t?:-]*", re.MULTILINE)
_OPEN_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deep a YAML text nests: the longest run of indentation and
    block indicators (`- - - x`) opening a line, plus the depth of `[`/`{` over the whole text.
    A looser one comes first, as it costs a tenth of the time and clears every usual submission:
    no line opens more levels than it has characters, nor the text more brackets than it holds."""
    loose = max(map(len, text.splitlines()), default=0) + text.count("[") + text.count("{") + 1
    if loose <= MAX_NESTING:
        return loose
    block = max((len(match.group()) for match in _BLOCK_INDICATORS.finditer(text)), default=0)
    depth = flow = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        flow = max(flow, depth)
    return block + flow + 1


def _nests_deeper_than(text: str, limit: int) -> bool:
    """Exact, from libyaml's event stream (which, unlike its composer, does not recurse); stops
    reading as soon as the limit is passed. Newer libyaml refuses very deep nesting itself while
    scanning ahead, which answers the question the same way."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, _OPEN_EVENTS):
                depth += 1
                if depth > limit:
                    return True
            elif isinstance(event, _CLOSE_EVENTS):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):
            return True
        raise
    return False


def _refuse_deep_nesting(text: str, source: str) -> None:
    """libyaml's composer recurses in C, so a few thousand nested levels would crash the process
    rather than raise; such a file is refused before it is composed. The exact count runs only
    when the cheap bound says it might be needed."""
    if _nesting_bound(text) > MAX_NESTING and _nests_deeper_than(text, MAX_NESTING):
        raise InputError(source, "", f"not valid YAML: nested deeper than {MAX_NESTING} levels")


def _refuse_key(key: Any, taken: Container[Any], key_node: yaml.Node) -> None:
    """A key must be a name, and given once in its mapping."""
    try:
        given_twice = key in taken
    except TypeError:
        raise yaml.constructor.ConstructorError(None, None, "a key is a list or a mapping, expected a name", key_node.start_mark) from None
    if given_twice:
        raise yaml.constructor.ConstructorError(None, None, f"the key {key_node.value!r} appears twice in one mapping", key_node.start_mark)


class _StrictSafeLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key given twice in one mapping (compared as loaded, so `1` and
    `01`, or `true` and `True`, are the same key). Keys merged in with `<<` may be overridden."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        explicit = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
        self.flatten_mapping(node)
        merged = len(node.value) - explicit  # merged keys come first, and explicit ones may override them
        mapping: dict[Any, Any] = {}
        explicit_keys: set[Any] | dict[Any, Any] = set() if merged else mapping
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=deep)
            _refuse_key(key, explicit_keys, key_node)
            if merged and index >= merged:
                explicit_keys.add(key)  # type: ignore[union-attr]
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int | str:
        return node.value if len(node.value) > MAX_INT_LITERAL else self.construct_yaml_int(node)


_StrictSafeLoader.add_constructor("tag:yaml.org,2002:int", _StrictSafeLoader.construct_bounded_int)


_STR, _NULL, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "seq", "map"))
_NULLS = frozenset(("~", "null", "Null", "NULL", ""))


class _AnswerLoader(_StrictSafeLoader):
    """For submissions: every scalar stays the text the student typed (`7200`, `1.62e6`, `017`,
    `yes`) for grader's own number reader, except YAML's nulls (a blank answer) and merge keys.
    YAML 1.1's typing reads some answers otherwise than a student means (`017` as 15, `1:30` as
    90). The C parser asks for each node's tag: answered here in a few comparisons, as there is
    no type to find out and no path resolver (a third of composing a document)."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value in _NULLS:
                return _NULL
            return _MERGE_TAG if implicit[0] and value == "<<" else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers."""

    def ascend_resolver(self) -> None:
        """No path resolvers."""


def _load_typed(text: str) -> Any:
    return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a safe loader subclass


def _load_answers(text: str) -> Any:
    """PyYAML's C parser composes the document and grader builds the data from its nodes: with
    every scalar kept as text, PyYAML's general constructor (a dispatch and a generator per node,
    for recursive data) was most of the reading time, and this costs about half a bare
    `yaml.load` with the C safe loader. A node with any other tag (`!!binary`, `!!set`, a mapping
    with a merge key, `!python/...`) goes to the strict safe loader's constructor, as before."""
    loader = _AnswerLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(node, loader, {})
    finally:
        loader.dispose()


def _build(node: yaml.Node, loader: _AnswerLoader, built: dict[int, Any]) -> Any:
    """`built` holds each sequence and mapping by its node, so an alias is the same object (and
    a billion laughs stays small) and a recursive alias ends."""
    kind = type(node)
    if kind is yaml.ScalarNode and node.tag in (_STR, _NULL):
        return node.value if node.tag == _STR else None
    if id(node) in built:
        return built[id(node)]
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        items: list[Any] = []
        built[id(node)] = items
        items.extend(_build(child, loader, built) for child in node.value)
        return items
    if kind is yaml.MappingNode and node.tag == _MAP and all(key_node.tag != _MERGE_TAG for key_node, _ in node.value):
        mapping: dict[Any, Any] = {}
        built[id(node)] = mapping
        for key_node, value_node in node.value:
            key = _build(key_node, loader, built)
            _refuse_key(key, mapping, key_node)
            mapping[key] = _build(value_node, loader, built)
        return mapping
    return loader.construct_object(node, deep=True)


MAX_EXPANDED_VALUES = 2_000_000  # far more than a 1 MB file holds without aliases


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """How many values `node` stands for with every alias written out, counted once per shared
    object (`sizes`), so a billion laughs costs a few dozen steps, not a billion."""
    if not isinstance(node, (list, dict)):
        return 1
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a recursive alias counts once
    items = node if isinstance(node, list) else [*node.keys(), *node.values()]
    total = 1 + sum(_expanded_size(item, sizes) for item in items)
    sizes[id(node)] = total
    return total


def _refuse_alias_bombs(data: Any, source: str) -> Any:
    """A YAML alias is one object however often it is used, but whatever walks the data (a
    rubric's placeholders and variants) visits it each time. (Submissions are bounded as they
    are read instead: their answers by max_answers, an aliased answer is unreadable.)"""
    expanded = _expanded_size(data, {})
    if expanded > MAX_EXPANDED_VALUES:
        raise InputError(source, "", f"not valid YAML: its aliases expand to {expanded:,} values, more than the limit of {MAX_EXPANDED_VALUES:,}")
    return data


def _read_yaml(text: str, source: str, load: Callable[[str], Any] = _load_typed) -> Any:
    try:
        _refuse_deep_nesting(text, source)
        data = load(text)
        return _refuse_alias_bombs(data, source) if load is _load_typed and "*" in text else data
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(source, place, f"not valid YAML: {error.problem or error.context}") from None
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise InputError(source, "", f"not valid YAML: {error}") from None


def _reject_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _bounded_json_int(text: str) -> int | str:
    return text if len(text) > MAX_INT_LITERAL else int(text)


def _read_json(text: str, source: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_json_keys, parse_int=_bounded_json_int)
    except json.JSONDecodeError as error:
        raise InputError(source, f"line {error.lineno}, column {error.colno}", f"not valid JSON: {error.msg}") from None
    except (ValueError, RecursionError) as error:
        raise InputError(source, "", f"not valid JSON: {error}") from None


@dataclass(frozen=True)
class Document:
    """One submission's plain data and where it came from: a file, or a file and a row."""

    source: str
    fallback_id: str
    data: Any
    problem: str = ""  # why it cannot be read (one bad row of a form export); `data` is then None


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(reader: Callable[[str, str], Any]) -> Callable[[str, str], Any]:
    """An escape such as `"\\ud800"` makes a character no UTF-8 file can hold, which would stop
    the reports of the whole class; it becomes U+FFFD. Only a text holding such an escape is walked."""

    def read(text: str, source: str) -> Any:
        data = reader(text, source)
        return _replace_surrogates(data) if _ESCAPED_SURROGATE.search(text) else data

    return read


def _replace_surrogates(node: Any) -> Any:
    if isinstance(node, str):
        return _SURROGATE.sub("\ufffd", node)
    if isinstance(node, list):
        return [_replace_surrogates(item) for item in node]
    if isinstance(node, dict):
        return {_replace_surrogates(key): _replace_surrogates(value) for key, value in node.items()}
    return node


READERS: dict[str, Callable[[str, str], Any]] = {
    ".yaml": _without_lone_surrogates(_read_yaml),
    ".yml": _without_lone_surrogates(_read_yaml),
    ".json": _without_lone_surrogates(_read_json),
}


def _read_answers_yaml(text: str, source: str) -> Any:
    return _read_yaml(text, source, _load_answers)


# Submissions: YAML scalars kept as typed, for the number reader.
SUBMISSION_READERS: dict[str, Callable[[str, str], Any]] = {
    **READERS,
    ".yaml": _without_lone_surrogates(_read_answers_yaml),
    ".yml": _without_lone_surrogates(_read_answers_yaml),
}


RESAVE_AS_UTF8 = (
    "re-save it as UTF-8 (Excel: Save As, 'CSV UTF-8'; LibreOffice: Save As, character set 'Unicode (UTF-8)'; "
    "a text editor: save with encoding UTF-8)"
)


def decode_text(data: bytes, source: str, allow_nul: bool = False) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is named, not guessed.
    A NUL byte marks a binary file, unless the caller looks for NULs itself (`allow_nul`)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    if not allow_nul and b"\x00" in data and encoding != "utf-16":
        raise InputError(source, "", "binary data, expected a text file")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        guess = "" if encoding == "utf-16" else " (it looks like Latin-1 / Windows-1252, as older Excel and editors save)"
        raise InputError(source, f"byte {error.start}", f"not UTF-8 or UTF-16 text{guess}; {RESAVE_AS_UTF8}") from None


def _reader_for(suffix: str, source: str) -> Callable[[str, str], Any]:
    reader = READERS.get(suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(source, "", f"unknown file type '{suffix}', expected one of {known}")
    return reader


def read_document(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Load one structured file into plain data, or raise InputError naming the file and place."""
    source = str(path)
    reader = _reader_for(path.suffix, source)  # an unknown type is refused before the file is read
    return reader(decode_text(read_bounded(path, max_bytes), source), source)


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing it unread past the first `max_bytes` (so a 100 MB upload costs nothing)."""
    try:
        with path.open("rb") as handle:
            too_big = os.fstat(handle.fileno()).st_size > max_bytes  # refused before a byte is read
            data = b"" if too_big else handle.read(max_bytes + 1)  # a file that grows meanwhile is still bounded
    except OSError as error:
        raise InputError(str(path), "", f"cannot be read: {error.strerror or error}") from None
    if too_big or len(data) > max_bytes:
        raise InputError(str(path), "", f"larger than the limit of {max_bytes:,} bytes")
    return data
