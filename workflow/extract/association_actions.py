"""Read an association's actions however it wrote them: blocks (« Action 1 : … », « Public : … »,
« Financements : … »), label | value tables, a table with a header row (continuation rows adding
funders, a TOTAL row left out), a « Financeur | Montant » table after its action."""

from __future__ import annotations

import re

from workflow.answers import ActionBrute, Certitude, Lieu, Ligne, Valeur
from workflow.extract import association_labels as labels
from workflow.extract.association_lines import Entry, Table
from workflow.extract.association_values import funders, own_money
from workflow.parsers.base import Unit
from workflow.text import normalise

_ROW_NUMBER = re.compile(r"^\s*(?:action\s*)?(?:n°\s*)?(\d{1,2})\b", re.I)  # « 1 – Battle », « Action 2 »
_NOT_ASKED = re.compile(r"\bpour information\b|\bà l['’]étude\b|\bfera l['’]objet d['’]une (?:autre )?demande\b", re.I)
_NOT_A_FUNDER = re.compile(r"(?:total|autofinancement|fonds propres|montant|budget|cout|co[uû]t|charges?)\b")

FIELDS = ("intitule", "description", "public_vise", "beneficiaires_prevus", "periode")
_SENTENCE = re.compile(r"(?<=[^A-Z0-9]\.)\s+(?=[A-ZÀ-Þ])")
_BENEFICIARIES = re.compile(r"^\s*(\d+)\s+(?:b[ée]n[ée]ficiaires|personnes|participants|jeunes|familles)\b", re.I)


class Actions:
    """The actions read so far; entries and tables add to the last one or open a new one."""

    def __init__(self) -> None:
        self.items: list[tuple[dict[str, Valeur], list[Ligne]]] = []
        self.pending: Ligne = {}
        self.at: int | None = None  # the action a block went back to (see `resume`), else the last one
        self.aside: list[Valeur] = []  # rows that name no action of this form (« pour information »)
        self.provisional = False  # the last action's title came beside its number (« FICHE ACTION N° 1 | … »)

    def open(self) -> None:
        self.items.append(({}, []))
        self.at = None
        self.provisional = False

    def numbered(self, value: Valeur) -> None:
        """« Action 2 : Ateliers » opens an action titled so; an « Intitulé » line right after it titles it
        instead (« FICHE ACTION N° 1 | ASCBM – Cœur de Quartier 2025 » then « Intitulé | Marche nordique »)."""
        self.open()
        if value.texte:
            self.items[-1][0]["intitule"] = value
            self.provisional = True

    def resume(self, number: int, title: str) -> bool:
        """Go back to action `number` read from a summary table when a block titles it the same
        (« Action 1 – Lire au pied des tours »): its description is written apart."""
        if not 0 < number <= len(self.items) or "description" in self.items[number - 1][0]:
            return False
        known = self.items[number - 1][0].get("intitule")
        if known is None or not title or normalise(known.texte) != normalise(title):
            return False
        self.at = number - 1
        return True

    def _current(self) -> tuple[dict[str, Valeur], list[Ligne]]:
        if not self.items:
            self.open()
        return self.items[-1 if self.at is None else self.at]

    def set(self, field: str, value: Valeur) -> None:
        """Set one sub-field; a second title opens the next action."""
        if field == "intitule" and self.provisional and set(self._current()[0]) == {"intitule"}:
            self.aside.append(self._current()[0].pop("intitule"))
        elif field == "intitule" and self.items and "intitule" in self._current()[0]:
            self.open()
        self.provisional = False
        champs, rows = self._current()
        if field == "cofinancements" or (field == "financeur" and len(re.findall(r"€|\beuros?\b", value.texte)) > 1):
            rows.extend(funders(value))  # « Financeurs : CUA : 6 000 € ⏎ État : 5 000 € »
        elif field in ("financeur", "montant"):
            self._funder_part(field, value, rows)
        elif field == "public_nombre_periode":
            self._who_how_many_when(value, champs)
        elif field == "intitule" and (parts := _title_then_text(value)):
            champs["intitule"], champs["description"] = parts
        elif field in FIELDS and value.texte:
            champs[field] = value

    def fund(self, number: int, value: Valeur) -> bool:
        """« Pour l'action 2 : État (BOP 147) 2 200 € et CUA 1 000 € » under the financing question: the
        funders of the action numbered so, when it was read."""
        if not 0 < number <= len(self.items):
            return False
        self.items[number - 1][1].extend(funders(value))
        return True

    def _funder_part(self, field: str, value: Valeur, rows: list[Ligne]) -> None:
        """« Financeur : CAF » then « Montant : 2 500 € » make one row, as « Cofinanceur n° 1 : CAF »
        read without its amount does."""
        if field == "financeur" or not rows or ("montant" in rows[-1] and rows[-1]["montant"].texte):
            rows.append({})
        rows[-1][field] = value

    def _who_how_many_when(self, value: Valeur, champs: dict[str, Valeur]) -> None:
        """« Collégiens de 11 à 15 ans – 16 bénéficiaires – octobre 2025 à mai 2026 »."""
        for part in re.split(r"\s+[–—-]\s+", value.texte):
            if (number := _BENEFICIARIES.match(part)) and "beneficiaires_prevus" not in champs:
                champs["beneficiaires_prevus"] = Valeur(number.group(1), value.lieu)
            elif "public_vise" not in champs:
                champs["public_vise"] = Valeur(part.strip(), value.lieu)
            elif "periode" not in champs:
                champs["periode"] = Valeur(part.strip(" ."), value.lieu)

    def titled(self, value: Valeur) -> None:
        """An action's title and content in one answer: the first sentence titles it."""
        self.open()
        parts = _SENTENCE.split(value.texte.strip(), maxsplit=1)
        if len(parts) == 2 and len(parts[0].split()) <= 12:
            self.items[-1][0]["intitule"] = Valeur(parts[0].strip().rstrip("."), value.lieu)
            self.items[-1][0]["description"] = Valeur(parts[1].strip(), value.lieu)
        elif value.texte.strip():
            self.items[-1][0]["intitule"] = Valeur(value.texte.strip(), value.lieu)

    def plain(self, entry: Entry) -> bool:
        """A line with no label: an action's description (or more of it); False when no action is open."""
        if not self.items:
            return False
        champs, _ = self._current()
        lieu = Lieu(entry.lieu.methode, entry.unit.where, Certitude.DEDUITE)
        text = entry.text.strip()
        if self.at is None and any(v.lieu.methode == "tableau" for v in champs.values()) and entry.unit.table is None:
            return False  # a note under an actions table is not the last action's description
        if "description" in champs:
            before = champs["description"]
            champs["description"] = Valeur(f"{before.texte}\n{text}", before.lieu)
        else:
            champs["description"] = Valeur(text, lieu)
        return True

    def funding_matrix(self, table: Table) -> bool:
        """« Financeur | Action 1 | Action 2 | Total »: each amount funds the action of its column; the
        Total column and row left out."""
        if not table.header or labels.match(table.header[0], labels.TABLE_RULES) not in ("financeur", "cofinancements"):
            return False
        columns = {n: labels.action_number(h) for n, h in enumerate(table.header, start=1) if labels.numbered_action(h)}
        if not columns:
            return False
        for row in table.rows:
            name, unit = row.get(1, ("", None))
            if not name or unit is None or normalise(name).startswith("total"):
                continue
            for column, number in columns.items():
                amount = row.get(column, ("", None))[0]
                if number and amount and re.search(r"\d", amount):
                    while len(self.items) < number:
                        self.open()
                    lieu = Lieu("tableau", row[column][1].where)
                    self.items[number - 1][1].append({"financeur": Valeur(name, lieu), "montant": Valeur(amount, lieu)})
        return True

    def funding_by_rows(self, table: Table) -> bool:
        """« Action | CUA | État (BOP 147) | … | Autofinancement | Total » over « 1 – Battle | 2 000 | … »:
        each amount funds the numbered action of its row, from the funder heading its column; the
        association's own share, the totals and the « – » cells left out."""
        if not table.header or not normalise(table.header[0]).startswith("action"):
            return False
        funders_at = {
            n: head
            for n, head in enumerate(table.header, start=1)
            if n > 1 and re.search(r"[^\W\d_]", head) and not _NOT_A_FUNDER.match(normalise(head))
        }
        rows = [r for r in table.rows if not normalise(r.get(1, ("", None))[0]).startswith("total")]
        numbers = [_ROW_NUMBER.match(r.get(1, ("", None))[0]) for r in rows]
        if len(funders_at) < 2 or not rows or not all(numbers):
            return False
        for row, number in zip(rows, numbers, strict=True):
            index = int(number.group(1)) if number else 0
            for column, head in funders_at.items():
                amount = row.get(column, ("", None))[0]
                if amount and re.search(r"\d", amount):
                    while len(self.items) < index:
                        self.open()
                    lieu = Lieu("tableau", row[column][1].where)
                    self.items[index - 1][1].append({"financeur": Valeur(head, lieu), "montant": Valeur(amount, lieu)})
        return True

    def table(self, table: Table) -> bool:
        """Read a table with a header row as actions or as the last action's funders."""
        columns = _columns(table.header)
        if not columns or not set(columns.values()) & {"intitule", "financeur", "cofinancements", "description"}:
            return False
        only_funding = set(columns.values()) <= {"financeur", "montant", "numero"}
        for row in table.rows:
            if self.items and (said := _merged_line(row)):
                self.set(*said)  # « Cofinancements : A : 1 200 € ; B : 800 € » across the row: the action's
                continue
            cells: dict[str, tuple[str, Unit]] = {}
            for c in sorted(row):
                if c in columns and row[c][0].strip(" —–-/"):  # « — »: nothing in that cell
                    cells.setdefault(columns[c], row[c])  # « Objectif du contrat » after « Description »: the first
            if not cells or any(normalise(t).startswith("total") for t, _ in row.values()):
                continue
            if any(_NOT_ASKED.search(t) for t, _ in row.values()):
                self.aside.extend(Valeur(t, Lieu("tableau", u.where)) for t, u in row.values() if t.strip())
                continue  # « projet à l'étude, indiqué pour information : … demande en 2026 »: not this form's
            if "montant" in columns.values() and "montant" not in cells and "intitule" not in cells:
                continue  # « CAF | 1 000 € | — »: no sum asked for this year, not a funder of the action
            opens = not only_funding and ("intitule" in cells or ("numero" in cells and cells["numero"][0]))
            if opens or not self.items:
                self.open()
            self._row(cells)
            self._more_funders(row, columns)
        return True

    def _more_funders(self, row: dict[int, tuple[str, Unit]], columns: dict[int, str]) -> None:
        """« Financeur 1 | Montant 1 | Financeur 2 | Montant 2 »: the pairs after the first."""
        pairs = [c for c in sorted(columns) if columns[c] == "financeur"][1:]
        rows = self.items[-1][1]
        for c in pairs:
            name, unit = row.get(c, ("", None))
            amount = next((row[m][0] for m in sorted(columns) if m > c and columns[m] == "montant" and m in row), "")
            if name and unit is not None:
                lieu = Lieu("tableau", unit.where)
                rows.append({"financeur": Valeur(name, lieu), "montant": Valeur(amount, lieu)})

    def _row(self, cells: dict[str, tuple[str, Unit]]) -> None:
        champs, rows = self.items[-1]
        for field, (text, unit) in cells.items():
            value = Valeur(text, Lieu("tableau", unit.where))
            if field == "intitule" and "description" not in cells and "\n" in text:
                title, _, rest = text.partition("\n")
                champs["intitule"] = Valeur(title.strip(), value.lieu)
                champs["description"] = Valeur(rest.strip(), value.lieu)
            elif field == "cofinancements":
                rows.extend(funders(value))
            elif field in FIELDS:
                champs[field] = value
        if (
            "financeur" in cells
            and "montant" not in cells
            and len(re.findall(r"€|\beuros?\b", cells["financeur"][0])) > 1
        ):
            text, unit = cells["financeur"]  # « CAF 3 000,00 € » then « Ville 1 500,00 € » in one cell
            rows.extend(funders(Valeur(text, Lieu("tableau", unit.where))))
        elif "financeur" in cells:
            text, unit = cells["financeur"]
            amount = cells.get("montant", ("", unit))[0]
            rows.append(
                {
                    "financeur": Valeur(text, Lieu("tableau", unit.where)),
                    "montant": Valeur(amount, Lieu("tableau", unit.where)),
                }
            )

    def result(self) -> list[ActionBrute]:
        out = []
        for champs, rows in self.items:
            kept = [
                r
                for r in rows
                if r.get("financeur") and r["financeur"].texte.strip() and not own_money(r["financeur"].texte)
            ]
            if champs or kept:
                out.append(ActionBrute(dict(champs), tuple(kept)))
        return out


def _title_then_text(value: Valeur) -> tuple[Valeur, Valeur] | None:
    """« Intitulé et contenu | Atelier vélo solidaire ⏎ Deux permanences par semaine … »: a title is one
    short line; the paragraphs under it describe the action."""
    title, _, rest = value.texte.strip().partition("\n")
    if not rest.strip() or len(title.split()) > 12 or len(rest.split()) <= len(title.split()):
        return None
    return Valeur(title.strip(), value.lieu), Valeur(rest.strip(), value.lieu)


def _merged_line(row: dict[int, tuple[str, Unit]]) -> tuple[str, Valeur] | None:
    """A row merged into one cell holding a labelled line of an action's (« Cofinancements : … »)."""
    filled = [(text, unit) for text, unit in row.values() if text.strip()]
    if len(filled) != 1:
        return None
    text, unit = filled[0]
    label, colon, value = text.partition(":")
    field = labels.match(label, labels.ACTION_RULES) if colon and len(label.split()) <= 4 else ""
    if field not in (*FIELDS, "cofinancements") or not value.strip():
        return None
    return field, Valeur(value.strip(), Lieu("tableau", unit.where))


def _columns(header: tuple[str, ...]) -> dict[int, str]:
    """Column number → action sub-field, read from the header row's texts."""
    found = {}
    for n, text in enumerate(header, start=1):
        if normalise(text).startswith("total"):  # « Total financements »: a sum, not a funder
            continue
        field = labels.match(text, labels.TABLE_RULES) or labels.match(text.replace(" ", ""), labels.TABLE_RULES)
        if field in (*FIELDS, "cofinancements", "financeur", "montant", "numero"):
            found[n] = field
    if "financeur" in found.values() and "montant" not in found.values() and (planned := _planned(header, found)):
        found[planned] = "montant"  # « Financeur | Réalisé 2024 | Prévisionnel 2025 »: the sums asked for
    if "montant" in found.values():  # « Cofinanceur sollicité | Montant »: one funder per row
        found = {n: "financeur" if f == "cofinancements" else f for n, f in found.items()}
    return found


_PLANNED = re.compile(r"pr[ée]visionnel|sollicit|demand|pr[ée]vu|budget", re.I)
_DONE = re.compile(r"r[ée]alis|bilan|ex[ée]cut", re.I)


def _planned(header: tuple[str, ...], found: dict[int, str]) -> int | None:
    """The column of the amounts asked for among unnamed ones: « Prévisionnel 2025 », else the latest
    year's; never « Réalisé 2024 »."""
    free = {n: text for n, text in enumerate(header, start=1) if n not in found and not _DONE.search(text)}
    if named := [n for n, text in free.items() if _PLANNED.search(text)]:
        return named[0]
    years = {n: int(y.group(0)) for n, text in free.items() if (y := re.search(r"\b20\d\d\b", text))}
    return max(years, key=lambda n: years[n]) if years else None
