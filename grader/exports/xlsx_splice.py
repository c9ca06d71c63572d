"""Rows written as text (`xlsx_rows`) spliced into the sheets of a workbook that openpyxl saved:
each sheet's part is found through the package's relationships, never assumed from its title."""
from __future__ import annotations

import posixpath
import re
import zipfile
from typing import Iterable, Iterator
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter

PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


def _relations(archive: zipfile.ZipFile, part: str) -> list[ElementTree.Element]:
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    return list(ElementTree.fromstring(archive.read(rels)).iter(PACKAGE_RELS))


def _resolve(source: str, target: str) -> str:
    """A relationship's target as a name in the zip: absolute from the root, else beside `source`."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's title → the name of its part in the zip."""
    [workbook] = [_resolve("", rel.get("Target", "")) for rel in _relations(archive, "") if rel.get("Type") == OFFICE_DOCUMENT]
    targets = {rel.get("Id"): rel.get("Target", "") for rel in _relations(archive, workbook)}
    sheets = ElementTree.fromstring(archive.read(workbook)).iter(SHEET)
    return {sheet.get("name", ""): _resolve(workbook, targets[sheet.get(RELATION_ID)]) for sheet in sheets}


def splice(part: str, rows: Iterable[str], last_row: int, last_column: int) -> Iterator[str]:
    """The sheet part's text with `rows` appended to its sheetData, and its dimension, if it has
    one, made to cover them."""
    if part.count("</sheetData>") == 1:
        cut = part.index("</sheetData>")
        head, tail = part[:cut], part[cut:]
    elif part.count("<sheetData/>") == 1:
        cut = part.index("<sheetData/>")
        head, tail = part[:cut] + "<sheetData>", "</sheetData>" + part[cut + len("<sheetData/>"):]
    else:
        raise ValueError("a worksheet part without exactly one sheetData")
    yield DIMENSION.sub(f'<dimension ref="A1:{get_column_letter(last_column)}{last_row}"/>', head, count=1)
    yield from rows
    yield tail


def batched(texts: Iterable[str], size: int = 256) -> Iterator[str]:
    """Texts joined a few hundred at a time: one write per row would cost more than the row."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == size:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)
