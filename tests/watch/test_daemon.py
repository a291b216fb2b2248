"""`cdv surveiller` as a subprocess: every dropped file ends recorded, doublon or quarantined."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import fill_form
from support import rows, start, wait_until

from workflow.render.formulaire import questionnaire_form
from workflow.workspace import init_workspace

TEMPORARY = ["~$reponse.docx", ".~lock.reponse.docx#", "envoi.part", "piece.crdownload", "brouillon.tmp", ".cache"]


def forms(workspace, tmp_path: Path, count: int) -> list[bytes]:
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    return [
        fill_form(
            blank, {"organisme": f"Organisme {i}", "referent_nom": f"Agent {i}"}, tmp_path / f"f{i}.docx"
        ).read_bytes()
        for i in range(count)
    ]


def slow_write(path: Path, data: bytes, pieces: int = 4, pause: float = 0.4) -> None:
    size = len(data) // pieces + 1
    with path.open("wb") as handle:
        for i in range(pieces):
            handle.write(data[i * size : (i + 1) * size])
            handle.flush()
            time.sleep(pause)


@pytest.mark.timeout(300)
def test_a_hundred_files_dropped_each_end_in_one_place(tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    daemon = start(workspace.root)
    try:
        data = forms(workspace, tmp_path, 60)
        expected: dict[str, str] = {}
        writers = []
        for i, content in enumerate(data):
            name = f"reponse_{i:02}.docx"
            expected[name] = "enregistre"
            if i % 12 == 0:  # five files arrive slowly, in chunks, as over a network share
                writers.append(threading.Thread(target=slow_write, args=(workspace.inbox / name, content)))
                writers[-1].start()
            else:
                (workspace.inbox / name).write_bytes(content)
        for i in range(15):
            (workspace.inbox / f"copie_{i:02}.docx").write_bytes(data[i + 1])
            expected[f"copie_{i:02}.docx"] = "doublon"
        for i in range(15):
            bad = workspace.inbox / f"mauvais_{i:02}.docx"
            bad.write_bytes([b"", b"pas un document Word\n", data[0][:500]][i % 3])
            expected[bad.name] = "quarantaine"
        for name in TEMPORARY + [f"~$autre{i}.docx" for i in range(4)]:
            (workspace.inbox / name).write_bytes(b"temporaire")
        for writer in writers:
            writer.join()
        assert len(expected) + 10 == 100
        wait_until(lambda: len(rows(workspace.root)) >= len(expected), 180)
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0
    found = rows(workspace.root)
    assert Counter(r.fichier for r in found) == Counter(list(expected)), "each file recorded exactly once"
    statuses = {r.fichier: r.statut for r in found}
    for i in range(15):  # a copy and its original arrive together: either one is the doublon
        pair = {statuses.pop(f"copie_{i:02}.docx"), statuses.pop(f"reponse_{i + 1:02}.docx")}
        assert pair == {"enregistre", "doublon"}
    assert statuses == {k: v for k, v in expected.items() if k in statuses}
    for r in found:
        if r.fichier.startswith("reponse_"):
            index = int(r.fichier[8:10])
            assert r.sha256 == hashlib.sha256(data[index]).hexdigest(), "never read half-written"
    left = sorted(p.name for p in workspace.inbox.iterdir() if p.is_file())
    assert left == sorted(TEMPORARY + [f"~$autre{i}.docx" for i in range(4)]), "temporary files untouched"
    assert all((workspace.inbox / n).read_bytes() == b"temporaire" for n in left)
    assert len(list(workspace.quarantine.glob("*.txt"))) == 15
    journal = (workspace.registry / "journal.log").read_text(encoding="utf-8")
    assert "Surveillance arrêtée." in journal and "quarantaine" in journal


@pytest.mark.timeout(300)
def test_a_kill_in_the_middle_of_a_batch_loses_nothing_and_records_nothing_twice(tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    data = forms(workspace, tmp_path, 40)
    for i, content in enumerate(data):
        (workspace.inbox / f"r{i:02}.docx").write_bytes(content)
    (workspace.inbox / "vide.docx").write_bytes(b"")
    daemon = start(workspace.root)
    wait_until(lambda: len(rows(workspace.root)) >= 8, 120)
    daemon.send_signal(signal.SIGKILL)
    daemon.wait(timeout=30)
    assert len(rows(workspace.root)) < 41, "killed in the middle of the batch"
    again = start(workspace.root)
    try:
        wait_until(lambda: not any(workspace.inbox.glob("*.docx")), 180)
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=60)
    found = rows(workspace.root)
    assert Counter(r.fichier for r in found) == Counter([f"r{i:02}.docx" for i in range(40)] + ["vide.docx"])
    assert {r.statut for r in found if r.fichier != "vide.docx"} == {"enregistre"}
    assert (workspace.quarantine / "vide.docx").exists()


def test_a_second_watcher_on_the_same_workspace_is_refused(tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    first = start(workspace.root)
    try:
        wait_until(lambda: (workspace.registry / "etat.json").exists(), 60)
        second = subprocess.run(
            [
                sys.executable,
                "-c",
                "from workflow.cli import main; main()",
                "--racine",
                str(workspace.root),
                "surveiller",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2 and "Une surveillance tourne déjà" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=60)


@pytest.mark.timeout(120)
def test_a_file_closed_by_its_writer_or_moved_in_is_taken_without_the_quiet_delay(tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    daemon = start(workspace.root, "--delai", "300", "--rescan", "600")  # the delay alone would take 5 min
    try:
        written, moved = forms(workspace, tmp_path, 2)
        wait_until(lambda: (workspace.registry / "etat.json").exists(), 60)  # the observer is up
        (workspace.inbox / "ecrit.docx").write_bytes(written)
        (tmp_path / "deplace.docx").write_bytes(moved)
        (tmp_path / "deplace.docx").rename(workspace.inbox / "deplace.docx")
        wait_until(lambda: len(rows(workspace.root)) == 2, 60)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    assert sorted(r.fichier for r in rows(workspace.root)) == ["deplace.docx", "ecrit.docx"]
    assert not any(workspace.inbox.glob("*.docx"))


@pytest.mark.timeout(120)
def test_the_polling_observer_for_network_shares_takes_files_too(tmp_path):
    workspace = init_workspace(tmp_path / "espace")
    daemon = start(workspace.root, "--sondage")
    try:
        time.sleep(2)
        for i, content in enumerate(forms(workspace, tmp_path, 2)):
            (workspace.inbox / f"partage_{i}.docx").write_bytes(content)
        wait_until(lambda: len(rows(workspace.root)) == 2, 60)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    assert "par sondage" in (workspace.registry / "journal.log").read_text(encoding="utf-8")
