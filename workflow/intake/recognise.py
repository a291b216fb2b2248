"""Recognise stage: decide which form a document is, with a score, from what was found in it."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.answers import TypeFormulaire
from workflow.extract.anchors import Anchor, find_anchors
from workflow.parsers.base import Contenu
from workflow.referentiel import Referentiel

MIN_SCORE = 0.4


@dataclass(frozen=True)
class Reconnaissance:
    type: TypeFormulaire | None
    score: float  # 0 to 1
    indices: str  # what was found, in French
    anchors: tuple[Anchor, ...] = ()  # the questions and labels found, handed on to extraction


def recognise(contenu: Contenu, ref: Referentiel) -> Reconnaissance:
    """Tell questionnaire from association form (or neither): our form marker, tags, wording."""
    questionnaire = _questionnaire(contenu, ref)
    association = _association(contenu, ref)
    best = max((questionnaire, association), key=lambda r: r.score)
    if best.score < MIN_SCORE:
        indices = f"questionnaire : {questionnaire.indices} ; fiche association : {association.indices}"
        return Reconnaissance(None, best.score, indices, questionnaire.anchors)
    return best


def _questionnaire(contenu: Contenu, ref: Referentiel) -> Reconnaissance:
    form = ref.questionnaire
    anchors = tuple(
        find_anchors(
            contenu.units, {q.id: q.texte for q in form.questions}, {f.id: (f.libelle, *f.alias) for f in form.entete}
        )
    )
    if contenu.sujet.startswith(f"cdv:{form.formulaire}:"):
        return Reconnaissance(TypeFormulaire.QUESTIONNAIRE, 1.0, "formulaire généré par le système", anchors)
    field_ids = {f.id for f in form.entete} | {q.id for q in form.questions}
    tags = {c.tag.lower() for c in contenu.controls}
    tag_hits = len(field_ids & tags) + (1 if any(t.startswith("quartier:") for t in tags) else 0)
    questions = len({a.field for a in anchors if a.is_question})
    score = max(tag_hits / len(field_ids), questions / len(form.questions))
    indices = f"{questions} question(s) sur {len(form.questions)}, {tag_hits} champ(s) balisé(s)"
    return Reconnaissance(TypeFormulaire.QUESTIONNAIRE, round(score, 2), indices, anchors)


def _association(contenu: Contenu, ref: Referentiel) -> Reconnaissance:
    form = ref.association
    if contenu.sujet.startswith(f"cdv:{form.formulaire}:"):
        return Reconnaissance(TypeFormulaire.ASSOCIATION, 1.0, "fiche générée par le système")
    field_ids = {f.id for f in form.entete} | {"action", "actions", "cofinancements"}
    tags = {c.tag.lower() for c in contenu.controls}
    tag_hits = len(field_ids & tags) + (1 if any(t.startswith("engagement:") for t in tags) else 0)
    anchors = find_anchors(contenu.units, dict(form.sections), {f.id: (f.libelle, *f.alias) for f in form.entete})
    found = {a.field for a in anchors}
    identity = len(found & {"association_nom", "siret", "rna", "representant_legal_nom"})
    sections = len(found & set(form.sections))
    score = max(tag_hits / len(field_ids), (identity + sections) / 8)
    indices = f"{identity} champ(s) d'identification, {sections} rubrique(s), {tag_hits} champ(s) balisé(s)"
    return Reconnaissance(TypeFormulaire.ASSOCIATION, round(min(score, 1.0), 2), indices)
