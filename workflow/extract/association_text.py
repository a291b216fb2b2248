"""Read an association form from its text whatever the layout: each entry goes to the field its
label names (under the sub-heading it stands in), to the section it stands under, or aside as
« texte non classé »; a label with nothing after it is an empty field (READING.md §§ 3-4)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from workflow.answers import ActionBrute, Certitude, Lieu, Valeur
from workflow.extract import association_labels as labels
from workflow.extract import association_signature as signature
from workflow.extract import association_values as values
from workflow.extract import splitting
from workflow.extract.alignment import align, question_candidates
from workflow.extract.anchors import EMAIL, PHONE, is_closing
from workflow.extract.association_actions import Actions
from workflow.extract.association_fields import IDENTITY, Fields
from workflow.extract.association_lines import MARK, Entry, Item, Table, entries, is_hint, line_entries, unit_with
from workflow.extract.association_prose import told
from workflow.parsers.base import Unit
from workflow.referentiel import Referentiel
from workflow.referentiel.model import Indices
from workflow.text import normalise

LISTS = ("quartiers_intervention", "ambitions", "objectifs", "engagements", "indicateurs_suivi", "cpo")
SECTION_OF = {
    "demande_cpo": "cpo",
    "duree_cpo_annees": "cpo",
    "fait_a": "signature",
    "date": "signature",
    "signataire_nom": "signature",
    "lieu_date": "signature",
    "autres_engagements": "engagements",
}
_INLINE_BOX = re.compile(r"\s+(?=[☐☒☑□■]|\[\s*[xX✓✔]?\s*\])")


def _inline_boxes(line: str) -> bool:
    """« ☐ Quartier apaisé ☒ Quartier émancipé »: several choices, each after its box (not « X : Oui ☒ Non ☐ »)."""
    return values.ticked(line) is not None and len(_INLINE_BOX.findall(line)) > 0 and values.yes_no(line) == ""


_RESERVED = re.compile(
    r"r[ée]serv[ée]e?s? (?:à|a|au|aux) (?:l['’]|la |le |les )?[\w-]+|cadre r[ée]serv|"
    r"^.{0,20}\b(?:bilan|rappel)\b.{0,40}\b20\d\d\s*$",  # « Partie 1 – Bilan des actions 2024 »: last year's
    re.I,
)
MAX_TITLE_WORDS = 8
_NUMBERED_TITLE = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[A-H])\s*[.)–-]\s+(?P<title>\S.*)$"
)  # « 1. », « B. », « 4.1 – »
_OBJECTIVE_PARTS = ("ambition", "os", "oo", "libelle_saisi")
_CIRCLED_TITLE = re.compile(r"^\s*[❶-❿①-⑳➀-➓]\s*(?P<title>\S.*)$")  # « ❶ Raconte-moi ton quartier »: whatever it says
_ONLY_QUESTIONS = re.compile(r"^(?:\s*[^\W\d][\w'’ -]{0,20}\s*\?)+\s*$")
_SHARES = re.compile(r"\bdont\s+(.+)$", re.I | re.S)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Þ])")
_CODE = re.compile(r"\b\d\s?[A-G]\b|\bOS\s*\d", re.I)
SHAPES = {  # values a PDF may push to the next line, taken only when they have the field's shape
    "rna": re.compile(r"^W\s?\d{9}$"),
    "siret": re.compile(r"^\d{3}\s?\d{3}\s?\d{3}\s?\d{5}$"),
    "referent_courriel": re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"),
    "referent_telephone": re.compile(r"^(?:\+33\s?|0)\d(?:[\s.]?\d{2}){4}$"),
    "code_postal": re.compile(r"^\d{5}$"),
}


@dataclass(frozen=True)
class Section:
    """A section of the form as alignment sees it: its id, our title and its key nouns."""

    id: str
    texte: str
    indices: Indices


@dataclass
class Reading:
    """What the text gave, field by field, before the controls of our own form take precedence."""

    entete: dict[str, Valeur] = field(default_factory=dict)
    champs: dict[str, Valeur] = field(default_factory=dict)
    content: dict[str, list[Entry]] = field(default_factory=dict)
    tables: dict[str, list[Table]] = field(default_factory=dict)
    actions: list[ActionBrute] = field(default_factory=list)
    anchored: set[str] = field(default_factory=set)
    unplaced: list[tuple[str, Valeur]] = field(default_factory=list)


def sections(ref: Referentiel) -> list[Section]:
    form = ref.association
    return [Section(key, form.sections[key], ind) for key, ind in form.indices_sections.items()]


def read_text(units: tuple[Unit, ...], ref: Referentiel) -> Reading:
    """Return every field the text of a document gives."""
    walker = _Walker(ref, _heading_sections(units, ref))
    for item in entries(units, labels.is_label):
        if isinstance(item, Entry) and _furniture(item.text):
            continue
        walker.take(item)
    walker.reading.actions = walker.actions.result()
    walker.reading.unplaced += [("actions", v) for v in walker.actions.aside]
    return walker.reading


FURNITURE = {
    normalise(t)
    for t in (
        "Un indicateur par ligne.",
        "Cofinancements de l'action",
        "Une fiche par action ; copier un bloc d'action pour en ajouter une.",
    )
}


def _furniture(text: str) -> bool:
    """Our own form's instructions and footer, a web form's hints under its questions, never an answer."""
    norm = normalise(text)
    return norm in FURNITURE or norm.startswith("fiche generee le") or is_hint(text)


def _heading_sections(units: tuple[Unit, ...], ref: Referentiel) -> dict[int, str]:
    """Units that title a section, found by alignment over the section titles' key nouns."""
    found = sections(ref)
    kept = align(question_candidates(units, found), tuple(s.id for s in found))
    return {
        id(units[c.index]): c.field
        for c in kept
        if not values.has_boxes(units[c.index].text)
        and not (c.field == "quartiers_intervention" and _ambition_in(units[c.index].text, ref))
        and not (c.field != "engagements" and _commitment_in(units[c.index].text, ref))
    }  # « Quartier émancipé » over its objectives names an ambition, no quarter; « Transmettre les
    # indicateurs de suivi et un bilan … » is a commitment, no indicators' title


class _Walker:
    """Walk the entries in order, keeping the section and the person (representative, referent) they stand under."""

    def __init__(self, ref: Referentiel, headings: dict[int, str]) -> None:
        self.ref = ref
        self.headings = headings
        self.reading = Reading()
        self.actions = Actions()
        self.section = ""
        self.role = ""  # "representant" or "referent": whose « Nom », « Fonction », « Courriel » follow
        self.pending = ""  # the field a question asked, answered by the next line
        self.shaped = ""  # a field left empty whose value, if the next line has its shape, a PDF wrapped
        self.signed = False
        self.asked = False  # a question (« … ? ») was asked: the lines after it answer it, whatever they look like
        self.reserved = False  # in the box the CUA fills in (« Cadre réservé à l'administration »)
        self.funding = False  # under an action's « Financements » heading: each line with an amount is a funder
        self.aside = False  # under an action's sub-heading we do not read (« Moyens »): kept for a person
        self.quoted = False  # after « Le 3 mars 2025, X a écrit : »: the message answered, not the answer
        self.signing: signature.Signing | None = None  # in a signature block (« Pour l'association X, »)

    def take(self, item: Item) -> None:
        if isinstance(item, Entry) and (self.quoted or _QUOTED.match(item.text)):
            self.quoted = self.quoted or (bool(self.reading.entete) and not item.text.startswith(">"))
            self.reading.unplaced.append(("", Valeur(item.text, item.lieu)))  # the message answered, quoted
            return
        if isinstance(item, Entry) and item.question and "?" not in item.text and self.asked:
            item = Entry(item.text, item.unit, heading=item.heading)  # the answer to a question, not a label
        elif isinstance(item, Entry) and item.label:
            self.asked = False
        shaped, self.shaped = self.shaped, ""
        if isinstance(item, Entry) and item.value and _ONLY_QUESTIONS.match(item.value):
            self.reading.unplaced.append(("", Valeur(item.text, item.lieu)))  # « la méthode : Qui ? Quoi ? Où ? »
            return
        if isinstance(item, Entry) and self._signs(item):
            return
        if isinstance(item, Entry) and self._reserved(item):
            return
        if isinstance(item, Entry) and self._action_aside(item):
            return
        if isinstance(item, Entry) and shaped and not item.label and SHAPES[shaped].match(item.text.strip()):
            self.reading.entete[shaped] = Valeur(item.text.strip(), item.lieu)
            return
        if isinstance(item, Entry) and (asked := _boxed_cpo(item)):
            self._field("demande_cpo", Valeur(asked, item.lieu))  # « Demande de … (CPO) : Oui ☐ Non ☒ »
        elif isinstance(item, Entry) and (closed := values.closed_answer(item.text)) and self._is_choice(item):
            box = "☒" if closed[1] else "☐"
            self._plain(Entry(f"{box} {closed[0]}", item.unit, heading=item.heading))
        elif isinstance(item, Entry) and (chosen := self._commitment_answered(item)):
            self._plain(Entry(f"{chosen} {item.label}", item.unit, heading=item.heading))
        elif isinstance(item, Entry) and self.pending and self._emphasised_value(item):
            self._answer(Entry(item.text, item.unit, heading=True))
        elif isinstance(item, Table) and self.reserved:
            return
        elif isinstance(item, Table):
            self._table(item)
        elif item.label and not item.value and self._names_an_ambition(item):
            self._content(self.section, Entry(item.text, item.unit, heading=item.heading))
        elif item.question:
            self._question(item)
        elif item.label and self._labelled(item):
            return
        else:
            self._plain(item)

    def _signs(self, entry: Entry) -> bool:
        """A signature block's lines: the association's give its signatory (and its legal representative
        when a president signs); another party's are set aside."""
        name = self.reading.entete.get("association_nom")
        if opened := signature.party(entry.text, name.texte if name else "", self.ref):
            self.signing, self.section, self.signed = opened, "signature", True
            return True
        block = self.signing
        if block is None:
            return False
        block.lines += 1
        text = entry.text.strip()
        function, person = signature.role(text), signature.signatory(text)
        if block.lines > signature.MAX_LINES or not (function or person or text.startswith("(")):
            self.signing = None
            return False
        if not block.ours:
            self.reading.unplaced.append(("", Valeur(text, entry.lieu)))
            self.signing = None if person else block
            return True
        block.role = function or block.role
        if person:
            self.signing = None
            lieu = Lieu(entry.lieu.methode, entry.unit.where, Certitude.STRUCTUREE)
            self._once("signataire_nom", Valeur(person, lieu))
            if signature.is_legal(block.role) and "representant_legal_nom" not in self.reading.entete:
                self.reading.entete["representant_legal_nom"] = Valeur(person, lieu)
                self.reading.entete.setdefault("representant_legal_fonction", Valeur(block.role, lieu))
        return True

    def _commitment_answered(self, entry: Entry) -> str:
        """« Participer au tiers-lieu … | ☐ Oui ☒ Non », « Coopérer … : non (pas de centre social) »: a
        commitment of the contract taken or not (its box), whatever word of its wording looks like a
        label of ours (« lieu »)."""
        if not entry.label or not entry.value:
            return ""
        answer = values.yes_no(entry.value)
        return ("☒" if answer == "oui" else "☐") if answer and _commitment_in(entry.label, self.ref) else ""

    def _names_an_ambition(self, entry: Entry) -> bool:
        """« Quartier apaisé » over the objectives it heads: an ambition, not the « Quartiers » label."""
        return self.section in ("ambitions", "objectifs") and bool(_ambition_in(entry.text, self.ref))

    def _reserved(self, entry: Entry) -> bool:
        """« Cadre réservé à l'administration » and the lines under it (« N° de dossier », « Reçu le »):
        the CUA's own notes, not the association's answers, up to the next title."""
        if _RESERVED.search(entry.text) and len(entry.text.split()) <= MAX_TITLE_WORDS:
            self.reserved = True
        elif self.reserved and ":" not in entry.text and (entry.heading or len(entry.text.split()) <= MAX_TITLE_WORDS):
            self.reserved = False  # the next title (« Partie 2 – Projet 2025 ») ends it
        return self.reserved

    def _action_aside(self, entry: Entry) -> bool:
        """Under an action, lines after « Financements » with an amount are its funders; a sub-heading
        we do not read (« Moyens ») keeps its lines apart rather than in the description."""
        known = bool(entry.label and labels.target(entry.label, True)) or id(entry.unit) in self.headings
        if self.funding and not known and values.has_amount(entry.text):
            self.actions.set("cofinancements", Valeur(entry.text.strip(), entry.lieu))
            return True
        self.funding = False
        if self.section != "actions" or self.pending:
            self.aside = False
            return False
        numbered = _CIRCLED_TITLE.match(entry.text) or (not known and _NUMBERED_TITLE.match(entry.text))
        if entry.heading and numbered:
            self.aside = False  # « 1. Ateliers d'écriture et de théâtre » under the actions: the next action
            self.actions.open()
            self.actions.set("intitule", Valeur(numbered.group("title").strip(), entry.lieu))
            return True
        title = entry.text.strip()
        listed = entry.heading and not known and entry.unit.is_list and len(title.split()) <= MAX_TITLE_WORDS
        if listed and title[-1:] not in ":.":  # « • Futsal en pied d'immeuble » in bold, its fields in bullets under it
            self.aside = False
            self.actions.open()
            self.actions.set("intitule", Valeur(title, entry.lieu))
            return True
        if entry.heading and not known and len(entry.text.split()) <= 4 and not entry.text.rstrip().endswith("."):
            self.aside = True
        elif known or entry.heading:
            self.aside = False
        if self.aside:
            self.reading.unplaced.append(("actions", Valeur(entry.text.strip(), entry.lieu)))
        return self.aside

    def _emphasised_value(self, entry: Entry) -> bool:
        """A bold line under a label alone on its line is its value even when its words look like a label
        (« Présidente »), unless it titles a section."""
        if not entry.label or not entry.heading or entry.question or entry.pinned or ":" in entry.text:
            return False
        found = labels.target(entry.label, self.section == "actions")
        shape = SHAPES.get(self.pending) or SHAPES.get(f"referent_{self.pending}")
        if shape is not None:  # not the shape of the field asked: the next heading, the field stays empty
            return bool(shape.match(entry.text.strip()))
        role = found in ("representant_legal_nom", "referent_nom") and "fonction" not in self.pending
        return not role and found not in labels.SECTIONS and found != "action" and id(entry.unit) not in self.headings

    def _is_choice(self, entry: Entry) -> bool:
        """A closed question that ticks a list item (a quarter, an ambition, a commitment), not a field's own."""
        found = labels.target(entry.label, False) if entry.label else ""
        return found == "" or (found in labels.SECTIONS and found not in ("cpo", "signature", "identification"))

    # --- tables ----------------------------------------------------------------------------------
    def _table(self, table: Table) -> None:
        heads = [labels.match(h, labels.TABLE_RULES) for h in table.header]
        if self._logframe(table):
            return
        if _calendar(table.header):  # « Action | J | F | M … » ticked by month: when, not what
            self.pending, self.section = "", ""  # its title (« Calendrier ») asked nothing of an action
            for row in table.rows:
                for text, unit in row.values():
                    if text.strip():
                        self.reading.unplaced.append(("actions", Valeur(text, Lieu("tableau", unit.where))))
            return
        if {"os", "oo"} & set(heads) or (self.section == "objectifs" and "libelle_saisi" in heads):
            self.reading.tables.setdefault("objectifs", []).append(table)
        elif self._radio_grid(table, heads):
            return
        elif "oui" in heads or (heads[:1] == ["engagement"]):
            self.reading.tables.setdefault("engagements", []).append(table)
        elif self._tick_table(table) or self.actions.funding_matrix(table) or self.actions.funding_by_rows(table):
            return
        elif self.actions.table(table):
            self.section = "actions"
            self._objectives_of_actions(table)
        elif self._label_table(table):
            return
        else:
            for row in table.rows:
                for text, unit in row.values():
                    if text:
                        self.reading.unplaced.append((self.section, Valeur(text, Lieu("tableau", unit.where))))

    def _logframe(self, table: Table) -> bool:
        """A logical framework (« Logique d'intervention | Indicateurs … | Sources | Hypothèses »): its
        first column read as the form's lines (objectives, then each action and its fields), the
        indicators beside an action are its follow-up indicators, the other columns for a person."""
        heads = [labels.match(h, labels.GENERIC_RULES) for h in table.header]
        if len(heads) < 3 or heads[0] or "indicateurs_suivi" not in heads[1:]:
            return False
        indicators = heads.index("indicateurs_suivi") + 1
        for row in table.rows:
            text, unit = row.get(1, ("", None))
            for entry in line_entries(Unit(text, unit.where, table=None), labels.is_label) if unit else []:
                if _PROJECT_AIM.match(entry.label):  # the project's own aim, no objective of the contract
                    self.reading.unplaced.append(("objectifs", Valeur(entry.text, entry.lieu)))
                else:
                    self.take(entry)
            action = unit is not None and labels.numbered_action(text.split(":")[0])
            for col, (cell, where) in sorted(row.items()):
                if col > 1 and cell.strip():
                    lieu = Lieu("tableau", where.where)
                    if col == indicators and action:
                        self._content("indicateurs_suivi", Entry(cell, where, "", cell))
                    else:
                        self.reading.unplaced.append(("actions", Valeur(cell, lieu)))
        self.section = ""
        return True

    def _objectives_of_actions(self, table: Table) -> None:
        """An actions table may give each action its ambition and objective (« Ambition | Objectif du
        contrat » rows or columns): they are the form's objectives and ambitions too."""
        heads = [normalise(h) for h in table.header]
        for row in table.rows:
            ambition = next((row[c][0] for c in row if heads[c - 1].startswith("ambition")), "")
            for c, (text, unit) in row.items():
                if "objectif" in heads[c - 1] and _CODE.search(text):
                    line = f"{ambition} – {text}" if ambition else text
                    self.reading.content.setdefault("objectifs", []).append(Entry(line, unit, pinned=True))
            if ambition:
                unit = next(u for t, u in row.values())
                self.reading.content.setdefault("ambitions", []).append(Entry(ambition, unit, pinned=True))

    def _label_table(self, table: Table) -> bool:
        """A header row of labels over one row of values (« Association | Sigle | N° SIRET »): each
        cell read as « label : value »."""
        if len(table.rows) > 2 or 2 * sum(bool(labels.target(h, False)) for h in table.header) < len(table.header):
            return False
        cells = [*table.header, *(t for row in table.rows for t, _ in row.values() if t.strip())]
        if all(_shouted(t) for t in cells):  # « L'ASSOCIATION | CONTACT PROJET »: a layout's section titles
            return False
        for row in table.rows:
            for column, head in enumerate(table.header, start=1):
                if column in row and head:
                    text, unit = row[column]
                    self.take(Entry(f"{head} : {text}", unit, head, text, pinned=True))
        return True

    def _radio_grid(self, table: Table, heads: list[str]) -> bool:
        """« Dans quels quartiers … ? | Oui | Non » over « Quatre As | ◉ | ○ »: a web form's grid, one
        choice per row, chosen when its « Oui » is."""
        section = labels.target(table.header[0], False) if table.header and "oui" in heads else ""
        if section not in LISTS or section == "engagements":
            return False
        yes = heads.index("oui") + 1
        for row in (r for r in table.rows if 1 in r):
            ticked = bool(MARK.match(row.get(yes, ("", None))[0]))
            self._content(section, Entry(f"{'☒' if ticked else '☐'} {row[1][0]}", row[1][1]))
        return True

    def _tick_table(self, table: Table) -> bool:
        """Choices in the header row, ticks in the row under it (« Baudimont | Hochettes | … » over
        « ✓ »): each choice read as a ticked or an empty box."""
        if len(table.rows) == 1:
            cells = [(c, t, u) for c, (t, u) in table.rows[0].items()]
            marks = [t for _, t, _ in cells if t.strip()]
            if not marks or not all(MARK.match(t) for t in marks):
                return False
            unit = cells[0][2]
            for column, head in enumerate(table.header, start=1):
                text, where = table.rows[0].get(column, ("", unit))
                self._plain(Entry(f"{'☒' if MARK.match(text) else '☐'} {head}", where))
            return True
        # one choice per row, ticks across (« Quartier | Action 1 | Action 2 » over « Hochettes | X | »)
        marks = [t for row in table.rows for c, (t, _) in row.items() if c > 1 and t.strip()]
        if not marks or not all(MARK.match(t) for t in marks) or not all(1 in row for row in table.rows):
            return False
        section = labels.target(table.header[0], False) if table.header else ""
        for row in table.rows:
            ticked = any(MARK.match(t) for c, (t, _) in row.items() if c > 1)
            entry = Entry(f"{'☒' if ticked else '☐'} {row[1][0]}", row[1][1])
            self._content(section, entry) if section in LISTS else self._plain(entry)
        return True

    # --- labels ----------------------------------------------------------------------------------
    def _question(self, entry: Entry) -> None:
        found = labels.target(entry.label, self.section == "actions")
        self.asked = "?" in entry.text
        if found == "action":
            self.section, self.pending = "actions", "action_titre"
            return
        self._enter(found)
        self.pending = "" if found in (*LISTS, "actions", "signature") else found
        if found == "demande_cpo" and entry.text.rstrip().endswith("."):  # « On aimerait une CPO de 3 ans. »
            self.pending = ""
            self._field(found, Valeur(entry.text, Lieu(entry.lieu.methode, entry.unit.where, Certitude.DEDUITE)))
            return
        if entry.pinned and entry.value:
            self.pending = ""
            self._labelled(Entry(entry.text, entry.unit, entry.label, entry.value, pinned=True))

    def _enter(self, found: str) -> None:
        section = SECTION_OF.get(found, found if found in labels.SECTIONS else "")
        if section:
            if section != self.section:
                self.role = ""
            self.section = section
            self.reading.anchored.add(section)

    def _labelled(self, entry: Entry) -> bool:
        """Place a « label : value » entry; False when its label names nothing we read."""
        named = _FOR_ACTION.match(entry.label) if values.has_amount(entry.value) else None
        if named and self.actions.fund(int(named.group(1)), Valeur(entry.value, entry.lieu)):
            return True
        found = labels.target(entry.label, self.section == "actions")
        if found == "indicateurs_suivi" and EMAIL.search(entry.value) and "referent_nom" not in self.reading.entete:
            found = "referent_nom"  # « Pour le suivi : Julie FONTAINE, coordinatrice, 06 …, julie@… »: a contact
        if not found and entry.pinned and self.section == "actions":
            found = labels.match(entry.label, labels.CELL_ACTION_RULES)
        if found in ("telephone", "courriel") and _PREMISES.search(normalise(entry.label)):
            self.reading.unplaced.append(("", Valeur(entry.text, entry.lieu)))  # « Téléphone du local »: no person's
            return True
        if self.section == "actions" and entry.pinned and self._several_facts(entry):
            return True
        if self.section == "actions" and labels.match(entry.label, labels.ACTION_ASIDE):
            self.reading.unplaced.append(("actions", Valeur(entry.text, entry.lieu)))  # its total cost: for a person
            if (shares := _SHARES.search(entry.value)) and values.has_amount(shares.group(1)):
                self.actions.set("cofinancements", Valeur(shares.group(1), entry.lieu))  # « 6 800 € dont CAF 3 000 € »
            return True
        if not found or (self.section == "objectifs" and _CODE.search(entry.text)):
            return False
        part = labels.match(entry.label, labels.TABLE_RULES)
        if self.section == "objectifs" and part in _OBJECTIVE_PARTS and not values.has_boxes(entry.value):
            return False  # « Ambition : … », « N° de l'objectif stratégique : 2 » under an objective: its lines
        self.pending = ""
        subheading = entry.heading and ":" not in entry.text and not entry.pinned
        value = Valeur(entry.value.strip(), entry.lieu)
        if found == "action":
            self.section = "actions"
            self.reading.anchored.add("actions")
            number = labels.action_number(entry.label)
            title = re.split(r"\s[–—:-]\s", entry.label, maxsplit=1)[1:]
            if number and not value.texte and title and self.actions.resume(number, title[0].strip()):
                return True
            if value.texte and not labels.match(entry.label, (("t", ("intitule",)),)):
                self.actions.numbered(value)
            elif value.texte:
                self.actions.open()
                self.actions.items[-1][0]["intitule"] = value
            else:
                self.actions.open()
            if not value.texte and title and title[0].strip():  # « Action 1 – Accompagnement à la scolarité » titles it
                self.actions.items[-1][0]["intitule"] = Valeur(title[0].strip(), entry.lieu)
            return True
        if (
            self.section == "actions"
            and found == "description"
            and _CODE.search(value.texte)
            and "objectif" in (normalise(entry.label))
        ):  # « Objectifs | Plein emploi – OS 3 – 3A … » in an action's table: the form's objectives
            self._content("objectifs", Entry(value.texte, entry.unit, entry.label, value.texte, pinned=entry.pinned))
            return True
        if (self.section == "actions" and found in _ACTION_FIELDS) or found == "intitule":
            self.section = "actions"
            if value.texte or (found == "intitule" and len(entry.label.split()) <= MAX_FIELD_LABEL_WORDS):
                self.actions.set(found, value)
            elif found in ("cofinancements", "financeur"):
                self.funding = True  # « Financements sollicités » alone: one funder per line below
            else:
                self.pending = found
            return True
        if found == "autres_engagements" and not value.texte and not entry.pinned:
            self.reading.anchored.add(found)  # the heading stands with nothing under it (unless a line follows)
        if self.section == "actions" and entry.pinned and found in _OWN_ROWS and value.texte:
            self._content(found, Entry(value.texte, entry.unit, entry.label, value.texte, pinned=True))
            return True  # « Quartier(s) | Saint-Michel » in an action's table: the form's, the action goes on
        if found in labels.SECTIONS or found in SECTION_OF:
            self._enter(found)
            if found in labels.SECTIONS:
                said = entry.text if _CODE.search(entry.label) else value.texte  # « Objectif 1F (OS 1) : … »: all of it
                if value.texte:
                    self._content(found, Entry(said, entry.unit, entry.label, said, pinned=entry.pinned))
                if found == "actions" and (action := told(value.texte, value.lieu)):
                    self.actions.open()
                    self.actions.items[-1] = (dict(action.champs), list(action.cofinancements))
                if found == "ambitions" and _CODE.search(
                    value.texte
                ):  # « Ambition : quartier émancipé, objectif 4E … »
                    self._content("objectifs", Entry(said, entry.unit, entry.label, said, pinned=entry.pinned))
                return True
        if subheading:
            self._subheading(found)
            return True
        self._field(found, value)
        if found == "representant_legal_nom" and (legal := _LEGAL_TITLE.match(entry.label.strip(" :"))):
            self._field("representant_legal_fonction", Valeur(legal.group(0).strip().capitalize(), entry.lieu))
        return True

    def _several_facts(self, entry: Entry) -> bool:
        """« Bénéficiaires et cofinancements | Bénéficiaires : 150 ⏎ CUA : 2 500 € ⏎ Total : 5 500 € »: a cell
        of an action's table whose lines each say one thing; its lines with an amount fund the action."""
        lines = [line.strip() for line in entry.value.splitlines() if line.strip()]
        told = [line_entries(unit_with(entry.unit, line), labels.is_label) for line in lines]
        if len(lines) < 2 or not any(e and e[0].label and labels.target(e[0].label, True) for e in told):
            return False
        for line, found in zip(lines, told, strict=True):
            if found and found[0].label and labels.target(found[0].label, True):
                self._labelled(replace(found[0], pinned=True))
            elif values.has_amount(line):
                self.actions.set("cofinancements", Valeur(line, entry.lieu))
            else:
                self.actions.plain(Entry(line, entry.unit))
        return True

    def _subheading(self, found: str) -> None:
        """« Représentant légal », « Personne chargée du dossier »: the person whose details follow."""
        if found == "representant_legal_nom":
            self.role = "representant"
        elif found == "referent_nom":
            self.role = "referent"
        else:
            self.role = ""
        if self.section not in ("", "identification"):
            self.section = "identification"

    def _field(self, found: str, value: Valeur) -> None:
        if found in ("nom", "fonction", "courriel", "telephone"):
            found = self._personal(found)
            if not found:
                return
        if not value.texte and found in SHAPES and value.lieu.methode != "tableau":
            self.shaped = found
        if found == "representant_legal_nom":
            self.role = "representant"
        elif found in ("referent_nom",):
            self.role = "referent"
        fields = Fields(self.reading.entete, self.reading.champs)
        fields.put(found, value)
        self.signed = self.signed or fields.signed

    def _personal(self, found: str) -> str:
        """« Nom », « Fonction », « Courriel » read for the person of the sub-heading above them."""
        if self.section == "signature":
            return "signataire_nom" if found == "nom" else ""
        if found == "nom" and not self.role:
            return "association_nom" if "association_nom" not in self.reading.entete else ""
        if self.role == "representant":
            return {"nom": "representant_legal_nom", "fonction": "representant_legal_fonction"}.get(found, "")
        return f"referent_{found}"

    # --- lines without a label -----------------------------------------------------------------
    def _plain(self, entry: Entry) -> None:
        text = entry.text.strip()
        if self.pending and not values.place_and_date(text):  # « Arras, le 3 mars 2025 » answers no question
            self._answer(entry)
            return
        self.pending = ""
        heading = self.headings.get(id(entry.unit))
        if heading and entry.heading:
            self._enter(heading)
            return
        if heading in LISTS and len(text.split()) > 8 and values.ticked(text) is None:
            # a letter's sentence opening a section answers it too (a ticked option opens none)
            self._enter(heading)
            self._content(heading, entry)
            if (last := _SENTENCES.split(text)[-1]).endswith(":") and (
                then := labels.match(last, labels.GENERIC_RULES)
            ):
                self._enter(then)  # « … Les indicateurs suivants seront transmis : » announces the lines below
            return
        if (found := values.place_and_date(text)) and not values.has_boxes(text):
            sure = Certitude.STRUCTUREE if re.match(r"\s*fait\s", text, re.I) else Certitude.DEDUITE
            lieu = Lieu(entry.lieu.methode, entry.unit.where, sure)
            self._once("fait_a", Valeur(found[0], lieu))
            self._once("date", Valeur(found[1], lieu))
            self.section, self.signed = "signature", True
            years = list(re.finditer(r"\b(?:19|20)\d{2}\b", text))  # « le 3 juin 2025   Le président, … »
            after = text.split(found[1], 1)[-1] if found[1] in text else text[years[-1].end() :] if years else ""
            if (name := values.signatory(after.strip())) and "signataire_nom" not in self.reading.champs:
                self.reading.champs["signataire_nom"] = Valeur(name, lieu)
            return
        if is_closing(text) and self.section != "signature":  # « Merci et bonne soirée, »: the signature follows
            self.section, self.signed = "signature", True
            return
        if values.ticked(text) is not None and (routed := self._tick_section(text)):
            self._content(routed, entry)
        elif self.section == "actions":
            if not self.actions.plain(entry):
                self.reading.unplaced.append(("actions", Valeur(text, entry.lieu)))
        elif self.section == "ambitions" and _CODE.search(text) and values.ticked(text) is None:
            self._content("objectifs", entry)  # « Ambitions et objectifs » then « OS 1 – 1C : … » lines
        elif self.section in LISTS and entry.label and values.is_date(entry.value):
            self.reading.unplaced.append(("", Valeur(text, entry.lieu)))  # « Date d'adoption en CA : 17/02/2025 »
        elif self.section in LISTS:
            self._content(self.section, entry)
        elif self.role == "referent" and (contact := _bare_contact(text)):
            self._field(contact, Valeur(text, Lieu(entry.lieu.methode, entry.unit.where, Certitude.DEDUITE)))
        elif (
            (who := _ROLE_FIELDS.get(self.role))
            and f"{who}_nom" not in self.reading.entete
            and (person := _bare_person(text))
        ):
            where = Lieu(entry.lieu.methode, entry.unit.where, Certitude.DEDUITE)  # « Camille ROUSSEL, coordinatrice »
            self._field(f"{who}_nom", Valeur(person[0], where))
            if person[1] and f"{who}_fonction" not in self.reading.entete:
                self._field(f"{who}_fonction", Valeur(person[1], where))
        elif self.section == "signature" or self.signed:
            if (name := values.signatory(text)) and "signataire_nom" not in self.reading.champs:
                self.reading.champs["signataire_nom"] = Valeur(name, Lieu(entry.lieu.methode, entry.unit.where))
        elif self.section == "identification":
            self.reading.unplaced.append(("", Valeur(text, entry.lieu)))

    def _tick_section(self, text: str) -> str:
        """The section a ticked line belongs to by what it names (an ambition, a commitment), else the current one."""
        bare = values.without_box(text)
        if _ambition_in(bare, self.ref):
            return "ambitions"
        if _commitment_in(bare, self.ref):
            return "engagements"
        if self.section in ("", "ambitions", "quartiers_intervention", "identification"):
            return "quartiers_intervention"
        return self.section if self.section in LISTS else ""

    def _answer(self, entry: Entry) -> None:
        """The line after a question: the value of the field it asked."""
        found, self.pending, self.asked = self.pending, "", False
        value = Valeur(entry.text.strip(), Lieu(entry.lieu.methode, entry.unit.where, Certitude.STRUCTUREE))
        if found in IDENTITY and ("€" in value.texte or values.ticked(value.texte) is not None):
            self.reading.unplaced.append(("", value))  # not what was asked: never filed under it
            return
        if found == "action_titre":
            self.actions.titled(value)
        elif found in _ACTION_FIELDS or found == "intitule":
            self.actions.set(found, value)
            self.funding = found == "cofinancements"  # « Avec quels soutiens ? » then one funder per line
        elif found:
            self._field(found, value)

    def _content(self, section: str, entry: Entry) -> None:
        """Keep a line under its section, a cell's lines one by one."""
        if section == "engagements" and values.ticked(entry.text) is None:
            self.reading.anchored.discard("autres_engagements")  # a line under « Autres engagements »
        lines = [
            part.strip()
            for line in entry.text.splitlines()
            for part in (_INLINE_BOX.split(line) if _inline_boxes(line) else _items(line))
            if part.strip()
        ]  # « ☐ Quartier apaisé ☒ Quartier émancipé » on one line: one choice each
        self.reading.content.setdefault(section, []).extend(
            Entry(line, entry.unit, entry.label, line, entry.heading, entry.pinned) for line in lines
        )

    def _once(self, key: str, value: Valeur) -> None:
        """Set a field once; a surer reading replaces a deduced one (« Fait à Arras, le … » the letter's
        « Lens, le … »)."""
        before = self.reading.champs.get(key)
        if not before or (before.lieu.certitude == Certitude.DEDUITE and value.lieu.certitude != Certitude.DEDUITE):
            self.reading.champs[key] = value


_OWN_ROWS = ("quartiers_intervention", "objectifs")  # an action's table may say its quarters and objectives
_ACTION_FIELDS = (
    "intitule",
    "description",
    "public_vise",
    "beneficiaires_prevus",
    "periode",
    "cofinancements",
    "financeur",
    "montant",
    "public_nombre_periode",
)


def _shouted(text: str) -> bool:
    """A short title in capitals (« CONTACT PROJET »), or nothing."""
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) <= 6 and all(c.isupper() for c in letters)


def _boxed_cpo(entry: Entry) -> str:
    """The boxes after « Demande de convention pluriannuelle d'objectifs (CPO) : », too long a line to
    be read as a label: what they answer, else ""."""
    head, colon, tail = entry.text.partition(":")
    if entry.label or not colon or not values.yes_no(tail) or labels.target(head, False) != "demande_cpo":
        return ""
    return tail.strip()


_FOR_ACTION = re.compile(r"^\s*pour\s+l['’]\s*action\s*(?:n°\s*)?(\d{1,2})\s*$", re.I)
MAX_FIELD_LABEL_WORDS = 4  # « Intitulé de l'action » titles an empty one; « Décrivez les actions (intitulé, …) » asks
_PREMISES = re.compile(r"\b(?:local|locaux|salle|accueil|siege|standard|structure|permanence|secretariat)\b")
_QUOTED = re.compile(
    r"^\s*(?:>|le .{5,90}\ba [ée]crit\s*:\s*$|-{3,}\s*(?:message d.origine|original message|message transf))", re.I
)
_LEGAL_TITLE = re.compile(r"^(?:co-?)?pr[ée]sidente?(?=$|\s+\()", re.I)  # « Président (représentant légal) »


_ROLE_FIELDS = {"representant": "representant_legal", "referent": "referent"}


def _bare_person(text: str) -> tuple[str, str] | None:
    """A line under a person's heading holding only « Prénom NOM » or « Prénom NOM, fonction »."""
    name, _, function = text.strip().rstrip(".").partition(",")
    surname = re.search(r"\b[A-ZÀ-Þ]{2,}\b", name)
    if not surname or not splitting.looks_like_name(name.strip()) or len(function.split()) > MAX_TITLE_WORDS:
        return None
    return name.strip(), function.strip()


def _bare_contact(text: str) -> str:
    """A line under the referent holding only an e-mail address or a phone number: which it is."""
    if EMAIL.fullmatch(text.strip()):
        return "referent_courriel"
    if PHONE.fullmatch(text.strip()):
        return "referent_telephone"
    return ""


_PROJECT_AIM = re.compile(r"^\s*(?:objectif\s+sp[ée]cifique|r[ée]sultats?\s+attendus?)\b", re.I)
_MONTH = re.compile(
    r"^(?:[jfmasond]|janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|"
    r"sept?(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?)\.?$",
    re.I,
)
MIN_MONTHS = 6


def _calendar(header: tuple[str, ...] | list[str]) -> bool:
    """A planning grid: six months or more across its header (« J F M A … », « janv. févr. … »)."""
    return sum(bool(_MONTH.match(h.strip())) for h in header) >= MIN_MONTHS


def _items(line: str) -> list[str]:
    """« Saint-Michel|Blancs Monts - Hochettes »: an export's values, one per « | », when each is
    more than a word (« 1A | Développer … » is a code and its wording)."""
    parts = line.split("|")
    return parts if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts) else [line]


def _ambition_in(text: str, ref: Referentiel) -> str:
    from workflow.extract.common import ambition_names

    norm = f" {normalise(text)} "
    return next((a for n, a in ambition_names(ref).items() if len(n) > 5 and f" {n} " in norm), "")


def _commitment_in(text: str, ref: Referentiel) -> str:
    from workflow.text import similarity

    best = max(ref.association.engagements_standards, key=lambda e: similarity(text, e.libelle))
    return best.id if similarity(text, best.libelle) >= 70 else ""


def evidence(units: tuple[Unit, ...], ref: Referentiel) -> tuple[int, int]:
    """Return (identity fields of an association read, sections anchored): what recognition weighs."""
    reading = read_text(units, ref)
    identity = {"association_nom", "siret", "rna", "representant_legal_nom"}
    found = {k for k, v in reading.entete.items() if k in identity and v.texte.strip()}
    return len(found), len(reading.anchored & set(ref.association.sections))
