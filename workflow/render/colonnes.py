"""Table column widths that follow what each column holds, measured with the font the page is
printed with (Carlito, Calibri's metrics): a column never gets less than its longest word, a header
fits on one line when the page has room, and tables with the same header share the same widths; a
table whose widths its gabarit fixes (the charters' signature block) keeps them."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table
from lxml import etree

from workflow.render.mise_en_page import NOMBRE
from workflow.render.typographie import typographie

FONTS = (Path("/usr/share/fonts/truetype/crosextra"), Path("/usr/share/fonts/truetype/carlito"))
PAGE = 9638  # A4 less 2 cm margins each side, in twips
MARGINS = 250  # the cell's left and right margins (108 twips each) and its borders
LONGEST = 5200  # a long text wraps anyway: past this it asks for no more room
_BREAKS = re.compile(r"[ \t\n-]+")  # where a line may break: no-break spaces hold an amount together
_SCALE = 200  # the size the font is loaded at; widths are scaled to the cell's size


@lru_cache(maxsize=2)
def _font(bold: bool) -> Any:
    """Carlito at a reference size, or None where it is not installed (then widths are estimated)."""
    from PIL import ImageFont

    name = "Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf"
    for folder in FONTS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), _SCALE)
    return None


@lru_cache(maxsize=20000)
def text_width(text: str, points: float, bold: bool = False) -> int:
    """Return the printed width of `text` in twips at `points`, in Carlito (regular or bold)."""
    font = _font(bold)
    if font is None:
        return math.ceil(len(text) * points * 20 * (0.55 if bold else 0.5))
    return math.ceil(font.getlength(text) * points / _SCALE * 20 * 1.04)  # a little slack for the renderer


def _cell_font(cell: etree._Element, default: float) -> tuple[float, bool]:
    """The size (points) and weight of a cell's first run that says so, else the document's default."""
    size, bold = default, False
    for rpr in cell.iter(qn("w:rPr")):
        sz = rpr.find(qn("w:sz"))
        if sz is not None and sz.get(qn("w:val"), "").isdigit():
            size = int(sz.get(qn("w:val"))) / 2
        b = rpr.find(qn("w:b"))
        bold = bold or (b is not None and b.get(qn("w:val"), "true") not in ("0", "false"))
        if sz is not None:
            break
    return size, bold


def _default_size(document: Document) -> float:
    sz = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    return int(sz.get(qn("w:val"))) / 2 if sz is not None and sz.get(qn("w:val"), "").isdigit() else 11.0


Needs = tuple[list[int], list[int], list[int], list[bool]]


def _needs(table: Table, default: float) -> Needs:
    """Return, per column: the least width (its longest word, header included); the width its data
    wish (their longest line, up to LONGEST); the width its header wishes to stand on one line;
    whether it holds text (not only numbers)."""
    columns = len(table.columns)
    least, data, header, texts = [MARGINS] * columns, [MARGINS] * columns, [MARGINS] * columns, [False] * columns
    for r, row in enumerate(table.rows):
        is_header = r == 0 and len(table.rows) > 1
        for i, cell in enumerate(row.cells[:columns]):
            points, bold = _cell_font(cell._tc, default)
            text = typographie(cell.text.strip())
            words = [w for w in _BREAKS.split(text) if w]
            least[i] = max(least[i], max((text_width(w, points, bold) for w in words), default=0) + MARGINS)
            lines = [line for line in text.splitlines() if line] or [""]
            longest = min(max(text_width(line, points, bold) for line in lines), LONGEST) + MARGINS
            if is_header:
                header[i] = max(header[i], longest)
            else:
                data[i] = max(data[i], longest)
                texts[i] = texts[i] or (bool(text) and not NOMBRE.match(text))
    data = [max(d, lo) for d, lo in zip(data, least, strict=True)]
    header = [max(h, d) for h, d in zip(header, data, strict=True)]
    return least, data, header, texts


def _fill(widths: list[int], wish: list[int], spare: int) -> int:
    """Grow `widths` towards `wish` within `spare`, the smallest needs served whole first and the
    largest sharing what remains; return what is left of `spare`."""
    open_ = sorted((i for i in range(len(widths)) if wish[i] > widths[i]), key=lambda i: wish[i] - widths[i])
    while open_:
        share, i = spare // len(open_), open_[0]
        if wish[i] - widths[i] > share:
            for j in open_:
                widths[j] += share
            return spare - share * len(open_)
        spare -= wish[i] - widths[i]
        widths[i] = wish[i]
        open_.pop(0)
    return spare


def _widths(needs: Needs, width: int) -> list[int]:
    """Share `width` out: each column its least; then what the data wish (short columns first, the
    long texts sharing the rest); then room for each header on one line; what is still left goes
    to the text columns, so that numbers stay close to their labels."""
    least, data, header, texts = needs
    spare = width - sum(least)
    if spare < 0:
        return [w * width // sum(least) for w in least]
    widths = list(least)
    spare = _fill(widths, header, _fill(widths, data, spare))
    takers = [i for i, text in enumerate(texts) if text] or list(range(len(widths)))
    total = sum(widths[i] for i in takers)
    return [w + (spare * w // total if i in takers else 0) for i, w in enumerate(widths)]


def _fixed(table: Table) -> bool:
    """A table the gabarit lays out with fixed widths (Word: « Largeur de colonne fixe ») keeps them."""
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    return layout is not None and layout.get(qn("w:type")) == "fixed"


def _header(table: Table) -> tuple[str, ...]:
    return tuple(c.text.strip() for c in table.rows[0].cells) if table.rows else ()


def fit_columns(document: Document, width: int = PAGE) -> None:
    """Give every table column widths that follow its content (data-driven tables come out of the
    gabarit with equal columns, and a quarter's name would wrap letter by letter); tables that share
    a header share their widths, so that a list cut into sections reads as one."""
    default = _default_size(document)
    groups: dict[tuple[str, ...], list[Table]] = defaultdict(list)
    for table in document.tables:
        if not _fixed(table):
            groups[(str(len(table.columns)), *_header(table))].append(table)
    for tables in groups.values():
        each = [_needs(t, default) for t in tables]
        needs: Needs = (
            *([max(column) for column in zip(*(n[k] for n in each), strict=True)] for k in range(3)),
            [any(column) for column in zip(*(n[3] for n in each), strict=True)],
        )  # type: ignore[assignment]
        widths = _widths(needs, width)
        for table in tables:
            _apply(table, widths)


def _apply(table: Table, widths: list[int]) -> None:
    table.autofit = False
    cells = table._cells  # the grid built once: python-docx builds it anew for each column's cells
    for i, (column, twips) in enumerate(zip(table.columns, widths, strict=True)):
        column.width = Twips(twips)
        for cell in cells[i :: len(widths)]:
            cell.width = Twips(twips)
