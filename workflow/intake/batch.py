"""Ingest a batch of files: the reading runs ahead in the sandbox's workers, several files at once,
while the recording stays in the caller's thread, one file after the other in the order given.

Reading writes nothing (no disk, no database), so reading ahead changes nothing of what becomes of
a file: each one still goes through `ingest` in its turn (interrupted run, duplicate, record or
quarantine, then the move), and a reading done for a file that turns out to be a duplicate is
simply dropped. A reading is used only if the file is still the one that was read (same size,
mtime and inode), of the same type, received the same year and read against the same reference
data; otherwise the file is read again in its turn. Each reading runs in a sandbox worker, under
the memory and time limits of a file read alone.

The readings start as soon as the files are known (`Lectures`): a command reads while it still
imports the recording side and opens the registry, which this module therefore does not import.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from workflow.intake import document, sandbox, storage
from workflow.intake.types import Analyse, Arrivee, Resultat
from workflow.parsers.sniff import FileKind, sniff
from workflow.referentiel import Referentiel
from workflow.workspace import Workspace

if TYPE_CHECKING:
    from workflow.intake.ingest import Lecteur
    from workflow.registry.db import Registry

EMAILS = (FileKind.EML, FileKind.MSG)  # read by `ingest` itself, attachment by attachment
AHEAD = 16  # readings kept ahead of the recording, per worker: a bounded memory
Signature = tuple[int, int, int]


@dataclass(frozen=True)
class _Lecture:
    """A file read ahead: the file as it was, its type, the year and reference data it was read
    with, and what came of it."""

    signature: Signature
    kind: FileKind
    annee: int
    ref: Referentiel
    analyse: Analyse | None = None
    erreur: Exception | None = None


class Lectures:
    """The readings of a batch, run ahead in up to `workers` sandbox workers at once from the moment
    it is made; used as a context manager, which stops the readings left when the batch is given up."""

    def __init__(self, arrivees: Iterable[Arrivee], ref: Referentiel, workers: int | None = None) -> None:
        self.arrivees = list(arrivees)
        self.ref = ref
        self.count = min(sandbox.WORKERS if workers is None else workers, len(self.arrivees))
        self._pool = ThreadPoolExecutor(self.count, thread_name_prefix="cdv-lecture") if self.count > 1 else None
        self._ahead: dict[int, Future[_Lecture | None]] = {}
        self._submit(0)

    def reading(self, i: int) -> Lecteur | None:
        """Return the reading stage of the i-th file (None: `ingest` reads it itself), and read further ahead."""
        if self._pool is None:
            return None
        self._submit(i)
        return _reuse(self._ahead.pop(i))

    def _submit(self, start: int) -> None:
        if self._pool is None:
            return
        for j in range(start, min(start + AHEAD * self.count, len(self.arrivees))):
            if j not in self._ahead:
                self._ahead[j] = self._pool.submit(_read_ahead, self.arrivees[j], self.ref)

    def __enter__(self) -> Lectures:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: TracebackType | None) -> None:
        if self._pool is None:
            return
        self._pool.shutdown(wait=kind is None, cancel_futures=True)
        if kind is not None:  # given up: the readings still running are stopped, not waited for
            sandbox.reset()


def ingest_all(
    workspace: Workspace, registry: Registry, arrivees: Iterable[Arrivee], workers: int | None = None
) -> Iterator[Resultat]:
    """Yield what became of each file, in the order given, reading up to `workers` files at once."""
    with Lectures(arrivees, workspace.referentiel, workers) as lectures:
        yield from record_all(workspace, registry, lectures)


def record_all(workspace: Workspace, registry: Registry, lectures: Lectures) -> Iterator[Resultat]:
    """Yield what became of each file of `lectures`, in their order, each one recorded in its turn."""
    from workflow.intake.ingest import ingest

    for i, arrivee in enumerate(lectures.arrivees):
        yield ingest(workspace, registry, arrivee, lectures.reading(i))


def _read_ahead(arrivee: Arrivee, ref: Referentiel) -> _Lecture | None:
    """Read one file as `ingest` would (in a pool thread); None for what `ingest` reads itself."""
    if storage.not_regular(arrivee.path, follow=not arrivee.deplacer) is not None:
        return None  # a pipe, a device or a link into the inbox is never opened
    try:
        signature = _signature(arrivee.path)
        kind = sniff(arrivee.path)
    except OSError:
        return None
    if kind in EMAILS:
        return None
    received = dt.datetime.now(dt.UTC)
    try:
        return _Lecture(signature, kind, received.year, ref, document.analyse(arrivee.path, kind, ref, received))
    except Exception as e:  # kept, and raised in its turn where `ingest` reads the file
        return _Lecture(signature, kind, received.year, ref, erreur=e)


def _reuse(future: Future[_Lecture | None]) -> Lecteur:
    """Return the reading stage of one file: what was read ahead, if the file is still that one."""

    def read(path: Path, kind: FileKind, ref: Referentiel, received: dt.datetime) -> Analyse:
        lecture = future.result()
        if lecture is None or (lecture.kind, lecture.annee, lecture.ref) != (kind, received.year, ref):
            return document.analyse(path, kind, ref, received)
        if _changed(path, lecture):  # replaced or rewritten since: read as it is now
            return document.analyse(path, kind, ref, received)
        if lecture.erreur is not None:
            raise lecture.erreur
        return lecture.analyse or document.analyse(path, kind, ref, received)

    return read


def _signature(path: Path) -> Signature:
    """Return what tells the file apart from one put in its place: size, mtime, inode."""
    found = os.stat(path)
    return found.st_size, found.st_mtime_ns, found.st_ino


def _changed(path: Path, lecture: _Lecture) -> bool:
    """Whether the file is no longer the one that was read ahead."""
    try:
        return _signature(path) != lecture.signature
    except OSError:
        return True
