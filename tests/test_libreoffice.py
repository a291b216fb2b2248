"""One LibreOffice kept running converts file after file; it is started again after it died or
overran a file's time limit, and without `uno` each batch has its own LibreOffice as before."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import docx
import pytest

from workflow import libreoffice

pytestmark = pytest.mark.skipif(libreoffice.soffice() is None, reason="LibreOffice absent")


def _rtf(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.rtf"
    path.write_text(r"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}\f0 " + text + r"\par}", encoding="ascii")
    return path


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.fixture
def converter():
    libreoffice.stop_converter()
    yield
    libreoffice.stop_converter()


def _server_pid() -> int | None:
    server = libreoffice._current
    return server.process.pid if server is not None else None


@pytest.mark.skipif(libreoffice._uno_python() is None, reason="python3-uno absent")
def test_one_converter_converts_file_after_file(tmp_path, converter):
    first = libreoffice.convert(_rtf(tmp_path, "premier", "Quartier des Hauts-Blancs-Monts"), "docx", tmp_path / "a")
    started = _server_pid()
    second = libreoffice.convert(_rtf(tmp_path, "second", "Quartier Nord-Est"), "docx", tmp_path / "b")
    assert "Hauts-Blancs-Monts" in _text(first) and "Nord-Est" in _text(second)
    assert started is not None and _server_pid() == started, "the same LibreOffice for both"


@pytest.mark.skipif(libreoffice._uno_python() is None, reason="python3-uno absent")
def test_a_converter_that_died_is_started_again(tmp_path, converter):
    libreoffice.convert(_rtf(tmp_path, "avant", "avant"), "docx", tmp_path / "a")
    dead = _server_pid()
    assert dead is not None
    os.killpg(dead, signal.SIGKILL)
    after = libreoffice.convert(_rtf(tmp_path, "apres", "Conversion apres l'arret"), "docx", tmp_path / "b")
    assert "apres l'arret" in _text(after) and _server_pid() not in (None, dead)


@pytest.mark.skipif(libreoffice._uno_python() is None, reason="python3-uno absent")
def test_a_file_over_its_time_limit_is_refused_and_the_converter_replaced(tmp_path, converter):
    libreoffice.convert(_rtf(tmp_path, "premier", "premier"), "docx", tmp_path / "a")
    before = _server_pid()
    long = "".join(f"Ligne {i} du quartier\\par " for i in range(60_000))  # several seconds of work
    with pytest.raises(libreoffice.ConversionTropLongue):
        libreoffice.convert(_rtf(tmp_path, "long", long), "docx", tmp_path / "b", timeout=1)
    assert _server_pid() is None, "a converter stuck on a file is not kept"
    libreoffice.convert(_rtf(tmp_path, "suivant", "suivant"), "docx", tmp_path / "c")
    assert _server_pid() not in (None, before)


def test_without_uno_each_batch_runs_its_own_libreoffice(tmp_path, converter, monkeypatch):
    monkeypatch.setattr(libreoffice, "_uno_python", lambda: None)  # a machine without python3-uno
    converted = libreoffice.convert(_rtf(tmp_path, "seul", "Conversion sans convertisseur"), "docx", tmp_path)
    assert "sans convertisseur" in _text(converted) and _server_pid() is None


def test_a_damaged_file_is_refused_in_french(tmp_path, converter):
    broken = tmp_path / "abime.odt"
    broken.write_bytes(b"PK\x03\x04 pas un document")
    with pytest.raises(libreoffice.ConversionImpossible, match=r"n'a pas pu ouvrir le document « abime\.odt »"):
        libreoffice.convert(broken, "docx", tmp_path / "sortie")
