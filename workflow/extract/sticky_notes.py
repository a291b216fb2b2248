"""A workshop's write-up where the form was filled with sticky notes: each note a table cell ending
with what it is (« ✓ retenu (CA du 13/02) », « idée d'habitant », « remarque bénévole »). The notes the
association kept are its answer, read as lines; the others are ideas and remarks about it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from workflow.parsers.base import Contenu, Unit

_KEPT = re.compile(r"^\s*(?:[✓✔☑]\s*)?(?:retenue?s?|valid[ée]e?s?|adopt[ée]e?s?)\b", re.I)
_TICK_KEPT = re.compile(r"^\s*[✓✔☑]\s*\S")
MIN_NOTES = 4  # cells signed with the same status, for a board of notes


def kept_notes(contenu: Contenu) -> Contenu:
    """The kept notes' lines out of their cells, the other notes left out, when the content is such a
    board; unchanged otherwise."""
    cells: dict[tuple[int, int | None, int | None], list[int]] = {}
    for n, unit in enumerate(contenu.units):
        if unit.table is not None and unit.text.strip():
            cells.setdefault((unit.table, unit.row, unit.col), []).append(n)
    status = {key: contenu.units[members[-1]].text.strip() for key, members in cells.items() if len(members) >= 2}
    counts = Counter(status.values())
    signed = {key: said for key, said in status.items() if counts[said] >= 2}
    kept = {key for key, said in signed.items() if _KEPT.match(said) or _TICK_KEPT.match(said)}
    if len(signed) < MIN_NOTES or not kept:
        return contenu
    note_of = {n: key for key, members in cells.items() if key in signed for n in members}
    units: list[Unit] = []
    for n, unit in enumerate(contenu.units):
        key = note_of.get(n)
        if key is None:
            units.append(unit)
        elif key in kept and n != cells[key][-1]:
            units.append(replace(unit, table=None, row=None, col=None))
    return replace(contenu, units=tuple(units))
