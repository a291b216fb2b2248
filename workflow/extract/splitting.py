"""Split answer text into list items the way a person reads them (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from workflow.answers import Lieu, Ligne, Valeur
from workflow.extract.anchors import ASIDE_COLUMN, RECALL_COLUMN
from workflow.ooxml.blocks import CHECKED_GLYPHS, UNCHECKED_GLYPHS
from workflow.parsers.base import Unit
from workflow.text import clean_spaces, contains_phrase, normalise

BULLETS = "-–—•◦▪‣*·o"
_BULLET = re.compile(r"^\s*(?:[-–—•◦▪‣*·→>▸►▹➤➜❯◆◇]|o(?=\s)|\d{1,2}(?:\.\d{1,2})+\.?(?=\s)|[a-h]\)(?=\s))\s*")
_FUNCTION_WORDS = {
    "responsable",
    "directeur",
    "directrice",
    "charge",
    "chargee",
    "chef",
    "cheffe",
    "coordinateur",
    "coordinatrice",
    "coordonnateur",
    "coordonnatrice",
    "commissaire",
    "inspecteur",
    "inspectrice",
    "proviseur",
    "principal",
    "principale",
    "mediateur",
    "mediatrice",
    "educateur",
    "educatrice",
    "intervenant",
    "intervenante",
    "representant",
    "representante",
    "officier",
    "prefet",
    "prefete",
    "sous-prefet",
    "sous-prefete",
    "delegue",
    "deleguee",
    "adjoint",
    "adjointe",
    "elu",
    "elue",
    "maire",
    "president",
    "presidente",
    "conseiller",
    "conseillere",
    "referent",
    "referente",
    "agent",
    "technicien",
    "technicienne",
    "vice",
    "mission",
    "service",
    "developpement",
    "territorial",
    "territoriale",
    "animateur",
    "animatrice",
    "gestionnaire",
    "secretaire",
    "general",
    "generale",
    "dgs",
    "dga",
}


def lines_of(units: Iterable[Unit]) -> list[tuple[str, Unit]]:
    """Return the non-empty lines of some units, a unit's line breaks making new lines."""
    out: list[tuple[str, Unit]] = []
    for unit in units:
        for n, line in enumerate(clean_spaces(unit.text).splitlines()):
            if n == 0 and out and _wrapped(out[-1], unit, line):
                out[-1] = (f"{out[-1][0].rstrip()} {line.strip()}", out[-1][1])
            else:
                out.append((line, unit))
    return out


MAX_GROUP_TITLE_WORDS = 6


def without_group_titles(lines: list[tuple[str, Unit]]) -> list[tuple[str, Unit]]:
    """Leave out the sub-headings that group a list (« À Saint-Nicolas-lez-Arras » in bold over its
    bullets): they title the items below, they are none of them."""
    out = []
    for n, (line, unit) in enumerate(lines):
        following = lines[n + 1][1] if n + 1 < len(lines) else None
        titles = unit.bold and not unit.is_list and ":" not in line and len(line.split()) <= MAX_GROUP_TITLE_WORDS
        listed = following is not None and (following.is_list or bool(_BULLET.match(lines[n + 1][0])))
        if not (titles and listed and following is not None and not following.bold):
            out.append((line, unit))
    return out


MIN_WRAPPED_WORDS = 6


def _wrapped(before: tuple[str, Unit], unit: Unit, line: str) -> bool:
    """A paragraph per printed line (a scan read back, a text typed with returns): the next one goes on
    in lower case after a line with no end of sentence."""
    text, was = before
    plain = was.table is None and unit.table is None and not was.is_list and not unit.is_list
    goes_on = bool(re.match(r"[a-zà-ÿ]{2,}|[a-zà-ÿ]['’]", line)) and not _BULLET.match(line)  # not « b) Au titre … »
    goes_on = goes_on and not _OS_ANYWHERE.search(line) and not _OO_ANYWHERE.search(line)  # not « apaisé OS 3 – 3C »
    full = len(text.split()) >= MIN_WRAPPED_WORDS  # a printed line runs to the margin
    return plain and full and was.style == unit.style and goes_on and not text.rstrip().endswith(tuple(".!?:;"))


_DECLINED = re.compile(r"^\s*(?:non|non concern[ée]e?s?|☐)\s*\.?\s*$", re.I)


def without_declined_rows(units: Iterable[Unit]) -> list[Unit]:
    """Leave out the table rows a « Non » cell declines (« Quatre As | étude envisagée | Non »): the
    quarter a row names counts only when the row does not say no."""
    units = list(units)
    declined = {(u.table, u.row) for u in units if u.table is not None and _DECLINED.match(u.text)}
    return [u for u in units if (u.table, u.row) not in declined]


def ticked_rows(units: Iterable[Unit]) -> list[Unit]:
    """Keep what a table of tick boxes says is chosen. Its tick columns (cells that are a lone ☒ or
    ☐) under a recall header (« 2024 (rappel) ») are last campaign's answer and are left out; when
    the other tick columns tick anything, a row stays only if it is ticked there (a list of
    objectives printed in advance, « ☒ » before the chosen ones). Text outside tables, and tables
    without tick columns, stay as they are."""
    units = list(units)
    drop: set[int] = set()
    for table in {u.table for u in units if u.table is not None}:
        cells = [(i, u) for i, u in enumerate(units) if u.table == table]
        top = min(u.row or 0 for _, u in cells)
        header = {u.col: u.text for _, u in cells if u.row == top}
        boxes: dict[int | None, list[tuple[int, Unit]]] = {}
        for i, u in cells:
            if _BOX.match(u.text):
                boxes.setdefault(u.col, []).append((i, u))
        recall = {col for col in boxes if RECALL_COLUMN.search(header.get(col, ""))}
        drop |= {i for col in recall for i, _ in boxes[col]}
        live = [cell for col, column in boxes.items() if col not in recall for cell in column]
        chosen = {u.row for _, u in live if u.text.strip() in CHECKED_GLYPHS}
        if chosen:
            unticked = {u.row for _, u in live} - chosen
            drop |= {i for i, u in cells if u.row in unticked}
    return [u for i, u in enumerate(units) if i not in drop]


_GLYPHS = "".join(sorted(CHECKED_GLYPHS | UNCHECKED_GLYPHS))
_BOX = re.compile(rf"^\s*[{_GLYPHS}]\s*$")


_CHOICE = re.compile(rf"([{_GLYPHS}])\s*([^{_GLYPHS}]*)")  # a box, then its choice up to the next box


def ticked_choice(text: str) -> str | None:
    """The choice a value ticks among those it offers (« ☐ 2024 ☐ 2026 ☒ 2027 (N+3) » gives « 2027
    (N+3) »): "" when none is ticked or several are, None when the value offers no boxes."""
    choices = _CHOICE.findall(text)
    if len(choices) < 2:
        return None
    ticked = [choice.strip() for box, choice in choices if box in CHECKED_GLYPHS]
    return ticked[0] if len(ticked) == 1 else ""


def lieu(unit: Unit, methode: str = "texte") -> Lieu:
    return Lieu("tableau" if unit.table is not None and methode == "texte" else methode, unit.where)


_NUMBERED_KEY = re.compile(
    r"^\s*(?!(?:question|q)\s*(?:n°\s*)?\d)(?P<what>[^\d:]+?)\s*(?:n°\s*)?(?P<n>\d{1,2})\s*[–—:-]\s*(?P<sub>[^\d:]+?)\s*:?\s*$",
    re.I,
)  # « Agent 1 – nom », never « Question 1 – interventions structurantes »


def keyed_records(units: list[Unit], key_of: Callable[[Unit], str]) -> list[dict[int, tuple[str, Unit]]] | None:
    """« Agent 1 – nom | DUBRULLE Nathalie », « Agent 1 – fonction | … »: a spreadsheet's one row per
    field, regrouped into one row per number under a header row of the sub-fields' names; None when
    the cells are not all keyed so."""
    records: dict[str, dict[str, tuple[str, Unit]]] = {}
    for unit in units:
        if not unit.text.strip():
            continue
        key = _NUMBERED_KEY.match(key_of(unit)) if unit.table is not None else None
        if key is None:
            return None
        records.setdefault(key.group("n"), {})[normalise(key.group("sub"))] = (unit.text.strip(), unit)
    if not records:
        return None
    subs = list(dict.fromkeys(sub for record in records.values() for sub in record))
    first = next(iter(records.values()))
    header = {c: (sub, next(iter(first.values()))[1]) for c, sub in enumerate(subs, start=1)}
    rows = [{c: record[sub] for c, sub in enumerate(subs, start=1) if sub in record} for record in records.values()]
    return [header, *rows]


def record_tables(units: list[Unit], columns: dict[str, tuple[str, ...]]) -> list[Ligne] | None:
    """Items printed one small table each, its rows « sub-field | value » (« Intitulé | … »,
    « Description | … »): an online form's repeatable blocks. A row whose label names no sub-field
    (« Instance ») is left out; None unless every table among these units reads so."""
    tables = list(dict.fromkeys(u.table for u in units if u.table is not None and u.text.strip()))
    items: list[Ligne] = []
    for table in tables:
        rows = _grid([u for u in units if u.table == table])
        fields = [_sub_field(row, columns) for row in rows]
        if any(len(row) > 2 for row in rows) or len(set(filter(None, fields))) < min(2, len(columns)):
            return None
        if 2 * sum(1 for f in fields if f) < len(rows):
            return None
        record: Ligne = {}
        for row, field in zip(rows, fields, strict=True):
            if field is None:
                continue
            if field in record:
                items.append(record)
                record = {}
            text, unit = row.get(max(row), ("", None)) if len(row) == 2 else ("", None)
            if text and unit is not None:
                record[field] = Valeur(text, lieu(unit))
        items.append(record)
    return [i for i in items if i] if tables else None


def _sub_field(row: dict[int, tuple[str, Unit]], columns: dict[str, tuple[str, ...]]) -> str | None:
    label = normalise(row[min(row)][0]) if row else ""
    return next(
        (field for field, names in columns.items() if label and any(label.startswith(normalise(n)) for n in names)),
        None,
    )


def table_rows(units: list[Unit]) -> list[dict[int, tuple[str, Unit]]] | None:
    """Return the rows of the first multi-column table among these units, else None.

    A table broken by a page (a PDF prints it as several) is read as one: a table that follows
    with as many columns continues it, its repeated header row is dropped, and a row cut in two
    by the page break (its first cell empty) is joined back.
    """
    tables = list(dict.fromkeys(u.table for u in units if u.table is not None and u.text.strip()))
    grids = [_grid([u for u in units if u.table == t]) for t in tables]
    grids = [g for g in grids if g and max(len(r) for r in g) >= 2]
    if not grids:
        return None
    rows = grids[0]
    width = max(len(r) for r in rows)
    for grid in grids[1:]:
        if max(len(r) for r in grid) != width:
            break
        if _texts(grid[0]) == _texts(rows[0]):
            grid = grid[1:]
        if grid and not grid[0].get(1, ("", None))[0] and rows:
            rows[-1] = _join_rows(rows[-1], grid[0])
            grid = grid[1:]
        rows = rows + grid
    return rows


def _grid(units: list[Unit]) -> list[dict[int, tuple[str, Unit]]]:
    rows: dict[int, dict[int, tuple[str, Unit]]] = {}
    for u in units:
        if u.row is None or u.col is None:
            continue
        cell = rows.setdefault(u.row, {})
        text = clean_spaces(u.text)
        previous = cell.get(u.col)
        cell[u.col] = ((previous[0] + "\n" + text).strip(), previous[1]) if previous else (text, u)
    grid: list[dict[int, tuple[str, Unit]]] = []
    for r in sorted(rows):
        row = rows[r]
        first = min(row, default=0)
        cut = bool(row) and row[first][1].where.startswith("page ")  # a PDF prints no empty cell
        if grid and cut and first > min(grid[-1]) and len(grid[-1]) > 1:
            if _goes_on(row, grid[-1]):
                grid[-1] = _join_rows(grid[-1], row)  # a row a PDF cut: its first cells are empty
                continue
            row = {**{c: v for c, v in grid[-1].items() if c < first}, **row}  # under a cell merged down
        grid.append(row)
    return grid


def _goes_on(row: dict[int, tuple[str, Unit]], previous: dict[int, tuple[str, Unit]]) -> bool:
    """Whether a PDF row missing its first cells goes on with the row above (a row the page cut),
    rather than standing under a cell merged down (« Plein emploi » over three objectives): the cut
    one holds a few cells, or text going on in lower case."""
    filled = [t for t, _ in (row[c] for c in sorted(row)) if t]
    return len(filled) * 2 <= len(previous) or (bool(filled) and filled[0][:1].islower())


def _texts(row: dict[int, tuple[str, Unit]]) -> list[str]:
    return [row[c][0] for c in sorted(row)]


def _join_rows(first: dict[int, tuple[str, Unit]], second: dict[int, tuple[str, Unit]]) -> dict[int, tuple[str, Unit]]:
    joined = dict(first)
    for col, (text, unit) in second.items():
        if text:
            before = joined.get(col, ("", unit))
            joined[col] = ((before[0] + " " + text).strip(), before[1])
    return joined


def map_columns(
    rows: list[dict[int, tuple[str, Unit]]], columns: dict[str, tuple[str, ...]]
) -> tuple[dict[int, str], list[dict[int, tuple[str, Unit]]]]:
    """Return (column number → sub-field, data rows), reading a header row when there is one."""
    if rows:
        header = rows[0]
        mapping: dict[int, str] = {}
        aside = {
            col
            for col, (text, _) in header.items()
            if ASIDE_COLUMN.match(text) or RECALL_COLUMN.search(text) or ("nom" in columns and _SEAT_COLUMN.match(text))
        }
        for col, (text, _) in header.items():
            for field, names in columns.items():
                taken = field in mapping.values()  # « Code OO » then « Objectif opérationnel »: the code's column first
                if col not in aside and not taken and normalise(text) and any(_names(text, n) for n in names):
                    mapping[col] = field
                    break
        if len(mapping) >= min(2, len(columns)):
            free = iter(f for f in columns if f not in mapping.values())
            for col in sorted(header):  # a heading wrapped mid-word still gets its column
                if col not in mapping and col not in aside and (spare := next(free, None)):
                    mapping[col] = spare
            return mapping, rows[1:]
    ordered = sorted({c for r in rows for c in r})
    return {col: field for col, field in zip(ordered, columns, strict=False)}, rows


_SEAT_COLUMN = re.compile(r"^\s*(?:instances?|comit[ée]s?|organes?)\b", re.I)  # where agents sit, not who they are


def people_cells(rows: list[dict[int, tuple[str, Unit]]]) -> list[Unit] | None:
    """« Instance | Titulaire | Suppléant(e) » over « Comité de pilotage | M. X, directeur | … »: the
    people's cells, read as lines, the seats' column left out; None when no column names a seat."""
    if len(rows) < 2:
        return None
    seats = {col for col, (text, _) in rows[0].items() if _SEAT_COLUMN.match(text)}
    if not seats or len(rows[0]) < 2:
        return None
    return [
        replace(unit, text=text)
        for row in rows[1:]
        for col, (text, unit) in sorted(row.items())
        if col not in seats and text
    ]


def _names(heading: str, name: str) -> bool:
    """A column heading names a sub-field by its start or by a word of it (« Élu(e) ou agent »)."""
    heading, name = normalise(heading), normalise(name)
    return heading.startswith(name) or f" {name} " in f" {heading} "


def rows_to_lines(rows: list[dict[int, tuple[str, Unit]]], mapping: dict[int, str]) -> list[Ligne]:
    result = []
    for row in rows:
        if normalise(row[min(row)][0]).startswith("total") if row else False:
            continue  # « Total | 3 dispositifs … »: a sum, not an item
        item = {mapping[c]: Valeur(t, lieu(u)) for c, (t, u) in row.items() if c in mapping and t}
        if item:
            result.append(item)
    return result


def strip_bullet(text: str) -> str:
    return _BULLET.sub("", text, count=1).strip()


def split_label(text: str, max_words: int = 12) -> tuple[str, str] | None:
    """Split "Intitulé : description" when the part before the colon is short enough."""
    head, sep, tail = text.partition(":")
    if not sep or not head.strip() or len(head.split()) > max_words:
        return None
    return head.strip(), tail.strip()


def _split_dash(text: str, max_words: int = 8) -> tuple[str, str] | None:
    """Split « Titre – description » when the title before the dash is short."""
    for dash in (" – ", " - ", " — ", " → ", " > "):
        head, sep, tail = text.partition(dash)
        if sep:
            break
    if not sep or not head.strip() or not tail.strip() or len(head.split()) > max_words:
        return None
    return head.strip(), tail.strip()


_ANNOUNCES = re.compile(
    r"^(?:nous|je|voici|la|le|les|l['’]|notre|nos)\b(?:[^:]{5,120}:\s*|[^:]{5,160}\b(?:ci-dessous|ci-apr[èe]s)\s*[.:]?\s*)$",
    re.I,
)  # « Nous retenons trois interventions : », « Nos trois dispositifs … sont détaillés dans le tableau ci-dessous. »
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}\s*(?:[.)]|°)\s+(?=\S)")  # « 2. », « 2) », « 2° » (a deliberation)
_TITLE_SENTENCE = re.compile(r"^(?P<title>[^.!?:;]{3,80}?)\.\s+(?P<rest>[A-ZÀ-Þ].{20,})$", re.S)


def _split_title_sentence(text: str, max_words: int = 7) -> tuple[str, str] | None:
    """« Village des sports urbains. Équipement en accès libre … »: a short title ended by a period,
    then the description."""
    match = _TITLE_SENTENCE.match(text)
    if not match or len(match.group("title").split()) > max_words:
        return None
    return match.group("title").strip(), match.group("rest").strip()


def _label_rows(lines: list[tuple[str, Unit]], names: dict[str, str]) -> list[tuple[str, Unit]]:
    """Turn a table row "label | value" into the line "label : value"."""
    out: list[tuple[str, Unit]] = []
    skip = False
    for i, (line, unit) in enumerate(lines):
        if skip:
            skip = False
            continue
        after = lines[i + 1] if i + 1 < len(lines) else None
        same_row = (
            after is not None and unit.table is not None and (after[1].table, after[1].row) == (unit.table, unit.row)
        )
        if same_row and normalise(line.rstrip(" :")) in names and after is not None:
            out.append((f"{line.rstrip(' :')} : {after[0]}", after[1]))
            skip = True
        else:
            out.append((line, unit))
    return out


def interventions(units: list[Unit], leftover: list[Valeur] | None = None) -> list[Ligne]:
    """One intervention per paragraph or bullet "Intitulé : description", or per table row; other
    paragraphs continue it. A sentence without a title before titled ones introduces them: set aside."""
    items = _intervention_lines(without_asides(units, leftover))
    for item in [i for n, i in enumerate(items) if _recalls(i, items[:n])]:
        items.remove(item)  # « Également : le Programme de réussite éducative (voir quartier Baudimont) »
        if leftover is not None:
            leftover.append(item.get("description") or item["intitule"])
    for item in [i for i in items if _states_none(getattr(i.get("intitule"), "texte", ""))]:
        items.remove(item)  # « Pas d'intervention spécifique … : », « L'accélérateur TPE n'est pas retenu : … »
        if leftover is not None:
            leftover.append(item["intitule"])
    titled = [i for i in items[1:] if "intitule" in i]
    described = all(getattr(i.get("description"), "texte", "") for i in titled)
    announced = (
        described and bool(items) and "intitule" in items[0] and not getattr(items[0].get("description"), "texte", "")
    )
    if len(titled) >= 2 and len(titled) == len(items) - 1 and ("intitule" not in items[0] or announced):
        if leftover is not None:  # « M. Legrand cite trois dispositifs : » above titled ones introduces them
            leftover.append(items[0]["description" if "intitule" not in items[0] else "intitule"])
        return items[1:]
    return items


_NONE_STATED = re.compile(r"^\s*(?:pas d['’]|aucune?\s+|ni\s+)(?:intervention|action|dispositif)s?\b", re.I)


_MID_SENTENCE = re.compile(  # « signé avec la » / « CUA, il fixe … »: a line a PDF wrapped, not a paragraph's end
    r"(?:,|\b(?:la|le|les|l['’]|de|des|du|d['’]|et|ou|à|au|aux|en|un|une|pour|par|avec|sur|dans|qui|que))\s*$", re.I
)
_ASIDE = re.compile(r"^\s*\((?:[^()]|\([^()]*\))*\)\s*$")  # « (Passer rapidement : …) », nothing outside


def without_asides(units: list[Unit], leftover: list[Valeur] | None) -> list[Unit]:
    """A paragraph wholly in brackets is a remark beside the answer (a presenter's note): set aside."""
    asides = [u for u in units if len(u.text.split()) > 2 and _ASIDE.match(u.text)]
    if leftover is not None:
        leftover.extend(Valeur(u.text.strip(), lieu(u)) for u in asides)
    return [u for u in units if u not in asides]


def _states_none(title: str) -> bool:
    return bool(_NONE_STATED.match(title) or _DISOWNED.search(title) or _NEGATED.search(title))


# « La Caf n'est pas un acteur de l'emploi : … »: a title names, a denial states; it lists nothing
_NEGATED = re.compile(r"\b(?:n['’]|ne\s+)\w+\s+(?:pas|plus|jamais)\b", re.I)


def _recalls(item: Ligne, earlier: list[Ligne]) -> bool:
    """An item titled by a word or two (« Également ») that names an intervention already listed, or
    titled as one already listed (« Animation de la vie sociale : voir ci-dessus »): a reminder of it,
    not another one."""
    title = normalise(getattr(item.get("intitule"), "texte", ""))
    said = normalise(" ".join(v.texte for v in item.values()))
    names = [normalise(i["intitule"].texte) for i in earlier if "intitule" in i]
    if title and title in names:
        return True
    return len(title.split()) <= 2 and any(len(n.split()) >= 2 and contains_phrase(said, n) for n in names)


def _intervention_lines(units: list[Unit]) -> list[Ligne]:
    items: list[Ligne] = []
    cell = None
    bold_title = False  # the item above is a title set in bold alone on its line (a card's)
    for line, unit in without_group_titles(lines_of(units)):
        numbered = _NUMBERED_ITEM.match(line)  # « 2. Bus de l'emploi »: the next one, numbered by hand or in a PDF
        text = strip_bullet(line[numbered.end() :] if numbered else line)
        if not items and _ANNOUNCES.match(text):  # « Nous retenons trois interventions : » introduces the list
            continue
        labelled = split_label(text) or _split_dash(text) or _split_title_sentence(text)
        new_row, cell = (
            bool(numbered) or (unit.table is not None and (unit.table, unit.row) != cell),
            (unit.table, unit.row),
        )
        titled = bool(items) and "description" not in items[-1] and text[:1].islower() and not new_row
        if titled and bold_title:
            items[-1]["description"] = Valeur(text, lieu(unit))  # a bold title, its notes under it, colon and all
        elif labelled:
            items.append({"intitule": Valeur(labelled[0], lieu(unit)), "description": Valeur(labelled[1], lieu(unit))})
        elif titled:
            items[-1]["description"] = Valeur(text, lieu(unit))  # a title, then its description going on below
        elif items and not unit.is_list and not _BULLET.match(line) and not new_row and not _bold_title(unit, text):
            last = items[-1]
            before = last["description"].texte if "description" in last else ""
            joint = " " if before and _MID_SENTENCE.search(before) else "\n"
            last["description"] = Valeur(
                (before + joint + text).strip(), last.get("description", Valeur("", lieu(unit))).lieu
            )  # a sentence a PDF wrapped goes on; the next one starts a paragraph
        elif len(text.split()) <= MAX_TITLE_WORDS:
            items.append({"intitule": Valeur(text, lieu(unit))})
            bold_title = unit.bold
            continue
        else:
            items.append({"description": Valeur(text, lieu(unit))})
        bold_title = False
    return items


def _bold_title(unit: Unit, text: str) -> bool:
    """A short line set in bold under a described item titles the next one (a card's title)."""
    if not unit.bold or len(text.split()) > MAX_TITLE_WORDS or text.rstrip().endswith((".", ":")):
        return False
    return bool(re.search(r"[^\W\d_]{3,}", text)) and not _NUMBERED_TITLE.search(text)  # not « ◎ », « … n° 2 »


MAX_TITLE_WORDS = 12
_NUMBERED_TITLE = re.compile(r"(?:\bn\s*°\s*|\b)\d{1,2}\s*$")  # « Intervention structurante n° 2 » heads a block
_PERSON_LABEL = re.compile(r"\s+(?=[A-ZÀ-Þ][a-zà-ÿ'-]+\s+[A-ZÀ-Þ]{2,}[A-ZÀ-Þ' -]*\s*:)")
_CIVILITY = re.compile(
    r"\b(?:M\.|Mme|Mlle|Mr\.?|Monsieur|Madame|Commandant|Capitaine|Lieutenant|Colonel|Docteur|Dr\.?)\s+(?=[A-ZÀ-Þ])"
)
# « …, Nicolas GAUTHIER, délégué du préfet » inside a sentence: a given name, a surname in capitals, a comma
_BARE_NAME = re.compile(
    r"(?<=[\s,(])(?!(?:Le|La|Les|Du|Des|Au|Aux|Et|Par|Pour|Sur|Avec|Dans|En|Un|Une)\s)"
    r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?\s+[A-ZÀ-Þ]{2,}(?:-[A-ZÀ-Þ]{2,})?(?=\s*,)"
)
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’-]*\.?$")
MAX_NAME_WORDS = 4


def agents(units: list[Unit], leftover: list[Valeur] | None = None) -> list[Ligne]:
    """One agent per person named: « M. DUPONT Jean, directeur », « Nom : fonction », « fonction : Nom »,
    « Nom, fonction », « Nom (fonction) », several civilities in one sentence. A line that names no
    person gives no agent: it goes to `leftover`, for a person to read."""
    items: list[Ligne] = []
    seen: set[tuple[str, str]] = set()  # the same person on two rows of a table is one agent
    for whole, unit in _name_over_function(without_group_titles(lines_of(without_asides(units, leftover)))):
        # two « Nom NOM : fonction » a PDF cell joined on one line; people listed with « ; »
        for line in (piece for part in whole.split(" ; ") for piece in _PERSON_LABEL.split(part)):
            text = strip_bullet(line)
            if not text:
                continue
            found = _dotted(text) or _civil_agents(text) or _agent(text) or _vacant_seat(text)
            if not found and leftover is not None:
                leftover.append(Valeur(text, lieu(unit)))
            for n, f in found:
                if n and not f and any(normalise(n) == name for name, _ in seen):
                    continue  # « Mme BRUNEAU – comité technique » again: the seat of someone already named
                if (normalise(n), normalise(f)) not in seen:
                    seen.add((normalise(n), normalise(f)))
                    items.append({"nom": Valeur(n, lieu(unit)), "fonction": Valeur(f, lieu(unit))})
    return items


_INSTANCE_TAIL = re.compile(  # « – CTP et MOUS », « (comité de pilotage) » after the function
    r"\s+[–—-]\s+(?=(?:au\s+|le\s+|la\s+)?(?:copil|comit[ée]s?|ctp|mous|cotech|instances?|tiers-lieu|pilotage)\b).*$|"
    r"\s*\((?=[^()]*\b(?:copil|comit[ée]s?|ctp|mous|cotech|instances?|tiers-lieu|pilotage)\b)[^()]*\)\s*$|"
    r",\s+(?:(?:si[èé]gera|participera|repr[ée]sentera|assistera)\b|(?:au|aux|[àa] la|[àa] l['’])\s*"
    r"(?=(?:copil|comit[ée]s?|ctp|mous|cotech|instances?|tiers-lieu|pilotage)\b)).*$",  # « …, siégera au COPIL »
    re.I,
)


_DOT = re.compile(r"\s+[·•|]\s+")
_SEAT_PART = re.compile(r"^\s*(?:copil|comit[ée]s?\b|ctp|mous|cotech|tiers-lieu|instances?\b|bureau\b|cellule\b)", re.I)


def _dotted(text: str) -> list[tuple[str, str]]:
    """« COPIL · Karima BELHADJ · directrice de l'agence » (seat, name, function apart, in any order)."""
    parts = [p.strip() for p in _DOT.split(text) if p.strip()]
    if len(parts) < 3:
        return []
    kept = [p for p in parts if not _SEAT_PART.match(p)]
    names = [p for p in kept if looks_like_name(p) or _TO_BE_NAMED.match(p)]
    functions = [p for p in kept if p not in names]
    if len(names) != 1 or len(functions) != 1:
        return []
    return [(person_name(names[0]), _VACANCY_WORDS.sub("", functions[0]).strip())]


def _name_over_function(lines: list[tuple[str, Unit]]) -> list[tuple[str, Unit]]:
    """« Claire VASSEUR » then « cheffe du service … » on the next line: one agent, « name, function »."""
    out: list[tuple[str, Unit]] = []
    for text, unit in lines:
        bare = strip_bullet(text)
        if out and _LONE_NAME.match(strip_bullet(out[-1][0])) and not _LONE_NAME.match(bare) and bare[:1].islower():
            out[-1] = (f"{strip_bullet(out[-1][0])}, {bare}", out[-1][1])
        else:
            out.append((text, unit))
    return out


_LONE_NAME = re.compile(
    r"^(?:(?:M\.|Mme)\s+)?[A-ZÀ-Þ][a-zà-ÿ'’-]+(?:[ -][A-ZÀ-Þ][a-zà-ÿ'’-]+)?\s+[A-ZÀ-Þ]{2,}(?:[ -][A-ZÀ-Þ]{2,})*$"
)


def _civil_agents(text: str) -> list[tuple[str, str]]:
    """Read the people a sentence names after their civility, or as « Prénom NOM, » within it:
    « … M. DUPONT Jean, directeur, et Mme … », « … par moi-même, Nicolas GAUTHIER, délégué du préfet »."""
    civil = list(_CIVILITY.finditer(text))
    bare = [m for m in _BARE_NAME.finditer(text) if not any(c.end() == m.start() for c in civil)]
    starts = sorted([*civil, *bare], key=lambda m: m.start())
    found = []
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        words = text[match.end() if match.re is _CIVILITY else match.start() : end].split()
        name: list[str] = []
        while words and len(name) < MAX_NAME_WORDS and _NAME_WORD.match(words[0].rstrip(",;:")):
            name.append(words.pop(0))
            if name[-1].endswith((",", ";", ":")):
                break
        if not name:
            continue
        function = re.split(r",\s*(?:et|ainsi que)\b|;|\.\s|\s+et\s+(?:au|à|a|de|du|des|le|la)\b", " ".join(words))[0]
        function = _ALREADY.sub("", function)  # « M. X (comité des financeurs), déjà cité »: named above
        function = _INSTANCE_TAIL.sub("", f" {function}")  # « IEN d'Arras 2 – CTP et MOUS »: where they sit, not who
        if re.fullmatch(r"\s*\(([^()]*)\)\s*", function):  # « M. X (sous-préfet …) – comité de pilotage »
            function = function.strip()[1:-1]
        function = re.sub(r"(?:,?\s+et|,)$", "", function.strip(" ,;:.–—-")).strip(" ,;:.–—-")
        before = text[: match.start()].strip()
        if not function and n == 0 and before.endswith(":"):  # « IEN d'Arras 1 : Mme Hélène DUBOIS »
            function = before.rstrip(" :")
        found.append((person_name(" ".join(name).strip(" ,;:")), function))
    return found


_ALREADY = re.compile(
    r",?\s*(?:d[ée]j[àa]\s+(?:cit[ée]|nomm[ée]|mentionn[ée])e?s?|(?:cf\.?|voir)\s+ci-dessus)\b.*$", re.I
)
_TO_BE_NAMED = re.compile(
    r"^\s*\(?\s*(?:poste\s+)?(?:[àa] d[ée]signer|vacant|[àa] pourvoir|(?:recrutement|d[ée]signation) en cours|"
    r"en cours de (?:recrutement|d[ée]signation)|non (?:encore )?d[ée]sign[ée]e?)\b",
    re.I,
)


_VACANCY_WORDS = re.compile(  # « poste de chargé(e) de mission … en cours de recrutement »: the function alone
    r"^(?:poste\s+(?:de\s+|d['’])|un\(e\)\s+|une?\s+)|"
    r"\s+(?:en cours de (?:recrutement|d[ée]signation)|[àa] pourvoir|vacant)$",
    re.I,
)


_INSTANCE_HEAD = re.compile(  # « Comité technique partenarial : (désignation en cours), déléguée … »: the seat first
    r"^\s*(?:comit[ée]s?\b|copil\b|ctp\b|mous\b|cellule\b|instances?\b|bureau\b|conseil\b|tiers-lieu\b)[^:]{0,80}:"
    r"\s*(?=\S)",
    re.I,
)


def _agent(text: str) -> list[tuple[str, str]]:
    # « X, directrice (comité de pilotage) »: the seat aside, before or after
    text = _INSTANCE_TAIL.sub("", _INSTANCE_HEAD.sub("", text.rstrip(" .;"), count=1))
    match = re.match(r"^(.*?)\s*\((.*)\)\s*$", text)
    parts = [match.group(1), match.group(2)] if match else re.split(r"\s*[:,;]\s*|\s+[-–—]\s+", text, maxsplit=1)
    first, second = [*parts, ""][:2]
    nom, fonction = (second, first) if is_function(first) and not is_function(second) else (first, second)
    if _TO_BE_NAMED.match(fonction) and is_function(nom):  # « Un(e) chargé(e) d'opérations, à désigner »
        return [("", _VACANCY_WORDS.sub("", nom.strip()))]
    if _TO_BE_NAMED.match(nom) and fonction.strip():  # « À désigner – conseiller municipal … »: a seat, no one yet
        return [("", _VACANCY_WORDS.sub("", fonction.strip().rstrip(".")))]
    if not looks_like_name(nom) or (len(nom.split()) < 2 and not fonction.strip()):
        return []  # « Nouveau », « Objectifs » alone: a heading, not a person
    return [(person_name(nom.strip()), _INSTANCE_TAIL.sub("", fonction).strip().strip("–—-").strip().rstrip("."))]


_SEAT = re.compile(
    r"^(?:(?:un|une|le|la|l['’])\s*)?(?P<function>.+?)"
    r"(?:\s*:|\s+(?:siégera|siègera|siège|participera|participe|représentera|représente|assistera|sera|suivra)\b.*)$",
    re.I,
)


def _vacant_seat(text: str) -> list[tuple[str, str]]:
    """A seat named by its function only, its holder to come: « Coordonnateur enfance-jeunesse : »,
    « Un conseiller emploi de l'équipe de proximité siégera au comité ». « Les agents seront
    désignés » names no function: no seat."""
    match = _SEAT.match(text.rstrip(" ."))
    if not match:
        return []
    function = match.group("function").strip(" ,;–—-")
    first = normalise(function).split()[:1]
    if not first or first[0] not in _FUNCTION_WORDS or len(function.split()) > 10:
        return []
    return [("", function)]


def looks_like_name(text: str) -> bool:
    """A person's name: one to four words, each capitalised, none a function word."""
    words = text.split()
    return 0 < len(words) <= MAX_NAME_WORDS and all(_NAME_WORD.match(w) for w in words) and not is_function(text)


def person_name(text: str) -> str:
    """« DUPONT Jean » → « Jean DUPONT »: the given name first, as our documents print names;
    « (poste vacant) », « À désigner »: no one yet."""
    if _TO_BE_NAMED.match(text):
        return ""
    words = _CIVILITY.sub("", text, count=1).split() if _CIVILITY.match(text) else text.split()
    if len(words) >= 2 and words[0].isupper() and len(words[0]) > 1 and not words[-1].isupper():
        surname = [w for w in words if w.isupper() and len(w) > 1]
        given = [w for w in words if w not in surname]
        return " ".join(given + surname)
    return " ".join(words)


def names_someone(text: str) -> bool:
    """A capitalised word that is neither a civility nor a function: an export's field name
    (« contact_email »), a role (« Représentante légale », « M. le sous-préfet »), a vacancy or
    « Moi-même (voir ci-dessus) » names no one."""
    if _TO_BE_NAMED.match(text) or _SELF.match(text):
        return False
    return any(w[:1].isupper() and not is_function(w) for w in _CIVILITY.sub("", text).split())


_SELF = re.compile(r"^\s*(?:moi-m[êe]me|idem|(?:le|la) m[êe]me|(?:cf\.?|voir) ci-dessus)\b", re.I)  # said above


def is_function(text: str) -> bool:
    words = normalise(text).split()
    return bool(words) and any(w in _FUNCTION_WORDS for w in words)


def engagement_lines(units: list[Unit]) -> list[Valeur]:
    """One line per paragraph or bullet, bullets written "- text"."""
    out = []
    for line, unit in lines_of(units):
        if _BULLET.match(line) or unit.is_list:
            line = "- " + strip_bullet(line)
        out.append(Valeur(line, lieu(unit)))
    return out


_OS_ANYWHERE = re.compile(
    r"(?:objectif\s+strat[ée]gique|\bO\.?S\.?)\s*(?:n\s*°|n°|no\.?|:)?\s*(\d{1,2})\b(?![A-Ga-g]\b)", re.I
)  # « OS 2 », « N° de l'objectif stratégique : 2 », not « OS : 2B »
_OO_ANYWHERE = re.compile(
    r"(?:objectif\s+op[ée]rationnel\s*|\bO\.?O\.?\s*)?\b(\d{1,2})[\s.]?([A-Ga-g])(-\d)?(?![\w'’])"
)
_SEPARATORS = " \t:-–—./|,;"


_NEXT_AMBITION = (  # « … au sein des quartiers Transitions – OS 2 – 2F … »: a PDF cell joined two objectives
    r"(?i:(?<!quartier)(?<!quartier de)\s+(?=(?:quartier\s+(?:de\s+)?)?"
    r"(?:apais[ée]|[ée]mancip[ée]|plein[- ]emploi|transitions?)\s*[–—-]\s*OS\s*\d))"
)


def objective_lines(units: list[Unit]) -> list[tuple[str, Unit]]:
    """Lines of an objectives answer, a line naming several codes cut at its « ; » into one per code,
    a line wrapped by a narrow column (it goes on in lower case, or after « 1C : ») joined back."""
    joined: list[tuple[str, Unit]] = []
    for line, unit in lines_of(units):
        if joined and joined[-1][1] is unit and (line[:1].islower() or joined[-1][0].rstrip().endswith((":", "–"))):
            joined[-1] = (f"{joined[-1][0].rstrip()} {line.strip()}", unit)
        else:
            joined.append((line, unit))
    out: list[tuple[str, Unit]] = []
    for line, unit in joined:
        pieces = [
            p for p in re.split(r"\s*;\s*|(?<=\))\s*(?:,\s*|\s+et\s+)(?=[^()]*\()|" + _NEXT_AMBITION, line) if p.strip()
        ]
        if len(pieces) == 1 and len(_OO_ANYWHERE.findall(line)) > 1:  # « 3B (…), 3F et 4B »: codes in a row
            pieces = [p for p in re.split(r",\s*(?=\d\s?[A-Ga-g]\b)|\s+et\s+(?=\d\s?[A-Ga-g]\b)", line) if p.strip()]
        if _QUOTED_OO.search(line) or _bare_sentence(line):  # read whole by `_quoted_objectives`, `_bare_codes`
            out.append((line, unit))
        elif len(pieces) > 1 and sum(bool(_OO_ANYWHERE.search(p)) for p in pieces) > 1:
            out.extend((p, unit) for p in pieces)
        else:
            out.append((line, unit))
    return out


_OS_ROW = re.compile(r"^\s*(?:OS|objectif\s+strat[ée]gique)\s*(?:n\s*°\s*)?(\d{1,2})\b", re.I)


def ambition_grid(units: list[Unit], ambitions: dict[str, str]) -> list[Unit] | None:
    """« | Quartier apaisé | Quartier de plein emploi | … » over « OS 1 | 1D – … | … »: each cell's
    objective written out with its column's ambition and its row's strategic objective, for the
    objectives' reader; None when no table crosses ambitions so."""
    tables = list(dict.fromkeys(u.table for u in units if u.table is not None))
    for table in tables:
        rows = _grid([u for u in units if u.table == table])
        named = {c: t for c, (t, _) in rows[0].items() if normalise(t) in ambitions} if rows else {}
        if len(named) < 2:
            continue
        lines = []
        for row in rows[1:]:
            strategic = _OS_ROW.match(row.get(1, ("", None))[0])
            prefix = f" – OS {strategic.group(1)}" if strategic else ""
            for col, name in named.items():
                text, unit = row.get(col, ("", None))
                if unit is not None and text.strip(" –—-"):
                    lines.append(replace(unit, text=f"{name}{prefix} – {text}", table=None))
        return [*[u for u in units if u.table is None], *lines]
    return None


def objectifs(units: list[Unit], ambitions: dict[str, str], leftover: list[Valeur] | None = None) -> list[Ligne]:
    """Read objectives written as lines: an ambition, an "Objectif stratégique 2 : …" heading and
    "2A libellé" lines under them, or all of it on one line ("Plein emploi – OS 2 – 2A : …").
    A line naming no code, no strategic objective and no ambition goes to `leftover`."""
    items: list[Ligne] = []
    context: dict[str, Valeur] = {}
    names = sorted(ambitions, key=len, reverse=True)
    just_read = False  # the line before gave an objective or its label: a field after them is theirs
    for line, unit in objective_lines(units):
        text = strip_bullet(line)
        if not text.strip(" –—-.:"):
            continue  # « – » left on its own: a blank line of the form
        where = lieu(unit)
        if _DISOWNED.search(text) or text.rstrip().endswith("?"):  # « … sans nous y rattacher », « Et le 1E ? »
            if leftover is not None:
                leftover.append(Valeur(text, where))
            continue
        if quoted := _quoted_objectives(text, ambitions, names, where) or _bare_codes(text, ambitions, names, where):
            items.extend(quoted)
            continue
        named = next((ambitions[n] for n in names if len(n) > 5 and f" {n} " in f" {normalise(text)} "), None)
        os_match = _OS_ANYWHERE.search(text)
        oo_match = _OO_ANYWHERE.search(text)
        if (said := _LABEL_OF_CODE.match(text)) and items and not getattr(items[-1].get("libelle_saisi"), "texte", ""):
            items[-1]["libelle_saisi"] = Valeur(said.group(1).strip(), where)  # « Libellé : … » under its code
            just_read = True
            continue
        if just_read and named and not oo_match and "ambition" not in items[-1] and _AMBITION_FIELD.match(text):
            items[-1]["ambition"] = Valeur(named, where)  # « Ambition et n° d'OS : … » among its code's fields
            if os_match:
                items[-1]["os"] = Valeur(os_match.group(1), where)
            context, just_read = {}, False
            continue
        just_read = bool(oo_match)
        if named and not os_match and not oo_match and len(text.split()) <= 6:
            context = {"ambition": Valeur(named, where)}
            continue
        if unit.bold and not (named or os_match or oo_match) and len(text.split()) <= 6:
            context = {}  # another heading (« Suites à donner »): the bullets under it are no ambition's
            if leftover is not None:
                leftover.append(Valeur(text, where))
            continue
        if named:
            context["ambition"] = Valeur(named, where)
        if os_match and not (oo_match and oo_match.start() < os_match.start()):
            context["os"] = Valeur(os_match.group(1), where)
            context.pop("os_libelle", None)
            if not oo_match:
                context["os_libelle"] = Valeur(text[os_match.end() :].strip(_SEPARATORS), where)
                continue
        if oo_match:
            code = oo_match.group(1) + oo_match.group(2).upper() + (oo_match.group(3) or "")
            label = _strip_context(text[oo_match.end() :].strip(_SEPARATORS))
            if label.endswith(")") and label.count(")") > label.count("("):  # « (OS 2 – 2D : libellé) » in a sentence
                label = label[:-1].rstrip(_SEPARATORS)
            line_context = {k: v for k, v in context.items() if k != "os" or v.texte == oo_match.group(1)}
            label, following = _trailing_ambition(label, ambitions, names)
            items.append({**line_context, "oo": Valeur(code, where), "libelle_saisi": Valeur(label, where)})
            if following:  # the next ambition's heading, joined to this line by a PDF cell
                context = {"ambition": Valeur(following, where)}
        elif not named and not os_match and "ambition" in context and _titled_item(line, unit):
            items.append({**context, "libelle_saisi": Valeur(text, where)})  # a title without its code
        elif not named and not os_match and leftover is not None:
            leftover.append(Valeur(text, where))
    return items


_AMBITION_FIELD = re.compile(r"^\s*ambition[^:]{0,30}:", re.I)  # « Ambition et n° d'OS : … », a field's label
_LABEL_OF_CODE = re.compile(r"^\s*libell[ée](?:\s+de\s+l['’]objectif(?:\s+op[ée]rationnel)?)?\s*:\s*(\S.*)$", re.I)
_DISOWNED = re.compile(  # objectives named to say they are not the partner's
    r"\bsans\s+(?:nous\s+)?(?:y\s+|en\s+)?(?:[êe]tre\s+)?(?:rattach|inscri|reten|relev)\w*|"
    r"\bne\s+(?:nous\s+)?(?:y\s+|en\s+)?(?:rattach|reten|rel[èe]v|inscri|port)\w*\s+pas\b|"
    r"\bn['’](?:y|en)\s+(?:rattach|reten|rel[èe]v|inscri)\w*\s+pas\b|\bcontrairement\s+[àa]u?x?\b|"
    r"\b(?:n['’]est|ne\s+sont)\s+pas\s+(?:retenu|rattach|conserv|maintenu)\w*|\bnon\s+retenu\w*|"
    r"\bne\s+l['’]\w+\s+pas\s+(?:gard|reten|retenu|conserv|maintenu|choisi)\w*|"  # « Nous ne l'avons pas gardé »
    r"\breste(?:nt)?\s+port[ée]e?s?\s+par\b",  # « le 4E … reste porté par la CUA »
    re.I,
)
MAX_OBJECTIVE_WORDS = 30


def _titled_item(line: str, unit: Unit) -> bool:
    """A bullet under an ambition's heading (« Garantir des offres de logement adaptés »): an objective
    named by its title alone, which validation finds in the contract or flags."""
    text = line.strip()
    bulleted = unit.is_list or (bool(_BULLET.match(text)) and not text.startswith(">"))  # « > » quotes a message
    plain = not text.endswith(":") and not re.search(r"\d{2}[\s.]\d{2}|@", text)
    return bulleted and plain and len(text.split()) <= MAX_OBJECTIVE_WORDS


_CLAUSE = re.compile(r"\s*(?:;|,?\s+ainsi\s+qu['’]|,?\s+et\s+(?=aux?\s))\s*")
_BARE_CODE = re.compile(r"\b(\d{1,2})\s?([A-G])\b(?=\s*(?:,|\bet\b|\bou\b|\bdu\b|\bde\b|\bdes\b|\)|\.|$))")


def _bare_sentence(text: str) -> bool:
    return len(text.split()) >= MIN_BARE_WORDS and len(_BARE_CODE.findall(text)) == len(_OO_ANYWHERE.findall(text)) > 0


MIN_BARE_WORDS = 8


def _bare_codes(text: str, ambitions: dict[str, str], names: list[str], where: Lieu) -> list[Ligne]:
    """A sentence listing codes without their labels: « … se rattachent aux objectifs 2C et 6A du quartier
    apaisé, ainsi qu'aux objectifs 4A et 4C du quartier de transitions »: each code under the ambition its
    clause names. Only when every code of the sentence stands bare, and the line is a sentence."""
    if not _bare_sentence(text):
        return []
    items: list[Ligne] = []
    for clause in _CLAUSE.split(text):
        norm = f" {normalise(clause)} "
        named = next((ambitions[n] for n in names if len(n) > 5 and f" {n} " in norm), None)
        for match in _BARE_CODE.finditer(clause):
            item: Ligne = {"oo": Valeur(match.group(1) + match.group(2), where), "libelle_saisi": Valeur("", where)}
            items.append({"ambition": Valeur(named, where), **item} if named else item)
    return items


_QUOTED_OO = re.compile(r"\b(\d{1,2})\s?([A-Ga-g])\s*[«“\"]\s*([^»”\"]+?)\s*[»”\"](?=\s*(?:[;),.(]|et\b|ou\b|$))")


def _quoted_objectives(text: str, ambitions: dict[str, str], names: list[str], where: Lieu) -> list[Ligne]:
    """Objectives quoted in a sentence: « … au quartier apaisé (OS 1, objectif 1D « Se saisir … » ;
    OS 3, objectif 3B « … ») et au quartier émancipé (OS 5, objectif 5A « … ») »: each code with its
    quoted label, under the ambition last named before it."""
    items: list[Ligne] = []
    ambition: str | None = None
    start = 0
    for match in _QUOTED_OO.finditer(text):
        before = normalise(text[start : match.start()])
        named = [(before.rfind(n), ambitions[n]) for n in names if len(n) > 5 and n in before]
        if named:
            ambition = max(named)[1]
        item: Ligne = {
            "oo": Valeur(match.group(1) + match.group(2).upper(), where),
            "libelle_saisi": Valeur(match.group(3), where),
        }
        if ambition:
            item["ambition"] = Valeur(ambition, where)
        items.append(item)
        start = match.end()
    return items


def _trailing_ambition(label: str, ambitions: dict[str, str], names: list[str]) -> tuple[str, str]:
    """Split « Soutenir la parentalité Quartier émancipé » into the label and the ambition after it."""
    norm = normalise(label)
    if (bracket := re.search(r"\s*\(([^()]+)\)\s*$", label)) and normalise(bracket.group(1)) in ambitions:
        return label[: bracket.start()].rstrip(), ambitions[normalise(bracket.group(1))]  # « … (plein emploi) »
    for name in names:
        if name.startswith("quartier ") and norm.endswith(" " + name):  # « … parentalité Quartier émancipé »
            words = len(name.split())
            return " ".join(label.split()[:-words]), ambitions[name]
    return label, ""


def _strip_context(label: str) -> str:
    """Drop a leading or trailing "(OS 2, plein emploi)" that repeats what the line already said."""
    if (whole := re.fullmatch(r"\s*\(([^()]*)\)\s*", label)) and not _OS_ANYWHERE.search(whole.group(1)):
        return whole.group(1).strip()  # « 3B (relations police-population) »: the label in brackets
    for pattern in (r"\s*[(\[]([^()\[\]]*)[)\]]\s*$", r"^\s*[(\[]([^()\[\]]*)[)\]]\s*"):
        match = re.search(pattern, label)
        if match and (_OS_ANYWHERE.search(match.group(1)) or "ambition" in match.group(1).lower()):
            label = (label[: match.start()] + label[match.end() :]).strip(_SEPARATORS)
    return label


def labelled(units: list[Unit], columns: dict[str, tuple[str, ...]]) -> list[Ligne] | None:
    """Read items written as labelled lines ("Intitulé : …", "Description : …"), or as table rows
    "label | value", or None when no label is found."""
    names = {normalise(name): field for field, aliases in columns.items() for name in aliases}
    items: list[Ligne] = []
    found = False
    for line, unit in _label_rows(lines_of(units), names):
        head, sep, value = strip_bullet(line).partition(":")
        field = names.get(normalise(head)) if sep else None
        if field is None:
            if items and found:  # a value running over several lines
                key = next(reversed(items[-1]))
                before = items[-1][key]
                items[-1][key] = Valeur(f"{before.texte}\n{line}".strip(), before.lieu)
            continue
        found = True
        if not items or field in items[-1]:
            items.append({})
        items[-1][field] = Valeur(value.strip(), lieu(unit))
    return items if found else None
