"""Quarantine: save, then move; every original archived by hash; a retry is taken again, never deleted."""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest
from click.testing import CliRunner
from conftest import fill_form
from sqlalchemy import select
from support import rows, start, wait_until

from workflow.cli import app
from workflow.intake import storage
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.intake.types import Reception
from workflow.registry.models import Soumission
from workflow.render.formulaire import questionnaire_form
from workflow.review.journal import entries


def _filled(workspace, tmp_path, name: str):
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    return fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie MARCHAND"}, workspace.inbox / name)


def _unreadable(workspace, name: str = "illisible.docx"):
    path = workspace.inbox / name
    path.write_bytes(b"pas un document Word\n")
    return path


def test_a_quarantined_original_is_found_in_the_archive_by_its_hash(workspace, registry):
    path = _unreadable(workspace)
    data = path.read_bytes()
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.QUARANTAINE
    kept = storage.archive_path(workspace, result.sha256, result.type_fichier)
    assert kept.read_bytes() == data
    assert (workspace.quarantine / "illisible.docx").read_bytes() == data
    report = (workspace.quarantine / "illisible.docx.txt").read_text(encoding="utf-8")
    assert "Motif : simple fichier texte" in report and "cdv quarantaine reprendre « illisible.docx »" in report
    assert not path.exists()


def test_the_refusal_is_recorded_before_the_file_moves_and_an_interrupted_move_is_finished(
    workspace, registry, monkeypatch
):
    path = _unreadable(workspace)
    real = storage.place_in_quarantine

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies between the commit and the move

    monkeypatch.setattr(storage, "place_in_quarantine", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    with registry.session() as session:
        recorded = session.scalars(select(Soumission)).all()
        assert [(s.statut, s.libere_le) for s in recorded] == [("quarantaine", None)]
    assert path.exists(), "nothing moved before the record was saved"
    monkeypatch.setattr(storage, "place_in_quarantine", real)
    again = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert again.statut == Statut.QUARANTAINE and "interruption" in again.detail
    assert not path.exists() and (workspace.quarantine / "illisible.docx").exists()
    with registry.session() as session:
        assert len(session.scalars(select(Soumission)).all()) == 1, "recorded once"


def test_a_file_moved_back_from_quarantine_into_the_inbox_is_taken_again(workspace, registry, tmp_path, monkeypatch):
    path = _filled(workspace, tmp_path, "reponse.docx")

    def broken(*args, **kwargs):
        raise RuntimeError("lecteur en panne")

    monkeypatch.setattr("workflow.intake.ingest.analyse", broken)
    first = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert first.statut == Statut.QUARANTAINE and first.erreur_interne
    monkeypatch.undo()
    quarantined = workspace.quarantine / "reponse.docx"
    os.rename(quarantined, path)  # what a person does: move it back, mtime unchanged
    second = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert second.statut == Statut.ENREGISTRE, second
    assert "questionnaire de Caisse d'Allocations Familiales" in second.detail
    assert not path.exists() and not quarantined.exists()


def test_quarantaine_reprendre_lists_retries_and_removes_with_confirmation(workspace, registry, tmp_path, monkeypatch):
    good = _filled(workspace, tmp_path, "bonne.docx")
    bad = _unreadable(workspace, "texte.docx")
    monkeypatch.setattr("workflow.intake.ingest.analyse", lambda *a, **k: 1 / 0)
    for path in (good, bad):
        assert ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True)).statut == Statut.QUARANTAINE
    monkeypatch.undo()
    runner = CliRunner()
    racine = ["--racine", str(workspace.root)]
    listed = runner.invoke(app, [*racine, "quarantaine", "liste"])
    assert listed.exit_code == 0 and "bonne.docx" in listed.output and "erreur interne" in listed.output
    unknown = runner.invoke(app, [*racine, "quarantaine", "reprendre", "absent.docx"])
    assert unknown.exit_code != 0 and "aucun fichier « absent.docx » dans la quarantaine" in str(unknown.exception)
    retried = runner.invoke(app, [*racine, "quarantaine", "reprendre", "--tout"])
    assert retried.exit_code == 0, retried.output
    assert "enregistré  bonne.docx —" in retried.output and "quarantaine texte.docx —" in retried.output
    assert sorted(p.name for p in workspace.quarantine.iterdir()) == ["texte.docx", "texte.docx.txt"]
    report = (workspace.quarantine / "texte.docx.txt").read_text(encoding="utf-8")
    assert "simple fichier texte" in report, "the report says the new reason"
    kept = runner.invoke(app, [*racine, "quarantaine", "supprimer", "texte.docx"], input="n\n")
    assert "Rien n'a été supprimé" in kept.output and (workspace.quarantine / "texte.docx").exists()
    gone = runner.invoke(app, [*racine, "quarantaine", "supprimer", "texte.docx"], input="o\n")
    assert gone.exit_code == 0 and "copie conservée : registry/archives/" in gone.output
    assert list(workspace.quarantine.iterdir()) == []
    with registry.session() as session:
        statuses = [s.statut for s in session.scalars(select(Soumission).order_by(Soumission.id))]
        sha = session.scalars(select(Soumission.sha256).where(Soumission.fichier == "texte.docx")).first()
    assert statuses[:2] == ["quarantaine", "quarantaine"] and sorted(statuses[2:]) == ["enregistre", "quarantaine"]
    assert storage.archive_path(workspace, sha, "texte").exists()
    with registry.session() as session:
        done = [(e.action, e.champ) for e in entries(session)]
    assert sorted(done) == [("reprise", "bonne.docx"), ("reprise", "texte.docx"), ("suppression", "texte.docx")]


def test_the_report_is_told_apart_from_a_quarantined_text_file(workspace, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Fichier à voir\n", encoding="utf-8")
    assert not storage.is_report(note)
    report = storage.report_of(workspace.quarantine / "x.docx")
    report.parent.mkdir(parents=True, exist_ok=True)
    reception = Reception("x.docx", "0" * 64, 1, dt.datetime.now().astimezone(), Source.DOSSIER, "", None)
    storage.place_in_quarantine(Arrivee(note), workspace.quarantine / "x.docx", reception, "vide", "fichier vide")
    assert storage.is_report(report)


@pytest.mark.timeout(180)
def test_the_watcher_takes_again_a_file_moved_back_from_quarantine(tmp_path):
    from workflow.workspace import init_workspace

    workspace = init_workspace(tmp_path / "espace")
    daemon = start(workspace.root)
    try:
        _unreadable(workspace, "refuse.docx")
        quarantined = workspace.quarantine / "refuse.docx"
        wait_until(lambda: quarantined.exists() and len(rows(workspace.root)) == 1, 60)
        os.rename(quarantined, workspace.inbox / "refuse.docx")
        wait_until(lambda: len(rows(workspace.root)) == 2, 60)
        wait_until(lambda: quarantined.exists(), 30)
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0
    assert [r.statut for r in rows(workspace.root)] == ["quarantaine", "quarantaine"]
    assert quarantined.read_bytes() == b"pas un document Word\n", "never deleted"
    assert not (workspace.inbox / "refuse.docx").exists()
