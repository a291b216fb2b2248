"""Extraction helpers shared by both forms: controls by tag, labelled values, list tables,
quarters and ambitions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from workflow.answers import Certitude, Lieu, Ligne, Valeur
from workflow.extract import splitting
from workflow.extract.anchors import Anchor, segment
from workflow.ooxml.controls import Control
from workflow.parsers.base import Contenu, Unit
from workflow.referentiel import Referentiel
from workflow.text import clean_spaces, normalise

QUARTIER_PREFIX = "quartier:"
TEXT_KINDS = ("texte", "bloc", "liste", "date", "champ-texte", "champ-liste")


def controls_by_tag(controls: tuple[Control, ...]) -> dict[str, Control]:
    found: dict[str, Control] = {}
    for control in controls:
        found.setdefault(control.tag.strip().lower(), control)
    return found


def control_value(controls: dict[str, Control], tag: str) -> Valeur | None:
    control = controls.get(tag)
    if control is None or control.kind not in TEXT_KINDS or not clean_spaces(control.text):
        return None
    methode = "champ" if control.kind.startswith("champ") else "controle"
    return Valeur(clean_spaces(control.text), Lieu(methode, f"contrôle « {control.tag} »"))


def has_control(controls: dict[str, Control], tag: str) -> bool:
    """Whether the form carries this field as a text control: then the control decides alone, and an
    empty control stays empty instead of taking the paragraph after it."""
    control = controls.get(tag)
    return control is not None and control.kind in TEXT_KINDS


def label_value(units: list[Unit]) -> Valeur | None:
    """The value a label gives (« Organisme : CAF », a label | value cell): read structured."""
    text = clean_spaces("\n".join(u.text for u in units))
    if not text:
        return None
    where = splitting.lieu(units[0])
    return Valeur(text, Lieu(where.methode, where.detail, Certitude.STRUCTUREE))


def with_rest(units: tuple[Unit, ...], anchors: list[Anchor], anchor: Anchor) -> list[Unit]:
    """Return an anchor's answer units, the text after the question on its line first."""
    found = segment(units, anchors, anchor)
    if anchor.rest:
        here = units[anchor.index]
        found.insert(0, Unit(anchor.rest, here.where, here.style, here.is_list, here.table, here.row, here.col))
    return found


def list_from_controls(units: tuple[Unit, ...], field: str, columns: dict[str, tuple[str, ...]]) -> list[Ligne]:
    """Read the repeating rows of the table wrapped in the control tagged `field`."""
    inside = [u for u in units if field in u.controls and u.table is not None]
    rows = splitting.table_rows(inside) if inside else None
    if not rows:
        return []
    by_tag: dict[int, str] = {}
    for row in rows:
        for col, (_, unit) in row.items():
            tag = next((t for t in unit.controls if t in columns), None)
            if tag:
                by_tag.setdefault(col, tag)
    mapping, data = splitting.map_columns(rows, columns)
    mapping.update(by_tag)
    items = splitting.rows_to_lines(data, mapping)
    return [
        {
            k: Valeur(v.texte, Lieu("controle", f"{v.lieu.detail}, contrôle « {field} » / « {k} »"))
            for k, v in item.items()
        }
        for item in items
    ]


def ambition_names(ref: Referentiel) -> dict[str, str]:
    names = {}
    for ambition in ref.ambitions:
        for name in (ambition.libelle, ambition.id, *ambition.alias):
            names[normalise(name)] = ambition.id
    return names


def quartiers_answer(
    contenu: Contenu, controls: dict[str, Control], units: list[Unit]
) -> tuple[tuple[Valeur, ...], tuple[Valeur, ...]]:
    boxes = [c for c in contenu.controls if c.tag.lower().startswith(QUARTIER_PREFIX)]
    ticked = tuple(
        Valeur(c.tag[len(QUARTIER_PREFIX) :].strip(), Lieu("controle", f"case « {c.tag} »")) for c in boxes if c.checked
    )
    precisions = control_value(controls, "quartiers_precisions")
    if boxes:
        return ticked, (precisions,) if precisions else ()
    chosen = splitting.without_declined_rows(splitting.ticked_rows(units))
    legend = abbreviations(contenu.units)
    texts = [Valeur(spelt_out(u.text, legend), splitting.lieu(u)) for u in chosen if u.text.strip()]
    return (), tuple(texts)


# « BSPB = Bonnettes - St Pol - Baudimont ; CC = Chanteclair - Cévennes »: a legend the document gives
_DEFINED = re.compile(r"(?:^|[:;]\s*)(?P<short>[A-Z][A-Z0-9]{1,5})\s*=\s*(?P<long>[^;=\n]+?)\s*(?=;|\.?\s*$)")


def abbreviations(units: Iterable[Unit]) -> dict[str, str]:
    """The abbreviations a document defines in a legend line, with what they stand for."""
    return {m.group("short"): m.group("long") for u in units for m in _DEFINED.finditer(u.text)}


def spelt_out(text: str, legend: dict[str, str]) -> str:
    """`text` with each abbreviation of `legend` written out (« Tous QPV sauf CC »)."""
    if not legend:
        return text
    return re.sub(r"\b[A-Z][A-Z0-9]{1,5}\b", lambda m: legend.get(m.group(0), m.group(0)), text)
