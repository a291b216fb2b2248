"""A blank form replaces nothing and a poorer version is not current until a person decides, on the
demo's real answers (BGE Hauts-de-France, retyped word for word from the contract)."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from support import validate_all

from workflow.demo.remplir import fill_questionnaire_form
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.export import export_data
from workflow.registry.models import QuestionnaireVersion
from workflow.render.formulaire import questionnaire_form
from workflow.review import actions, users
from workflow.review.dossier import load

DEMO = Path(__file__).resolve().parents[2] / "workflow" / "demo" / "reponses.yaml"
BGE = next(a for a in yaml.safe_load(DEMO.read_text(encoding="utf-8")) if a["organisme"] == "BGE Hauts-de-France")


def _send(workspace, registry, tmp_path, name: str, answers: dict):
    blank = questionnaire_form(workspace, BGE["organisme"], BGE["campagne"], tmp_path / f"v_{name}.docx")
    filled = fill_questionnaire_form(blank, answers, workspace.inbox / f"{name}.docx")
    return ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))


def _current(registry) -> list[tuple[int, bool, int]]:
    with registry.session() as session:
        rows = session.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.version)).all()
        return [(v.version, v.courant, len(v.interventions)) for v in rows]


def test_a_blank_form_is_quarantined_and_replaces_nothing(workspace, registry, tmp_path):
    assert _send(workspace, registry, tmp_path, "reponse", BGE).statut == Statut.ENREGISTRE
    blank = questionnaire_form(workspace, BGE["organisme"], BGE["campagne"], workspace.inbox / "b.docx")
    result = ingest(workspace, registry, Arrivee(blank, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.QUARANTAINE and "formulaire vierge" in result.motif
    assert _current(registry) == [(1, True, 2)]


def test_a_poorer_version_waits_for_a_person_then_replaces_the_one_in_force(workspace, registry, tmp_path):
    assert _send(workspace, registry, tmp_path, "reponse", BGE).statut == Statut.ENREGISTRE
    validate_all(registry)
    poorer = {k: BGE[k] for k in ("organisme", "campagne", "referent_nom")}
    result = _send(workspace, registry, tmp_path, "partielle", poorer)
    assert result.statut == Statut.ENREGISTRE, result
    assert _current(registry) == [(1, True, 2), (2, False, 0)]
    with registry.session() as session:
        current = export_data(session)["questionnaires"]
        assert [q["version"] for q in current] == [1]  # the documents keep the full answers
        dossier = load(session, result.soumission_id)
        flagged = [a for a in dossier.version.alertes if a.code == "version_appauvrie"]
        assert len(flagged) == 1 and "ne reprend que 1 réponse sur les" in flagged[0].message
    with registry.session() as session:
        users.add(session, "chargee.mission", "Chargée de mission", users.Role.EQUIPE)
        dossier = load(session, result.soumission_id)
        actions.accept(session, dossier, "version_appauvrie", "le partenaire confirme", "chargee.mission")
        actions.accept(session, dossier, "section_vide", "questions laissées vides à dessein", "chargee.mission")
        actions.validate(session, dossier, "chargee.mission")
    assert _current(registry) == [(1, False, 2), (2, True, 0)]


def test_a_fuller_update_replaces_the_version_in_force_at_once(workspace, registry, tmp_path):
    assert _send(workspace, registry, tmp_path, "reponse", BGE).statut == Statut.ENREGISTRE
    update = {**BGE, "interventions_structurantes": BGE["interventions_structurantes"][:1]}
    assert _send(workspace, registry, tmp_path, "mise_a_jour", update).statut == Statut.ENREGISTRE
    assert _current(registry) == [(1, False, 2), (2, True, 1)]
