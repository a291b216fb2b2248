"""A form is recorded in one transaction and one flush: submission, review, version and its rows."""

from __future__ import annotations

from conftest import fill_form
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.models import Revue, Soumission
from workflow.render.formulaire import questionnaire_form

ANSWERS = {"organisme": "CAF", "referent_nom": "Sophie MARCHAND", "quartiers_vises": ["quatre-as"]}


def _counted(workspace, registry, arrivee: Arrivee) -> tuple[Statut, int]:
    flushes = []

    def seen(session, context) -> None:
        flushes.append(session)

    event.listen(Session, "after_flush", seen)
    try:
        result = ingest(workspace, registry, arrivee)
    finally:
        event.remove(Session, "after_flush", seen)
    return result.statut, len(flushes)


def test_a_dropped_form_is_written_in_one_flush_and_noted_gone_once_it_left(workspace, registry, tmp_path):
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    path = fill_form(blank, ANSWERS, workspace.inbox / "reponse.docx")
    assert _counted(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True)) == (Statut.ENREGISTRE, 1)
    with registry.session() as session:
        soumission = session.scalars(select(Soumission)).one()
        assert soumission.libere_le is not None and not path.exists()
        assert session.scalar(select(Revue.statut).where(Revue.soumission_id == soumission.id)) == "a_verifier"


def test_a_second_version_is_written_in_one_flush_too(workspace, registry, tmp_path):
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    first = fill_form(blank, ANSWERS, tmp_path / "v1.docx")
    second = fill_form(blank, {**ANSWERS, "referent_nom": "Nadia LEROY"}, tmp_path / "v2.docx")
    assert _counted(workspace, registry, Arrivee(first)) == (Statut.ENREGISTRE, 1)
    assert _counted(workspace, registry, Arrivee(second)) == (Statut.ENREGISTRE, 1)
    with registry.session() as session:
        assert all(s.libere_le is not None for s in session.scalars(select(Soumission))), "nothing to move: left"
