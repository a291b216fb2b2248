"""Turn a document's units into entries an association form is read from, whatever the layout:
labelled lines (« Nom : … », several on one line), table pairs (label | value | label | value),
tables with a header row, and plain lines (READING.md § 1)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from workflow.answers import Certitude, Lieu
from workflow.extract.anchors import is_running, strip_numbering
from workflow.extract.association_labels import numbered_action
from workflow.ooxml.blocks import CHECKED_GLYPHS, UNCHECKED_GLYPHS
from workflow.parsers.base import Unit
from workflow.text import clean_spaces, normalise

MAX_LABEL_WORDS = 9
_TICK = re.compile(r"^\s*(?:[☐☒☑□■✔✓●○◉◯]|\[\s*[xX✓✔ ]?\s*\])")  # a box or a web form's radio button
_PIECES = re.compile(r"\t+|\s{4,}|\s+·\s+(?=[^·:]{2,40}:)")  # « Président : X · Trésorière : Y »


@dataclass(frozen=True)
class Entry:
    """One line of the document: its text, its label and value when it reads « label : value »."""

    text: str
    unit: Unit
    label: str = ""  # "" when the line holds no label
    value: str = ""
    heading: bool = False  # styled as a title: a section or a sub-heading when it holds no value
    pinned: bool = False  # a table pair: the value is the cell beside its label
    question: bool = False  # a label that asks (« Qui suit ce dossier ? »): its answer follows

    @property
    def lieu(self) -> Lieu:
        """Where the entry stands, structured when a label or a table pair gave it."""
        methode = "tableau" if self.unit.table is not None else "texte"
        sure = Certitude.STRUCTUREE if self.label else None
        return Lieu(methode, self.unit.where, sure)


@dataclass(frozen=True)
class Table:
    """A table read by its header row: the header texts and the data rows, cell texts by column."""

    header: tuple[str, ...]
    rows: tuple[dict[int, tuple[str, Unit]], ...]


Item = Entry | Table
LabelTest = Callable[[str], bool]  # whether a short phrase is one of the form's labels


def entries(units: tuple[Unit, ...], is_label: LabelTest) -> list[Item]:
    """Return the document's entries in reading order, each table as pairs or as one `Table`."""
    out: list[Item] = []
    done: set[int] = set()
    frames = _frames(units)
    boxes = cards(units)
    for unit in units:
        if is_running(unit) or (not unit.text.strip() and (unit.table is None or unit.table in frames)):
            continue
        if unit.table is None and out and isinstance(out[-1], Entry) and _mark_after(out[-1], unit):
            out[-1] = replace(out[-1], text=f"☒ {out[-1].text}")  # « … centres sociaux     X »: a PDF cut the tick off
        elif unit.table in boxes:
            if unit.table not in done:
                done.add(unit.table)
                out.extend(_card([u for u in units if u.table == unit.table], is_label))
        elif unit.table is None or unit.table in frames:
            out.extend(line_entries(unit, is_label))
        elif unit.table not in done:
            done.add(unit.table)
            grid = _grid([u for u in units if u.table == unit.table])
            if out and isinstance(out[-1], Table) and (joined := _continued(out[-1], grid, is_label)):
                out[-1] = joined
                continue
            if out and isinstance(out[-1], Entry) and out[-1].pinned and _cut_cell(grid):
                last, (text, _) = out[-1], grid[0][max(grid[0])]
                out[-1] = replace(last, text=f"{last.text} {text}", value=f"{last.value} {text}")
                grid = grid[1:]
            out.extend(_table_entries(grid, is_label))
    return out


TICKED_BOXES = CHECKED_GLYPHS | {"[x]", "[X]"}  # a box alone in its cell, before its choice
BOXES = TICKED_BOXES | UNCHECKED_GLYPHS | {"[ ]"}


def cards(units: tuple[Unit, ...]) -> set[int]:
    """Tables of one cell holding several lines: a web form's question printed over its answer."""
    cells: dict[int, set[tuple[int | None, int | None]]] = {}
    lines: dict[int, int] = {}
    for unit in units:
        if unit.table is not None:
            cells.setdefault(unit.table, set()).add((unit.row, unit.col))
            lines[unit.table] = lines.get(unit.table, 0) + bool(unit.text.strip())
    return {t for t, c in cells.items() if len(c) == 1 and lines[t] >= 2}


def _card(units: list[Unit], is_label: LabelTest) -> list[Entry]:
    """A question alone over one line: that line answers it, whatever it looks like (« Présidente »,
    « Familles du quartier »); a card of several lines is read line by line."""
    said = [u for u in units if u.text.strip() and not is_hint(u.text)]
    if said and _ANOTHER.match(normalise(said[0].text)):
        return []  # « Voulez-vous décrire une autre action ? ◉ Oui ○ Non »: the form's way to its next page
    if len(said) == 2 and "\n" not in said[1].text.strip():
        asked = _labelled(clean_spaces(said[0].text).strip(), said[0], said[0].bold, is_label)
        if asked.question and not asked.value:
            return [_pair((_REQUIRED.sub("", said[0].text.strip()), said[0]), (said[1].text.strip(), said[1]))]
    return [e for u in said for e in line_entries(u, is_label)]


_ANOTHER = re.compile(r"^(?:voulez|souhaitez) vous (?:decrire|ajouter|saisir|declarer) une? autre\b")


def is_hint(text: str) -> bool:
    """A web form's help under a question, or its furniture: never an answer."""
    return bool(_WEB_HINT.match(normalise(text)))


_WEB_HINT = re.compile(  # « 14 chiffres, sans espace », « Un nombre entier », « Section 2 sur 6 »
    r"^(?:\d+ chiffres\b.{0,20}|w suivi de \d+ chiffres|une? nombre entier|jj/mm/aaaa|section \d+ sur \d+|"
    r"\* indique une question obligatoire|un (?:indicateur|element) par ligne)$"
)


def _frames(units: tuple[Unit, ...]) -> set[int]:
    """The tables that frame others (a layout table, a block's title in each cell, a table inside it):
    their cells are read as lines, in the order they come, not as a grid of labels and values."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for i, unit in enumerate(units):
        if unit.table is not None:
            first.setdefault(unit.table, i)
            last[unit.table] = i
    return {t for t in first if any(first[t] < first[o] <= last[t] for o in first if o != t)}


def _mark_after(entry: Entry, unit: Unit) -> bool:
    """A hand tick alone on its line, just after a plain line of several words it ticks."""
    return (
        bool(MARK.match(unit.text)) and not entry.label and not _TICK.match(entry.text) and len(entry.text.split()) > 2
    )


def _cut_cell(grid: list[dict[int, tuple[str, Unit]]]) -> bool:
    """A first row holding only the end of a value cell: the page cut a label | value row."""
    if not grid:
        return False
    filled = [c for c, (t, _) in grid[0].items() if t]
    return len(filled) == 1 and filled[0] > 1


def _continued(table: Table, grid: list[dict[int, tuple[str, Unit]]], is_label: LabelTest) -> Table | None:
    """Join a table that a page break cut from `table` (a PDF prints it as two) back to it."""
    if not grid or max(len(r) for r in grid) != len(table.header):
        return None
    if tuple(t for t, _ in (grid[0][c] for c in sorted(grid[0]))) == table.header:
        grid = grid[1:]  # the header row repeated on the new page
    elif grid[0].get(1, ("", None))[0]:
        return None  # a new table: a cut one goes on with the rest of a row (its first cell empty)
    rows = _append_row(list(table.rows), grid[0]) + grid[1:] if grid else list(table.rows)
    return Table(table.header, tuple(rows))


def line_entries(unit: Unit, is_label: LabelTest) -> list[Entry]:
    heading = unit.bold or unit.style.lower().startswith(("heading", "titre", "title"))
    out: list[Entry] = []
    for line in (q for raw in unit.text.splitlines() for q in _leader_lines(raw, is_label)):
        pieces = [q for p in _PIECES.split(line) if p.strip() for q in _inner_labels(clean_spaces(p), is_label)]
        if len(pieces) > 1 and all(":" in p for p in pieces):
            out.extend(_labelled(p.strip(), unit, heading, is_label) for p in pieces)
        elif line.strip():
            out.append(_labelled(clean_spaces(line).strip(), unit, heading, is_label))
    return out


_EXAMPLE = re.compile(r"\s*\([^()]*?\b(?:ex\.|exemples?\b|par ex(?:emple\b|\.))[^()]*\)", re.I)
_FORMAT_HINT = re.compile(r"^([^:()]{2,60}?)\s*\([^()]*:[^()]*\)\s*(?=:)")
_TRAILING_LEADER = re.compile(r"\s*(?:\.{4,}|…{2,}|_{3,})\s*$")
_LEADER = re.compile(r"\s*(?:\.{4,}|…{2,}|_{4,})\s*")
_BOX_ONLY = re.compile(r"^\s*([☐☒☑□■●○◉◯]|\[\s*[xX✓✔]?\s*\])\s*(.*)$")


def _leader_lines(line: str, is_label: LabelTest) -> list[str]:
    """Read dot leaders and tabs as label separators: « Sigle ...... AVPA » → « Sigle : AVPA », a box at
    the end of the line put before it (« Participer … ☒ » → « ☒ Participer … »), and a PDF line joining
    several « label ...... value » cut at the label that starts each one (or left whole when unsure)."""
    line = _TRAILING_LEADER.sub("", line)  # « Commune : Arras______ »: the blank's rest, no separator
    line = _EXAMPLE.sub("", line)  # « Numéro RNA (ex. : W621234567) : … »: the form's example, never the answer
    line = _FORMAT_HINT.sub(r"\1", line, count=1)  # « Cofinancements (financeur : montant) : … »: the label
    parts = _LEADER.split(line)
    if len(parts) < 2:
        tabbed = [p.strip() for p in line.split("\t") if p.strip()]
        if len(tabbed) == 2 and ":" not in tabbed[0] and not _TICK.match(tabbed[0]):
            if _BOX_ONLY.match(tabbed[1]) and not _BOX_ONLY.match(tabbed[1]).group(2):  # type: ignore[union-attr]
                return [f"{tabbed[1]} {tabbed[0]}"]
            if MARK.match(tabbed[1]) and len(tabbed[0].split()) > 2:  # « Participer au tiers-lieu …⇥X »: ticked
                return [f"☒ {tabbed[0]}"]
            if len(tabbed[0].split()) <= MAX_LABEL_WORDS and is_label(tabbed[0]):
                return [f"{tabbed[0]} : {tabbed[1]}"]
        return [line]
    pairs: list[tuple[str, str]] = []
    label = parts[0].strip()
    for middle in parts[1:-1]:
        cut = _split_value_label(middle.strip(), is_label)
        if cut is None:
            return [line]
        pairs.append((label, cut[0]))
        label = cut[1]
    pairs.append((label, parts[-1].strip()))
    if not all(  # a sentence's blank (« joignable à l'adresse … et au ……… ») is no label's
        lab and ((len(lab.split()) <= MAX_LABEL_WORDS and is_label(lab)) or _BOX_ONLY.match(val)) for lab, val in pairs
    ):
        return [line]
    return [f"{val} {lab}" if _BOX_ONLY.match(val) else f"{lab} : {val}".rstrip() for lab, val in pairs]


def _split_value_label(text: str, is_label: LabelTest) -> tuple[str, str] | None:
    """Cut « Saint-Laurent-Blangy Représentant légal (NOM Prénom) » into a value and the next label:
    a box, or the first capitalised word (not a code like « OS ») that is itself a key word of a label."""
    if box := _BOX_ONLY.match(text):
        return box.group(1), box.group(2).strip()
    words = text.split()
    for k in range(1, len(words)):
        if len(words[k]) > 2 and words[k][:1].isupper() and is_label(words[k]) and is_label(" ".join(words[k:])):
            return " ".join(words[:k]), " ".join(words[k:])
    return None


_INNER = re.compile(r"\s(?=([A-ZÉÈÀÇ][\w'’().-]*(?:\s[\w'’().-]+){0,3})\s?:)")
_LISTS = ("cofinanc", "financement", "objectif", "quartier", "engagement", "ambition")


_DASHED_LABEL = re.compile(r"\s—\s+(?=[A-ZÀ-Þ][\w'’ ]{0,30}?\s:\s)")


def _inner_labels(text: str, is_label: LabelTest) -> list[str]:
    """Cut « Code postal : 62217 Commune : Beaurains » (lines a PDF joined) at each label inside."""
    head = normalise(text.partition(":")[0])
    if ":" not in text or any(w.startswith(_LISTS) for w in head.split()):
        return [text]
    cuts = [
        m.start()
        for m in _INNER.finditer(text)
        if m.start() > text.index(":") and is_label(m.group(1)) and not is_label(m.group(1).partition(" ")[2])
    ]  # the label starts at this word: « CAF du Pas-de-Calais Montant » is a funder, then « Montant »
    cuts += [m.start() for m in _DASHED_LABEL.finditer(text) if m.start() > text.index(":")]  # « … — Animée par : »
    bounds = [0, *sorted(set(cuts)), len(text)]
    pieces = [p for a, b in pairwise(bounds) if (p := text[a:b].strip().removeprefix("—").strip())]
    if len(pieces) > 1:  # « Code postal : 62217 – Commune : … »: the dash separates the fields
        pieces = [re.sub(r"\s+[–—-]$", "", p) for p in pieces]
    return pieces


_REQUIRED = re.compile(r"(?<=\S)\s*\*\s*$|(?<=\?)\s*\*(?=\s)")  # « Commune * », « … ? * »: a web form's required mark


def _labelled(text: str, unit: Unit, heading: bool, is_label: LabelTest) -> Entry:
    """Split « label : value » or « question ? answer » when the head reads as a label."""
    if _TICK.match(text):
        return Entry(text, unit, heading=heading)
    bare = _REQUIRED.sub("", strip_numbering(text))
    head, mark, rest = bare.partition("?")
    if mark and len(head.split()) <= 14:
        if not rest.strip(" :"):
            return Entry(text, unit, head.strip(), "", heading, question=True)
        if is_label(head) and ":" not in head and rest.rstrip().endswith("?"):  # « … (CPO) ? Si oui, combien ? »
            return Entry(text, unit, head.strip(), "", heading, question=True)
        if is_label(head) and ":" not in head:  # « Souhaitez-vous une CPO ? Oui ☒ Non ☐ »
            return Entry(text, unit, head.strip(), rest.strip(" :"), heading)
    head, colon, rest = bare.partition(":")
    words = head.split()
    boxed_answer = len(words) > 5 and bool(re.search(r"[☐☒☑□■]|\[\s*[xX]?\s*\]", rest))
    if colon and not boxed_answer and 0 < len(words) <= MAX_LABEL_WORDS + 4 and (is_label(head) or len(words) <= 4):
        return Entry(text, unit, head.strip(" -–•"), rest.strip(), heading)
    if not colon and heading and len(words) <= 2 * MAX_LABEL_WORDS and is_label(" ".join(words[:MAX_LABEL_WORDS])):
        return Entry(text, unit, bare.strip(), "", heading)
    # a bullet is a list's item, « OS 1 · 1D Soutenir … » an objective
    alone = not re.search(r"\d{4}|@|,|\bOS\s*\d|\b\d{1,2}\s?[A-G]\b", bare) and bare.lstrip()[:1] not in "•◦▪‣*·–-"
    if not colon and not heading and alone and 0 < len(words) <= MAX_LABEL_WORDS and is_label(bare):
        # a label alone on its line (an export prints the value under it): answered by the next line
        return Entry(text, unit, bare.strip(" -–•"), "", heading, question=True)
    return Entry(text, unit, heading=heading)


def _grid(units: list[Unit]) -> list[dict[int, tuple[str, Unit]]]:
    rows: dict[int, dict[int, tuple[str, Unit]]] = {}
    for u in units:
        if u.row is None or u.col is None:
            continue
        cell = rows.setdefault(u.row, {})
        text = clean_spaces(u.text)
        before = cell.get(u.col)
        cell[u.col] = ((before[0] + "\n" + text).strip(), before[1]) if before else (text, u)
    return [rows[r] for r in sorted(rows)]


def _header(row: dict[int, tuple[str, Unit]]) -> tuple[str, ...]:
    """The header texts by column number (a merged cell leaves a gap)."""
    return tuple(row[c][0] if c in row else "" for c in range(1, max(row) + 1))


def _transposed(grid: list[dict[int, tuple[str, Unit]]]) -> Table | None:
    """A table with one column per action (« | Action 1 | Action 2 | Total », then « Intitulé | … »
    rows) read as one row per action; the « Total » column left out."""
    if len(grid) < 3 or grid[0].get(1, ("", None))[0]:
        return None
    columns = [c for c, (t, _) in grid[0].items() if c > 1 and numbered_action(t)]
    if len(columns) < 2:
        return None
    header = tuple(row.get(1, ("", None))[0] for row in grid[1:])
    rows = tuple({n: row[c] for n, row in enumerate(grid[1:], start=1) if c in row} for c in columns)
    return Table(header, rows)


MARK = re.compile(r"^\s*(?:[xX✓✔☒☑■●◉]|oui)\s*$", re.I)  # a cell ticked by hand, a radio button chosen


def _tick_columns(grid: list[dict[int, tuple[str, Unit]]], is_label: LabelTest) -> list[Item] | None:
    """A table ticking choices in columns of their own (« Quartier | X | Ambition | X », « Engagement |
    X », « Quartier | Action 1 | Action 2 » over X marks): each choice read as a ticked or an empty box,
    under its column's title when there is one."""
    if len(grid) < 2 or any(normalise(t).strip() in ("oui", "non") for t, _ in grid[0].values()):
        return None  # « Engagement | Oui | Non »: the X says yes or no, read as such
    header = [c for c, (t, _) in grid[0].items() if t and not MARK.match(t) and is_label(t)]
    rows = grid[1:] if header else grid
    columns = sorted({c for row in rows for c in row})

    def cell(row: dict[int, tuple[str, Unit]], c: int) -> str:
        return row.get(c, ("", None))[0].strip()

    marked = [
        c
        for c in columns
        if c > 1 and any(cell(r, c) for r in rows) and all(MARK.match(t) for r in rows if (t := cell(r, c)))
    ]
    choices: dict[int, list[int]] = {}  # the column naming the choices → the columns ticking them
    for c in marked:
        left = next((k for k in range(c - 1, 0, -1) if k not in marked), None)
        if left is not None:
            choices.setdefault(left, []).append(c)
    if (
        not choices
        or len(rows) < 2
        or any(not cell(r, k) for k in choices for r in rows if any(cell(r, c) for c in choices[k]))
    ):
        return None
    out: list[Item] = []
    for k, ticks in choices.items():
        if header and (title := grid[0].get(k)):
            out.append(Entry(title[0], title[1], title[0].rstrip(" :"), heading=True))
        for row in rows:
            if choice := row.get(k):
                box = "☒" if any(MARK.match(cell(row, c)) for c in ticks) else "☐"
                out.append(Entry(f"{box} {choice[0]}", choice[1]))
    return out


def _ticked_row(grid: list[dict[int, tuple[str, Unit]]], n: int, is_label: LabelTest) -> str | None:
    """« ☒ » or « ☐ » for a « choice | X » row, or an unticked « choice | » row of a table that ticks
    some; None for any other row (a label, a question ending with « : »)."""

    def mark(k: int) -> str | None:
        if len(grid[k]) != 2:
            return None
        first, second = (grid[k][c][0].strip() for c in sorted(grid[k]))
        if first in BOXES and second:  # « ☒ | Participer au tiers-lieu »: the box before its choice
            first, second = second, ("X" if first in TICKED_BOXES else "")
        if not first or first.endswith((":", "?")) or is_label(first):
            return None
        return "☒" if MARK.match(second) else "☐" if not second else None

    here = mark(n)
    return here if here == "☒" or (here == "☐" and any(mark(k) == "☒" for k in range(len(grid)))) else None


def _table_entries(grid: list[dict[int, tuple[str, Unit]]], is_label: LabelTest) -> list[Item]:
    grid = [_kicker_dropped(row, is_label) for row in grid]
    if table := _transposed(grid):
        return [table]
    if ticks := _tick_columns(grid, is_label):
        return ticks
    if people := _columns_of_people(grid, is_label):
        return people
    out: list[Item] = []
    heads = [n for n in range(min(3, len(grid))) if _names_its_columns_only(grid[n:])]
    if heads:  # « champ | valeur » over the pairs, under the table's title maybe: the header says nothing
        aside = _remark_columns(grid[heads[0]])
        grid = [
            {c: cell for c, cell in row.items() if c not in aside} for row in grid[: heads[0]] + grid[heads[0] + 1 :]
        ]
    labelled = _label_column(grid, is_label)
    if renewal := _renewal_columns(grid):
        grid = [_renewed(row, *renewal) for row in grid[1:]]
    for n, row in enumerate(grid):
        if _has_header(grid[n:], is_label, first=n == 0):  # the table, or what is left of it, has a header row
            out.append(Table(_header(row), tuple(grid[n + 1 :])))
            return out
        cells = [row[c] for c in sorted(row)]
        if (box := _ticked_row(grid, n, is_label)) is not None:  # « Participer au tiers-lieu | X » among such rows
            choice = cells[1] if cells[0][0].strip() in BOXES else cells[0]
            out.append(Entry(f"{box} {choice[0]}", choice[1]))
            continue
        if any(_SIGNATURE_CELL.match(text) for text, _ in cells):  # « Pour la CUA, … | Pour l'association X, … »
            out.extend(_signature_lines(cells, is_label))
            continue
        if len(cells) >= 2 and (
            _is_label_cell(cells[0], is_label) or (labelled and _short_cell(cells[0])) or _closed_row(cells)
        ):
            out.extend(_pairs(cells, is_label))
            continue
        for text, unit in cells:
            if text:  # a row of one cell titles what follows (« Représentant légal », « ACTION 1 »)
                heading = unit.bold or len(cells) == 1
                out.extend(line_entries(replace(unit_with(unit, text), bold=heading), is_label))
    return out


def _kicker_dropped(row: dict[int, tuple[str, Unit]], is_label: LabelTest) -> dict[int, tuple[str, Unit]]:
    """« QUI ? ⏎ Public visé », « 1 ⏎ Intitulé » in a row's first cell: the label is its last line, the
    short word over it only a kicker."""
    if not row:
        return row
    first = min(row)
    text, unit = row[first]
    *above, last = text.splitlines() or [""]
    kicker = all(len(line.split()) <= 2 for line in above)
    if above and kicker and (is_label(last.strip().rstrip(" :")) or all(a.rstrip().endswith("?") for a in above)):
        return {**row, first: (last.strip(), unit)}
    return row


def _columns_of_people(grid: list[dict[int, tuple[str, Unit]]], is_label: LabelTest) -> list[Item] | None:
    """« | Représentant légal | Personne chargée du dossier » over « Nom | … | … » rows: each column
    read as its own block, the column's title a sub-heading (whose « Nom », « Fonction » they are)."""
    if len(grid) < 2 or grid[0].get(1, ("", None))[0].strip() or len(grid[0]) < 3:
        return None
    heads = {c: cell for c, cell in grid[0].items() if c > 1}
    if not all(t and is_label(t) for t, _ in heads.values()):
        return None
    if not all(1 in row and _is_label_cell(row[1], is_label) for row in grid[1:]):
        return None
    out: list[Item] = []
    for column, (title, unit) in sorted(heads.items()):
        out.append(Entry(title, unit, title.strip(" :"), "", heading=True))
        out.extend(_pair(row[1], row[column]) for row in grid[1:] if column in row)
    return out


_OLD_COLUMN = re.compile(r"\b(?:rappel|pour m[ée]moire|pr[ée]c[ée]dente?|ancienne?|initiale?)\b", re.I)
_NEW_COLUMN = re.compile(r"\b(?:mise [àa] jour|actualis\w*|nouvelle?|modifications?|changements?)\b", re.I)
_UNCHANGED = re.compile(r"^\s*(?:inchang\w*|idem|identique|sans changement|pas de changement)\b", re.I)


def _renewal_columns(grid: list[dict[int, tuple[str, Unit]]]) -> tuple[int, int] | None:
    """« Rubrique | Dossier 2024 (rappel) | Mise à jour 2025 »: last year's answers beside this year's;
    the columns (old, new), or None."""
    if len(grid) < 3 or len(grid[0]) < 3:
        return None
    heads = {c: t for c, (t, _) in grid[0].items() if c > 1}
    old = [c for c, t in heads.items() if _OLD_COLUMN.search(t)]
    new = [c for c, t in heads.items() if _NEW_COLUMN.search(t) and c not in old]
    return (old[0], new[0]) if len(old) == 1 and len(new) == 1 else None


def _renewed(row: dict[int, tuple[str, Unit]], old: int, new: int) -> dict[int, tuple[str, Unit]]:
    """A renewal's row as one label | value row: this year's answer; « Inchangé » last year's, with
    what « …, plus X » or the lines under it add; « Supprimé » nothing."""
    if 1 not in row or (new not in row and old not in row):
        return {c: cell for c, cell in row.items() if c == 1}
    before, unit = row.get(old, ("", None))
    text, unit = row.get(new, (before, unit))
    lines = text.splitlines() or [""]
    if _UNCHANGED.match(lines[0]):
        more = re.search(r"\bplus\b\s*:?\s*(?P<more>.*)$", lines[0])
        added = [more.group("more")] if more and more.group("more") else []
        text = "\n".join([before, *added, *(re.sub(r"^\s*ajouts?\s*:\s*", "", x, flags=re.I) for x in lines[1:])])
    elif re.match(r"^\s*supprim", text, re.I):
        text = ""
    return {1: row[1], 2: (text.strip(), unit or row[1][1])}


LABEL_COLUMN_SHARE = 0.6


def _label_column(grid: list[dict[int, tuple[str, Unit]]], is_label: LabelTest) -> bool:
    """A label | value table: most first cells are labels we know; then its other short first cells
    (« Nombre de participants », unbolded in a PDF) are labels too."""
    pairs = [row[1] for row in grid if len(row) == 2 and 1 in row and row[1][0].strip()]
    known = sum(_is_label_cell(cell, is_label) for cell in pairs)
    return len(pairs) >= 3 and known >= LABEL_COLUMN_SHARE * len(pairs)


_KEY_HEADS = {"champ", "champs", "rubrique", "question", "libelle", "element", "information", "donnee", "engagement"}
_VALUE_HEADS = {"valeur", "valeurs", "reponse", "reponses", "contenu", "saisie", "renseignement", "complement"}
_REMARK_HEADS = {"observation", "observations", "commentaire", "commentaires", "remarque", "remarques", "avis"}


def _names_its_columns_only(grid: list[dict[int, tuple[str, Unit]]]) -> bool:
    """« Champ | Valeur », « Rubrique | Réponse | Observation de la CUA | Complément »: a header over label |
    value rows, no field of its own."""
    named = [_first_word(text) for _, (text, _) in sorted(grid[0].items()) if text.strip()] if grid else []
    if len(grid) < 2 or len(named) < 2 or named[0] not in _KEY_HEADS or named[1] not in _VALUE_HEADS:
        return False
    return all(n in _VALUE_HEADS or n in _REMARK_HEADS for n in named[2:])


def _remark_columns(header: dict[int, tuple[str, Unit]]) -> set[int]:
    """The columns of a reviewer's remarks (« Observation de la CUA »): no answer of the association's."""
    return {c for c, (text, _) in header.items() if _first_word(text) in _REMARK_HEADS}


def _first_word(text: str) -> str:
    words = normalise(text).split()
    return words[0] if words else ""


_BOXED_YES_NO = re.compile(r"^\s*(?:[☐☒☑□■]\s*oui\s+[☐☒☑□■]\s*non|oui\s*[☐☒☑□■]\s+non\s*[☐☒☑□■])\s*$", re.I)


_SIGNATURE_CELL = re.compile(r"^\s*pour\s+(?:l['’]|la\s|le\s|les\s)[^\n:]{2,90},?\s*\n", re.I)


def _signature_lines(cells: list[tuple[str, Unit]], is_label: LabelTest) -> list[Entry]:
    """Signature blocks side by side: each cell's lines in turn (party, function, name), no label | value."""
    return [
        entry
        for text, unit in cells
        for n, line in enumerate(text.splitlines())
        if line.strip()
        for entry in line_entries(replace(unit_with(unit, line), bold=unit.bold and n == 0), is_label)
    ]


def _closed_row(cells: list[tuple[str, Unit]]) -> bool:
    """« Participer au tiers-lieu … | ☐ Oui ☒ Non »: a question of any length and its boxed answer."""
    return len(cells) == 2 and bool(cells[0][0].strip()) and bool(_BOXED_YES_NO.match(cells[1][0]))


def _short_cell(cell: tuple[str, Unit]) -> bool:
    text = cell[0].strip()
    return 0 < len(text.split()) <= 5 and not re.search(r"\d|[☐☒☑□■]", text)


def _append_row(
    rows: list[dict[int, tuple[str, Unit]]], row: dict[int, tuple[str, Unit]]
) -> list[dict[int, tuple[str, Unit]]]:
    """Add a row, or finish the last one when its first cell is empty (a row cut by the page)."""
    if rows and not row.get(1, ("", None))[0] and any(t for t, _ in rows[-1].values()):
        last = dict(rows[-1])
        for col, (text, unit) in row.items():
            if text:
                before = last.get(col)
                last[col] = ((before[0] + " " + text).strip(), before[1]) if before else (text, unit)
        return [*rows[:-1], last]
    return [*rows, row]


def _pairs(cells: list[tuple[str, Unit]], is_label: LabelTest) -> list[Entry]:
    """Read « label | value | label | value », or « label | value value … » (a SIRET in boxes)."""
    four = len(cells) >= 4 and len(cells) % 2 == 0 and all(_is_label_cell(cells[i], is_label) for i in (0, 2))
    if four:
        return [_pair(cells[i], cells[i + 1]) for i in range(0, len(cells), 2)]
    values = [t for t, _ in cells[1:] if t]
    joined = "".join(values) if values and all(len(v) == 1 for v in values) else "\n".join(values)
    return [_pair(cells[0], (joined, cells[1][1]))]


def _pair(label: tuple[str, Unit], value: tuple[str, Unit]) -> Entry:
    text, unit = label
    head = strip_numbering(text).strip().rstrip(" :").strip()
    question = head.endswith("?")
    return Entry(f"{text} : {value[0]}", value[1], head.rstrip(" ?"), value[0], unit.bold, True, question)


def _is_label_cell(cell: tuple[str, Unit], is_label: LabelTest) -> bool:
    text, unit = cell
    if _TICK.match(text):
        return False
    return bool(text) and len(text.split()) <= MAX_LABEL_WORDS + 4 and (unit.bold or is_label(text.rstrip(" :")))


def _has_header(grid: list[dict[int, tuple[str, Unit]]], is_label: LabelTest, first: bool = True) -> bool:
    """A table whose first row names its columns: every cell bold, or three or more known labels,
    or « Financeur | Montant »; the next row does not look the same."""
    if len(grid) < 2:
        return False
    labelled = sum(is_label(row[min(row)][0].rstrip(" :")) for row in grid if row)
    if all(len(row) == 2 for row in grid) and labelled >= max(2, 0.6 * len(grid)):
        return False  # « Intitulé | Marche nordique » over « Quartier(s) | … »: label | value rows, no header
    head = [grid[0][c] for c in sorted(grid[0]) if grid[0][c][0]]
    if len(head) < 2 or len(head) != len(grid[0]) or any(_TICK.match(t) for t, _ in head):
        return False
    bold = all(u.bold for _, u in head)
    # label cells in bold and values not: pairs (a plain cell that is no label is a value)
    mixed = any(u.bold for _, u in head) and any(not u.bold and not is_label(t) for t, u in head)
    known = first and not mixed and len(head) >= 3 and sum(is_label(t) for t, _ in head) >= 0.6 * len(head)
    funding = normalise(head[0][0]).startswith(("financeur", "cofinanceur", "engagement"))
    second = [grid[1][c] for c in sorted(grid[1]) if grid[1][c][0]]
    same = bold and second and all(u.bold for _, u in second)
    return (bold or known or funding) and not same


def unit_with(unit: Unit, text: str) -> Unit:
    """Return a copy of `unit` holding `text` (a cell's joined lines, a value cut from its label)."""
    return Unit(text, unit.where, unit.style, unit.is_list, unit.table, unit.row, unit.col, unit.controls, unit.bold)
