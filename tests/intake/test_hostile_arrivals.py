"""Files that used to crash intake end in one place with a French reason; no attachment is lost."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
from email.message import EmailMessage

from conftest import fill_form

from workflow.intake import storage
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.parsers.sniff import FileKind, sniff
from workflow.render.formulaire import questionnaire_form


def _form(workspace, tmp_path, organisme: str = "CAF") -> bytes:
    blank = questionnaire_form(workspace, organisme, 2024, tmp_path / f"v_{organisme}.docx")
    answers = {"organisme": organisme, "referent_nom": f"Agent de {organisme}"}  # not a blank form
    return fill_form(blank, answers, tmp_path / f"f_{organisme}.docx").read_bytes()


def _take(workspace, registry, name: str, data: bytes):
    path = workspace.inbox / name
    path.write_bytes(data)
    return ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))


def _with_method(data: bytes, method: int, encrypted: bool = False) -> bytes:
    """Rewrite every entry's compression method (and encryption flag) in a stored zip."""
    out = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            flags = struct.unpack_from("<H", out, start + flag_at)[0]
            struct.pack_into("<H", out, start + flag_at, flags | (1 if encrypted else 0))
            struct.pack_into("<H", out, start + method_at, method)
            start += 4
    return bytes(out)


def _stored(tmp_path, docx: bytes) -> bytes:
    source = tmp_path / "source.docx"
    source.write_bytes(docx)
    target = tmp_path / "stored.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return target.read_bytes()


def test_a_zip_whose_entries_carry_the_encryption_flag_is_a_protected_document(workspace, registry, tmp_path):
    data = _with_method(_stored(tmp_path, _form(workspace, tmp_path)), 0, encrypted=True)
    (tmp_path / "x.docx").write_bytes(data)
    assert sniff(tmp_path / "x.docx") == FileKind.ENCRYPTED
    result = _take(workspace, registry, "protege.docx", data)
    assert result.statut == Statut.QUARANTAINE and not result.erreur_interne
    assert "mot de passe" in result.motif


def test_deflate64_and_aes_entries_are_refused_in_french(workspace, registry, tmp_path):
    stored = _stored(tmp_path, _form(workspace, tmp_path))
    for method, name in ((9, "deflate64.docx"), (99, "aes.docx")):
        result = _take(workspace, registry, name, _with_method(stored, method))
        assert result.statut == Statut.QUARANTAINE and not result.erreur_interne, result
        assert "Deflate64 ou chiffrement AES" in result.motif
        assert "Error" not in result.motif and "(" in result.motif


def test_broken_headers_and_charsets_do_not_stop_an_email(workspace, registry, tmp_path):
    inner = (
        b"From: a@b.fr\r\nSubject: =?utf-8?q?R=C3=A9ponse_=FF=FE_cass=C3?=\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nbonjour\r\n"
    )
    message = EmailMessage()
    message["From"] = "CAF <sophie@caf.example.fr>"
    message["Subject"] = "Réponse"
    message.set_content("corps")
    message.add_attachment(
        _form(workspace, tmp_path), maintype="application", subtype="octet-stream", filename="r.docx"
    )
    raw = bytes(message).replace(b"Subject: ", b"Message-ID: <[id@domain.com]>\r\nSubject: ", 1)
    raw = raw.replace(b'charset="utf-8"', b'charset="x-inconnu-42"', 1)
    boundary = message.get_boundary().encode()
    embedded = (
        b"--" + boundary + b"\r\nContent-Type: message/rfc822\r\n"
        b'Content-Disposition: attachment; filename="transfert.eml"\r\n\r\n' + inner + b"\r\n"
    )
    raw = raw.replace(b"--" + boundary + b"--", embedded + b"--" + boundary + b"--")
    result = _take(workspace, registry, "abime.eml", raw)
    assert result.statut == Statut.ENREGISTRE and not result.erreur_interne, result
    assert [p.statut for p in result.pieces][:1] == [Statut.ENREGISTRE]


def test_three_attachments_sharing_names_all_reach_the_registry(workspace, registry, tmp_path):
    message = EmailMessage()
    message["From"] = "ARS <a@ars.example.fr>"
    message["Subject"] = "Formulaires"
    message.set_content("trois fiches")
    for organisme, name in (("CAF", "x.docx"), ("ARS", "3_x.docx"), ("Ville d'Arras", "x.docx")):
        form = _form(workspace, tmp_path, organisme)
        message.add_attachment(form, maintype="application", subtype="octet-stream", filename=name)
    result = _take(workspace, registry, "trois.eml", bytes(message))
    assert sorted(p.fichier for p in result.pieces) == ["3_x.docx", "x (2).docx", "x.docx"]
    assert [p.statut for p in result.pieces] == [Statut.ENREGISTRE] * 3


def test_temporary_copies_left_in_the_archive_by_a_kill_are_cleaned(workspace):
    folder = workspace.archive / "ab"
    folder.mkdir(parents=True, exist_ok=True)
    old, young = folder / ".old.tmp", folder / ".young.tmp"
    old.write_bytes(b"x")
    young.write_bytes(b"y")
    past = time.time() - 7200
    os.utime(old, (past, past))
    assert storage.clean_leftovers(workspace) == 1
    assert not old.exists() and young.exists(), "a copy being written by another command is left alone"


def test_temporary_copies_of_a_killed_process_are_cleaned_at_once(workspace):
    folder = workspace.archive / "cd"
    folder.mkdir(parents=True, exist_ok=True)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead, alive = folder / f".{gone.pid}-abc.tmp", folder / f".{os.getpid()}-abc.tmp"
    report = workspace.quarantine / f".{gone.pid}-x.docx.txt.tmp"
    for path in (dead, alive, report):
        path.write_bytes(b"x")
    assert storage.clean_leftovers(workspace) == 2
    assert alive.exists() and not dead.exists() and not report.exists()
