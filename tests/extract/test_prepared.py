"""What stands between a form's reader and the answers is set aside first: a translation's column,
merge fields nobody filled, last campaign's answer recalled, a discussion's stamps, a web page's
closed sections, the contents listing the questions, a workshop's notes not kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from workflow.extract.chat_export import without_chat_stamps
from workflow.extract.contents import without_contents
from workflow.extract.placeholders import without_placeholders
from workflow.extract.sticky_notes import kept_notes
from workflow.extract.translation import without_translation
from workflow.extract.web_page import without_closed_sections
from workflow.intake.document import analyse_here
from workflow.parsers.base import Contenu, Unit
from workflow.parsers.sniff import sniff
from workflow.referentiel import load_referentiel

REF = load_referentiel(Path(__file__).resolve().parents[2] / "registry" / "referentiel")
FRENCH = "Nom de l'association : Accueil et Langues des Cévennes, pour les habitants du quartier et de la ville"
ENGLISH = "Name of the organisation: Accueil et Langues, for the residents of the neighbourhood and the town"


def _cell(text: str, row: int, col: int) -> Unit:
    return Unit(text, f"tableau 1, ligne {row}, colonne {col}", table=1, row=row, col=col)


def test_a_bilingual_table_keeps_its_french_column_only():
    units = tuple(u for r in range(1, 5) for u in (_cell(FRENCH, r, 1), _cell(ENGLISH, r, 2)))
    assert {u.col for u in without_translation(Contenu(units)).units} == {1}
    alone = Contenu(tuple(_cell(ENGLISH, r, 1) for r in range(1, 5)))
    assert without_translation(alone) == alone  # an English table beside no French one is not a translation


def test_merge_fields_left_unfilled_are_nothing_and_french_quotes_stay():
    units = (
        Unit("Téléphone : «Referent_Telephone»", "p1"),
        Unit("Nom : «Agent_CTP_Nom» Élodie WATTEBLED", "p2"),
        Unit("Campagne : «Campagne»", "p3"),
        Unit("Arras, le «Date_Envoi»", "p5"),
        Unit("Opération « Rénovons nos HLM » et « Proch'emploi »", "p4"),
    )
    assert [u.text for u in without_placeholders(Contenu(units)).units] == [
        "Téléphone :",
        "Nom :  Élodie WATTEBLED",
        "Campagne :",
        "Arras, le",
        "Opération « Rénovons nos HLM » et « Proch'emploi »",
    ]


def test_a_merged_questionnaire_reads_what_was_typed_and_never_last_year_s_answer(tmp_path):
    document = docx.Document()
    for line in [
        "Affaire suivie par : Claire DUFLOS, chargée de mission – 03 21 21 87 12",
        "Organisme : Ville de Saint-Laurent-Blangy",
        "Nom du référent de la fiche : «Referent_Nom» Élodie WATTEBLED",
        "Téléphone : «Referent_Telephone»",
        "1. Quelles sont vos interventions les plus structurantes ?",
        "Rappel de votre réponse 2024 : Programme de réussite éducative : parcours en 2024.",
        "Votre réponse 2027 :",
        "Maison de quartier Chanteclair : accueil et accès aux droits.",
        "2. Quels quartiers du territoire sont visés par vos engagements ?",
        "Rappel de votre réponse 2024 : «Reponse_2024_Q2»",
        "Chanteclair - Cévennes.",
        "3. Quels agents mobiliserez-vous dans les instances de gouvernance ?",
        "«Agent_MOUS_Nom»",
        "4. Quels engagements prévoyez-vous sur la période 2024-2030 ?",
        "Maintien de la maison de quartier.",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "publipostage.docx"
    document.save(str(path))
    q = analyse_here(path, sniff(path), REF, dt.datetime(2027, 3, 1, tzinfo=dt.UTC)).formulaire
    assert q.referent_nom == "Élodie WATTEBLED" and q.referent_telephone == ""
    assert [i.intitule for i in q.interventions] == ["Maison de quartier Chanteclair"]
    assert q.quartiers == ("chanteclair-cevennes",) and q.agents == ()


CHAT = [
    "Voici l'export de la discussion du groupe, collé tel quel.",
    "12/03/2025 18:02 - Les messages et les appels sont chiffrés de bout en bout.",
    "12/03/2025 18:02 - Claire DUFLOS CUA a créé le groupe « Dossier CdQ 2025 »",
    "12/03/2025 18:05 - Claire DUFLOS CUA: 1) Nom exact de l'association ?",
    "12/03/2025 18:41 - Samira HADJ: Femmes Relais des Blancs Monts",
    "12/03/2025 19:03 - Claire DUFLOS CUA: Noté. 2) Adresse du siège ?",
    "[12/03/2025 19:10:04] Samira HADJ : 3 allée des Hochettes, 62000 Arras",
    "13/03/2025 09:46 - Claire DUFLOS CUA: <Médias omis>",
    "13/03/2025 11:34 - Samira HADJ: Ce message a été supprimé",
    "14/03/2025 09:20 - Samira HADJ: - nombre de femmes accueillies",
    "- nombre de démarches abouties",
]


def test_a_pasted_discussion_keeps_its_messages_without_their_stamps_and_drops_the_app_s_notices():
    units = tuple(Unit(text, f"paragraphe {n}") for n, text in enumerate(CHAT, start=1))
    assert [u.text for u in without_chat_stamps(Contenu(units)).units] == [
        "Voici l'export de la discussion du groupe, collé tel quel.",
        "1) Nom exact de l'association ?",
        "Femmes Relais des Blancs Monts",
        "Noté.",
        "2) Adresse du siège ?",
        "3 allée des Hochettes, 62000 Arras",
        "- nombre de femmes accueillies",
        "- nombre de démarches abouties",
    ]
    letter = Contenu((*units[:1], Unit("Arras, le 12/03/2025 18:02 - rendez-vous : salle 2", "p")))
    assert without_chat_stamps(letter) == letter  # a stamped line or two is no discussion


def test_a_web_page_s_closed_sections_give_nothing_and_open_ones_lose_their_sign():
    units = tuple(Unit(t, "p") for t in ("[–] Nos interventions", "Prévention : équipes de rue.", "[+] Archives 2024"))
    assert [u.text for u in without_closed_sections(Contenu(units)).units] == [
        "Nos interventions",
        "Prévention : équipes de rue.",
    ]
    alone = Contenu((Unit("[+] Ajout : un atelier", "p"), Unit("Suite", "p")))
    assert without_closed_sections(alone) == alone  # one bracketed sign is an amendment's, no accordion


def test_the_contents_listing_the_questions_asked_further_on_are_set_aside():
    questions = ["Q1. Qui est votre référent ?", "Q2. Quelles sont vos interventions ?", "Q3. Quels quartiers ?"]
    units = tuple(Unit(t, "p") for t in ["Sommaire", *questions, "", *questions, "Objectifs", "Objectifs"])
    kept = ["Sommaire", "", *questions, "Objectifs", "Objectifs"]  # « Objectifs » twice: too short to be contents
    assert [u.text for u in without_contents(Contenu(units)).units] == kept


def test_a_workshop_s_sticky_notes_keep_those_retained_and_drop_ideas_and_remarks():
    notes = [
        ("Nom : La Ruche des Quatre As", "✓ retenu (CA du 13/02)"),
        ("Sigle : LRQA", "✓ retenu (CA du 13/02)"),
        ("On met le numéro du local jeunes ? 03 21 55 60 71", "idée d'habitant"),
        ("Présidente : Josiane CARON", "✓ retenu (CA du 13/02)"),
        ("Attention : le SIRET du siège !", "remarque bénévole / salarié"),
        ("Et Chanteclair ?", "idée d'habitant"),
        ("Prévoir une photo du panneau", "remarque bénévole / salarié"),
    ]
    units = tuple(
        Unit(text, f"tableau 1, ligne {n}", table=1, row=n, col=1)
        for n, note in enumerate(notes, start=1)
        for text in note
    )
    assert [(u.text, u.table) for u in kept_notes(Contenu(units)).units] == [
        ("Nom : La Ruche des Quatre As", None),
        ("Sigle : LRQA", None),
        ("Présidente : Josiane CARON", None),
    ]
    table = Contenu(tuple(Unit(t, "c", table=1, row=r, col=1) for r, t in enumerate(["Nom", "Sigle", "SIRET"], 1)))
    assert kept_notes(table) == table  # cells of one line each: no notes signed with their status
