"""Opaque S/MIME: a signed mail's forms are read through the signature, an encrypted mail is refused
in French, and every piece that cannot be opened stays with the e-mail."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from conftest import fill_form, requires
from hostile_cases import mail
from smime_mail import (
    OPENSSL,
    content,
    detached_around,
    encrypted,
    encrypted_entity,
    enveloped_der,
    opaque,
    opaque_signed,
    openssl_signed,
    pkcs7_part,
    signed_der,
    signed_then_encrypted,
)
from sqlalchemy import select

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.parsers import Motif
from workflow.parsers import mail as mail_reader
from workflow.parsers.smime import Enveloppe, open_pkcs7
from workflow.registry.models import Courriel
from workflow.render.formulaire import questionnaire_form


@pytest.fixture
def form(workspace, tmp_path) -> bytes:
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    return fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie Martin"}, tmp_path / "f.docx").read_bytes()


def _take(workspace, registry, name: str, data: bytes):
    path = workspace.inbox / name
    path.write_bytes(data)
    return ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))


def _pieces(registry) -> list[tuple[str, bool]]:
    """Each attachment kept with the e-mail: its name, and whether it became a submission."""
    with registry.session() as session:
        courriel = session.scalars(select(Courriel)).one()
        return [(p.nom, p.soumission_id is not None) for p in courriel.pieces]


def test_the_form_inside_an_opaque_signed_mail_is_recorded(workspace, registry, form):
    result = _take(workspace, registry, "opaque.eml", opaque_signed(form))
    assert result.statut == Statut.ENREGISTRE, result.motif
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]
    assert "(signé)" in result.detail
    assert _pieces(registry) == [("reponse.docx", True)]
    with registry.session() as session:
        assert session.scalars(select(Courriel.corps)).one().strip() == "Veuillez trouver notre réponse."


def test_the_reader_takes_the_headers_outside_and_the_body_inside_the_signature(tmp_path, form):
    path = tmp_path / "opaque.eml"
    path.write_bytes(opaque_signed(form))
    read = mail_reader.read_eml(path)
    assert (read.expediteur, read.sujet, read.signe) == ("CAF <sophie@caf.example.fr>", "Réponse signée", True)
    assert [(p.nom, p.contenu) for p in read.pieces] == [("reponse.docx", form)]


def test_the_older_x_pkcs7_mime_label_is_read_too(tmp_path, form):
    path = tmp_path / "ancien.eml"
    path.write_bytes(opaque(signed_der(content(form)), "signed-data", subtype="x-pkcs7-mime"))
    assert [p.nom for p in mail_reader.read_eml(path).pieces] == ["reponse.docx"]


def test_a_signed_mail_whose_content_is_the_form_alone_is_recorded(workspace, registry, form):
    alone = EmailMessage()
    alone.set_content(form, maintype="application", subtype="octet-stream", filename="seul.docx")
    result = _take(workspace, registry, "seul.eml", opaque(signed_der(bytes(alone)), "signed-data"))
    assert [(p.fichier, p.statut) for p in result.pieces] == [("seul.docx", Statut.ENREGISTRE)]


def test_a_forwarded_opaque_signed_part_gives_its_form(workspace, registry, form):
    message = mail(None, "Tr: réponse signée")
    message.make_mixed()
    message.attach(pkcs7_part(signed_der(content(form)), "signed-data"))
    result = _take(workspace, registry, "transfert.eml", bytes(message))
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]


def test_an_opaque_signature_inside_a_detached_one_is_opened(workspace, registry, form):
    """A mail signed twice, as some gateways do: multipart/signed around an opaque signed part."""
    twice = detached_around(pkcs7_part(signed_der(content(form)), "signed-data"))
    result = _take(workspace, registry, "deux_fois.eml", twice)
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]


@requires(OPENSSL is not None, "openssl absent")
def test_a_mail_signed_by_openssl_in_streaming_ber_is_read(workspace, registry, form, tmp_path):
    result = _take(workspace, registry, "openssl.eml", openssl_signed(form, tmp_path))
    assert result.statut == Statut.ENREGISTRE, result.motif
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]
    assert "(signé)" in result.detail


@pytest.mark.parametrize("build", [encrypted, signed_then_encrypted], ids=["chiffre", "signe_puis_chiffre"])
def test_an_encrypted_mail_is_quarantined_saying_so_in_french(workspace, registry, form, build):
    result = _take(workspace, registry, "chiffre.eml", build(form))
    assert result.statut == Statut.QUARANTAINE and not result.erreur_interne
    assert result.motif.startswith("courriel chiffré (S/MIME)") and "sans chiffrement" in result.motif
    report = next(workspace.quarantine.glob("chiffre.eml*.txt")).read_text(encoding="utf-8")
    assert f"Code du motif : {Motif.CHIFFRE.value}" in report


def test_a_mail_signed_around_an_encrypted_part_is_refused_as_encrypted(workspace, registry, form):
    outer = detached_around(pkcs7_part(enveloped_der(content(form)), "enveloped-data"))
    result = _take(workspace, registry, "chiffre_signe.eml", outer)
    assert result.statut == Statut.QUARANTAINE and result.motif.startswith("courriel chiffré")


def test_an_encrypted_attachment_beside_a_form_is_kept_and_the_form_recorded(workspace, registry, form):
    message = mail(form)
    message.attach(pkcs7_part(enveloped_der(content(None)), "enveloped-data"))
    result = _take(workspace, registry, "mixte.eml", bytes(message))
    assert [(p.fichier, p.statut) for p in result.pieces] == [("reponse.docx", Statut.ENREGISTRE)]
    assert "traitée(s) sur 2" in result.detail
    assert _pieces(registry) == [("reponse.docx", True), ("smime.p7m", False)]


def test_an_encrypted_attachment_beside_a_note_is_named_in_the_reason(workspace, registry):
    message = mail(None)
    message.add_attachment(b"note", maintype="text", subtype="plain", filename="note.txt")
    message.attach(pkcs7_part(enveloped_der(content(None)), "enveloped-data"))
    result = _take(workspace, registry, "note.eml", bytes(message))
    assert result.statut == Statut.QUARANTAINE and "sans formulaire" in result.motif
    assert "dont 1 chiffrée(s) en S/MIME" in result.motif


@pytest.mark.parametrize(
    "der",
    [b"\x30\x82\xff\xff garbage", b"", b"\x30\x03\x06\x01\x00", signed_der(content(None))[:200]],
    ids=["octets", "vide", "oid_seul", "tronque"],
)
def test_a_damaged_signed_part_is_kept_as_an_attachment_without_internal_error(workspace, registry, der):
    result = _take(workspace, registry, "abime.eml", opaque(der, "signed-data"))
    assert result.statut == Statut.QUARANTAINE and not result.erreur_interne
    assert "sans formulaire" in result.motif and "1 pièce(s) jointe(s)" in result.motif


def test_an_encrypted_form_inside_a_forwarded_message_leaves_the_outer_form_recorded(workspace, registry, form):
    message = mail(form)
    message.add_attachment(
        encrypted_entity(content(form, "autre.docx")), maintype="application", subtype="octet-stream", filename="t.eml"
    )
    result = _take(workspace, registry, "transfert_chiffre.eml", bytes(message))
    statuts = {p.fichier: p.statut for p in result.pieces}
    assert statuts == {"reponse.docx": Statut.ENREGISTRE, "t.eml": Statut.QUARANTAINE}
    assert next(p for p in result.pieces if p.fichier == "t.eml").motif.startswith("courriel chiffré")


def test_a_pem_armoured_structure_is_opened_like_der():
    import base64

    der = signed_der(b"Content-Type: text/plain\r\n\r\ncorps\r\n")
    pem = b"-----BEGIN PKCS7-----\n" + base64.encodebytes(der) + b"-----END PKCS7-----\n"
    assert open_pkcs7(pem) == open_pkcs7(der) == Enveloppe("signed_data", b"Content-Type: text/plain\r\n\r\ncorps\r\n")
    assert open_pkcs7(b"-----BEGIN PKCS7-----\n!!!\n-----END PKCS7-----\n").type == "illisible"
