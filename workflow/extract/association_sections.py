"""Parse what stands under each section of an association form, whatever the layout: quarters,
ambitions, objectives (lines or a table), commitments (ticks, « Oui ☒ Non ☐ », an Oui | Non table),
the CPO request, follow-up indicators. Lines no parser can use are returned as unplaced."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.answers import Lieu, Ligne, Valeur
from workflow.extract import association_labels as labels
from workflow.extract import association_values as values
from workflow.extract import splitting
from workflow.extract.anchors import strip_numbering
from workflow.extract.association_lines import MARK, Entry, Table, unit_with
from workflow.extract.common import ambition_names
from workflow.referentiel import Referentiel
from workflow.text import normalise, similarity

COMMITMENT_LIKENESS = 70
_AFTER_BOXES = re.compile(r"(?<=[iInN]\s[☐☒☑□■])\s+(?=[A-ZÀ-Þ][a-zà-ÿ])")  # « A : Oui ☒ Non ☐ B : Oui ☐ Non ☒ » joined


def quartiers(lines: list[Entry]) -> list[Valeur]:
    """The quarter lines as written, ticks kept: validation resolves names, aliases and communes."""
    return [Valeur(e.text, e.lieu) for e in lines]


def ambitions(lines: list[Entry], ref: Referentiel) -> list[Valeur]:
    names = sorted(ambition_names(ref).items(), key=lambda n: -len(n[0]))
    found: dict[str, Valeur] = {}
    boxes = any(values.ticked(e.text) is not None for e in lines)
    crosses = values.crosses_say_no([e.text for e in lines])
    for e in lines:
        if boxes and values.ticked(e.text, crosses) is not True:
            continue
        text = f" {normalise(values.without_box(e.text))} "
        for name, ambition in names:
            if len(name) > 5 and f" {name} " in text:
                found.setdefault(ambition, Valeur(ambition, e.lieu))
                text = text.replace(f" {name} ", " | ")
    return list(found.values())


def objectifs(lines: list[Entry], tables: list[Table], ref: Referentiel, unread: list[Valeur]) -> list[Ligne]:
    """Objectives as lines (« Quartier émancipé – OS 1 – 1C : … », several per line) or as a table."""
    items: list[Ligne] = []
    for table in tables:
        columns = {n: labels.match(h, labels.TABLE_RULES) for n, h in enumerate(table.header, start=1)}
        for row in table.rows:
            item = {
                columns[c]: Valeur(t, Lieu("tableau", u.where))
                for c, (t, u) in row.items()
                if t and columns.get(c) in ("ambition", "os", "oo", "libelle_saisi")
            }
            if "oo" in item or "libelle_saisi" in item:
                items.append(item)
    if any(values.ticked(e.text) is not None for e in lines):  # a checklist: its titles and ticked objectives
        crosses = values.crosses_say_no([e.text for e in lines])
        lines = [
            replace(e, text=values.without_box(e.text)) for e in lines if values.ticked(e.text, crosses) is not False
        ]
    units = [unit_with(e.unit, e.text) for e in lines]
    items += splitting.objectifs(units, ambition_names(ref), unread)
    distinct: dict[tuple[str, ...], Ligne] = {}
    for item in items:  # one per objective: each action may repeat it
        distinct.setdefault(_said(item), item)
    return list(distinct.values())


def _said(item: Ligne) -> tuple[str, ...]:
    """An objective as written: its ambition and code when both are written (the same code again,
    « Transitions – 1A (voir fiche 1) », is the same objective), else its label too."""
    coded = all(item.get(k) and item[k].texte.strip() for k in ("ambition", "oo"))  # « 2B » alone: two ambitions
    keys = ("ambition", "oo") if coded else ("ambition", "oo", "libelle_saisi")
    return tuple(normalise(item[k].texte) for k in keys if k in item)


def engagements(lines: list[Entry], tables: list[Table], ref: Referentiel) -> tuple[list[Valeur], list[Valeur]]:
    """Return the standard commitments ticked, and the lines that named none."""
    found: list[Valeur] = []
    unread: list[Valeur] = []
    boxes = any(values.has_boxes(e.text) for e in lines)
    pieces = [
        replace(e, text=p)
        for e in lines
        for p in (values.commitment_clauses(e.text) or _AFTER_BOXES.split(e.text))
        if p.strip()
    ]  # « Le club s'engage à associer …, à transmettre … et à coopérer … »: one clause each
    crosses = values.crosses_say_no([e.text for e in pieces])
    for e in pieces:
        text = e.text
        state = values.ticked(text, crosses)
        head, _, answer = text.rpartition(":")
        said = values.yes_no(answer) if state is None else ""
        spoken = bool(said and head.strip())  # « … : non (pas de centre social) »
        if state is None and (values.has_boxes(text) or spoken):  # or « … : ☐ Oui ☒ Non »
            state, text = said == "oui", head
        if (boxes or spoken) and not state:
            continue
        if commitment := _commitment(values.without_box(splitting.strip_bullet(text)), ref):
            found.append(Valeur(commitment, e.lieu))
        else:
            unread.append(Valeur(e.text, e.lieu))
    for table in tables:
        found += _commitment_table(table, ref)
    return found, unread


def _commitment_table(table: Table, ref: Referentiel) -> list[Valeur]:
    """« Engagement | Oui | Non » with an X in the right column."""
    heads = [labels.match(h, labels.TABLE_RULES) for h in table.header]
    yes = heads.index("oui") + 1 if "oui" in heads else None
    found = []
    for row in table.rows:
        label = row.get(1, ("", None))
        if yes is None:  # « Engagement | Notre réponse » over « … | oui »: the answer says it
            answer = row.get(len(table.header), ("", None))[0]
            ticked = values.yes_no(answer) == "oui" or bool(MARK.match(answer))
        else:
            ticked = row.get(yes, ("", None))[0].strip() != ""
        cell = label[1]
        if ticked and cell is not None and (commitment := _commitment(label[0], ref)):
            found.append(Valeur(commitment, Lieu("tableau", cell.where)))
    return found


def _commitment(text: str, ref: Referentiel) -> str:
    standards = ref.association.engagements_standards
    best = max(standards, key=lambda e: similarity(text, e.libelle))
    return best.id if similarity(text, best.libelle) >= COMMITMENT_LIKENESS else ""


_FOLLOW_UP = re.compile(
    r"^.*?\b(?:suivrons|suivra|mesurerons|mesurera|transmettrons|renseignerons|suivis?\s*:)\s+"
    r"(?:(?:le|la|les)\s+|l['’])?(?P<what>.+?)\.?$",
    re.I,
)


_MEASURE = re.compile(r"^\W*(?:nombre|nb|taux|part|pourcentage|proportion|%|satisfaction)\b", re.I)


def indicateurs(lines: list[Entry]) -> list[Valeur]:
    """One indicator per line or per « ; » or « / », its first letter capitalised; a sentence
    (« nous suivrons le nombre de participants, la part de participantes et … ») cut at its commas."""
    out = []
    crosses = values.crosses_say_no([e.text for e in lines])
    for e in lines:
        if values.ticked(e.text, crosses) is False:
            continue  # « ✘ Le nombre de … »: an indicator not kept
        text = values.without_box(e.text)
        if sentence := _FOLLOW_UP.match(text):
            text = re.sub(r"\s*(?:,|\bet\b)\s*(?:l['’]|les?\s+|la\s+)?", " ; ", sentence.group("what"))
        parts = re.split(r"\s*;\s*|\s+/\s+", text)
        if len(parts) == 1 and all(_MEASURE.match(p) for p in text.split(", ")):  # « nombre de …, nombre de … »
            parts = text.split(", ")
        for part in parts:
            part = strip_numbering(splitting.strip_bullet(part)).strip(" .")
            if part:
                out.append(Valeur(part[0].upper() + part[1:], e.lieu))
    return out


_ASKS_CPO = re.compile(r"\b(?:cpo|convention)\b", re.I)


def cpo(lines: list[Entry]) -> dict[str, Valeur]:
    """The CPO request and its length, read from lines under the CPO section with no label."""
    found: dict[str, Valeur] = {}
    for e in lines:
        text = e.text
        answer = values.yes_no(text)
        if not answer and (state := values.ticked(text)) is not None and _ASKS_CPO.search(text):
            answer = "oui" if state else "non"  # « ✔ Nous demandons une CPO. »
        if answer and "demande_cpo" not in found:
            found["demande_cpo"] = Valeur(answer, e.lieu)
        if (years := values.years(text)) and "duree_cpo_annees" not in found and "an" in text:
            found["duree_cpo_annees"] = Valeur(years, e.lieu)
    return found
