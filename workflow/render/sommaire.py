"""Page numbers of a table of contents, read from the PDF LibreOffice lays out.

LibreOffice does not update a Word TOC field when it converts a document, and Word updates it
only when the user agrees on opening: so the document is laid out once, each title is looked for
in the PDF pages after the table of contents, and the document is rendered again with the numbers.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import pypdf

from workflow.libreoffice import ConversionImpossible, convert, soffice
from workflow.text import normalise


def pages_des_titres(pdf: Path, titres: Sequence[str]) -> list[int | None]:
    """Return the page (from 1) where each title begins, in order, after the table of contents."""
    pages = [f" {normalise(page.extract_text() or '')} " for page in pypdf.PdfReader(pdf).pages]
    wanted = [f" {normalise(t)} " for t in titres]
    if not wanted:
        return []
    start = next((i for i, text in enumerate(pages) if wanted[-1] in text), -1) + 1  # past the TOC
    found: list[int | None] = []
    for title in wanted:
        page = next((i for i in range(start, len(pages)) if title in pages[i]), None)
        found.append(page + 1 if page is not None else None)
        start = page if page is not None else start
    return found


def paginer(docx: Path, titres: Sequence[str]) -> list[int | None] | None:
    """Lay `docx` out with LibreOffice and return the page of each title; None without LibreOffice."""
    if soffice() is None:
        return None
    with tempfile.TemporaryDirectory(prefix="cdv-sommaire-") as tmp:
        try:
            pdf = convert(docx, "pdf", Path(tmp))
        except ConversionImpossible:
            return None
        return pages_des_titres(pdf, titres)
