"""What a scanned page's image shows that OCR does not read: table rules and tick boxes.

OCR gives words and their places, not the lines of a table (they are pixels, not drawing
instructions) nor the state of a tick box (Tesseract reads « ☐ » as « [] », « © » or nothing).
Both are found here on the page rendered in grey levels, with numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

INK = 150  # grey level under which a pixel is ink (0 black, 255 white)
MIN_RULE_IN = 0.3  # a table rule is at least this long, in inches (a box side or a letter is shorter)
BOX_SIDE_PT = (6.0, 16.0)  # side of a tick box, in points, at the sizes forms are printed
TICKED_INK = 0.12  # share of ink inside a box (its edges left out) that means a mark or a filled box


@dataclass(frozen=True)
class Box:
    """A tick box seen on the image, in points from the page's top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float
    ticked: bool


def ink(grey: np.ndarray) -> np.ndarray:
    """Return the ink mask of a grey-level page image."""
    return np.asarray(grey) < INK


def rules(mask: np.ndarray, dpi: float) -> list[dict[str, Any]]:
    """Return the horizontal and vertical rules of the page as pdfplumber line objects, in points."""
    scale = 72.0 / dpi
    length = max(8, round(MIN_RULE_IN * dpi))
    found = []
    for y0, y1, x0, x1 in _segments(mask, length):
        y = (y0 + y1 + 1) / 2 * scale
        found.append(_line(x0 * scale, x1 * scale, y, y))
    for x0, x1, y0, y1 in _segments(mask.T, length):
        x = (x0 + x1 + 1) / 2 * scale
        found.append(_line(x, x, y0 * scale, y1 * scale))
    return found


def _line(x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _segments(mask: np.ndarray, length: int) -> list[tuple[int, int, int, int]]:
    """Return the runs of ink at least `length` long along the rows, merged across adjacent rows
    (a rule is a few pixels thick, and a slight skew moves it by a pixel now and then):
    (first row, last row, first column, last column)."""
    sums = np.concatenate([np.zeros((mask.shape[0], 1), dtype=np.int32), np.cumsum(mask, axis=1, dtype=np.int32)], 1)
    full = (sums[:, length:] - sums[:, :-length]) == length  # a run of `length` starts here
    open_: list[list[int]] = []  # [first row, last row, x0, x1]
    done: list[list[int]] = []
    for y in np.flatnonzero(full.any(axis=1)):
        row = np.concatenate([[False], full[y], [False]])
        edges = np.flatnonzero(np.diff(row.astype(np.int8)))
        runs = [(int(a), int(b) - 1 + length) for a, b in zip(edges[::2], edges[1::2], strict=True)]
        still = []
        for segment in open_:
            if y - segment[1] > 2:
                done.append(segment)
            else:
                still.append(segment)
        open_ = still
        for x0, x1 in runs:
            host = next((s for s in open_ if x0 <= s[3] + 3 and x1 >= s[2] - 3), None)
            if host is None:
                open_.append([int(y), int(y), x0, x1])
            else:
                host[1], host[2], host[3] = int(y), min(host[2], x0), max(host[3], x1)
    return [(a, b, c, d) for a, b, c, d in done + open_]


def boxes(mask: np.ndarray, dpi: float) -> list[Box]:
    """Return the tick boxes of the page: square outlines of a box's size, ticked when marked inside."""
    lo, hi = (round(side * dpi / 72.0) for side in BOX_SIDE_PT)
    found: list[tuple[int, int, int]] = []  # x0, y0, side in pixels
    for y in range(mask.shape[0] - lo):
        row = np.concatenate([[False], mask[y], [False]])
        edges = np.flatnonzero(np.diff(row.astype(np.int8)))
        for x0, x1 in zip(edges[::2], edges[1::2], strict=True):
            side = int(x1 - x0)
            if lo <= side <= hi and not _inside(found, int(x0), y) and _square(mask, int(x0), y, side):
                found.append((int(x0), y, side))
    scale = 72.0 / dpi
    return [
        Box(x * scale, y * scale, (x + side) * scale, (y + side) * scale, _ticked(mask, x, y, side))
        for x, y, side in found
    ]


def _inside(found: list[tuple[int, int, int]], x: int, y: int) -> bool:
    return any(bx - 2 <= x <= bx + side and by <= y <= by + side for bx, by, side in found)


def _square(mask: np.ndarray, x: int, y: int, side: int) -> bool:
    """Tell whether a run of ink of `side` pixels at (x, y) is the top of a square outline."""
    band = max(2, side // 8)
    if x < 2 * band or y < 2 * band or y + side + 3 * band > mask.shape[0] or x + side + 3 * band > mask.shape[1]:
        return False
    left = mask[y : y + side, x - 1 : x + band].any(axis=1).mean()
    right = mask[y : y + side, x + side - band : x + side + 1].any(axis=1).mean()
    rows = [y + side + d - band for d in range(0, 2 * band + 1)]
    bottom_row = max(rows, key=lambda r: mask[r, x + band : x + side - band].mean())
    bottom = mask[bottom_row, x + band : x + side - band].mean()
    outline = left > 0.9 and right > 0.9 and bottom > 0.85
    return bool(outline and _alone(mask, x, y, side, bottom_row - y + 1, band))


def _alone(mask: np.ndarray, x: int, y: int, side: int, height: int, band: int) -> bool:
    """A box stands apart: little ink in a margin around it (a bold letter touches its neighbours)."""
    gap = 2 * band
    margins = [
        mask[y - gap : y - 1, x : x + side],
        mask[y + height + 1 : y + height + gap, x : x + side],
        mask[y : y + height, x - gap : x - 1],
        mask[y : y + height, x + side + 1 : x + side + gap],
    ]
    return all(m.size and m.mean() < 0.2 for m in margins)


def _ticked(mask: np.ndarray, x: int, y: int, side: int) -> bool:
    inset = max(2, side // 5)
    inner = mask[y + inset : y + side - inset, x + inset : x + side - inset]
    return bool(inner.size and inner.mean() > TICKED_INK)
