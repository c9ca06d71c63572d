"""The layout's rules that import-linter's layers contract does not cover: no two modules import
each other (directly or round a longer loop), every stage says what it takes in and gives out,
and modules stay small enough to read."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Mapping

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "grader"
STAGES = ("base", "solver", "rubric", "intake", "judging", "course", "exports", "handout", "web")
MAX_LINES = 450


def import_loops(imports: Mapping[str, set[str]]) -> list[list[str]]:
    """Groups of modules that reach each other through imports (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in imports.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return loops


def test_the_loop_finder_finds_a_loop_of_three_and_a_pair() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(import_loops(graph)) == [["a", "b", "c"], ["d", "e"]]


def test_no_two_modules_of_grader_import_each_other() -> None:
    graph = grimp.build_graph("grader")  # every import, those inside functions and TYPE_CHECKING blocks too
    imports = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    assert import_loops(imports) == []


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_a_package_that_says_what_it_takes_and_gives(stage: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and len(docstring.split()) >= 12, f"grader/{stage}/__init__.py needs a docstring saying what the stage takes in and gives out"


def test_the_top_of_the_package_holds_only_the_shell() -> None:
    top = sorted(path.stem for path in PACKAGE.glob("*.py"))
    assert top == ["__init__", "__main__", "api", "arguments", "cli", "console", "files", "output", "progress"]


def test_no_module_is_longer_than_a_reader_can_hold() -> None:
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py") if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
