"""Borderless two-column tables in a PDF: a column of labels or questions, the answers beside them.

A Word table without borders prints no rules, so pdfplumber finds no table, and its rows come out as
loose paragraphs: the reader then loses what the Word file says plainly, that the answer beside
« Où ? » belongs to that row. The table is recognised from its geometry alone: at least `MIN_ROWS`
labels have an answer level with them, starting at one edge; each paragraph wholly left of that edge
then opens a row (labels flush left or flush right alike), and the paragraphs from the edge onwards,
down to the next label, are its answer. A line across the edge ends the table."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

MIN_ROWS = 3  # level « label  answer » rows, at least, that make a table
EDGE = 3.0  # points: how far a column's paragraphs may start from its left edge
LEVEL = 2.5  # points: two paragraphs whose first lines start this close in height stand on one line
GAP = 7.0  # points, at least, between the label's end and its answer's start
ROW_GAP = 30.0  # points of blank between two lines beyond which they are not in one table
INDENT = 12.0  # points: how far right of the answer edge a line overleaf may start (a bullet), not a page header


class Shape(Protocol):
    """What the grid needs of a paragraph: its text, its first line's top, its edges and its bottom."""

    @property
    def text(self) -> str: ...

    @property
    def line(self) -> float: ...

    @property
    def left(self) -> float: ...

    @property
    def right(self) -> float: ...

    @property
    def bottom(self) -> float: ...


@dataclass
class Row:
    """One row: the label column's paragraphs, then the answer column's (indices into the page's list)."""

    labels: list[int] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    """A borderless table of a page: its rows, and where its answer column starts."""

    rows: list[Row]
    edge: float


def grids(shapes: Sequence[Shape], carried: float | None = None) -> tuple[list[int], list[Grid]]:
    """Return the borderless tables of a page; `shapes` from top to bottom, then left to right. With
    `carried`, the answer edge of a table that ended the page before, the lines the page opens with
    in that column go on with its last answer (a row cut by the page break): their indices come first."""
    continued: list[int] = []
    if carried is not None:
        for i, shape in enumerate(shapes):
            if abs(shape.left - carried) > INDENT or (continued and _apart(shapes[continued[-1]], shape)):
                break
            continued.append(i)
    answers = _answer_edge(shapes)
    if answers is None:
        return continued, []
    found: list[list[Row]] = []
    rows: list[Row] = []
    last: Shape | None = None
    for i, shape in enumerate(shapes[len(continued) :], start=len(continued)):
        if rows and last is not None and _apart(last, shape):  # a footer far below: the table has ended
            found.append(rows)
            rows = []
        if shape.right < answers - EDGE:  # the label column, flush left or flush right
            if not rows or rows[-1].answers or not shape.text[:1].islower():  # « … de la » / « CUA ? »
                rows.append(Row())
            rows[-1].labels.append(i)
        elif shape.left >= answers - EDGE:
            if rows:
                rows[-1].answers.append(i)
        else:  # a line across both columns: the table ends
            found.append(rows)
            rows = []
        last = shape
    found.append(rows)
    tables = [_from_first_level(shapes, rows) for rows in found]
    kept = [rows for rows in tables if _rows_of_a_table(shapes, rows, answers)]
    return continued, [Grid(rows, answers) for rows in kept]


def _rows_of_a_table(shapes: Sequence[Shape], rows: list[Row], edge: float) -> bool:
    """Whether rows make a table of labels and answers, not a page's text beside a sidebar: at least
    `MIN_ROWS` answers, most of them, start level with their label, and the labels are the narrower
    column."""
    answered = [row for row in rows if row.labels and row.answers]
    level = sum(_level(shapes, row) for row in answered)
    if level < MIN_ROWS or level * 3 < len(answered) * 2 or not _labels(shapes, rows):
        return False
    labels = [shapes[i] for row in rows for i in row.labels]
    answers = [shapes[i] for row in rows for i in row.answers]
    return max(s.right for s in labels) - min(s.left for s in labels) < max(s.right for s in answers) - edge


def ends_page(shapes: Sequence[Shape], grid: Grid) -> bool:
    """Whether the table runs to the page's end (a footer far below aside), so that it may go on overleaf."""
    return runs_to_the_end(shapes, max(i for row in grid.rows for i in (*row.labels, *row.answers)))


def runs_to_the_end(shapes: Sequence[Shape], last: int) -> bool:
    """Whether nothing but a footer far below follows the `last` paragraph of a table on its page."""
    return all(_apart(shapes[last], shape) for shape in shapes[last + 1 :])


def _apart(above: Shape, below: Shape) -> bool:
    """Whether `below` stands too far under `above` to be in the same table (a page footer)."""
    return below.line - above.bottom > ROW_GAP


_OWN_VALUE = re.compile(r"\w\s*:\s*\S")  # « Nom : Arras Médiation Jeunesse »: a label with its value


def _labels(shapes: Sequence[Shape], rows: list[Row]) -> bool:
    """Whether the left column holds labels or questions: not « Nom : X » beside « Sigle : Y », two
    labelled values on one line (tab-separated in the Word file), which are read as lines."""
    own = sum(bool(_OWN_VALUE.search(shapes[row.labels[0]].text)) for row in rows if row.labels)
    return own * 2 < len(rows)


def _from_first_level(shapes: Sequence[Shape], rows: list[Row]) -> list[Row]:
    """The rows from the first whose answer stands level with its label: a title above the table
    (« Identification ») is no row of it."""
    first = next((k for k, row in enumerate(rows) if _level(shapes, row)), len(rows))
    return rows[first:]


def _answer_edge(shapes: Sequence[Shape]) -> float | None:
    """The left edge of the answer column, where lines level with a label start, or None."""
    starts = []
    by_line = sorted(range(len(shapes)), key=lambda i: shapes[i].line)
    for k, i in enumerate(by_line):
        p = shapes[i]
        beside = []
        for j in by_line[k + 1 :]:
            if shapes[j].line - p.line > LEVEL:
                break
            beside.append(shapes[j])
        for j in reversed(by_line[:k]):
            if p.line - shapes[j].line > LEVEL:
                break
            beside.append(shapes[j])
        nearest = min((q for q in beside if q.left >= p.right + GAP), key=lambda q: q.left, default=None)
        if nearest is not None and not any(q.right <= p.left for q in beside):  # p is the line's first
            starts.append(nearest.left)
    if len(starts) < MIN_ROWS:
        return None
    edge = statistics.median(starts)
    return edge if sum(abs(x - edge) <= EDGE for x in starts) >= MIN_ROWS else None


def _level(shapes: Sequence[Shape], row: Row) -> bool:
    """Whether the row's answer starts level with its label (a row of a table, not a label and text below)."""
    return bool(row.labels and row.answers) and abs(shapes[row.answers[0]].line - shapes[row.labels[0]].line) <= LEVEL
