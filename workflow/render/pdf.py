"""PDF beside every generated document, in one LibreOffice run, and a folder packed as one zip."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from workflow.libreoffice import convert_all


def en_pdf(documents: Sequence[Path], pdfa: bool = False) -> list[Path]:
    """Write `X.pdf` beside each `X.docx` (PDF/A-2b when `pdfa`), LibreOffice started once."""
    if not documents:
        return []
    stems = [d.stem for d in documents]
    if len(set(stems)) != len(stems):  # one output folder needs distinct names: one run per folder
        folders: dict[Path, list[Path]] = {}
        for d in documents:
            folders.setdefault(d.parent, []).append(d)
        return [pdf for group in folders.values() for pdf in en_pdf(group, pdfa)]
    with tempfile.TemporaryDirectory(prefix="cdv-pdf-") as tmp:
        converted = convert_all(list(documents), "pdfa" if pdfa else "pdf", Path(tmp))
        written = []
        for document, pdf in zip(documents, converted, strict=True):
            target = document.with_suffix(".pdf")
            os.replace(pdf, target) if pdf.parent.stat().st_dev == target.parent.stat().st_dev else _copy(pdf, target)
            written.append(target)
    return written


def _copy(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


def zipper(folder: Path, archive: Path | None = None) -> Path:
    """Pack every file of `folder` (sub-folders included) into `folder.zip` beside it."""
    archive = archive or folder.with_suffix(".zip")
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".zip.tmp", dir=archive.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
                z.write(path, Path(folder.name) / path.relative_to(folder))
        os.replace(tmp, archive)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return archive


def dossier_complet(folder: Path, pdfa: bool = False) -> Path:
    """Give every document of `folder` its PDF (the reminders' forms stay Word files to fill), then zip
    the folder: the COPIL pack in one file."""
    en_pdf(sorted(folder.glob("*.docx")), pdfa)
    return zipper(folder)
