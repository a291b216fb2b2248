"""A task board printed or exported (Planner, Trello): one column per question, titled with its count
of cards and « + Ajouter une tâche », each card a title and its notes, with the board's own marks
about it (a tag chip, a due date « ◷ … », people « ● SM », a checklist « ☑ 1/2 »). The columns and
the cards are the answer; the marks are the board's; a column of cards set aside (« Écarté »,
« Tâches terminées ») answers nothing."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.parsers.base import Contenu, Unit

_ADD_CARD = re.compile(r"^\s*\+\s*ajouter\s+une\s+(?:t[âa]che|carte)\b", re.I)
_COUNT = re.compile(r"\s{2,}\d{1,3}\s*$")  # « 1 · Interventions structurantes   3 »
_MARKS = re.compile(r"^\s*(?:[◷●○]|[☑☐]\s*\d+\s*/\s*\d+|[☑☐✓]\s)")  # due date, people, checklist
_SET_ASIDE = re.compile(r"[ée]cart[ée]|non\s+retenu|termin[ée]|abandonn|archiv|corbeille", re.I)
MIN_COLUMNS = 3


def from_board(contenu: Contenu) -> Contenu:
    """The board's columns as headings over their cards' lines, its marks and set-aside columns left
    out; the content unchanged when it is no board."""
    units = contenu.units
    adds = [n for n, u in enumerate(units) if _ADD_CARD.match(u.text)]
    if len(adds) < MIN_COLUMNS:
        return contenu
    titles = {t for n in adds if (t := _title_before(units, n)) is not None}
    first = min(titles, default=adds[0])
    out: list[Unit] = list(units[:first])
    aside = False
    for n, unit in enumerate(units[first:], start=first):
        if n in titles:
            title = _COUNT.sub("", unit.text).strip()
            aside = bool(_SET_ASIDE.search(title))
            if not aside:
                out.append(replace(unit, text=title, bold=True, table=None, row=None, col=None))
            continue
        text = unit.text.strip()
        if aside or not text or _ADD_CARD.match(text) or _MARKS.match(text) or _chip(unit):
            continue
        out.append(replace(unit, text=text, table=None, row=None, col=None))
    return replace(contenu, units=tuple(out))


def _title_before(units: tuple[Unit, ...], at: int) -> int | None:
    return next((n for n in range(at - 1, -1, -1) if units[n].text.strip()), None)


def _chip(unit: Unit) -> bool:
    """A card's tag (« Maintenu », « QPV »): a word or two set apart by spaces, unless it says where the
    card belongs (« Émancipé · OS 1 »)."""
    text = unit.text
    tagged = text != text.strip() and len(text.split()) <= CHIP_WORDS
    return tagged and not re.search(r"\d", text)


CHIP_WORDS = 2
