"""Split answer text into list items the way a person reads them (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from workflow.answers import Lieu, Ligne, Valeur
from workflow.parsers.base import Unit
from workflow.text import clean_spaces, normalise

BULLETS = "-–—•◦▪‣*·o"
_BULLET = re.compile(r"^\s*(?:[-–—•◦▪‣*·]|o(?=\s))\s*")
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
    out = []
    for unit in units:
        for line in clean_spaces(unit.text).splitlines():
            out.append((line, unit))
    return out


def lieu(unit: Unit, methode: str = "texte") -> Lieu:
    return Lieu("tableau" if unit.table is not None and methode == "texte" else methode, unit.where)


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
    return [rows[r] for r in sorted(rows)]


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
        mapping = {}
        for col, (text, _) in header.items():
            for field, names in columns.items():
                if normalise(text) and any(normalise(text).startswith(normalise(n)) for n in names):
                    mapping[col] = field
                    break
        if len(mapping) >= min(2, len(columns)):
            free = iter(f for f in columns if f not in mapping.values())
            for col in sorted(header):  # a heading wrapped mid-word still gets its column
                if col not in mapping and (spare := next(free, None)):
                    mapping[col] = spare
            return mapping, rows[1:]
    ordered = sorted({c for r in rows for c in r})
    return {col: field for col, field in zip(ordered, columns, strict=False)}, rows


def rows_to_lines(rows: list[dict[int, tuple[str, Unit]]], mapping: dict[int, str]) -> list[Ligne]:
    result = []
    for row in rows:
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


def interventions(units: list[Unit]) -> list[Ligne]:
    """One intervention per paragraph or bullet "Intitulé : description"; others continue it."""
    items: list[Ligne] = []
    for line, unit in lines_of(units):
        text = strip_bullet(line)
        labelled = split_label(text)
        if labelled:
            items.append({"intitule": Valeur(labelled[0], lieu(unit)), "description": Valeur(labelled[1], lieu(unit))})
        elif items and not unit.is_list and not _BULLET.match(line):
            last = items[-1]
            before = last["description"].texte if "description" in last else ""
            last["description"] = Valeur(
                (before + "\n" + text).strip(), last.get("description", Valeur("", lieu(unit))).lieu
            )
        elif len(text.split()) <= 12:
            items.append({"intitule": Valeur(text, lieu(unit))})
        else:
            items.append({"description": Valeur(text, lieu(unit))})
    return items


def agents(units: list[Unit]) -> list[Ligne]:
    """One agent per line: "Nom : fonction", "fonction : Nom", "Nom, fonction" or "Nom (fonction)"."""
    items = []
    for line, unit in lines_of(units):
        text = strip_bullet(line)
        match = re.match(r"^(.*?)\s*\((.*)\)\s*$", text)
        parts = [match.group(1), match.group(2)] if match else re.split(r"\s*[:,;]\s*|\s+[-–—]\s+", text, maxsplit=1)
        first, second = [*parts, ""][:2]
        nom, fonction = (second, first) if _is_function(first) and not _is_function(second) else (first, second)
        items.append({"nom": Valeur(nom.strip(), lieu(unit)), "fonction": Valeur(fonction.strip(), lieu(unit))})
    return items


def _is_function(text: str) -> bool:
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


_OS_ANYWHERE = re.compile(r"(?:objectif\s+strat[ée]gique|\bO\.?S\.?)\s*(?:n\s*°|n°|no\.?)?\s*(\d{1,2})\b", re.I)
_OO_ANYWHERE = re.compile(r"(?:objectif\s+op[ée]rationnel\s*|\bO\.?O\.?\s*)?\b(\d{1,2})\s?([A-Ga-g])(-\d)?(?![\w'’])")
_SEPARATORS = " \t:-–—./|,;"


def objectifs(units: list[Unit], ambitions: dict[str, str]) -> list[Ligne]:
    """Read objectives written as lines: an ambition, an "Objectif stratégique 2 : …" heading and
    "2A libellé" lines under them, or all of it on one line ("Plein emploi – OS 2 – 2A : …")."""
    items: list[Ligne] = []
    context: dict[str, Valeur] = {}
    names = sorted(ambitions, key=len, reverse=True)
    for line, unit in lines_of(units):
        text = strip_bullet(line)
        where = lieu(unit)
        named = next((ambitions[n] for n in names if len(n) > 5 and f" {n} " in f" {normalise(text)} "), None)
        os_match = _OS_ANYWHERE.search(text)
        oo_match = _OO_ANYWHERE.search(text)
        if named and not os_match and not oo_match and len(text.split()) <= 6:
            context = {"ambition": Valeur(named, where)}
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
            label = _strip_trailing_context(text[oo_match.end() :].strip(_SEPARATORS))
            items.append({**context, "oo": Valeur(code, where), "libelle_saisi": Valeur(label, where)})
    return items


def _strip_trailing_context(label: str) -> str:
    """Drop a trailing "(OS 2, plein emploi)" that repeats what the line already said."""
    match = re.search(r"\s*\(([^()]*)\)\s*$", label)
    if match and (_OS_ANYWHERE.search(match.group(1)) or "ambition" in match.group(1).lower()):
        return label[: match.start()].strip()
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
