"""Convert documents with LibreOffice headless: own profile, timeout, output checked.

LibreOffice exits 0 even when it could not load a file (encrypted, unknown), so success is
judged by the output file, never by the exit status.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from workflow.errors import CdvError

TIMEOUT = 120
FILTERS = {"pdf": "pdf:writer_pdf_Export", "docx": 'docx:"MS Word 2007 XML"'}


class ConversionImpossible(CdvError):
    """LibreOffice is missing, timed out, or produced nothing."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, fmt: str, outdir: Path, timeout: int = TIMEOUT) -> Path:
    """Convert `source` to `fmt` ("pdf" or "docx") into `outdir`; return the new file."""
    binary = soffice()
    if binary is None:
        raise ConversionImpossible("LibreOffice n'est pas installé (la mise en place « python3 run.py » l'installe)")
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{source.stem}.{fmt}"
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
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": profile},
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ConversionImpossible(f"LibreOffice n'a pas terminé la conversion en {timeout} s") from e
    if not target.is_file() or target.stat().st_size == 0:
        detail = stderr.decode(errors="replace").strip().splitlines()[-1:] if stderr else []
        raise ConversionImpossible("LibreOffice n'a pas pu ouvrir le document" + (f" ({detail[0]})" if detail else ""))
    return target
