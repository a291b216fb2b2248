"""A blank form sent by mistake is quarantined « formulaire vierge » and never replaces real answers."""

from __future__ import annotations

from conftest import fill_form

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.export import export_data
from workflow.render.formulaire import association_form, questionnaire_form


def test_a_blank_questionnaire_does_not_become_the_current_version(workspace, registry, tmp_path):
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    answered = fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie MARCHAND"}, workspace.inbox / "r.docx")
    assert ingest(workspace, registry, Arrivee(answered, Source.DOSSIER, deplacer=True)).statut == Statut.ENREGISTRE
    sent_back = workspace.inbox / "vierge_renvoye.docx"
    sent_back.write_bytes(blank.read_bytes())
    result = ingest(workspace, registry, Arrivee(sent_back, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.QUARANTAINE and "formulaire vierge" in result.motif
    assert (workspace.quarantine / "vierge_renvoye.docx").exists()
    with registry.session() as session:
        current = export_data(session)["questionnaires"]
    assert [(q["referent_nom"], q["version"]) for q in current] == [("Sophie MARCHAND", 1)]


def test_a_blank_association_form_is_quarantined(workspace, registry, tmp_path):
    blank = association_form(workspace, "Jardins partagés", workspace.inbox / "fiche.docx")
    result = ingest(workspace, registry, Arrivee(blank, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.QUARANTAINE and "formulaire vierge" in result.motif
