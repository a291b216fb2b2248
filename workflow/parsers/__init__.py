"""Parse stage: the parser registry, keyed by the file type read from the content."""

from __future__ import annotations

from workflow.parsers.base import Contenu, Illisible, Motif, Reader
from workflow.parsers.converted import reader_for
from workflow.parsers.docx import read_docx
from workflow.parsers.ocr import read_image, read_scanned_pdf
from workflow.parsers.pdf import read_pdf
from workflow.parsers.sniff import FileKind

PARSERS: dict[FileKind, tuple[str, Reader]] = {
    FileKind.DOCX: ("docx", read_docx),
    FileKind.PDF: ("pdf", read_pdf),
    FileKind.ODT: ("libreoffice-odt", reader_for("odt")),
    FileKind.DOC: ("libreoffice-doc", reader_for("doc")),
    FileKind.RTF: ("libreoffice-rtf", reader_for("rtf")),
    FileKind.DOCM: ("libreoffice-docm", reader_for("docm")),
    FileKind.JPEG: ("ocr-jpeg", read_image),
    FileKind.PNG: ("ocr-png", read_image),
    FileKind.TIFF: ("ocr-tiff", read_image),
}
IMAGES = frozenset({FileKind.JPEG, FileKind.PNG, FileKind.TIFF})
SCANNED_PDF: tuple[str, Reader] = ("ocr-pdf", read_scanned_pdf)  # a PDF the "pdf" reader found without text

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


__all__ = ["IMAGES", "PARSERS", "SCANNED_PDF", "Contenu", "Illisible", "Motif", "parser_for"]
