"""Questions and labels are found however a partner retyped them."""

from __future__ import annotations

import pytest

from workflow.extract.anchors import is_void, match_label, match_question
from workflow.parsers.base import Unit
from workflow.referentiel import load_referentiel
from workflow.workspace import default_sources

REF = load_referentiel(default_sources()[1])
QUESTIONS = {q.id: q.texte for q in REF.questionnaire.questions}
LABELS = {f.id: (f.libelle, *f.alias) for f in REF.questionnaire.entete}


@pytest.mark.parametrize(
    "written, field",
    [
        ("Adresse mail du référent : a@b.fr", "referent_courriel"),
        ("Nom du/de la référent·e : Jean", "referent_nom"),
        ("Tél. du référent : 03 21 00 00 00", "referent_telephone"),
        ("Téléphone portable : 06 00 00 00 00", "referent_telephone"),
        ("Organisme signataire : CAF", "organisme"),
        ("Nom de la structure : CAF", "organisme"),
        ("Fonction : Directrice", "referent_fonction"),
        ("ANNÉE : 2026", "campagne"),
    ],
)
def test_labels_written_otherwise_find_their_field(written, field):
    assert match_label(Unit(written, "p"), LABELS)[0] == field


def test_a_sentence_with_a_colon_is_no_label():
    assert match_label(Unit("Nos engagements pour 2030 : poursuivre", "p"), LABELS) is None


@pytest.mark.parametrize(
    "written, field",
    [
        (
            "3) QUELS AGENTS MOBILISEREZ-VOUS DANS LES INSTANCES DE GOUVERNANCE DE « CŒUR DE QUARTIER » ?",
            "agents_gouvernance",
        ),
        ("Q2 - Quels quartiers du territoire sont visés par vos engagements\u00a0?", "quartiers_vises"),
        (
            "Question 5 : Quels objectifs stratégiques et opérationnels se rattachent à vos engagements ? Voir annexe",
            "objectifs",
        ),
        (
            "1. Parmi les interventions que vous déployez dans les QPV de la CUA, "
            "lesquelles sont les plus structurantes ?",
            "interventions_structurantes",
        ),
        (
            "Quelles interventions, quels engagements prévoyez-vous pour “Cœur de Quartier” sur la période 2024-2030 ?",
            "engagements_2024_2030",
        ),
    ],
)
def test_questions_retyped_are_found(written, field):
    found = match_question(Unit(written, "p"), QUESTIONS)
    assert found is not None and found[0] == field


def test_an_answer_that_repeats_words_of_a_question_is_no_question():
    answer = Unit("Nos agents interviennent dans les quartiers du territoire.", "p")
    assert match_question(answer, QUESTIONS) is None


def test_a_partner_s_ways_of_saying_nothing_are_void_and_a_sentence_is_not():
    said = ["Néant.", "Néant pour cette campagne.", "Sans objet", "Votre réponse", "—", "N/A"]
    assert all(is_void(t) for t in said)
    assert not any(is_void(t) for t in ["Néant pour cette campagne, mais en 2027 : une permanence.", "Aucune idée"])
