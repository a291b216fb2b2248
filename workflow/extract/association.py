"""Extract an association form: its content controls first, then labelled lines and sections
for whatever an association retyped in its own layout."""

from __future__ import annotations

import re
from typing import Any

from workflow.answers import ActionBrute, Lieu, Ligne, ReponsesAssociation, Valeur
from workflow.extract import splitting
from workflow.extract.anchors import Anchor, find_anchors
from workflow.extract.common import (
    ambition_names,
    control_value,
    controls_by_tag,
    has_control,
    label_value,
    list_from_controls,
    quartiers_answer,
    with_rest,
)
from workflow.ooxml.blocks import paragraph_text, sdt_tag
from workflow.ooxml.controls import Control, content_controls
from workflow.ooxml.ns import W_SDT, W_TR
from workflow.parsers.base import Contenu, Unit
from workflow.referentiel import Referentiel
from workflow.text import clean_spaces, normalise, similarity
from workflow.validation.quartiers import selected_lines

CHAMPS = {
    "autres_engagements": ("Autres engagements",),
    "demande_cpo": (
        "Demandez-vous une CPO (oui / non)",
        "Demande de CPO",
        "CPO",
        "Demande de convention pluriannuelle",
    ),
    "duree_cpo_annees": ("Durée souhaitée (années)", "Durée de la CPO", "Durée"),
    "fait_a": ("Fait à",),
    "date": ("Le", "Date"),
    "signataire_nom": ("Nom et qualité du signataire", "Signataire", "Nom du signataire"),
}
ACTION_NAMES = {
    "intitule": ("Intitulé de l'action", "Intitulé", "Action", "Titre de l'action"),
    "description": ("Description", "Contenu de l'action", "Objectifs de l'action"),
    "public_vise": ("Public visé", "Public", "Publics visés", "Public cible"),
    "beneficiaires_prevus": (
        "Nombre de bénéficiaires prévus",
        "Bénéficiaires prévus",
        "Nombre de bénéficiaires",
        "Bénéficiaires",
    ),
    "periode": ("Période de réalisation", "Période", "Calendrier", "Dates"),
    "cofinancements": ("Cofinancements", "Financements", "Cofinanceurs", "Plan de financement"),
}
FURNITURE = {
    normalise(t)
    for t in (
        "Un indicateur par ligne.",
        "Cofinancements de l'action",
        "Une fiche par action ; copier un bloc d'action pour en ajouter une.",
    )
}
ACTION_FIELDS = ("intitule", "description", "public_vise", "beneficiaires_prevus", "periode")
_CHECKED = re.compile(r"^\s*(?:[☒☑✔✓■]|\[\s*[xX]\s*\])")


def extract_association(contenu: Contenu, ref: Referentiel) -> ReponsesAssociation:
    """Return the answers an association form holds, each with where it was read."""
    form = ref.association
    controls = controls_by_tag(contenu.controls)
    sections = {key: title for key, title in form.sections.items()}
    labels = {f.id: (f.libelle, *f.alias) for f in form.entete}
    anchors = find_anchors(contenu.units, sections, labels)
    by_field = {a.field: a for a in anchors}
    field_anchors = find_anchors(contenu.units, {}, CHAMPS)  # these labels stand after the sections

    def text_of(field: str, pool: list[Anchor], index: dict[str, Anchor]) -> list[Unit]:
        anchor = index.get(field)
        found = with_rest(contenu.units, pool, anchor) if anchor else []
        return [u for u in found if u.table is not None or normalise(u.text) not in FURNITURE]

    entete = {}
    for champ in form.entete:
        own = has_control(controls, champ.id)
        value = control_value(controls, champ.id) if own else label_value(text_of(champ.id, anchors, by_field))
        if value:
            entete[champ.id] = value
    champs = {}
    for key in CHAMPS:
        value = (
            control_value(controls, key)
            if has_control(controls, key)
            else label_value(text_of(key, field_anchors, {a.field: a for a in field_anchors}))
        )
        if value:
            champs[key] = value
    coches, quartiers_texte = quartiers_answer(contenu, controls, text_of("quartiers_intervention", anchors, by_field))
    objectifs = list_from_controls(contenu.units, "objectifs", _objective_columns(ref)) or _objectives_from_text(
        text_of("objectifs", anchors, by_field), ref
    )
    return ReponsesAssociation(
        entete=entete,
        quartiers_coches=coches,
        quartiers_texte=quartiers_texte,
        ambitions=tuple(
            _ticked(contenu, "ambition:") or _ambitions_in_text(text_of("ambitions", anchors, by_field), ref)
        ),
        objectifs=tuple(objectifs),
        actions=tuple(
            _actions_from_controls(contenu.controls) or _actions_from_text(text_of("actions", anchors, by_field))
        ),
        engagements=tuple(
            _ticked(contenu, "engagement:") or _engagements_in_text(text_of("engagements", anchors, by_field), ref)
        ),
        champs=champs,
        indicateurs=tuple(_indicateurs(contenu, text_of("indicateurs_suivi", anchors, by_field))),
    )


def _objective_columns(ref: Referentiel) -> dict[str, tuple[str, ...]]:
    return {c.id: (c.libelle, c.id) for c in ref.questionnaire.question("objectifs").colonnes}


def _objectives_from_text(units: list[Unit], ref: Referentiel) -> list[Ligne]:
    """An objectives table read by its columns, or objectives written as lines."""
    rows = splitting.table_rows(units)
    if rows:
        columns = {
            **_objective_columns(ref),
            "os": ("Objectif stratégique", "OS"),
            "oo": ("Objectif opérationnel", "OO"),
        }
        mapping, data = splitting.map_columns(rows, columns)
        return splitting.rows_to_lines(data, mapping)
    return splitting.objectifs(units, ambition_names(ref))


def _ticked(contenu: Contenu, prefix: str) -> list[Valeur]:
    return [
        Valeur(c.tag[len(prefix) :], Lieu("controle", f"case « {c.tag} »"))
        for c in contenu.controls
        if c.tag.lower().startswith(prefix) and c.checked
    ]


def _ambitions_in_text(units: list[Unit], ref: Referentiel) -> list[Valeur]:
    names = ambition_names(ref)
    found: dict[str, Valeur] = {}
    for unit in units:
        for line in selected_lines(unit.text):
            text = f" {normalise(line)} "
            for name, ambition_id in names.items():
                if len(name) > 5 and f" {name} " in text:
                    found.setdefault(ambition_id, Valeur(ambition_id, splitting.lieu(unit)))
    return list(found.values())


def _engagements_in_text(units: list[Unit], ref: Referentiel) -> list[Valeur]:
    """Standard commitments written as lines: ticked boxes, or plain lines when no box is used."""
    lines = [(line, unit) for unit in units for line in unit.text.splitlines() if line.strip()]
    boxes = any(line.lstrip()[:1] in "☐☒☑□■" or line.lstrip().startswith("[") for line, _ in lines)
    found = []
    for line, unit in lines:
        if boxes and not _CHECKED.match(line):
            continue
        text = _CHECKED.sub("", splitting.strip_bullet(line)).strip()
        best = max(ref.association.engagements_standards, key=lambda e: similarity(text, e.libelle))
        if similarity(text, best.libelle) >= 80:
            found.append(Valeur(best.id, splitting.lieu(unit)))
    return found


def _actions_from_controls(controls: tuple[Control, ...]) -> list[ActionBrute]:
    """Each control tagged "action" is one action; its rows tagged financeur/montant its cofinancements."""
    actions = []
    for number, block in enumerate((c for c in controls if c.tag == "action"), start=1):
        where = f"contrôle « action » n° {number}"
        champs: dict[str, Valeur] = {}
        for inner in content_controls(block.element):
            if inner.tag in ACTION_FIELDS and inner.tag not in champs and clean_spaces(inner.text):
                champs[inner.tag] = Valeur(clean_spaces(inner.text), Lieu("controle", f"{where} / « {inner.tag} »"))
        rows: list[Ligne] = []
        for r, tr in enumerate(block.element.iter(W_TR), start=1):
            cells = {sdt_tag(s): clean_spaces(paragraph_text(s)) for s in tr.iter(W_SDT)}
            if cells.get("financeur") or cells.get("montant"):
                rows.append(
                    {
                        k: Valeur(cells.get(k, ""), Lieu("controle", f"{where} / cofinancements, ligne {r}"))
                        for k in ("financeur", "montant")
                    }
                )
        if champs or rows:
            actions.append(ActionBrute(champs, tuple(rows)))
    return actions


def _actions_from_text(units: list[Unit]) -> list[ActionBrute]:
    """Actions retyped as labelled lines or label | value tables; a "Financeur | Montant" table
    after an action holds its cofinancements."""
    funding_tables = _funding_tables(units)
    items: list[dict[str, Valeur]] = []
    funding: dict[int, list[Ligne]] = {}
    pending: list[Unit] = []

    def flush() -> None:
        for item in splitting.labelled(pending, ACTION_NAMES) or []:
            items.append(item)
        pending.clear()

    seen_tables: set[int] = set()
    for unit in units:
        if unit.table in funding_tables:
            flush()
            if unit.table not in seen_tables and items:
                seen_tables.add(unit.table)
                funding.setdefault(len(items) - 1, []).extend(funding_tables[unit.table])
            continue
        pending.append(unit)
    flush()
    actions = []
    for n, item in enumerate(items):
        written = item.pop("cofinancements", None)
        rows = (_funding_lines(written) if written else []) + funding.get(n, [])
        actions.append(ActionBrute(dict(item), tuple(rows)))
    return actions


def _funding_tables(units: list[Unit]) -> dict[int, list[Ligne]]:
    """Tables whose header reads "Financeur | Montant": their rows, keyed by table number."""
    tables: dict[int, list[Ligne]] = {}
    for number in dict.fromkeys(u.table for u in units if u.table is not None):
        rows = splitting.table_rows([u for u in units if u.table == number])
        if rows and normalise(rows[0].get(1, ("", None))[0]).startswith("financeur"):
            tables[number] = [
                {
                    "financeur": Valeur(r.get(1, ("", None))[0], splitting.lieu(r[1][1])),
                    "montant": Valeur(r.get(2, ("", None))[0], splitting.lieu(r[1][1])),
                }
                for r in rows[1:]
                if 1 in r and r[1][0]
            ]
    return tables


def _funding_lines(value: Valeur) -> list[Ligne]:
    """ "CAF : 1 500 € ; Ville d'Arras : 2 000 €" → one row per funder."""
    rows = []
    for part in re.split(r"[;\n]", value.texte):
        head, _, amount = part.rpartition(":") if ":" in part else part.rpartition(" ")
        if head.strip():
            rows.append(
                {"financeur": Valeur(head.strip(" -–"), value.lieu), "montant": Valeur(amount.strip(), value.lieu)}
            )
    return rows


def _indicateurs(contenu: Contenu, units: list[Unit]) -> list[Valeur]:
    inside = [u for u in contenu.units if "indicateurs_suivi" in u.controls]
    source: list[Any] = inside or units
    return [Valeur(splitting.strip_bullet(line), splitting.lieu(unit)) for line, unit in splitting.lines_of(source)]
