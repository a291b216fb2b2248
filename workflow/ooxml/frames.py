"""A PDF reopened in Word (or a form filled with a « fill and sign » tool, then converted) comes back
as frames set on the page: each line a paragraph with its own `w:framePr` position, the answers typed
on the form stored after the printed labels, in the order they were typed. Read in the order of the
page (top to bottom, left to right) the value stands after its label again; an « X » laid on a box
ticks it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workflow.ooxml.blocks import Block, Paragraph, Table
from workflow.ooxml.ns import qn

_PPR, _FRAME, _SECTPR = qn("w:pPr"), qn("w:framePr"), qn("w:sectPr")
_X, _Y = qn("w:x"), qn("w:y")
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_ANCHOR, _POS_H, _POS_V, _POS_OFFSET = f"{_WP}anchor", f"{_WP}positionH", f"{_WP}positionV", f"{_WP}posOffset"
EMU_PER_TWIP = 635
LINE_BAND = 120  # twips (about 2 mm): frames whose tops stand this close are on one line
BOX_REACH = 400  # twips from a line's left edge where its box stands, under an « X » laid on it
MIN_FRAMES = 5  # a page of frames, not a single positioned caption
BOXES = {"☐": "☒", "□": "☒"}


def in_page_order(blocks: list[Block]) -> list[Block]:
    """The blocks with each page's run of positioned frames put in the order of the page, empty
    frames (a dotted line to write on) dropped; unchanged when the body has no such frames."""
    placed = [(block, _position(block)) for block in blocks]
    if sum(where is not None for _, where in placed) < MIN_FRAMES:
        return blocks
    out: list[Block] = []
    page: list[tuple[int, int, Paragraph]] = []
    for block, where in placed:
        if where is not None and isinstance(block, Paragraph):
            page.append((*where, block))
        else:
            out.extend(_ordered(page))
            page = []
            out.append(block)
        if isinstance(block, Paragraph) and _ends_section(block):
            out.extend(_ordered(page))
            page = []
    out.extend(_ordered(page))
    return out


def _ordered(frames: list[tuple[int, int, Paragraph]]) -> list[Block]:
    """The frames line by line; lines of several frames side by side in a row make a table, one
    frame each cell (« Financeur | Montant », « Nom de l'association | Énergie Solidaire »)."""
    bands: list[list[tuple[int, int, Paragraph]]] = []
    for frame in sorted(frames, key=lambda f: f[1]):
        if bands and frame[1] - bands[-1][0][1] <= LINE_BAND:
            bands[-1].append(frame)
        else:
            bands.append([frame])
    out: list[Block] = []
    table: Table | None = None
    for band in bands:
        line = sorted(band, key=lambda f: f[0])
        said: list[Paragraph] = []
        for x, _, paragraph in line:
            if paragraph.text.strip().upper() == "X" and _tick(said, line, x):
                continue
            if paragraph.text.strip():
                said.append(paragraph)
        if not said:
            continue  # a dotted line left blank, between two rows
        if len(said) < 2:
            table = None
            out.extend(said)
            continue
        if table is None:
            table = Table(element=said[0].element)
            out.append(table)
        table.rows.append([[p] for p in said])
    return out


def _tick(said: list[Paragraph], line: list[tuple[int, int, Paragraph]], x: int) -> bool:
    """Tick the box of the line an « X » lies on (the line starting just left of it); False if none."""
    under = next((p for left, _, p in line if left <= x <= left + BOX_REACH and p.text.lstrip()[:1] in BOXES), None)
    if under is None or under not in said:
        return False
    text = under.text.lstrip()
    said[said.index(under)] = replace(under, text=BOXES[text[0]] + text[1:])
    return True


def _position(block: Block) -> tuple[int, int] | None:
    """Where a paragraph is set on its page, in twips: its frame's, or that of the text box it stands
    in, placed from the page's edge (LibreOffice turns frames into such boxes)."""
    if not isinstance(block, Paragraph):
        return None
    ppr = block.element.find(_PPR)
    frame = ppr.find(_FRAME) if ppr is not None else None
    try:
        if frame is not None and frame.get(_X) is not None and frame.get(_Y) is not None:
            return int(frame.get(_X)), int(frame.get(_Y))
        anchor = next(block.element.iterancestors(_ANCHOR), None)
        if anchor is None:
            return None
        offsets = [_offset(anchor.find(axis)) for axis in (_POS_H, _POS_V)]
        return (offsets[0], offsets[1]) if None not in offsets else None  # type: ignore[return-value]
    except ValueError:
        return None


def _offset(axis: Any) -> int | None:
    if axis is None or axis.get("relativeFrom") != "page" or (offset := axis.find(_POS_OFFSET)) is None:
        return None
    return int(offset.text or "0") // EMU_PER_TWIP


def _ends_section(paragraph: Paragraph) -> bool:
    ppr = paragraph.element.find(_PPR)
    return ppr is not None and ppr.find(_SECTPR) is not None
