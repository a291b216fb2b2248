"""An e-mail is unpacked in a folder inside the workspace, never in /tmp; one left by a kill is swept
at the watcher's start (or by the next e-mail), and the e-mail then ends recorded exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from conftest import fill_form
from hostile_cases import mail
from support import rows, start, wait_until

from workflow.intake import storage
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.render.formulaire import questionnaire_form

FORMS = 12


def _tmp_leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("cdv-courriel-*")}


def _work(workspace) -> list[Path]:
    folder = workspace.registry / storage.WORK
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _email_with_forms(workspace, tmp_path: Path, count: int) -> bytes:
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    message = mail(None, "Réponses des antennes")
    for i in range(count):
        form = fill_form(blank, {"organisme": f"Organisme {i}", "referent_nom": f"Agent {i}"}, tmp_path / f"{i}.docx")
        message.add_attachment(form.read_bytes(), maintype="application", subtype="octet-stream", filename=f"r{i}.docx")
    return bytes(message)


def test_an_email_is_unpacked_inside_the_workspace_and_the_folder_removed(workspace, registry, tmp_path):
    before = _tmp_leftovers()
    path = workspace.inbox / "reponses.eml"
    path.write_bytes(_email_with_forms(workspace, tmp_path, 2))
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert [p.statut for p in result.pieces] == [Statut.ENREGISTRE] * 2
    assert _tmp_leftovers() == before and _work(workspace) == []


def test_the_sweep_removes_the_folders_of_dead_processes_only(workspace):
    dead = workspace.registry / storage.WORK / f"{_dead_pid()}-courriel-abc"
    alive = workspace.registry / storage.WORK / f"{os.getppid()}-courriel-def"
    for folder in (dead, alive):
        folder.mkdir(parents=True)
        (folder / "reponse.docx").write_bytes(b"PK")
    assert storage.clean_leftovers(workspace) == 1
    assert _work(workspace) == [alive]
    old = time.time() - 2 * 86400
    os.utime(alive, (old, old))  # a process id taken again by another program long after
    assert storage.clean_work_folders(workspace) == 1 and _work(workspace) == []


def test_a_kill_while_an_email_is_unpacked_leaves_nothing_once_the_watcher_restarts(workspace, tmp_path):
    before = _tmp_leftovers()
    data = _email_with_forms(workspace, tmp_path, FORMS)
    (tmp_path / "reponses.eml").write_bytes(data)
    os.rename(tmp_path / "reponses.eml", workspace.inbox / "reponses.eml")
    daemon = start(workspace.root)
    try:
        # the work folder lives only while the e-mail is unpacked: looked for often, not to miss it under load
        wait_until(lambda: any(p.name.startswith(f"{daemon.pid}-") for p in _work(workspace)), 60, every=0.005)
    finally:
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(timeout=30)
    assert _work(workspace), "the kill came while the e-mail was unpacked"
    final = start(workspace.root)
    try:
        wait_until(lambda: not (workspace.inbox / "reponses.eml").exists(), 120)
    finally:
        final.send_signal(signal.SIGTERM)
        final.wait(timeout=60)
    assert _work(workspace) == [] and _tmp_leftovers() == before
    recorded = Counter(r.fichier for r in rows(workspace.root) if r.statut == "enregistre")  # the rest: doublons
    assert recorded == Counter({"reponses.eml": 1, **{f"r{i}.docx": 1 for i in range(FORMS)}})
