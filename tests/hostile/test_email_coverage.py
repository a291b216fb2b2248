"""Every attachment of an e-mail is processed or reported: signed mails, Outlook's winmail.dat,
messages attached inside a .msg, Japanese subjects written in CP932."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.parser import BytesParser

from conftest import fill_form
from hostile_cases import cp932_subject, mail, signed, with_tnef

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.parsers import mail as mail_reader
from workflow.render.formulaire import questionnaire_form


def _form(workspace, tmp_path) -> bytes:
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    return fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie Martin"}, tmp_path / "f.docx").read_bytes()


def _take(workspace, registry, name: str, data: bytes):
    path = workspace.inbox / name
    path.write_bytes(data)
    return ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))


def test_the_form_inside_a_signed_mail_is_recorded_and_the_signature_is_no_attachment(workspace, registry, tmp_path):
    result = _take(workspace, registry, "signe.eml", signed(_form(workspace, tmp_path)))
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]
    assert "(signé)" in result.detail and "1 pièce(s) jointe(s) traitée(s) sur 1" in result.detail


def test_the_form_inside_winmail_dat_is_recorded(workspace, registry, tmp_path):
    result = _take(workspace, registry, "outlook.eml", with_tnef(_form(workspace, tmp_path)))
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]


def test_a_subject_labelled_shift_jis_but_written_in_cp932_is_decoded(tmp_path):
    path = tmp_path / "japonais.eml"
    path.write_bytes(cp932_subject(b"PK"))
    assert mail_reader.read_eml(path).sujet == "①回答書～"


def test_a_raw_eight_bit_subject_in_cp932_is_decoded(tmp_path):
    path = tmp_path / "brut.eml"
    path.write_bytes(bytes(mail(None, "x")).replace(b"Subject: x", b"Subject: " + "回答書".encode("cp932"), 1))
    assert mail_reader.read_eml(path).sujet == "回答書"


class _Attachment:
    def __init__(self, name: str, data: object) -> None:
        self.longFilename, self.shortFilename, self.data = name, None, data


class _Message:
    def __init__(self, subject: str, attachments: list[_Attachment]) -> None:
        self.sender, self.to, self.subject, self.messageId = "CAF <s@caf.fr>", "cua@cua.fr", subject, "<1@caf.fr>"
        self.date, self.body, self.attachments = dt.datetime(2025, 3, 1, tzinfo=dt.UTC), "corps", attachments

    def close(self) -> None:
        pass


def test_a_message_attached_inside_a_msg_becomes_an_eml_with_its_own_attachments(tmp_path, monkeypatch):
    import extract_msg

    inner = _Message("Réponse transférée", [_Attachment("reponse.docx", b"PK-form")])
    outer = _Message("Tr: réponse", [_Attachment("Réponse transférée", inner), _Attachment("note.txt", b"n")])
    monkeypatch.setattr(extract_msg, "openMsg", lambda path: outer)
    (tmp_path / "x.msg").write_bytes(b"ole")
    read = mail_reader.read_msg(tmp_path / "x.msg")
    assert [p.nom for p in read.pieces] == ["Réponse transférée.eml", "note.txt"]
    embedded = BytesParser(policy=policy.default).parsebytes(read.pieces[0].contenu)
    assert str(embedded["Subject"]) == "Réponse transférée"
    assert [(a.get_filename(), a.get_content()) for a in embedded.iter_attachments()] == [("reponse.docx", b"PK-form")]
