"""Find where questions and labelled fields stand in a document, whatever its layout."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from workflow.parsers.base import Unit
from workflow.text import normalise

_NUMBERING = re.compile(r"^\s*(?:(?:question|q)\s*\d+\s*[-–:.)]?|\d+\s*[-–.)]|[ivx]+\s*[-–.)]|[a-e]\s*[.)])\s*", re.I)
_LABEL_SPLIT = re.compile(r"\s*[:：]\s*")
QUESTION_THRESHOLD = 88
LABEL_THRESHOLD = 90
MAX_QUESTION_CHARS = 450


@dataclass(frozen=True)
class Anchor:
    field: str
    index: int  # position of the unit in the document
    rest: str  # answer text written on the same line, after the question or label
    is_question: bool


def strip_numbering(text: str) -> str:
    return _NUMBERING.sub("", text, count=1)


def match_question(unit: Unit, questions: dict[str, str]) -> tuple[str, str] | None:
    """Return (field, text after the question) when `unit` states one of `questions`."""
    text = strip_numbering(unit.text.strip())
    if not text or len(text) > MAX_QUESTION_CHARS:
        return None
    head, mark, rest = text.partition("?")
    head_n = normalise(head)
    best: tuple[float, str] | None = None
    for field, question in questions.items():
        q_n = normalise(question.partition("?")[0])
        if not head_n or len(head_n) < 0.4 * len(q_n) or len(head_n) > 1.6 * len(q_n):
            continue
        if fuzz.token_set_ratio(head_n, q_n) < QUESTION_THRESHOLD:
            continue
        looks_like_question = (
            bool(mark) or unit.style.lower().startswith(("heading", "titre")) or len(head_n) >= 0.7 * len(q_n)
        )
        if looks_like_question:
            score = fuzz.ratio(head_n, q_n)
            if best is None or score > best[0]:
                best = (score, field)
    return (best[1], rest.strip()) if best else None


def match_label(unit: Unit, labels: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """Return (field, value after the colon) when `unit` starts with a field label."""
    text = strip_numbering(unit.text.strip())
    parts = _LABEL_SPLIT.split(text, maxsplit=1)
    head = normalise(parts[0])
    if not head or len(head) > 60:
        return None
    rest = parts[1].strip() if len(parts) > 1 else ""
    for field, names in labels.items():
        if any(head == normalise(name) for name in names):
            return field, rest
    if len(parts) < 2 or len(head.split()) > 7:  # loose matching only for "Label : value" lines
        return None
    first = head.split()[0]
    scored = [
        (
            fuzz.token_set_ratio(head, normalise(name)) >= LABEL_THRESHOLD
            and (len(normalise(name).split()) > 1 or (head.split()[0] == normalise(name) and len(head.split()) <= 3)),
            normalise(name).split()[:1] == [first],
            fuzz.ratio(head, normalise(name)),
            field,
        )
        for field, names in labels.items()
        for name in names
        if normalise(name)
    ]
    best = max(scored, default=(False, False, 0.0, ""))  # the label's leading word decides between subsets
    return (best[3], rest) if best[0] else None


def find_anchors(
    units: tuple[Unit, ...], questions: dict[str, str], labels: dict[str, tuple[str, ...]]
) -> list[Anchor]:
    """Return the question anchors, and the label anchors standing before the first question."""
    anchors: list[Anchor] = []
    seen_question = False
    exact = {normalise(name): field for field, names in labels.items() for name in names}
    for i, unit in enumerate(units):
        head = normalise(strip_numbering(unit.text.strip()).partition(":")[0])
        if not seen_question and head in exact:  # a field's own label is never a question
            anchors.append(Anchor(exact[head], i, unit.text.partition(":")[2].strip(), False))
            continue
        found = match_question(unit, questions)
        if found:
            seen_question = True
            anchors.append(Anchor(found[0], i, found[1], True))
            continue
        label = None if seen_question else match_label(unit, labels)
        if label:
            anchors.append(Anchor(label[0], i, label[1], False))
    return _first_per_field(anchors)


def label_anchors(units: tuple[Unit, ...], labels: dict[str, tuple[str, ...]]) -> list[Anchor]:
    """Return the first unit labelled with each field ("Organisme : …", a label cell)."""
    found = []
    for i, unit in enumerate(units):
        if unit.where.startswith(("en-tête", "pied de page")):
            continue
        label = match_label(unit, labels)
        if label:
            found.append(Anchor(label[0], i, label[1], False))
    return _first_per_field(found)


def _first_per_field(anchors: list[Anchor]) -> list[Anchor]:
    """Keep one anchor per field: the first with a value on its line, else the first (a sub-heading
    « Référent » followed by « Nom : … » gives way to the labelled line)."""
    kept: dict[str, Anchor] = {}
    for anchor in anchors:
        held = kept.get(anchor.field)
        if held is None or (not held.rest and anchor.rest and not held.is_question):
            kept[anchor.field] = anchor
    return sorted(kept.values(), key=lambda a: a.index)


_NUMBER_ONLY = re.compile(r"^\s*(?:n°|no|\d{1,2})\s*[.)]?\s*$", re.I)
_CLOSING = re.compile(
    r"^\s*(?:nous vous prions|je vous prie|veuillez agr|dans l.attente|(?:bien )?cordialement|fait [àa] |"
    r"\(?signature|pour (?:le|la) (?:maire|pr[ée]sident|directeur|directrice)|document (?:établi|etabli)|"
    r"[A-ZÉ][\w' -]{1,40}, le \d{1,2}(?:er)? )",
    re.I,
)


MAX_QUESTION_LINES = 3


def continuation(units: tuple[Unit, ...], index: int, end: int) -> int:
    """Return how many units after a question go on with it: a PDF cuts a long heading into lines,
    each set like the first, until one ends the question (« ? » or « : »)."""
    here = units[index]
    count = 0
    text = here.text.rstrip()
    while count < MAX_QUESTION_LINES and not text.endswith(("?", ":")) and index + count + 1 < end:
        nxt = units[index + count + 1]
        same_look = (nxt.style, nxt.bold, nxt.table) == (here.style, here.bold, here.table) and (
            here.bold or here.style
        )
        if not same_look or len(nxt.text.split()) > 30:
            break
        count += 1
        text = nxt.text.rstrip()
    return count if text.endswith(("?", ":")) else 0


def _numbering_cell(unit: Unit) -> bool:
    """A « N° » column's cell (« 4 »): the number of the next question, not an answer."""
    return unit.col == 1 and bool(_NUMBER_ONLY.match(unit.text))


def is_closing(text: str) -> bool:
    """Whether a line closes a letter or a form (salutation, « Fait à », signature, dated place)."""
    return bool(_CLOSING.match(text))


def is_running(unit: Unit) -> bool:
    """Whether a unit is a page header, footer or note, never part of an answer."""
    return unit.where.startswith(("en-tête", "pied de page", "notes"))


def _row_after(units: tuple[Unit, ...], index: int) -> list[Unit]:
    """Return the units of the cells right of a table cell, on its row."""
    here = units[index]
    return [
        u
        for u in units[index + 1 : index + 200]
        if u.table == here.table and u.row == here.row and (u.col or 0) > (here.col or 0) and u.text.strip()
    ]


def segment(units: tuple[Unit, ...], anchors: list[Anchor], anchor: Anchor) -> list[Unit]:
    """Return the units answering `anchor`: those up to the next anchor, or the label's value."""
    following = [a.index for a in anchors if a.index > anchor.index]
    end = min(following) if following else len(units)
    if anchor.is_question:
        here = units[anchor.index]
        if here.table is not None and (row := _row_after(units, anchor.index)):
            return row  # a label | value row: the answer is the rest of the row, never the next rows
        found = []
        start = anchor.index + 1 + continuation(units, anchor.index, end)
        for unit in units[start:end]:
            if is_closing(unit.text):
                break
            if not is_running(unit) and not _numbering_cell(unit):
                found.append(unit)
        return found
    if anchor.rest or anchor.index + 1 >= end:
        return []
    here, nxt = units[anchor.index], units[anchor.index + 1]
    if here.table is None or nxt.table != here.table:
        return [nxt] if here.table is None and nxt.table is None else []
    same_row = nxt.row == here.row
    below = nxt.row == (here.row or 0) + 1 and nxt.col == here.col
    return [nxt] if same_row or below else []


def unplaced(units: tuple[Unit, ...], anchors: list[Anchor]) -> list[Unit]:
    """Return the text after the first question that no anchor's answer took, up to the closing
    lines: kept for a person to read rather than put under a neighbouring question."""
    questions = [a for a in anchors if a.is_question]
    if not questions:
        return []
    taken = {id(u) for a in questions for u in segment(units, anchors, a)}
    taken |= {id(units[a.index]) for a in anchors}
    out = []
    for unit in units[min(a.index for a in questions) :]:
        if is_closing(unit.text):
            break
        if id(unit) in taken or is_running(unit) or not unit.text.strip() or _numbering_cell(unit):
            continue
        out.append(unit)
    return out
