"""Convert documents with LibreOffice headless: own profile, timeout, output checked.

A process converts through one long-lived LibreOffice (`workflow.libreoffice_server`, started
on first need, started again after it died or overran a file's time limit) when a Python with
LibreOffice's `uno` module is installed; otherwise, or when that converter cannot start, through
one `soffice --convert-to` per batch. LibreOffice exits 0 even when it could not load a file
(encrypted, unknown), so success is judged by the output file, never by the exit status.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import logging
import os
import secrets
import select
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from workflow.errors import CdvError

log = logging.getLogger(__name__)
TIMEOUT = 120
FILTERS = {  # no shell between us and LibreOffice: no quotes around filter names
    "pdf": "pdf:writer_pdf_Export",
    # PDF/A-2b for archiving (JSON filter options, LibreOffice ≥ 7.4)
    "pdfa": 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
    # Word comments kept: as PDF notes (annotations), and printed in the margin where LibreOffice
    # knows how (ExportNotesInMargin, after 7.4; an option it does not know is ignored)
    "pdf-commentaires": 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"},'
    '"ExportNotesInMargin":{"type":"boolean","value":"true"}}',
    "docx": "docx:MS Word 2007 XML",
    "odt": "odt:writer8",
    "doc": "doc:MS Word 97",
    "rtf": "rtf:Rich Text Format",
}
SERVER = Path(__file__).with_name("libreoffice_server.py")
PROFILES = Path.home() / ".cache" / "cdv"  # the long-lived converters' LibreOffice profiles
START_TIMEOUT = 90.0  # seconds for the long-lived converter to be ready


class ConversionImpossible(CdvError):
    """LibreOffice is missing, timed out, or produced nothing."""


class ConversionTropLongue(ConversionImpossible):
    """LibreOffice did not finish within the time allowed."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, fmt: str, outdir: Path, timeout: int = TIMEOUT) -> Path:
    """Convert `source` to `fmt` (pdf, pdfa, pdf-commentaires, docx, odt, doc) into `outdir`; return the new file."""
    return convert_all([source], fmt, outdir, timeout)[0]


def convert_all(sources: list[Path], fmt: str, outdir: Path, timeout: int = TIMEOUT) -> list[Path]:
    """Convert several files (LibreOffice starts at most once); every output is checked."""
    binary = soffice()
    if binary is None:
        raise ConversionImpossible("LibreOffice n'est pas installé (la mise en place « python3 run.py » l'installe)")
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{source.stem}.{_extension(fmt)}" for source in sources]
    if left := _convert_by_server(binary, sources, targets, fmt, timeout):
        _convert_once(binary, left, fmt, outdir, timeout)
    for source, target in zip(sources, targets, strict=True):
        _check(source, target, b"")
    return targets


def _extension(fmt: str) -> str:
    """Return the file extension a format writes: the first word of its filter (`pdfa` writes `.pdf`)."""
    return FILTERS[fmt].split(":", 1)[0]


def _convert_once(binary: str, sources: list[Path], fmt: str, outdir: Path, timeout: int) -> None:
    """Convert in one `soffice --convert-to` run with its own profile (the fallback)."""
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
    for source in sources:
        _check(source, outdir / f"{source.stem}.{_extension(fmt)}", stderr)


def _check(source: Path, target: Path, stderr: bytes) -> None:
    if not target.is_file() or target.stat().st_size == 0:
        if stderr:  # LibreOffice speaks English: its words go to the log, never to the user
            log.info("LibreOffice sur %s : %s", source.name, stderr.decode(errors="replace").strip()[-500:])
        raise ConversionImpossible(
            f"LibreOffice n'a pas pu ouvrir le document « {source.name} » "
            "(fichier endommagé, protégé par un mot de passe ou d'un format inattendu)"
        )


def _convert_by_server(binary: str, sources: list[Path], targets: list[Path], fmt: str, timeout: int) -> list[Path]:
    """Convert through the long-lived converter; return the sources left to a per-process run: all
    of them when there is no converter, and those it failed on (loading a document through UNO is
    stricter than `--convert-to` with some of them, and a crash stops the converter)."""
    with _lock:
        if _server(binary) is None:
            return sources
        filter_name, data = _filter(fmt)
        left: list[Path] = []
        for i, (source, target) in enumerate(zip(sources, targets, strict=True)):
            request = {"source": str(source.resolve()), "target": str(target.resolve()), "filter": filter_name}
            answer = _ask(binary, {**request, "data": data}, timeout)
            if answer is None:  # no converter can run any more: the rest goes the other way
                return [*left, *sources[i:]]
            if not answer.get("ok"):
                log.info("LibreOffice sur %s : %s", source.name, answer.get("erreur", ""))
                left.append(source)
        return left


def _ask(binary: str, request: dict[str, Any], timeout: int) -> dict[str, Any] | None:
    """Return the converter's answer, starting it again once if it had stopped; None if it cannot run."""
    for _ in range(2):
        server = _server(binary)
        if server is None:
            return None
        try:
            return server.ask(request, timeout)
        except TimeoutError as e:
            _stop()  # LibreOffice may be stuck on this file: the next one gets a fresh converter
            raise ConversionTropLongue(f"LibreOffice n'a pas terminé la conversion en {timeout} s") from e
        except (OSError, ValueError):  # it stopped (a crash on the file before)
            log.warning("Le convertisseur LibreOffice s'est arrêté : il est relancé.")
            _stop()
    return None


def _filter(fmt: str) -> tuple[str, dict[str, Any]]:
    """Return the export filter of `fmt` and its filter data, from the command-line spelling."""
    _, name, *options = FILTERS[fmt].split(":", 2)
    data = {k: _typed(v["type"], v["value"]) for k, v in json.loads(options[0]).items()} if options else {}
    return name, data


def _typed(kind: str, value: str) -> Any:
    """Return a filter option's value as the type LibreOffice's JSON spelling names."""
    if kind == "boolean":
        return value.strip().lower() == "true"
    return int(value) if kind in ("long", "short") else value


class _Server:
    """The long-lived converter process and soffice beside it, in a process group of their own."""

    def __init__(self, python: str, binary: str) -> None:
        # the profile outlives any one file: kept out of the temporary folder a reading leaves clean
        PROFILES.mkdir(parents=True, exist_ok=True)
        self.profile = tempfile.TemporaryDirectory(prefix="lo-", dir=PROFILES, ignore_cleanup_errors=True)
        self.process = subprocess.Popen(
            [python, str(SERVER), binary, self.profile.name, f"cdv-{os.getpid()}-{secrets.token_hex(6)}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "HOME": self.profile.name, "TMPDIR": self.profile.name},  # its temporary files too
        )
        if not self._read(START_TIMEOUT).get("pret"):
            raise OSError("convertisseur non démarré")

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        return self._read(timeout)

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        line = self.process.stdout.readline()
        if not line:
            raise OSError("convertisseur arrêté")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self.profile.cleanup()


_lock = threading.Lock()
_current: _Server | None = None


def _server(binary: str) -> _Server | None:
    """Return this process's converter, started if needed; None when none can run here."""
    global _current
    if _current is not None and not _current.alive():
        _stop()
    python = _uno_python()
    if _current is None and python is not None:
        try:
            _current = _Server(python, binary)
        except (OSError, TimeoutError, ValueError):
            log.warning("Convertisseur LibreOffice indisponible : conversion par un lancement dédié.")
            return None
    return _current


def _stop() -> None:
    global _current
    if _current is not None:
        _current.stop()
        _current = None


def stop_converter() -> None:
    """Stop this process's long-lived converter (also done at exit)."""
    with _lock:
        _stop()


atexit.register(stop_converter)


@functools.cache
def _uno_python() -> str | None:
    """Return a Python interpreter that has LibreOffice's `uno` module, if one is installed."""
    for candidate in ("/usr/lib/libreoffice/program/python", shutil.which("python3"), "/usr/bin/python3"):
        if candidate and os.access(candidate, os.X_OK):
            check = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False)
            if check.returncode == 0:
                return candidate
    return None
