"""A spreadsheet printed with its gridlines and headings (column letters A, B, C… across the top,
row numbers 1, 2, 3… down the side): the headings are the sheet's, not the form's, and are left out."""

from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import replace

from workflow.parsers.base import Contenu, Unit

MIN_ROWS = 3


def without_sheet_headings(contenu: Contenu) -> Contenu:
    """The content with the row numbers and column letters of each printed sheet left out."""
    by_table: dict[int, list[Unit]] = defaultdict(list)
    for unit in contenu.units:
        if unit.table is not None:
            by_table[unit.table].append(unit)
    headings = {id(u) for units in by_table.values() for u in _headings(units)}
    if not headings:
        return contenu
    return replace(contenu, units=tuple(u for u in contenu.units if id(u) not in headings))


def _headings(units: list[Unit]) -> list[Unit]:
    """The cells of a table's letter row and number column, when it has both."""
    top = min(u.row or 0 for u in units)
    letters = [u for u in units if u.row == top and u.text.strip()]
    numbers = [u for u in units if u.col == 1 and u.row != top and u.text.strip()]
    if len(numbers) < MIN_ROWS or [u.text.strip() for u in letters] != list(string.ascii_uppercase[: len(letters)]):
        return []
    values = [u.text.strip() for u in numbers]
    if not all(v.isdigit() for v in values) or [int(v) for v in values] != list(
        range(int(values[0]), int(values[0]) + len(values))
    ):
        return []
    return letters + numbers
