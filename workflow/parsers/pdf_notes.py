"""Footnotes in a PDF: the small raised number hugging a word calls a note printed at the page's
foot. As in a .docx, a note called by a label with nothing after it (« Affaire suivie par¹ ») is
that label's value, read in its place; the calls never stay in the text (« LEROUX³, chargée »)."""

from __future__ import annotations

import re
import statistics
from dataclasses import replace

from workflow.parsers.base import Unit

OPEN, CLOSE = "\ue000", "\ue001"  # around a call's number while the page is read: no character of the text
_MARK = re.compile(r"\s*\ue000(\d+)\ue001(?:\s+(?=[,.;:)]))?")  # « LEROUX ³ , chargée »: « LEROUX, chargée »
_NOTE = re.compile(r"^\s*\ue000(\d+)\ue001\s*")
_NUMBER = re.compile(r"^\d{1,2}$")
SMALL = 0.75  # a call is set this much smaller than the word it follows, or less
HUG = 1.5  # points: and no farther from it
LABEL_WORDS = 6  # a label calling its value in a note: « Affaire suivie par », « Dossier suivi par »


def marked(words: list[dict]) -> list[dict]:
    """The words with each footnote call, and each note's number at the page's foot, marked: told
    apart from the numbers of the text (« 800 m² » calls nothing: no note bears its number)."""
    if not words:
        return words
    body = statistics.median(w["size"] for w in words)
    raised = {i for i in range(1, len(words)) if _calls(words[i - 1], words[i])}
    numbers = {words[i]["text"] for i in raised}
    below = max((words[i]["top"] for i in raised), default=0.0)
    notes = {
        i
        for i, w in enumerate(words)
        if w["text"] in numbers
        and w["top"] > below
        and (i == 0 or not _same_line(words[i - 1], w))
        and i + 1 < len(words)
        and _same_line(w, words[i + 1])
        and words[i + 1]["size"] < body - 0.5  # the note's text is set small
    }
    noted = {words[i]["text"] for i in notes}
    calls = {i for i in raised if words[i]["text"] in noted}
    return [{**w, "text": f"{OPEN}{w['text']}{CLOSE}"} if i in calls | notes else w for i, w in enumerate(words)]


def _calls(before: dict, word: dict) -> bool:
    return (
        bool(_NUMBER.match(word["text"]))
        and word["size"] <= SMALL * before["size"]
        and 0 <= word["x0"] - before["x1"] < HUG
        and word["bottom"] < before["bottom"] - 1  # raised above the line
    )


def _same_line(a: dict, b: dict) -> bool:
    return abs(a["bottom"] - b["bottom"]) < 3 and b["x0"] >= a["x1"] - 1


def starts_note(text: str) -> bool:
    """A line opening with a note's number: a new paragraph, whatever the line above."""
    return bool(_NOTE.match(text))


def placed(units: list[tuple[float, Unit]]) -> list[tuple[float, Unit]]:
    """A page's units (each with its top) with the notes called by a bare label moved under it, the
    other notes left at the foot (each its own unit, « note 2 »), and the calls taken out of the text."""
    notes = {m.group(1): (i, u.text[m.end() :]) for i, (_, u) in enumerate(units) if (m := _NOTE.match(u.text))}
    at_foot = {i for i, _ in notes.values()}
    moved: dict[int, list[Unit]] = {}
    for i, (_, unit) in enumerate(units):
        bare = _MARK.sub("", unit.text).strip()
        if i in at_foot or len(bare.split()) > LABEL_WORDS or bare.rstrip(" :").endswith((".", ";", ",")):
            continue
        for call in _MARK.findall(unit.text):
            if (called := notes.pop(call, None)) is not None:
                moved.setdefault(i, []).append(Unit(called[1].strip(), f"{unit.where}, note {call}"))
    kept = {i for i, _ in notes.values()}
    out: list[tuple[float, Unit]] = []
    for i, (top, unit) in enumerate(units):
        if i in at_foot and i not in kept:
            continue
        if note := _NOTE.match(unit.text):
            where = f"{unit.where}, note {note.group(1)}"
            out.append((top, replace(unit, text=unit.text[note.end() :], where=where)))
        else:
            out.append((top, replace(unit, text=_MARK.sub("", unit.text)) if _MARK.search(unit.text) else unit))
        out.extend((top, note_unit) for note_unit in moved.get(i, []))
    return out
