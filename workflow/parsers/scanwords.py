"""The words of an OCR'd page made to look like a printed PDF's: one word per word group, sizes by
line of text rather than by box height, bold from the ink, tick boxes in place of what OCR read.

OCRmyPDF writes each recognised word where it stands with the height of its line's box as its size
and an invisible font; the PDF reader expects what a word processor prints (spaces inside a line,
one size per paragraph, bold faces named). This module bridges the two, page by page.
"""

from __future__ import annotations

import re
import statistics
from typing import Any

import numpy as np

from workflow.parsers.pdf import COLUMN_GAP
from workflow.parsers.scanimage import Box

Word = dict[str, Any]
SIZE_STEP = 1.5  # points: OCR line heights closer than this are one type size
EM_PER_HEIGHT = 1.2  # a type size over the height OCR gives its lines (their letters, not the font's em)
BODY_RANGE = (0.75, 1.35)  # OCR line heights, over the page's usual one, read as the usual text size
BOLD_STROKE = 1.25  # stroke thickness, over the page's regular text, that means a bold face
HEADING_SIZE, HEADING_STROKE = 1.2, 1.1  # a line this much larger than the page's text is bold from this stroke
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})  # OCR's curly quotes, as typed
RULE_READ = re.compile(r"[|¦]+")
WORD_GAP = 1.5  # OCR: a gap narrower than this times the line's size is a space, not a column


def scanned_words(words: list[Word], strokes: list[float], regular: float, boxes: list[Box]) -> tuple[Word, ...]:
    """Return a page's OCR words made ready for the PDF reader (see the module's docstring).

    `strokes` are the words' line strokes (`line_strokes`), `regular` the document's regular one."""
    body = statistics.median(w["size"] for w in words) if words else 0.0
    large = [w["size"] >= HEADING_SIZE * body for w in words]  # a title's strokes thicken less than its size
    bold = [
        regular > 0 and stroke > (HEADING_STROKE if big else BOLD_STROKE) * regular
        for stroke, big in zip(strokes, large, strict=True)
    ]
    words = [
        {**w, "text": w["text"].translate(QUOTES), "fontname": "OCR-Bold" if heavy else "OCR"}
        for w, heavy in zip(words, bold, strict=True)
        if not _furniture(w, boxes)
    ]
    words = _same_sizes(words)
    marks = [_mark(box, words) for box in boxes]
    return tuple(sorted(_joined([*words, *marks]), key=lambda w: (w["top"], w["x0"])))


def _furniture(word: Word, boxes: list[Box]) -> bool:
    """Whether OCR read the drawing of the form as a word: a table rule as « | », a tick box as « [] »."""
    return bool(RULE_READ.fullmatch(word["text"])) or any(_covers(b, word) for b in boxes)


def _covers(box: Box, word: Word) -> bool:
    """Whether the word OCR read lies over a tick box (« [] », « © », « O »…)."""
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box.x0 - 1 <= x <= box.x1 + 1 and box.top - 2 <= y <= box.bottom + 2


def _same_sizes(words: list[Word]) -> list[Word]:
    """Give the words of one type size one size and one box height: OCR's line heights vary with
    ascenders and descenders."""
    sizes = sorted({round(w["size"], 1) for w in words})
    groups: list[list[float]] = []
    for size in sizes:
        if groups and size - groups[-1][-1] <= SIZE_STEP and size <= groups[-1][0] * 1.35:
            groups[-1].append(size)
        else:
            groups.append([size])
    common = {size: round(statistics.median(group), 1) for group in groups for size in group}
    body = statistics.median(w["size"] for w in words) if words else 0.0
    for size in common:  # one text size: OCR gives a line of it from 0.75 to 1.3 times another's height
        if BODY_RANGE[0] * body <= size <= BODY_RANGE[1] * body:
            common[size] = round(body, 1)
    return [_resized(w, round(common[round(w["size"], 1)] * EM_PER_HEIGHT, 1)) for w in words]


def _resized(word: Word, size: float) -> Word:
    """Give a word its type size, its box that size around the middle of its line (OCR's box fits
    the letters present: a line without descenders is shorter, and the gap to the next line wider)."""
    middle = _middle(word)
    return {**word, "size": size, "top": middle - size / 2, "bottom": middle + size / 2}


def line_strokes(words: list[Word], mask: np.ndarray, dpi: float) -> list[float]:
    """Return, for each word, the stroke thickness of its OCR line (its words share one box): the
    median over its words of the mean ink run across the letters' middle band, in points."""
    scale = dpi / 72.0
    lines: dict[tuple[float, float], list[float]] = {}
    for word in words:
        if len(word["text"]) >= 3:
            lines.setdefault(_line_of(word), []).append(_stroke(mask, word, scale))
    measures = {line: statistics.median(strokes) for line, strokes in lines.items()}
    return [measures.get(_line_of(w), 0.0) for w in words]


def regular_stroke(pages: list[list[Word]], strokes: list[list[float]]) -> float:
    """Return the stroke of the document's regular text (0 when too few lines tell): a low percentile
    over its lines, most of a form's lines being regular text."""
    lines = {
        (number, _line_of(w)): stroke
        for number, (words, page) in enumerate(zip(pages, strokes, strict=True))
        for w, stroke in zip(words, page, strict=True)
        if stroke > 0
    }
    return float(np.percentile(list(lines.values()), 30)) if len(lines) >= 6 else 0.0


def _line_of(word: Word) -> tuple[float, float]:
    return round(word["top"], 1), round(word["bottom"], 1)


def _stroke(mask: np.ndarray, word: Word, scale: float) -> float:
    """Return the mean ink run across the word's middle band, in points (0 for no ink)."""
    top, bottom = word["top"] * scale, word["bottom"] * scale
    rows = slice(int(top + (bottom - top) * 0.3), int(bottom - (bottom - top) * 0.3))
    band = mask[rows, int(word["x0"] * scale) : int(word["x1"] * scale) + 1]
    if not band.size:
        return 0.0
    runs = np.count_nonzero(np.diff(band.astype(np.int8), axis=1) == 1) + np.count_nonzero(band[:, 0])
    return float(band.sum()) / max(int(runs), 1) / scale


def _mark(box: Box, words: list[Word]) -> Word:
    """Return a tick box as the word a printed form would carry, on the line of the label it precedes."""
    size = box.bottom - box.top
    label = [w for w in words if box.x1 <= w["x0"] <= box.x1 + 3 * size and box.top <= _middle(w) <= box.bottom]
    line = min(label, key=lambda w: w["x0"], default=None)
    return {
        "text": "☒" if box.ticked else "☐",
        "x0": box.x0,
        "x1": box.x1,
        "top": line["top"] if line else box.top,
        "bottom": line["bottom"] if line else box.bottom,
        "fontname": line["fontname"] if line else "OCR",
        "size": line["size"] if line else size,
    }


def _middle(word: Word) -> float:
    return float(word["top"] + word["bottom"]) / 2


def _joined(words: list[Word]) -> list[Word]:
    """Join the words of a large type that a space separates but the reader would take for two columns
    (its column gap is fixed, in points)."""
    out: list[Word] = []
    for word in sorted(words, key=lambda w: (round(_middle(w) / 3), w["x0"])):
        last = out[-1] if out else None
        if (
            last is not None
            and abs(_middle(last) - _middle(word)) <= 0.3 * word["size"]
            and COLUMN_GAP <= word["x0"] - last["x1"] <= WORD_GAP * max(word["size"], last["size"])
            and last["size"] == word["size"]
            and last["fontname"] == word["fontname"]
        ):
            out[-1] = {
                **last,
                "text": f"{last['text']} {word['text']}",
                "x1": word["x1"],
                "bottom": max(last["bottom"], word["bottom"]),
            }
        else:
            out.append(word)
    return out
