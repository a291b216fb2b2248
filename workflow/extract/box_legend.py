"""An old printed form of numbered boxes (« 01 », « 02 » … beside each answer) whose notice, on its
back, says what each number asks (« 01  Nom de l'association »): each box read under its label,
« idem 08 » as box 08's answer, « O » / « N » as yes / no."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.parsers.base import Contenu, Unit

_KEY_LINE = re.compile(r"^\s*(?P<keys>\d{1,3}(?:\s*(?:/|et|à|-|,)\s*\d{1,3})*)\s+(?P<label>[^\W\d].{2,160})$")
_KEY = re.compile(r"\d{1,3}")
_RANGE = re.compile(r"^\s*(\d{1,3})\s*à\s*(\d{1,3})\s*$")
_ASIDE = re.compile(r"\s+\([^)]*\)|,\s*un(?:e)? par ligne\b")  # « (14 chiffres) », « , un par ligne »: help
_SAME = re.compile(r"^\s*(?:idem|cf\.?|voir|comme)\s+(?:case\s+)?(\d{1,3})\s*\.?\s*$", re.I)
_YES_NO = {"o": "oui", "n": "non"}
MIN_KEYS = 6  # a form of boxes numbers a dozen or more; a few numbered lines are a list


def with_legend(contenu: Contenu) -> Contenu:
    """The content with each numbered box titled by its notice, when the form is made that way."""
    legend = _legend(contenu.units)
    cells = [u for u in contenu.units if u.table is not None and _number(u.text) in legend]
    if len(cells) < MIN_KEYS:
        return contenu
    keys = {id(u): _number(u.text) for u in cells}
    answers = _answers(contenu.units, keys)
    units = []
    for unit in contenu.units:
        line = _KEY_LINE.match(unit.text) if unit.table is None else None
        if line and _keys(line["keys"]) & set(legend):
            continue  # the notice, once applied
        if id(unit) in keys:
            units.append(replace(unit, text=legend[keys[id(unit)]], bold=True))
        elif unit.table is not None and (same := _SAME.match(unit.text)) and same.group(1).zfill(2) in answers:
            units.append(replace(unit, text=answers[same.group(1).zfill(2)]))
        elif unit.table is not None and unit.text.strip().lower() in _YES_NO:
            units.append(replace(unit, text=_YES_NO[unit.text.strip().lower()]))
        else:
            units.append(unit)
    return replace(contenu, units=_one_action_after_another(tuple(units), cells, keys, _columns(contenu.units)))


def _columns(units: tuple[Unit, ...]) -> list[set[str]]:
    """The numbers the notice gives one label (« 17 / 23  Intitulé de l'action »): one column each."""
    found = []
    for unit in units:
        line = _KEY_LINE.match(unit.text) if unit.table is None else None
        if line and "/" in line["keys"]:
            found.append(_keys(line["keys"]))
    return found


def _one_action_after_another(
    units: tuple[Unit, ...], cells: list[Unit], keys: dict[int, str], columns: list[set[str]]
) -> tuple[Unit, ...]:
    """A table of boxes side by side, one column pair per action (« 17 | … | 23 | … »): the second
    pair's rows moved under the first's, so that each action is read whole, one after the other."""
    split: dict[int | None, int] = {}  # table → the column where its second action starts
    for cell in cells:
        for other in cells:
            same_row = (other.table, other.row) == (cell.table, cell.row) and (other.col or 0) > (cell.col or 0)
            if same_row and any({keys[id(cell)], keys[id(other)]} <= group for group in columns):
                split[cell.table] = other.col or 0
    if not split:
        return units
    rows = {t: max(u.row or 0 for u in units if u.table == t) for t in split}
    out: list[Unit] = []
    for unit in units:
        if unit.table in split and any(u.table == unit.table for u in out):
            continue  # the table was laid out whole where it began
        if unit.table not in split:
            out.append(unit)
            continue
        start, height = split[unit.table], rows[unit.table]
        moved = [
            replace(u, row=(u.row or 0) + height, col=(u.col or 0) - start + 1) if (u.col or 0) >= start else u
            for u in units
            if u.table == unit.table
        ]
        out.extend(sorted(moved, key=lambda u: (u.row or 0, u.col or 0)))  # stable: a cell's lines keep their order
    return tuple(out)


def _legend(units: tuple[Unit, ...]) -> dict[str, str]:
    """The notice's lines outside the tables: each number (« 17 / 23 », « 41 à 43 ») → its label."""
    found: dict[str, str] = {}
    for unit in units:
        match = _KEY_LINE.match(unit.text) if unit.table is None else None
        if match:
            label = _ASIDE.sub("", match["label"]).strip(" .")
            found |= dict.fromkeys(_keys(match["keys"]), label)
    return found


def _keys(text: str) -> set[str]:
    """« 17 / 23 » → 17 and 23, « 41 à 43 » → 41, 42 and 43."""
    if span := _RANGE.match(text):
        return {str(n).zfill(2) for n in range(int(span.group(1)), int(span.group(2)) + 1)}
    return {k.zfill(2) for k in _KEY.findall(text)}


def _number(text: str) -> str:
    text = text.strip()
    return text.zfill(2) if text.isdigit() and len(text) <= 3 else ""


def _answers(units: tuple[Unit, ...], keys: dict[int, str]) -> dict[str, str]:
    """Each box's answer: the cell right of its number."""
    beside = {(u.table, u.row, (u.col or 0) + 1): keys[id(u)] for u in units if id(u) in keys}
    found: dict[str, list[str]] = {}
    for unit in units:
        if (key := beside.get((unit.table, unit.row, unit.col or 0))) and unit.text.strip():
            found.setdefault(key, []).append(unit.text.strip())
    return {k: "\n".join(v) for k, v in found.items()}
