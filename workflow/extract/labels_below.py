"""A form printed with each label under its line (« Nadia KHELIF » over « Nom et prénom du
représentant légal »): each label put back before the value it captions, so that the form reads as
labelled lines. Told by the cells themselves: most end with a label and do not begin with one. A
PDF's reader puts each line and the small one right under it in a cell of their own (numbered below
zero, its caption styled `CAPTION`): told so, or put back as lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import groupby, pairwise

from workflow.extract.association_labels import is_label
from workflow.parsers.base import CAPTION, Contenu, Unit

MIN_CELLS = 3  # a few cells captioned underneath: a form printed that way, not a stray note under a value


def with_labels_above(contenu: Contenu) -> Contenu:
    """The content with each caption, printed under its value, put before it as a labelled line."""
    cells = [list(group) for _, group in groupby(contenu.units, key=_cell)]
    rows = [list(group) for _, group in groupby(cells, key=_row)]
    below = sum(1 for row in rows if _captioned_row(row))
    below += sum(1 for row, under in pairwise(rows) if _caption_row(under, row))
    above = sum(1 for cell in cells if _captioned_above(cell)) + sum(1 for row in rows if _label_then_value(row))
    above += sum(1 for unit in contenu.units if _labelled_line(unit.text))
    if below < MIN_CELLS or below <= above:
        return _without_caption_cells(contenu)
    return replace(contenu, units=tuple(_reordered(rows)))


def _without_caption_cells(contenu: Contenu) -> Contenu:
    """A PDF's lines standing in cells of their own with the small line under them, put back as lines."""
    if not any(_synthetic(u) for u in contenu.units):
        return contenu
    units = tuple(_as_line(u) if _synthetic(u) else u for u in contenu.units)
    return replace(contenu, units=units)


def _synthetic(unit: Unit) -> bool:
    """A PDF's line and its caption, in a cell of their own."""
    return unit.table is not None and unit.table < 0


def _as_line(unit: Unit) -> Unit:
    return replace(unit, table=None, row=None, col=None, style="" if unit.style == CAPTION else unit.style)


def _cell(unit: Unit) -> object:
    return (unit.table, unit.row, unit.col) if unit.table is not None else id(unit)


def _row(cell: list[Unit]) -> object:
    return (cell[0].table, cell[0].row) if cell[0].table is not None else id(cell[0])


def _captioned_row(row: list[list[Unit]]) -> bool:
    """A table row whose every cell holds a value over its caption (a form's « label | value »
    row is not: its value cell ends with no label)."""
    filled = [cell for cell in row if any(u.text.strip() for u in cell)]
    return (
        row[0][0].table is not None
        and bool(filled)
        and all(_captioned(cell) for cell in filled)
        and any(not is_label(cell[0].text) for cell in filled)
    )


def _captioned_above(cell: list[Unit]) -> bool:
    return len(cell) >= 2 and is_label(cell[0].text) and not is_label(cell[-1].text)


def _labelled_line(text: str) -> bool:
    """« Sigle : ALC », a label with its value after it on its line."""
    label, colon, value = text.partition(":")
    return bool(colon and value.strip() and is_label(label))


def _label_then_value(row: list[list[Unit]]) -> bool:
    """A table row « label | value », as most forms are printed."""
    filled = [cell for cell in row if any(u.text.strip() for u in cell)]
    return len(filled) >= 2 and is_label(filled[0][0].text) and not is_label(filled[1][-1].text)


def _labels(row: list[list[Unit]]) -> bool:
    """A table row of captions only (« Cofinanceur n° 1 | Montant sollicité ou acquis »)."""
    texts = [u.text for cell in row for u in cell if u.text.strip()]
    return row[0][0].table is not None and bool(texts) and all(is_label(t) for t in texts)


def _caption_row(row: list[list[Unit]], above: list[list[Unit]]) -> bool:
    """A row of captions under a row of values of the same table."""
    same = above[0][0].table == row[0][0].table and above[0][0].table is not None
    columns = {cell[0].col for cell in row if any(u.text.strip() for u in cell)}
    filled = {cell[0].col for cell in above if any(u.text.strip() for u in cell)}
    unlabelled = not any(is_label(u.text) for cell in above for u in cell)
    return same and _labels(row) and unlabelled and bool(filled) and filled <= columns


def _reordered(rows: list[list[list[Unit]]]) -> Iterator[Unit]:
    values: dict[int | None, list[Unit]] = {}  # a row held until its captions, under it, are met
    captions = None  # the table whose last row was captions: its next rows of captions have no values
    for n, row in enumerate(rows):
        if n + 1 < len(rows) and _caption_row(rows[n + 1], row):
            values = {cell[0].col: cell for cell in row}
            continue
        if _labels(row) and (values or captions == row[0][0].table):
            for cell in row:
                yield _line(cell[-1], values.get(cell[0].col, []))
            values, captions = {}, row[0][0].table
            continue
        captions = None
        for cell in row:
            if (_captioned_row(row) or _synthetic(cell[0])) and _captioned(cell):
                yield _line(cell[-1], cell[:-1])
            elif len(cell) == 1 and cell[0].style == CAPTION and is_label(cell[0].text):
                yield _line(cell[0], [])  # under a line left empty
            else:
                yield from (_as_line(u) if _synthetic(u) else u for u in cell)


def _line(caption: Unit, value: list[Unit]) -> Unit:
    """« Caption : value », a labelled line where the caption stood."""
    text = "\n".join(u.text for u in value if u.text.strip())
    return replace(caption, text=f"{caption.text.rstrip(' :')} : {text}", table=None, row=None, col=None)


def _captioned(cell: list[Unit]) -> bool:
    return len(cell) >= 2 and is_label(cell[-1].text)
