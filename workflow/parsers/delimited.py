"""Lines of text delimited by semicolons, as an export pasted into Word gives them (« champ;valeur »,
« n;intitule;description;… »), read as the table they are: one cell per field."""

from __future__ import annotations

import csv
from dataclasses import replace

from workflow.parsers.base import Contenu, Unit

DELIMITER = ";"  # the separator of French spreadsheet exports; a comma or a tab also lays out prose
MIN_LINES = 3  # fewer lines of fields may be sentences that happen to hold a semicolon
MAX_FIELDS = 30


def with_delimited_tables(contenu: Contenu) -> Contenu:
    """The content with each run of delimited lines turned into a table, numbered after the others."""
    units = list(contenu.units)
    runs = _runs(units)
    if not runs:
        return contenu
    number = max((u.table for u in units if u.table is not None), default=0)
    out: list[Unit] = []
    start = 0
    for first, last in runs:
        out.extend(units[start:first])
        number += 1
        out.extend(_table(units[first : last + 1], number))
        start = last + 1
    out.extend(units[start:])
    return replace(contenu, units=tuple(out))


def fields(text: str) -> list[str]:
    """A line's fields, or [] when it is no delimited record."""
    if DELIMITER not in text or "\n" in text.strip():
        return []
    row = next(csv.reader([text.strip()], delimiter=DELIMITER), [])
    if not 2 <= len(row) <= MAX_FIELDS or any(f.count("(") != f.count(")") for f in row):
        return []  # « Quartier(s) (ex. : Hochettes ; Quatre As) : … »: a semicolon inside a sentence
    return [field.strip() for field in row]


def _runs(units: list[Unit]) -> list[tuple[int, int]]:
    """(first, last) index of each run of at least MIN_LINES lines outside tables that split into the
    same number of fields (a blank line between them goes on with the run)."""
    runs: list[tuple[int, int]] = []
    first, count, width, last = -1, 0, 0, -1
    for i, unit in enumerate([*units, Unit("", "")]):
        if unit.table is None and not unit.text.strip() and count:
            continue
        record = fields(unit.text) if unit.table is None and not unit.controls else []
        if record and len(record) == width:
            count += 1
            last = i
            continue
        if count >= MIN_LINES and _filled(units[first : last + 1]):
            runs.append((first, last))
        first, count, width, last = (i, 1, len(record), i) if record else (-1, 0, 0, -1)
    return runs


def _filled(units: list[Unit]) -> bool:
    """Most lines hold two values or more: items ending in « ; » (a French list) hold one each."""
    lines = [fields(u.text) for u in units if u.text.strip()]
    return 2 * sum(sum(bool(f) for f in line) >= 2 for line in lines) > len(lines)


def _table(units: list[Unit], number: int) -> list[Unit]:
    out = []
    row = 0
    for unit in units:
        if not unit.text.strip():
            continue
        row += 1
        for col, field in enumerate(fields(unit.text), start=1):
            out.append(replace(unit, text=field, where=f"{unit.where}, champ {col}", table=number, row=row, col=col))
    return out
