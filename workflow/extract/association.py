"""Extract an association form: its content controls first, then its text read whatever the layout
(association_text) for whatever an association retyped in its own layout."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.answers import ActionBrute, Lieu, Ligne, ReponsesAssociation, Valeur
from workflow.extract import association_sections as sections
from workflow.extract import splitting
from workflow.extract.anchors import is_void
from workflow.extract.association_prose import read_prose
from workflow.extract.association_text import read_text
from workflow.extract.association_unlabelled import unlabelled_identity
from workflow.extract.common import control_value, controls_by_tag, has_control, list_from_controls, quartiers_answer
from workflow.ooxml.blocks import paragraph_text, sdt_tag
from workflow.ooxml.controls import Control, content_controls
from workflow.ooxml.ns import W_SDT, W_TR
from workflow.parsers.base import Contenu
from workflow.referentiel import Referentiel
from workflow.text import clean_spaces, normalise

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
ACTION_FIELDS = ("intitule", "description", "public_vise", "beneficiaires_prevus", "periode")


def extract_association(contenu: Contenu, ref: Referentiel) -> ReponsesAssociation:
    """Return the answers an association form holds, each with where it was read: our form's
    controls decide the fields they carry; the text gives the others, whatever its layout."""
    controls = controls_by_tag(contenu.controls)
    text = read_text(contenu.units, ref)
    entete = _scalars(controls, [c.id for c in ref.association.entete], text.entete)
    entete |= unlabelled_identity(contenu.units, entete) if not contenu.controls else {}
    if (name := entete.get("association_nom")) and _names_a_signatory(name.texte, ref):
        del entete["association_nom"]  # « Communauté Urbaine d'Arras – contrat de ville » in the form's page header
    entete |= {  # « La personne à appeler pour ce dossier s'appelle Amandine LEROUX. »
        k: Valeur(called.group("name"), entete[k].lieu)
        for k in PERSON_FIELDS
        if k in entete and (called := _CALLED.search(entete[k].texte))
    }
    unnamed = [
        ("", entete.pop(k)) for k in PERSON_FIELDS if k in entete and not splitting.names_someone(entete[k].texte)
    ]
    content = text.content
    read_champs = {**sections.cpo(content.get("cpo", [])), **text.champs}
    prose_actions: list[ActionBrute] = []
    if not contenu.controls:  # what a letter's sentences state, for what the form's layout did not give
        prose = read_prose(contenu.units, ref)
        entete |= {k: v for k, v in prose.entete.items() if k not in entete}
        read_champs |= {k: v for k, v in prose.champs.items() if k not in read_champs}
        content = {**prose.content, **content}
        prose_actions = prose.actions
    champs = _scalars(controls, list(CHAMPS), read_champs)
    unread: list[Valeur] = []
    objectifs = list_from_controls(contenu.units, "objectifs", _objective_columns(ref)) or sections.objectifs(
        content.get("objectifs", []), text.tables.get("objectifs", []), ref, unread
    )
    if _has_boxes(contenu, "engagement:"):
        engagements = _ticked(contenu, "engagement:")
    else:
        engagements, unmatched = sections.engagements(
            content.get("engagements", []), text.tables.get("engagements", []), ref
        )
        other = next(((v, m) for v in unmatched if (m := _OTHER_COMMITMENT.match(v.texte))), None)
        if other is not None and "autres_engagements" not in champs:  # « ☑ Autre : … », « Et aussi : … »
            champs["autres_engagements"] = Valeur(other[1]["said"].strip(" ."), other[0].lieu)
            unmatched = [v for v in unmatched if v is not other[0]]
        unread += unmatched
    coches, quartiers_texte = quartiers_answer(contenu, controls, [])
    if not _has_boxes(contenu, "quartier:"):
        quartiers_texte = tuple(sections.quartiers(content.get("quartiers_intervention", [])))
    reponses = ReponsesAssociation(
        entete=entete,
        quartiers_coches=coches,
        quartiers_texte=quartiers_texte,
        ambitions=tuple(
            _ticked(contenu, "ambition:")
            if _has_boxes(contenu, "ambition:")
            else sections.ambitions(content.get("ambitions", []), ref)
        ),
        objectifs=tuple(objectifs),
        actions=tuple(_actions_from_controls(contenu.controls) or text.actions or prose_actions),
        engagements=tuple(engagements),
        champs=champs,
        indicateurs=tuple(_indicateurs(contenu) or sections.indicateurs(content.get("indicateurs_suivi", []))),
        non_classe=tuple(text.unplaced) + tuple(unnamed) + tuple(("", v) for v in unread),
    )
    return replace(reponses, sections_vides=_empty_sections(reponses, text.anchored))


def _scalars(controls: dict[str, Control], keys: list[str], read: dict[str, Valeur]) -> dict[str, Valeur]:
    """Each field from its control when our form carries one (an empty control stays empty), else from the text."""
    found = {}
    for key in keys:
        value = control_value(controls, key) if has_control(controls, key) else read.get(key)
        if value is not None and value.texte.strip() and not is_void(value.texte):  # « : …………. » left blank
            found[key] = value
    return found


_OTHER_COMMITMENT = re.compile(r"^\s*[☒☑✔✓■xX]?\s*(?:autres?(?: engagements?)?|et aussi)\s*:\s*(?P<said>\S.*)$", re.I)
PERSON_FIELDS = ("referent_nom", "representant_legal_nom")
_CALLED = re.compile(r"\bs['’]appell(?:e|ent)\s+(?P<name>[^.,;]+?)\s*[.,;]?\s*$", re.I)


def _names_a_signatory(name: str, ref: Referentiel) -> bool:
    """Whether a name read as the association's is one of the contract's signatories (the form's owner)."""
    return any(normalise(name) == normalise(n) for s in ref.signataires.signataires for n in (s.nom, *s.alias))


def _has_boxes(contenu: Contenu, prefix: str) -> bool:
    return any(c.tag.lower().startswith(prefix) for c in contenu.controls)


_SECTION_VALUES = {
    "quartiers_intervention": lambda r: r.quartiers_coches or r.quartiers_texte,
    "ambitions": lambda r: r.ambitions,
    "objectifs": lambda r: r.objectifs,
    "actions": lambda r: r.actions,
    "engagements": lambda r: r.engagements or r.champs.get("autres_engagements"),
    "indicateurs_suivi": lambda r: r.indicateurs,
}  # « Autres engagements » is optional: left empty, it is no missing answer


def _empty_sections(reponses: ReponsesAssociation, anchored: set[str]) -> tuple[str, ...]:
    """The sections whose title was found with nothing read under it."""
    return tuple(s for s, read in _SECTION_VALUES.items() if s in anchored and not read(reponses))


def _objective_columns(ref: Referentiel) -> dict[str, tuple[str, ...]]:
    return {c.id: (c.libelle, c.id) for c in ref.questionnaire.question("objectifs").colonnes}


def _ticked(contenu: Contenu, prefix: str) -> list[Valeur]:
    return [
        Valeur(c.tag[len(prefix) :], Lieu("controle", f"case « {c.tag} »"))
        for c in contenu.controls
        if c.tag.lower().startswith(prefix) and c.checked
    ]


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


def _indicateurs(contenu: Contenu) -> list[Valeur]:
    inside = [u for u in contenu.units if "indicateurs_suivi" in u.controls]
    return [Valeur(splitting.strip_bullet(line), splitting.lieu(unit)) for line, unit in splitting.lines_of(inside)]
