"""An empty control of our own form stays empty: it never takes the heading or paragraph after it."""

from __future__ import annotations

import copy

from conftest import fill_form

from workflow.demo.remplir import fill_association_form
from workflow.demo.run import associations_exemples
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.export import export_data
from workflow.render.formulaire import association_form, questionnaire_form


def test_empty_association_controls_stay_empty(workspace, registry, tmp_path):
    answers = copy.deepcopy(associations_exemples()[0])
    answers.update(autres_engagements="", signataire_nom="")
    blank = association_form(workspace, answers["association_nom"], tmp_path / "vierge.docx")
    filled = fill_association_form(blank, answers, workspace.inbox / "fiche.docx")
    assert ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True)).statut == Statut.ENREGISTRE
    with registry.session() as session:
        fiche = export_data(session)["associations"][0]
    assert fiche["autres_engagements"] == "", "not the « Convention pluriannuelle d'objectifs (CPO) » heading"
    assert fiche["signataire_nom"] == "", "not the « Fiche générée le … » footer line"
    assert fiche["fait_a"] == "Arras"


def test_an_empty_header_control_of_the_questionnaire_stays_empty(workspace, registry, tmp_path):
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    filled = fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie MARCHAND"}, workspace.inbox / "q.docx")
    assert ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True)).statut == Statut.ENREGISTRE
    with registry.session() as session:
        q = export_data(session)["questionnaires"][0]
    assert (q["referent_nom"], q["referent_fonction"], q["referent_courriel"]) == ("Sophie MARCHAND", "", "")
