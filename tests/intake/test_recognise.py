"""The recognise stage tells a questionnaire from an association form, or neither, with a score."""

from __future__ import annotations

import pytest

from workflow.answers import TypeFormulaire
from workflow.intake.recognise import MIN_SCORE, recognise
from workflow.ooxml.controls import Control
from workflow.parsers.base import Contenu, Unit
from workflow.referentiel import load_referentiel
from workflow.workspace import default_sources

REF = load_referentiel(default_sources()[1])
QUESTIONS = [q.texte for q in REF.questionnaire.questions]


def _contenu(*lines: str, controls: tuple[Control, ...] = (), sujet: str = "") -> Contenu:
    return Contenu(tuple(Unit(line, f"paragraphe {i}") for i, line in enumerate(lines, 1)), controls, sujet)


def test_a_document_with_the_five_questions_is_a_questionnaire():
    found = recognise(_contenu("Organisme : CAF", *[f"{q}\nRéponse." for q in QUESTIONS]), REF)
    assert (found.type, found.score) == (TypeFormulaire.QUESTIONNAIRE, 1.0)
    assert found.indices == "5 question(s) sur 5, 0 champ(s) balisé(s)"
    assert {a.field for a in found.anchors if a.is_question} == {q.id for q in REF.questionnaire.questions}


def test_two_questions_answered_in_a_letter_clear_the_threshold():
    letter = _contenu("Madame, Monsieur,", QUESTIONS[1], "Les 4 As.", QUESTIONS[4], "2A, 2B.")
    found = recognise(letter, REF)
    # two questions of five, plus what only a real answer holds: a quarter's name and objective codes
    assert (found.type, found.score) == (TypeFormulaire.QUESTIONNAIRE, 0.49) and found.score >= MIN_SCORE


def test_a_form_we_generated_is_known_by_its_subject():
    found = recognise(_contenu("texte quelconque", sujet="cdv:questionnaire:v1"), REF)
    assert (found.type, found.score, found.indices) == (
        TypeFormulaire.QUESTIONNAIRE,
        1.0,
        "formulaire généré par le système",
    )
    assert recognise(_contenu(sujet="cdv:association:v1"), REF).type == TypeFormulaire.ASSOCIATION


def test_tagged_controls_count_as_evidence():
    tags = ["organisme", "campagne", "referent_nom", "quartiers_vises", "objectifs", "quartier:quatre-as"]
    controls = tuple(Control(tag, "texte", "", None, None) for tag in tags)
    found = recognise(_contenu(controls=controls), REF)
    assert found.type == TypeFormulaire.QUESTIONNAIRE and found.indices.endswith("6 champ(s) balisé(s)")


def test_an_association_form_retyped_is_an_association_form():
    fiche = _contenu(
        "Nom de l'association : Les Petits Débrouillards",
        "N° SIRET : 732 829 320 00074",
        "N° RNA : W623001234",
        "Représentant légal : Marie DUPONT",
        "Quartiers d'intervention",
        "Les 4 As",
        "Actions",
        "Signature",
    )
    found = recognise(fiche, REF)
    assert found.type == TypeFormulaire.ASSOCIATION and found.score >= 0.88  # the contract's vocabulary adds to it
    assert found.indices == "4 champ(s) d'identification, 3 rubrique(s), 0 champ(s) balisé(s)"


@pytest.mark.parametrize(
    "lines",
    [
        ("Objet : invitation à la fête de quartier", "Nous avons le plaisir de vous convier à notre fête annuelle."),
        ("Quels quartiers du territoire sont visés par vos engagements ?", "Les 4 As"),  # one question is not enough
        (),
    ],
    ids=["lettre", "une-question", "vide"],
)
def test_a_document_that_is_neither_says_what_was_found(lines):
    found = recognise(_contenu(*lines), REF)
    assert found.type is None and found.score < MIN_SCORE
    assert found.indices.startswith("questionnaire : ") and " ; fiche association : " in found.indices
