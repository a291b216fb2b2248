"""COPIL dates, their preparation by hand and by the daemon (on time, or late after downtime)."""

from __future__ import annotations

import datetime as dt
import signal
from email import policy
from email.parser import BytesParser

import docx
import pandas as pd
from conftest import fill_form
from support import cdv, free_port, start, wait_until

from workflow.copil import preparation
from workflow.intake.ingest import Arrivee, Source, ingest
from workflow.registry.db import Registry
from workflow.render.formulaire import questionnaire_form
from workflow.workspace import init_workspace


def _answer(workspace, registry, tmp_path, organisme: str) -> None:
    blank = questionnaire_form(workspace, organisme, 2026, tmp_path / "b.docx")
    filled = fill_form(
        blank, {"organisme": organisme, "referent_courriel": "pas-une-adresse"}, workspace.inbox / "r.docx"
    )
    ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))


def _check_folder(folder, answered: str, missing: int) -> None:
    text = "\n".join(p.text for p in docx.Document(str(folder / "etat_des_retours.docx")).paragraphs)
    cells = [
        c.text for t in docx.Document(str(folder / "etat_des_retours.docx")).tables for r in t.rows for c in r.cells
    ]
    assert "État des retours — campagne 2026" in text and answered.replace("'", "’") in cells
    assert any("Adresse électronique du référent invalide" in c for c in cells), "alerts by their French label"
    assert "à vérifier" in cells, "each answer with its review status"
    assert f"{missing} réponses manquantes" in text
    sheets = pd.read_excel(folder / "etat_des_retours.xlsx", sheet_name=None)
    assert list(sheets["Réponses reçues"]["Organisme"]) == [answered]
    assert len(sheets["Sans réponse"]) == missing
    for annex in ("annexe_engagements_signataires.docx", "annexe_chartes_engagement.docx", "annexe_objectifs.docx"):
        assert (folder / annex).exists(), annex
    assert list(sheets["Fiches association"].columns) == ["Organisme", "Reçu le", "Référent", "Revue", "Alertes"]
    assert list(sheets["Réponses reçues"]["Revue"]) == ["à vérifier"]
    assert isinstance(sheets["Réponses reçues"]["Reçu le"][0], pd.Timestamp), "a date, not a text"
    drafts = sorted((folder / "relances").glob("*.eml"))
    assert len(drafts) == missing
    message = BytesParser(policy=policy.default).parsebytes(drafts[0].read_bytes())
    assert message["Subject"].startswith("Contrat de ville « Cœur de Quartier » : votre questionnaire")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Madame, Monsieur" in body and "avant le " in body
    assert next(a.get_filename() for a in message.iter_attachments()).endswith(".docx")


def test_copil_commands_and_preparation_by_hand(workspace, registry, tmp_path):
    _answer(workspace, registry, tmp_path, "CAF")
    root = str(workspace.root)
    assert cdv("--racine", root, "copil", "ajouter", "14/03/2027", "--libelle", "COPIL de printemps").returncode == 0
    assert cdv("--racine", root, "copil", "ajouter", "2027-03-14").returncode == 2  # already there
    listing = cdv("--racine", root, "copil", "liste").stdout
    assert "14/03/2027 à 09:00" in listing and "COPIL de printemps" in listing and "pas encore" in listing
    made = cdv("--racine", root, "copil", "preparer", "2027-03-14")
    assert made.returncode == 0, made.stderr
    total = len(workspace.referentiel.signataires.signataires)
    _check_folder(workspace.outbox / "copil_2027-03-14", "Caisse d'Allocations Familiales du Pas-de-Calais", total - 1)
    assert "pas encore" not in cdv("--racine", root, "copil", "liste").stdout
    assert cdv("--racine", root, "copil", "retirer", "2027-03-14").returncode == 0
    assert "COPIL de printemps" not in cdv("--racine", root, "copil", "liste").stdout


def _add(workspace, when: dt.datetime) -> None:
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        preparation.ajouter(session, when, "COPIL d'essai")
    registry.close()


def test_the_daemon_prepares_a_copil_on_time_and_one_missed_while_down(tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    registry = Registry(workspace.database_url())
    _answer(workspace, registry, tmp_path, "ARS")
    registry.close()
    soon = (dt.datetime.now() + dt.timedelta(seconds=20)).replace(microsecond=0)
    _add(workspace, soon)  # prepared 10 s before it, while the daemon runs
    later = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(23, 0))
    _add(workspace, later)  # not due yet: shown by `cdv etat` as a planned job
    daemon = start(workspace.root, "--avance", str(10 / 86400))
    try:
        wait_until(lambda: (workspace.outbox / f"copil_{soon:%Y-%m-%d}" / "etat_des_retours.xlsx").exists(), 60)
        prepared_at = (workspace.outbox / f"copil_{soon:%Y-%m-%d}" / "etat_des_retours.xlsx").stat().st_mtime
        assert prepared_at <= soon.timestamp(), "prepared before the COPIL"
        status = cdv("--racine", str(workspace.root), "etat").stdout
        assert "Surveillance en marche" in status and "preparation-copil-" in status
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    total = len(workspace.referentiel.signataires.signataires)
    _check_folder(workspace.outbox / f"copil_{soon:%Y-%m-%d}", "Agence Régionale de Santé Hauts-de-France", total - 1)


def test_a_preparation_missed_while_the_daemon_was_down_runs_at_start(tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    when = (dt.datetime.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    _add(workspace, when)  # with 7 days ahead, its preparation time is long past
    daemon = start(workspace.root)
    try:
        wait_until(lambda: (workspace.outbox / f"copil_{when:%Y-%m-%d}" / "etat_des_retours.docx").exists(), 60)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    journal = (workspace.registry / "journal.log").read_text(encoding="utf-8")
    assert "manquée pendant l'arrêt" in journal and "préparés dans" in journal


def test_reminders_are_sent_only_when_asked(workspace, registry, tmp_path):
    from aiosmtpd.controller import Controller

    class Box:
        def __init__(self) -> None:
            self.received: list = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append(envelope)
            return "250 OK"

    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "b.docx")
    filled = fill_form(
        blank, {"organisme": "CAF", "referent_courriel": "sophie@caf.example.fr"}, workspace.inbox / "r.docx"
    )
    ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))  # 2024 answer: its address is known
    root = str(workspace.root)
    assert cdv("--racine", root, "copil", "ajouter", "2027-03-14").returncode == 0
    assert cdv("--racine", root, "copil", "preparer", "2027-03-14", "--campagne", "2026").returncode == 0
    listed = cdv("--racine", root, "copil", "relancer", "2027-03-14")
    assert "1 relance avec destinataire" in listed.stdout
    box = Box()
    port = free_port()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    try:
        (workspace.registry / "config.toml").write_text(
            f'[envoi]\nhote = "127.0.0.1"\nport = {port}\nsecurite = "aucune"\n', encoding="utf-8"
        )
        assert not box.received, "nothing is sent without --envoyer"
        sent = cdv("--racine", root, "copil", "relancer", "2027-03-14", "--envoyer")
        assert sent.returncode == 0, sent.stderr
        again = cdv("--racine", root, "copil", "relancer", "2027-03-14", "--envoyer")
    finally:
        server.stop()
    assert [e.rcpt_tos for e in box.received] == [["sophie@caf.example.fr"]]
    received = BytesParser(policy=policy.default).parsebytes(box.received[0].content)
    assert received["Subject"].endswith("votre questionnaire d'engagement 2026")
    assert received["X-Unsent"] is None  # the draft marker is removed when sent
    assert "0 relance envoyée" in again.stdout
    assert (workspace.outbox / "copil_2027-03-14" / "relances" / "envoyees").is_dir()


def test_a_copil_named_by_its_date_is_not_dated_twice(workspace, registry, tmp_path):
    _answer(workspace, registry, tmp_path, "CAF")
    with registry.session() as session:
        preparation.ajouter(session, dt.datetime(2027, 3, 14, 9, 0))
    folder = preparation.preparer(workspace, registry, dt.date(2027, 3, 14), 2026)
    text = "\n".join(p.text for p in docx.Document(str(folder / "etat_des_retours.docx")).paragraphs)
    assert "Préparé pour le COPIL du 14/03/2027\u202f;" in text and "(14/03/2027)" not in text
