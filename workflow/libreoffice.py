"""Convert documents with LibreOffice headless: own profile, timeout, output checked.

LibreOffice exits 0 even when it could not load a file (encrypted, unknown), so success is
judged by the output file, never by the exit status.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from workflow.errors import CdvError

log = logging.getLogger(__name__)
TIMEOUT = 120
FILTERS = {  # no shell between us and LibreOffice: no quotes around filter names
    "pdf": "pdf:writer_pdf_Export",
    # PDF/A-2b for archiving (JSON filter options, LibreOffice ≥ 7.4)
    "pdfa": 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
    "docx": "docx:MS Word 2007 XML",
    "odt": "odt:writer8",
    "doc": "doc:MS Word 97",
    "rtf": "rtf:Rich Text Format",
}


class ConversionImpossible(CdvError):
    """LibreOffice is missing, timed out, or produced nothing."""


class ConversionTropLongue(ConversionImpossible):
    """LibreOffice did not finish within the time allowed."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, fmt: str, outdir: Path, timeout: int = TIMEOUT) -> Path:
    """Convert `source` to `fmt` (pdf, pdfa, docx, odt, doc) into `outdir`; return the new file."""
    return convert_all([source], fmt, outdir, timeout)[0]


def convert_all(sources: list[Path], fmt: str, outdir: Path, timeout: int = TIMEOUT) -> list[Path]:
    """Convert several files in one LibreOffice run (it starts once); every output is checked."""
    binary = soffice()
    if binary is None:
        raise ConversionImpossible("LibreOffice n'est pas installé (la mise en place « python3 run.py » l'installe)")
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{source.stem}.{'pdf' if fmt == 'pdfa' else fmt}" for source in sources]
    with tempfile.TemporaryDirectory(prefix="cdv-lo-") as profile:
        command = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            FILTERS[fmt],
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": profile},
        )
        try:
            _, stderr = process.communicate(timeout=timeout * len(sources))
        except subprocess.TimeoutExpired as e:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ConversionTropLongue(f"LibreOffice n'a pas terminé la conversion en {timeout} s") from e
    for source, target in zip(sources, targets, strict=True):
        if not target.is_file() or target.stat().st_size == 0:
            if stderr:  # LibreOffice speaks English: its words go to the log, never to the user
                log.info("LibreOffice sur %s : %s", source.name, stderr.decode(errors="replace").strip()[-500:])
            raise ConversionImpossible(
                f"LibreOffice n'a pas pu ouvrir le document « {source.name} » "
                "(fichier endommagé, protégé par un mot de passe ou d'un format inattendu)"
            )
    return targets
