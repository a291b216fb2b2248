"""Two hundred files dropped at once while the watcher is killed with SIGKILL at random moments:
every file ends exactly once in one place, no temporary file is left, the registry is intact."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import fill_form, requires
from sqlalchemy import select, text
from support import start, wait_until

from workflow.intake import storage
from workflow.registry.db import Registry
from workflow.registry.models import Soumission
from workflow.render.formulaire import questionnaire_form
from workflow.watch.lock import STATUS
from workflow.workspace import init_workspace

PG_URL = os.environ.get("CDV_TEST_PG_URL")
FORMS, OTHERS = 50, 150
KILLS, KILLS_PG = 20, 4  # the issue asks 20; the server variant keeps 4 (CI time)
QUIET = "0.2"  # seconds of stability before a file is taken (the files are all in place before the start)
PAUSE = 0.1  # the kill comes up to this long after the first file is taken: a few files each time, so that
# twenty kills fall before the two hundred files are all taken, however fast the machine


def _drop(workspace, tmp_path: Path) -> dict[str, bytes]:
    """Write 200 distinct files into the inbox at once: filled forms and files to refuse."""
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    files = {}
    for i in range(FORMS):
        answers = {"organisme": f"Organisme {i}", "referent_nom": f"Agent {i}"}
        files[f"reponse_{i:03}.docx"] = fill_form(blank, answers, tmp_path / f"f{i}.docx").read_bytes()
    for i in range(OTHERS):
        files[f"autre_{i:03}.docx"] = [f"pas un document {i}\n".encode(), b"%PDF-1.4\n" + bytes([i]) * 50][i % 2]
    staging = tmp_path / "depot"
    staging.mkdir()
    for name, data in files.items():  # written beside, then renamed in: the 200 land together
        (staging / name).write_bytes(data)
    for name in files:
        os.rename(staging / name, workspace.inbox / name)
    return files


def _waiting(workspace, files: dict[str, bytes]) -> int:
    return sum(os.path.lexists(workspace.inbox / name) for name in files)


def _first_taken(workspace, files: dict[str, bytes], limit: float) -> None:
    """Return as soon as the watcher has taken one more file (looked at every 20 ms, so that the kill
    after it falls a few files later, not a batch later)."""
    waiting = _waiting(workspace, files)
    deadline = time.monotonic() + limit
    while _waiting(workspace, files) >= waiting:
        assert time.monotonic() < deadline, "the watcher took no file"
        time.sleep(0.02)


def _rows(url: str) -> list[Soumission]:
    registry = Registry(url)
    try:
        with registry.session() as session:
            return list(session.scalars(select(Soumission)))
    finally:
        registry.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=requires(bool(PG_URL), "CDV_TEST_PG_URL absent"))])
def espace(request, tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    if request.param == "postgresql":
        (workspace.registry / "config.toml").write_text(f'[registre]\nurl = "{PG_URL}"\n', encoding="utf-8")
    yield workspace, request.param
    if request.param == "postgresql":
        registry = Registry(PG_URL)
        with registry.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        registry.close()


@pytest.mark.timeout(240)
def test_kills_at_random_moments_lose_nothing_and_double_nothing(espace, tmp_path):
    workspace, kind = espace
    url = workspace.database_url()
    files = _drop(workspace, tmp_path)
    chance = random.Random(16)
    kills = KILLS if kind == "sqlite" else KILLS_PG
    done = 0
    while done < kills and _waiting(workspace, files) > 0:
        daemon = start(workspace.root, "--delai", QUIET)
        try:
            _first_taken(workspace, files, 60)
            time.sleep(chance.uniform(0.0, PAUSE))  # then mid-file, mid-commit, between the commit and the move
        finally:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait(timeout=30)
        done += 1
    assert done == kills, f"only {done} kills before the end: the files went too fast"
    final = start(workspace.root)
    try:
        wait_until(lambda: _running(workspace, final.pid), 60)  # a SIGTERM before its handler would kill it
        wait_until(lambda: _waiting(workspace, files) == 0, 150)
    finally:
        final.send_signal(signal.SIGTERM)
        assert final.wait(timeout=60) == 0
    found = _rows(url)
    assert Counter(r.fichier for r in found) == Counter(list(files)), "every file exactly once"
    for row in found:
        expected = "enregistre" if row.fichier.startswith("reponse_") else "quarantaine"
        assert row.statut == expected and row.libere_le is not None, (row.fichier, row.statut, row.motif)
        assert row.sha256 == hashlib.sha256(files[row.fichier]).hexdigest()
        kept = workspace.root / row.chemin
        assert kept.is_file(), row.chemin
        if row.statut == "enregistre":
            assert hashlib.sha256(kept.read_bytes()).hexdigest() == row.sha256, "archive complete"
    assert sorted(p.name for p in workspace.quarantine.iterdir() if not p.name.endswith(".txt")) == sorted(
        n for n in files if n.startswith("autre_")
    )
    assert not [p for p in workspace.root.rglob("*.tmp")], "no temporary file left"
    assert not list((workspace.registry / storage.WORK).glob("*")), "no e-mail work folder left"
    _integrity(url, kind)


def _running(workspace, pid: int) -> bool:
    """Whether this watcher has written its status: it is past start-up and handles SIGTERM."""
    status = workspace.registry / STATUS
    try:
        return json.loads(status.read_text(encoding="utf-8")).get("pid") == pid
    except (OSError, ValueError):
        return False


def _integrity(url: str, kind: str) -> None:
    registry = Registry(url)
    try:
        with registry.engine.connect() as connection:
            if kind == "sqlite":
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
            else:
                connection.execute(text("SELECT count(*) FROM soumissions")).scalar()
            orphans = connection.execute(
                text(
                    "SELECT count(*) FROM soumissions s WHERE s.doublon_de_id IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM soumissions o WHERE o.id = s.doublon_de_id)"
                )
            ).scalar()
            assert orphans == 0
    finally:
        registry.close()
