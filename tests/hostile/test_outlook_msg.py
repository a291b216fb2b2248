"""Outlook .msg end to end: real public messages (tests/fixtures/mail/, see its README),
and messages carrying a form written at test time by a real .msg writer (aspose-email-foss)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import fill_form
from sqlalchemy import select

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.parsers import mail as mail_reader
from workflow.parsers.sniff import FileKind, sniff
from workflow.registry.models import Courriel, Soumission
from workflow.render.formulaire import questionnaire_form

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
BOUNCE = FIXTURES / "msg_parser_other.msg"  # a delivery failure notice carrying the original message
MINIMAL = FIXTURES / "msg_parser_outer.msg"  # no sender, no date, one unnamed message attached


@pytest.fixture
def form(workspace, tmp_path) -> bytes:
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    return fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie Martin"}, tmp_path / "f.docx").read_bytes()


def _outlook(subject: str, attachments: list[tuple[str, bytes]], embedded: object = None):
    """A message as Outlook saves it, through a writer of the real format (OLE compound file, MAPI properties)."""
    from aspose.email_foss import msg

    message = msg.MapiMessage.create(subject, "Bonjour, veuillez trouver notre questionnaire.")
    message.set_property(msg.PropertyId.SENDER_NAME, "Sophie Martin")
    message.set_property(msg.PropertyId.SENDER_EMAIL_ADDRESS, "sophie@caf.example.fr")
    message.set_property(msg.PropertyId.MESSAGE_DELIVERY_TIME, dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC))
    message.add_recipient("cohesion@cua.example.fr", display_name="Cohésion sociale")
    for name, data in attachments:
        message.add_attachment(
            name, data, mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    if embedded is not None:
        message.add_embedded_message_attachment(embedded, filename="Réponse transférée")
    return message


def _take(workspace, registry, source: Path | bytes, name: str):
    path = workspace.inbox / name
    if isinstance(source, Path):
        shutil.copyfile(source, path)
    else:
        path.write_bytes(source)
    return ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))


def test_the_real_fixtures_are_the_files_the_readme_names():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for path in (BOUNCE, MINIMAL):
        assert sniff(path) == FileKind.MSG
        assert hashlib.sha256(path.read_bytes()).hexdigest() in readme


def test_a_real_outlook_bounce_is_read_with_its_original_message_as_an_eml(tmp_path):
    read = mail_reader.read_msg(BOUNCE)
    assert read.expediteur == "Mail Delivery Subsystem <mailer-daemon@tjdpf.org.cn>"
    assert read.sujet == "投递状态通知 (Failure Notice)"
    assert read.date == dt.datetime(2017, 11, 27, 9, 44, 30, tzinfo=dt.UTC)
    assert [p.nom for p in read.pieces] == ["default_attachment.eml"]
    (tmp_path / "original.eml").write_bytes(read.pieces[0].contenu)
    original = mail_reader.read_eml(tmp_path / "original.eml")
    assert original.sujet.startswith("回复：转发：")
    assert [(p.nom, p.contenu[:5]) for p in original.pieces] == [
        ("北京 2017年12月02-03日 销售主管 确认n.pdf", b"%PDF-")
    ]


def test_a_real_outlook_bounce_ends_recorded_with_every_attachment_accounted_for(workspace, registry):
    result = _take(workspace, registry, BOUNCE, "non_remise.msg")
    assert result.statut == Statut.ENREGISTRE and not result.erreur_interne
    [original] = result.pieces
    assert (original.fichier, original.statut) == ("default_attachment.eml", Statut.ENREGISTRE)
    [pdf] = original.pieces
    assert pdf.statut == Statut.QUARANTAINE and pdf.motif  # a PDF that is no form of ours, said in French
    assert "Error" not in pdf.motif and "Exception" not in pdf.motif
    with registry.session() as session:
        assert sorted(session.scalars(select(Soumission.statut))) == ["enregistre", "enregistre", "quarantaine"]
        assert {c.sujet for c in session.scalars(select(Courriel))} >= {"投递状态通知 (Failure Notice)"}
    assert not list(workspace.inbox.glob("*.msg"))


def test_a_real_minimal_message_without_sender_nor_date_is_recorded(workspace, registry):
    result = _take(workspace, registry, MINIMAL, "minimal.msg")
    assert result.statut == Statut.ENREGISTRE and not result.erreur_interne
    [inner] = result.pieces
    assert inner.statut == Statut.QUARANTAINE and "sans formulaire" in inner.motif


def test_a_form_attached_to_an_outlook_message_is_recorded_with_the_message(workspace, registry, form):
    data = _outlook("Questionnaire d'engagement CAF", [("questionnaire_CAF.docx", form)]).to_bytes()
    result = _take(workspace, registry, data, "reponse_caf.msg")
    assert result.statut == Statut.ENREGISTRE, result.motif
    assert [(p.fichier, p.statut) for p in result.pieces] == [("questionnaire_CAF.docx", Statut.ENREGISTRE)]
    assert "questionnaire de Caisse d'Allocations Familiales" in result.pieces[0].detail
    with registry.session() as session:
        courriel = session.scalars(select(Courriel)).one()
        assert (courriel.expediteur, courriel.sujet) == ("Sophie Martin", "Questionnaire d'engagement CAF")
        assert courriel.date_envoi is not None and courriel.date_envoi.date() == dt.date(2025, 3, 14)
        assert "cohesion@cua.example.fr" in courriel.destinataires
        [piece] = courriel.pieces
        assert piece.soumission_id == result.pieces[0].soumission_id
        assert piece.sha256 == hashlib.sha256(form).hexdigest()
        form_row = session.get(Soumission, piece.soumission_id)
        assert form_row is not None and form_row.courriel_id == courriel.id and form_row.source == "courriel"
        assert (workspace.root / piece.chemin).read_bytes() == form


def test_a_form_in_a_message_attached_inside_an_outlook_message_is_recorded(workspace, registry, form):
    from aspose.email_foss import msg

    inner = msg.MapiMessage.create("Réponse transférée", "Voici la réponse de la CAF.")
    inner.add_attachment("reponse.docx", form, mime_type="application/octet-stream")
    data = _outlook("Tr: réponse", [], embedded=inner).to_bytes()
    result = _take(workspace, registry, data, "transfert.msg")
    [embedded] = result.pieces
    assert (embedded.fichier, embedded.statut) == ("Réponse transférée.eml", Statut.ENREGISTRE)
    assert [(p.fichier, p.statut) for p in embedded.pieces] == [("reponse.docx", Statut.ENREGISTRE)]


def _outlook_smime(der: bytes) -> bytes:
    """An Outlook message signed or encrypted opaquely: class IPM.Note.SMIME, one smime.p7m attachment."""
    from aspose.email_foss import msg

    message = msg.MapiMessage.create("Questionnaire signé", "")
    message.set_property(msg.PropertyId.MESSAGE_CLASS, "IPM.Note.SMIME")
    message.add_attachment("smime.p7m", der, mime_type="application/pkcs7-mime")
    return message.to_bytes()


def test_a_form_in_an_outlook_message_signed_opaquely_is_recorded(workspace, registry, form):
    from smime_mail import content, signed_der

    result = _take(workspace, registry, _outlook_smime(signed_der(content(form))), "signe.msg")
    assert result.statut == Statut.ENREGISTRE, result.motif
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]
    assert "(signé)" in result.detail
    with registry.session() as session:
        assert session.scalars(select(Courriel.corps)).one().strip() == "Veuillez trouver notre réponse."


def test_an_outlook_message_encrypted_is_quarantined_saying_so(workspace, registry, form):
    from smime_mail import content, enveloped_der

    result = _take(workspace, registry, _outlook_smime(enveloped_der(content(form))), "chiffre.msg")
    assert result.statut == Statut.QUARANTAINE and result.motif.startswith("courriel chiffré (S/MIME)")


def test_an_outlook_message_with_a_damaged_signature_keeps_it_as_an_attachment(workspace, registry):
    result = _take(workspace, registry, _outlook_smime(b"\x30\x80 abime"), "abime.msg")
    assert result.statut == Statut.QUARANTAINE and not result.erreur_interne
    assert "sans formulaire" in result.motif and "1 pièce(s) jointe(s)" in result.motif
