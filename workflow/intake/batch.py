"""Ingest a batch of files: the reading runs ahead in the sandbox's workers, several files at once,
while the recording stays in the caller's thread, one file after the other in the order given.

Reading writes nothing (no disk, no database), so reading ahead changes nothing of what becomes of
a file: each one still goes through `ingest` in its turn (interrupted run, duplicate, record or
quarantine, then the move), and a reading done for a file that turns out to be a duplicate is
simply dropped. A reading is used only if the file is still the one that was read (same size,
mtime and inode), of the same type, received the same year and read against the same reference
data; otherwise the file is read again in its turn. Each reading runs in a sandbox worker, under
the memory and time limits of a file read alone.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from workflow.intake import ingest as pipeline
from workflow.intake import sandbox, storage
from workflow.intake.ingest import Lecteur, ingest
from workflow.intake.types import Analyse, Arrivee, Resultat
from workflow.parsers.sniff import FileKind, sniff
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.workspace import Workspace

EMAILS = (FileKind.EML, FileKind.MSG)  # read by `ingest` itself, attachment by attachment
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


def ingest_all(
    workspace: Workspace, registry: Registry, arrivees: Iterable[Arrivee], workers: int | None = None
) -> Iterator[Resultat]:
    """Yield what became of each file, in the order given, reading up to `workers` files at once."""
    todo = list(arrivees)
    count = min(sandbox.WORKERS if workers is None else workers, len(todo))
    if count <= 1:
        yield from (ingest(workspace, registry, arrivee) for arrivee in todo)
        return
    pool = ThreadPoolExecutor(count, thread_name_prefix="cdv-lecture")
    window = 2 * count  # readings kept ahead of the recording: a bounded memory
    ahead: dict[int, Future[_Lecture | None]] = {}
    finished = False
    try:
        for i, arrivee in enumerate(todo):
            for j in range(i, min(i + window, len(todo))):
                if j not in ahead:
                    ahead[j] = pool.submit(_read_ahead, todo[j], workspace.referentiel)
            yield ingest(workspace, registry, arrivee, _reuse(ahead.pop(i)))
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished:  # interrupted: the readings still running are stopped, not waited for
            sandbox.reset()


def warm_up(count: int) -> None:
    """Start the reading workers a batch of `count` files will use, before the registry is opened."""
    sandbox.start(min(sandbox.WORKERS, count))


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
        return _Lecture(signature, kind, received.year, ref, pipeline.analyse(arrivee.path, kind, ref, received))
    except Exception as e:  # kept, and raised in its turn where `ingest` reads the file
        return _Lecture(signature, kind, received.year, ref, erreur=e)


def _reuse(future: Future[_Lecture | None]) -> Lecteur:
    """Return the reading stage of one file: what was read ahead, if the file is still that one."""

    def read(path: Path, kind: FileKind, ref: Referentiel, received: dt.datetime) -> Analyse:
        lecture = future.result()
        if lecture is None or (lecture.kind, lecture.annee, lecture.ref) != (kind, received.year, ref):
            return pipeline.analyse(path, kind, ref, received)
        if _changed(path, lecture):  # replaced or rewritten since: read as it is now
            return pipeline.analyse(path, kind, ref, received)
        if lecture.erreur is not None:
            raise lecture.erreur
        return lecture.analyse or pipeline.analyse(path, kind, ref, received)

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
