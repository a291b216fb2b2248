"""Recognise stage: decide which form a document is, with a score, from what was found in it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.answers import TypeFormulaire
from workflow.extract.alignment import questionnaire_anchors
from workflow.extract.anchors import QUESTION_TITLE, Anchor, find_anchors, label_anchors
from workflow.extract.association_text import evidence
from workflow.extract.common import ambition_names
from workflow.parsers.base import Contenu
from workflow.referentiel import Referentiel
from workflow.text import normalise

MIN_SCORE = 0.4
OWN_QUESTIONNAIRE, OWN_ASSOCIATION = "formulaire généré par le système", "fiche générée par le système"
QUESTIONNAIRE_OWN = {"interventions_structurantes", "agents_gouvernance"}  # asked of signatories only


@dataclass(frozen=True)
class Reconnaissance:
    type: TypeFormulaire | None
    score: float  # 0 to 1
    indices: str  # what was found, in French
    anchors: tuple[Anchor, ...] = ()  # the questions and labels found, handed on to extraction


def recognise(contenu: Contenu, ref: Referentiel) -> Reconnaissance:
    """Tell questionnaire from association form (or neither): our form marker, tags, wording.

    Both forms ask about quarters, objectives and commitments: what only one of them holds (an
    association's SIRET, RNA and legal representative; a signatory's structuring interventions
    and governance agents) decides between them."""
    if contenu.sujet.startswith(f"cdv:{ref.association.formulaire}:"):  # our form's marker decides alone
        return Reconnaissance(TypeFormulaire.ASSOCIATION, 1.0, OWN_ASSOCIATION)
    questionnaire = _questionnaire(contenu, ref)
    if questionnaire.indices == OWN_QUESTIONNAIRE:
        return questionnaire
    if _controls_of_questionnaire(contenu, ref) and questionnaire.score >= MIN_SCORE:
        return questionnaire  # our questionnaire's own controls: no association form carries them
    read = evidence(contenu.units, ref)  # the labels and sections told by their key words, read once
    association = _association(contenu, ref, read)
    signatory = len({a.field for a in questionnaire.anchors if a.is_question} & QUESTIONNAIRE_OWN)
    identity = max(_identity_labels(contenu, ref, read[0]), _identity_numbers(contenu))
    # a signatory never gives a SIRET, an RNA number and a legal representative: these decide
    if identity >= 2 and association.score >= MIN_SCORE:
        return association
    if signatory and not identity and questionnaire.score >= MIN_SCORE:
        return questionnaire
    best = max((questionnaire, association), key=lambda r: r.score)
    if best.score < MIN_SCORE:
        indices = f"questionnaire : {questionnaire.indices} ; fiche association : {association.indices}"
        return Reconnaissance(None, best.score, indices, questionnaire.anchors)
    return best


def _questionnaire(contenu: Contenu, ref: Referentiel) -> Reconnaissance:
    form = ref.questionnaire
    anchors = tuple(
        questionnaire_anchors(
            contenu.units,
            form.questions,
            {f.id: (f.libelle, *f.alias) for f in form.entete},
            frozenset(ambition_names(ref)),
        )
    )
    if contenu.sujet.startswith(f"cdv:{form.formulaire}:"):
        return Reconnaissance(TypeFormulaire.QUESTIONNAIRE, 1.0, OWN_QUESTIONNAIRE, anchors)
    field_ids = {f.id for f in form.entete} | {q.id for q in form.questions}
    tags = {c.tag.lower() for c in contenu.controls}
    tag_hits = len(field_ids & tags) + (1 if any(t.startswith("quartier:") for t in tags) else 0)
    questions = {a.field for a in anchors if a.is_question}
    labels = len({a.field for a in anchors if not a.is_question} - {QUESTION_TITLE})
    # the questions only a questionnaire asks weigh more than those an association form shares
    own = len(questions & QUESTIONNAIRE_OWN)
    evidence = (len(questions) + own) / (len(form.questions) + 2) + 0.05 * min(labels, 4) + _vocabulary(contenu, ref)
    score = max(tag_hits / len(field_ids), min(evidence, 1.0))
    indices = f"{len(questions)} question(s) sur {len(form.questions)}, {tag_hits} champ(s) balisé(s)"
    return Reconnaissance(TypeFormulaire.QUESTIONNAIRE, round(score, 2), indices, anchors)


def _controls_of_questionnaire(contenu: Contenu, ref: Referentiel) -> bool:
    """Whether the document carries the content controls of our questionnaire form (at least half of
    the fields only a questionnaire asks) and none of those only an association form has."""
    tags = {c.tag.lower() for c in contenu.controls}
    if not tags:
        return False
    questionnaire = {f.id for f in ref.questionnaire.entete} | {q.id for q in ref.questionnaire.questions}
    association = {f.id for f in ref.association.entete} | ASSOCIATION_TAGS
    own, theirs = questionnaire - association, association - questionnaire
    return 2 * len(tags & own) >= len(own) and not tags & theirs and not any(t.startswith("engagement:") for t in tags)


_OO_CODE = re.compile(r"\b[1-6]\s?[A-G]\b")


def _vocabulary(contenu: Contenu, ref: Referentiel) -> float:
    """Evidence only a real answer holds: the contract's objective codes, quarter names, its name."""
    text = " " + normalise(" ".join(u.text for u in contenu.units[:400])) + " "
    raw = " ".join(u.text for u in contenu.units[:400])
    quarters = any(
        f" {normalise(n)} " in text for q in ref.quartiers.quartiers for n in (q.nom, *q.alias) if len(n) > 3
    )
    contract = "coeur de quartier" in text or "contrat de ville" in text
    return 0.1 * bool(_OO_CODE.search(raw)) + 0.1 * quarters + 0.05 * contract


_IDENTITY_NUMBERS = (
    re.compile(r"\bSIRE[TN]\b|\b\d{3}\s?\d{3}\s?\d{3}\s?\d{5}\b"),
    re.compile(r"\bRNA\b|\bW\d{9}\b"),
    re.compile(r"\bloi (?:du 1er juillet )?1901\b|\bassociation d[ée]clar[ée]e\b", re.I),
)


def _identity_numbers(contenu: Contenu) -> int:
    """Count what only an association prints, labelled or not, page header and footer included: a
    SIRET, an RNA number, « association loi 1901 »."""
    text = " ".join(u.text for u in contenu.units[:400])
    return sum(bool(p.search(text)) for p in _IDENTITY_NUMBERS)


ASSOCIATION_IDENTITY = ("association_nom", "siret", "rna", "representant_legal_nom")
ASSOCIATION_TAGS = {"action", "actions", "cofinancements"}  # the controls of an association form's tables


def _identity_labels(contenu: Contenu, ref: Referentiel, read: int) -> int:
    """Count the association identity labels the document prints (SIRET, RNA, legal representative…);
    `read`: those told by their key words (« Nom – Dénomination », « Numéro Siret »)."""
    labels = {f.id: (f.libelle, *f.alias) for f in ref.association.entete if f.id in ASSOCIATION_IDENTITY}
    return max(read, len({a.field for a in label_anchors(contenu.units, labels)}))


def _association(contenu: Contenu, ref: Referentiel, read: tuple[int, int]) -> Reconnaissance:
    """Score the document as an association form; `read`: the identity labels and sections `evidence` found."""
    form = ref.association
    field_ids = {f.id for f in form.entete} | ASSOCIATION_TAGS
    tags = {c.tag.lower() for c in contenu.controls}
    tag_hits = len(field_ids & tags) + (1 if any(t.startswith("engagement:") for t in tags) else 0)
    anchors = find_anchors(contenu.units, dict(form.sections), {f.id: (f.libelle, *f.alias) for f in form.entete})
    found = {a.field for a in anchors}
    identity = len(found & set(ASSOCIATION_IDENTITY))
    sections = len(found & set(form.sections))
    read_identity, read_sections = read
    identity, sections = max(identity, read_identity, _identity_numbers(contenu)), max(sections, read_sections)
    score = max(tag_hits / len(field_ids), (identity + sections) / 8 + (_vocabulary(contenu, ref) if identity else 0))
    indices = f"{identity} champ(s) d'identification, {sections} rubrique(s), {tag_hits} champ(s) balisé(s)"
    return Reconnaissance(TypeFormulaire.ASSOCIATION, round(min(score, 1.0), 2), indices)
