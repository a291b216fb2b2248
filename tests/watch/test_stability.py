"""A dropped file is taken only once it stopped changing for the quiet delay; temporary files never."""

from __future__ import annotations

import os

import pytest

from workflow.watch import stability
from workflow.watch.stability import StabilityTracker, is_ignored


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(stability, "time", fake)
    return fake


def test_a_file_is_ready_only_after_the_quiet_delay(tmp_path, clock):
    path = tmp_path / "reponse.docx"
    path.write_bytes(b"PK complet")
    tracker = StabilityTracker(delay=2.0)
    tracker.touch(path)
    clock.now += 1.9
    assert tracker.ready() == [] and tracker.pending() == 1
    clock.now += 0.1
    assert tracker.ready() == [path]
    assert tracker.pending() == 0 and tracker.ready() == [], "released once, then forgotten"


def test_a_file_still_growing_is_not_ready(tmp_path, clock):
    path = tmp_path / "copie.docx"
    path.write_bytes(b"PK debut")
    tracker = StabilityTracker(delay=2.0)
    tracker.touch(path)
    for _ in range(3):  # a network copy writing a chunk every 1.5 s: never quiet for 2 s
        clock.now += 1.5
        with path.open("ab") as handle:
            handle.write(b" suite")
        assert tracker.ready() == []
    clock.now += 2.0
    assert tracker.ready() == [path]


def test_a_rewrite_of_the_same_size_restarts_the_delay(tmp_path, clock):
    path = tmp_path / "reponse.docx"
    path.write_bytes(b"AAAA")
    tracker = StabilityTracker(delay=2.0)
    tracker.touch(path)
    clock.now += 1.5
    path.write_bytes(b"BBBB")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    tracker.touch(path)
    clock.now += 1.5
    assert tracker.ready() == []
    clock.now += 0.5
    assert tracker.ready() == [path]


def test_a_file_gone_before_the_delay_is_forgotten(tmp_path, clock):
    path = tmp_path / "reponse.docx"
    path.write_bytes(b"PK")
    tracker = StabilityTracker(delay=1.0)
    tracker.touch(path)
    path.unlink()
    clock.now += 5
    assert tracker.ready() == [] and tracker.pending() == 0


@pytest.mark.parametrize(
    "name",
    [
        "~$reponse.docx",
        ".~lock.reponse.docx#",
        "envoi.part",
        "piece.crdownload",
        "brouillon.tmp",
        ".cache",
        "Thumbs.db",
    ],
)
def test_temporary_and_hidden_files_are_ignored(tmp_path, name):
    assert is_ignored(tmp_path / "inbox" / name, tmp_path / "quarantine")


def test_a_form_is_not_ignored_but_anything_in_the_quarantine_is(tmp_path):
    assert not is_ignored(tmp_path / "inbox" / "reponse.docx", tmp_path / "quarantine")
    assert not is_ignored(tmp_path / "inbox" / "réponse ~ CAF.docx", tmp_path / "quarantine")
    assert is_ignored(tmp_path / "quarantine" / "reponse.docx", tmp_path / "quarantine")


def test_a_file_its_writer_closed_is_ready_at_once(tmp_path, clock):
    path = tmp_path / "reponse.docx"
    path.write_bytes(b"PK complet")
    tracker = StabilityTracker(delay=2.0)
    tracker.touch(path, closed=True)
    assert tracker.ready() == [path]


def test_a_closed_file_written_again_waits_the_quiet_delay(tmp_path, clock):
    path = tmp_path / "reponse.docx"
    path.write_bytes(b"PK debut")
    tracker = StabilityTracker(delay=2.0)
    tracker.touch(path, closed=True)
    with path.open("ab") as handle:  # reopened by another writer before we looked
        handle.write(b" suite")
    tracker.touch(path)
    assert tracker.ready() == []
    clock.now += 2.0
    assert tracker.ready() == [path]
