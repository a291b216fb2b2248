"""A batch reads ahead in several workers and records in the order given, each file exactly once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from conftest import fill_form
from sqlalchemy import func, select

from workflow.intake import batch, sandbox
from workflow.intake.ingest import Arrivee, Source, Statut
from workflow.registry.models import ProvenanceRow, QuestionnaireVersion, Soumission
from workflow.render.formulaire import questionnaire_form

ANSWERS = {
    "organisme": "CAF",
    "campagne": 2024,
    "referent_nom": "Sophie MARCHAND",
    "interventions_structurantes": [{"intitule": "Centres sociaux", "description": "Agrément."}],
    "quartiers_vises": ["quatre-as"],
    "agents_gouvernance": [],
    "engagements_2024_2030": "Maintien.",
    "objectifs": [],
}


def _forms(workspace, tmp_path: Path, count: int) -> list[Path]:
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    return [
        fill_form(blank, {**ANSWERS, "referent_nom": f"Agent {i}"}, workspace.inbox / f"reponse_{i}.docx")
        for i in range(count)
    ]


def _inbox(paths: list[Path]) -> list[Arrivee]:
    return [Arrivee(p, Source.DOSSIER, deplacer=True) for p in paths]


def test_a_batch_records_every_file_once_in_the_order_given(workspace, registry, tmp_path):
    forms = _forms(workspace, tmp_path, 5)
    twin = workspace.inbox / "copie.docx"
    twin.write_bytes(forms[1].read_bytes())
    (workspace.inbox / "texte.docx").write_text("Bonjour, voici ma réponse.\n")
    arrivals = _inbox([*forms[:3], twin, workspace.inbox / "texte.docx", *forms[3:]])
    results = list(batch.ingest_all(workspace, registry, arrivals, workers=2))
    assert [r.fichier for r in results] == [a.fichier for a in arrivals]
    assert [r.statut for r in results] == [
        Statut.ENREGISTRE,
        Statut.ENREGISTRE,
        Statut.ENREGISTRE,
        Statut.DOUBLON,
        Statut.QUARANTAINE,
        Statut.ENREGISTRE,
        Statut.ENREGISTRE,
    ]
    assert [r.detail.split(", version ")[1][0] for r in results if r.statut == Statut.ENREGISTRE] == list("12345")
    assert not any(p.exists() for p in forms) and (workspace.quarantine / "texte.docx").exists()
    with registry.session() as session:
        assert session.scalar(select(func.count()).select_from(Soumission)) == 7
        assert session.scalar(select(func.count(func.distinct(ProvenanceRow.questionnaire_id)))) == 5


def test_a_file_changed_after_it_was_read_ahead_is_read_again(workspace, registry, tmp_path, monkeypatch):
    first, second = _forms(workspace, tmp_path, 2)
    replacement = fill_form(
        questionnaire_form(workspace, "CAF", 2024, tmp_path / "autre.docx"),
        {**ANSWERS, "referent_nom": "Nadia LEROY"},
        tmp_path / "remplacement.docx",
    )
    read_ahead, replaced = batch._read_ahead, threading.Event()

    def then_replaced(arrivee, ref):
        lecture = read_ahead(arrivee, ref)
        if arrivee.path == second:  # its writer replaces it once it was read ahead, before its turn
            os.replace(replacement, second)
            replaced.set()
        else:
            replaced.wait(30)
        return lecture

    monkeypatch.setattr(batch, "_read_ahead", then_replaced)
    results = list(batch.ingest_all(workspace, registry, _inbox([first, second]), workers=2))
    assert [r.statut for r in results] == [Statut.ENREGISTRE, Statut.ENREGISTRE]
    with registry.session() as session:
        referents = session.scalars(select(QuestionnaireVersion.referent_nom).order_by(QuestionnaireVersion.id)).all()
    assert referents == ["Agent 0", "Nadia LEROY"]


def test_a_batch_given_up_halfway_stops_its_readers(workspace, registry, tmp_path):
    forms = _forms(workspace, tmp_path, 4)
    results = batch.ingest_all(workspace, registry, _inbox(forms), workers=2)
    assert next(results).statut == Statut.ENREGISTRE
    results.close()  # the caller stops (Ctrl-C, an error while printing)
    deadline = time.monotonic() + 10
    while sandbox._busy and time.monotonic() < deadline:  # the readings under way are stopped, not waited for
        time.sleep(0.05)
    assert not sandbox._busy
    assert sum(p.exists() for p in forms) == 3, "the files not recorded stay in the inbox"
