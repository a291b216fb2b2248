"""E-mails saved from a mail client: each form attachment its own submission, the rest kept."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from conftest import fill_form
from sqlalchemy import select

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.parsers.mail import read_eml, sanitise
from workflow.registry.models import Courriel, PieceJointeRow, Soumission
from workflow.render.formulaire import questionnaire_form


def _form(workspace, tmp_path: Path, organisme: str) -> bytes:
    blank = questionnaire_form(workspace, organisme, 2024, tmp_path / f"v_{organisme}.docx")
    answers = {"organisme": organisme, "referent_nom": f"Agent de {organisme}"}  # not a blank form
    return fill_form(blank, answers, tmp_path / f"f_{organisme}.docx").read_bytes()


def _message(attachments: list[tuple[str, bytes, str]], subject: str = "Fiche d'engagement") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Sophie Marchand <sophie@caf.example.fr>"
    message["To"] = "cohesion@cua.example.fr"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Mar 2025 09:00:00 +0100"
    message.set_content("Bonjour, voici nos réponses. Cordialement.")
    for name, data, kind in attachments:
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def test_names_are_sanitised():
    assert sanitise("../../etc/passwd.docx", 1) == "passwd.docx"
    assert sanitise("C:\\Users\\x\\Réponse\x07 CAF.docx", 2) == "Réponse CAF.docx"
    assert sanitise("...", 3) == "piece_jointe_3"
    assert len(sanitise("a" * 400 + ".docx", 4)) <= 150


def test_each_form_is_a_submission_linked_to_the_email_and_the_rest_is_kept(workspace, registry, tmp_path):
    message = _message(
        [
            ("../../secret/Réponse CAF.docx", _form(workspace, tmp_path, "CAF"), "application/octet-stream"),
            ("reponse ARS.docx", _form(workspace, tmp_path, "ARS"), "application/octet-stream"),
            ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        ],
        subject="=?utf-8?q?R=C3=A9ponses_=C2=AB_C=C5=93ur_de_Quartier_=C2=BB?=",
    )
    path = workspace.inbox / "courriel.eml"
    path.write_bytes(bytes(message))
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE and "Réponses « Cœur de Quartier »" in result.detail
    assert [(r.fichier, r.statut) for r in result.pieces] == [
        ("Réponse CAF.docx", Statut.ENREGISTRE),
        ("reponse ARS.docx", Statut.ENREGISTRE),
    ]
    assert not path.exists()
    with registry.session() as session:
        courriel = session.scalar(select(Courriel))
        assert courriel.expediteur == "Sophie Marchand <sophie@caf.example.fr>"
        assert courriel.corps.startswith("Bonjour, voici nos réponses")
        pieces = session.scalars(select(PieceJointeRow).order_by(PieceJointeRow.id)).all()
        assert [(p.nom, p.type_fichier, p.soumission_id is not None) for p in pieces] == [
            ("Réponse CAF.docx", "docx", True),
            ("reponse ARS.docx", "docx", True),
            ("logo.png", "png", False),
        ]
        linked = session.scalars(select(Soumission).where(Soumission.courriel_id == courriel.id)).all()
        assert sorted(s.fichier for s in linked) == ["Réponse CAF.docx", "reponse ARS.docx"]
    assert (workspace.root / pieces[2].chemin).read_bytes().startswith(b"\x89PNG")


def test_an_email_without_a_form_is_quarantined_with_its_reason(workspace, registry):
    path = workspace.inbox / "merci.eml"
    path.write_bytes(bytes(_message([("photo.jpg", b"\xff\xd8\xff" + b"\x00" * 32, "image/jpeg")])))
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.QUARANTAINE and "sans formulaire" in result.motif
    assert (workspace.quarantine / "merci.eml").exists()
    assert "sophie@caf.example.fr" in (workspace.quarantine / "merci.eml.txt").read_text(encoding="utf-8")


def test_a_forwarded_email_is_opened_in_turn(workspace, registry, tmp_path):
    inner = _message([("caf.docx", _form(workspace, tmp_path, "CAF"), "application/octet-stream")])
    outer = _message([], subject="TR: Fiche d'engagement")
    outer.add_attachment(inner)
    path = workspace.inbox / "transfert.eml"
    path.write_bytes(bytes(outer))
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE
    nested = result.pieces[0]
    assert nested.type_fichier == "eml" and nested.pieces[0].statut == Statut.ENREGISTRE


def test_the_body_and_dates_are_read(tmp_path):
    path = tmp_path / "m.eml"
    path.write_bytes(bytes(_message([])))
    courriel = read_eml(path)
    assert courriel.date is not None and courriel.date.year == 2025 and courriel.pieces == ()
