"""A file's type is read from its bytes, never from its name."""

from __future__ import annotations

import shutil
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from golden import FIXTURES

from workflow.parsers.sniff import FileKind, sniff

ODT_MIME = b"application/vnd.oasis.opendocument.text"


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Organisme : CAF")
    document.save(str(path))


def _zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _eml(path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Sophie Marchand <sophie@caf.example.fr>"
    message["Subject"] = "Fiche d'engagement"
    message.set_content("Bonjour.")
    path.write_bytes(bytes(message))


def _encrypted_odt(path: Path) -> None:
    manifest = b"<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry>"
    _zip(path, {"mimetype": ODT_MIME, "META-INF/manifest.xml": manifest, "content.xml": b"\x93\x11"})


def _truncated_docx(path: Path) -> None:
    _docx(path)
    path.write_bytes(path.read_bytes()[:2000])  # the central directory is gone, the part names are not


BUILDERS = {
    "docx": (_docx, FileKind.DOCX),
    "pdf": (lambda p: shutil.copyfile(FIXTURES / "tableau_caf.pdf", p), FileKind.PDF),
    "odt": (lambda p: _zip(p, {"mimetype": ODT_MIME, "content.xml": b"<office:document-content/>"}), FileKind.ODT),
    "odt-chiffre": (_encrypted_odt, FileKind.ENCRYPTED),
    "ods": (lambda p: _zip(p, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), FileKind.ZIP),
    "rtf": (lambda p: p.write_bytes(b"{\\rtf1\\ansi\\deff0 Bonjour}"), FileKind.RTF),
    "eml": (_eml, FileKind.EML),
    "zip": (lambda p: _zip(p, {"photo.jpg": b"\xff\xd8\xff"}), FileKind.ZIP),
    "vide": (lambda p: p.write_bytes(b""), FileKind.EMPTY),
    "blancs": (lambda p: p.write_bytes(b" \n\t\r\n"), FileKind.EMPTY),
    "texte": (lambda p: p.write_text("Bonjour, voici ma réponse.\n", encoding="utf-8"), FileKind.TEXT),
    "xml": (lambda p: p.write_bytes(b'<?xml version="1.0"?><w:wordDocument/>'), FileKind.XML),
    "binaire": (lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00"), FileKind.UNKNOWN),
    "png": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), FileKind.PNG),
    "docx-tronque": (_truncated_docx, FileKind.DOCX),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_the_type_comes_from_the_content(tmp_path, name):
    build, kind = BUILDERS[name]
    path = tmp_path / "reponse.bin"  # the same neutral name for all: only the bytes tell
    build(path)
    assert sniff(path) == kind


def test_a_pdf_renamed_docx_is_a_pdf(tmp_path):
    disguised = tmp_path / "reponse.docx"
    shutil.copyfile(FIXTURES / "titres_pdc-habitat.pdf", disguised)
    assert sniff(disguised) == FileKind.PDF


def test_a_word_file_renamed_pdf_is_a_docx(tmp_path):
    disguised = tmp_path / "reponse.pdf"
    _docx(disguised)
    assert sniff(disguised) == FileKind.DOCX
