"""Parse stage: the parser registry, keyed by the file type read from the content.

Each reader is imported when first called: the process that records never loads the PDF and OCR
libraries (numpy, pdfplumber, pypdf…), and a reading worker only those of the files it is given."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from workflow.parsers.base import Contenu, Illisible, Motif, Reader
from workflow.parsers.delimited import with_delimited_tables
from workflow.parsers.printed_sheet import without_sheet_headings
from workflow.parsers.sniff import FileKind

CONVERSION_TIMEOUT = 60  # seconds for LibreOffice to convert one file
OCR_TIMEOUT = 240  # seconds for OCRmyPDF on one file (a page takes 5 to 15 s on one core)


def _imported(module: str, name: str, *args: str) -> Reader:
    """Return a reader that imports `workflow.parsers.<module>` on its first call; what it reads
    goes through what holds whatever the format (lines delimited by « ; » are a table, a printed
    sheet's row numbers and column letters are none of the form's)."""

    def read(path: Path) -> Contenu:
        reader = getattr(import_module(f"workflow.parsers.{module}"), name)
        return without_sheet_headings(with_delimited_tables(reader(path, *args)))

    return read


PARSERS: dict[FileKind, tuple[str, Reader]] = {
    FileKind.DOCX: ("docx", _imported("docx", "read_docx")),
    FileKind.PDF: ("pdf", _imported("pdf", "read_pdf")),
    FileKind.ODT: ("libreoffice-odt", _imported("converted", "read_converted", "odt")),
    FileKind.DOC: ("libreoffice-doc", _imported("converted", "read_converted", "doc")),
    FileKind.RTF: ("libreoffice-rtf", _imported("converted", "read_converted", "rtf")),
    FileKind.DOCM: ("libreoffice-docm", _imported("converted", "read_converted", "docm")),
    FileKind.JPEG: ("ocr-jpeg", _imported("ocr", "read_image")),
    FileKind.PNG: ("ocr-png", _imported("ocr", "read_image")),
    FileKind.TIFF: ("ocr-tiff", _imported("ocr", "read_image")),
}
IMAGES = frozenset({FileKind.JPEG, FileKind.PNG, FileKind.TIFF})
SCANNED_PDF: tuple[str, Reader] = ("ocr-pdf", _imported("ocr", "read_scanned_pdf"))  # a PDF found without text

UNSUPPORTED = {
    FileKind.EMPTY: (Motif.VIDE, "fichier vide (0 octet ou uniquement des blancs)"),
    FileKind.ENCRYPTED: (
        Motif.CHIFFRE,
        "document protégé par un mot de passe : demander au partenaire une version sans mot de passe",
    ),
    FileKind.XML: (Motif.TYPE_NON_PRIS_EN_CHARGE, "fichier XML (par exemple Word 2003 XML), pas un document .docx"),
    FileKind.TEXT: (Motif.TYPE_NON_PRIS_EN_CHARGE, "simple fichier texte, pas un document Word"),
    FileKind.ZIP: (Motif.TYPE_NON_PRIS_EN_CHARGE, "archive ZIP qui n'est pas un document Word"),
    FileKind.UNKNOWN: (Motif.TYPE_NON_PRIS_EN_CHARGE, "type de fichier non reconnu"),
}


def parser_for(kind: FileKind) -> tuple[str, Reader]:
    """Return (name, reader) for a file type, or raise `Illisible` saying why it cannot be read."""
    if kind in PARSERS:
        return PARSERS[kind]
    motif, detail = UNSUPPORTED.get(
        kind,
        (
            Motif.TYPE_NON_PRIS_EN_CHARGE,
            f"les fichiers {kind.value.upper()} ne sont pas encore lus par "
            "l'outil : demander au partenaire le formulaire au format Word (.docx)",
        ),
    )
    raise Illisible(motif, detail)


__all__ = [
    "CONVERSION_TIMEOUT",
    "IMAGES",
    "OCR_TIMEOUT",
    "PARSERS",
    "SCANNED_PDF",
    "Contenu",
    "Illisible",
    "Motif",
    "parser_for",
]
