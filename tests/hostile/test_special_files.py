"""Only regular files are taken: a pipe, a device or a link is refused in French, never read nor
waited on, by `ingest`, by `cdv ingerer` (which goes on with the next file) and by the watcher."""

from __future__ import annotations

import os
import threading
import time

import pytest
from conftest import fill_form
from support import cdv

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.render.formulaire import questionnaire_form
from workflow.watch.stability import StabilityTracker


def _form(workspace, tmp_path):
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / "vierge.docx")
    return fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie Martin"}, tmp_path / "rempli.docx")


def _within(seconds: float, action):
    """Run `action` in a thread; fail (instead of hanging the suite) if it does not return in time."""
    outcome: list = []
    worker = threading.Thread(target=lambda: outcome.append(action()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"still blocked after {seconds} s"
    return outcome[0]


@pytest.mark.timeout(60)
def test_a_pipe_named_like_a_form_is_quarantined_without_being_opened(workspace, registry):
    path = workspace.inbox / "x.docx"
    os.mkfifo(path)
    result = _within(10, lambda: ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True)))
    assert result.statut == Statut.QUARANTAINE and "tube nommé (FIFO)" in result.motif
    assert not os.path.lexists(path) and os.path.lexists(workspace.quarantine / "x.docx")
    assert (workspace.quarantine / "x.docx.txt").read_text(encoding="utf-8").count("pas un fichier ordinaire") == 1


@pytest.mark.timeout(60)
def test_a_link_in_the_inbox_is_never_followed_even_to_a_valid_form(workspace, registry, tmp_path):
    form = _form(workspace, tmp_path)
    for name, target in (("vers_zero.docx", "/dev/zero"), ("vers_formulaire.docx", form)):
        os.symlink(target, workspace.inbox / name)
        result = _within(
            10, lambda n=name: ingest(workspace, registry, Arrivee(workspace.inbox / n, Source.DOSSIER, deplacer=True))
        )
        assert result.statut == Statut.QUARANTAINE and "lien symbolique" in result.motif, result
    assert form.read_bytes()[:2] == b"PK", "the target is left alone"


@pytest.mark.timeout(120)
def test_cdv_ingerer_refuses_a_device_and_goes_on_with_the_next_files(workspace, tmp_path):
    form = _form(workspace, tmp_path)
    os.symlink("/dev/zero", tmp_path / "zero.docx")  # named on the command line: followed, then refused
    os.mkfifo(workspace.inbox / "tube.docx")
    done = cdv(
        "--racine",
        str(workspace.root),
        "ingerer",
        str(tmp_path / "zero.docx"),
        str(workspace.inbox / "tube.docx"),
        str(form),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "périphérique" in done.stdout and "tube nommé" in done.stdout
    assert "1 enregistré" in done.stdout and "2 quarantaine" in done.stdout, done.stdout


def test_the_watcher_hands_on_a_pipe_without_opening_it(tmp_path):
    os.mkfifo(tmp_path / "tube.docx")
    os.symlink("/dev/zero", tmp_path / "zero.docx")
    tracker = StabilityTracker(delay=0.0)
    for name in ("tube.docx", "zero.docx"):
        tracker.touch(tmp_path / name)
    time.sleep(0.01)
    ready = _within(5, tracker.ready)
    assert [p.name for p in ready] == ["tube.docx", "zero.docx"]
