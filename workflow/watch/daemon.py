"""`cdv surveiller`: watch inbox/ and feed complete files, one at a time, to the pipeline.

One observer (inotify, or polling for network shares where inotify is silent), a catch-up scan
at start, a periodic rescan for missed events, a bounded queue and one worker. With inotify, a
file its writer closed or that was moved in is taken at once; otherwise after the quiet delay. SIGTERM/SIGINT
finish the file in hand, then stop. Originals leave the inbox only after the registry commit.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import signal
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from watchdog.events import EVENT_TYPE_CLOSED, EVENT_TYPE_MOVED, FileSystemEvent, FileSystemEventHandler
from watchdog.observers.inotify import InotifyObserver
from watchdog.observers.polling import PollingObserver

from workflow.copil.scheduler import CopilScheduler
from workflow.intake import storage
from workflow.intake.ingest import Arrivee, Source, ingest, settle_released
from workflow.registry.db import Registry
from workflow.watch.journal import setup_journal
from workflow.watch.lock import STATUS, single_instance
from workflow.watch.stability import StabilityTracker, is_ignored
from workflow.workspace import Workspace

log = logging.getLogger("workflow.surveillance")


class _Events(FileSystemEventHandler):
    def __init__(self, daemon: Surveillance, trust_close: bool) -> None:
        self.daemon = daemon
        self.trust_close = trust_close  # inotify's close and move events; a polling observer has none

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        closed = self.trust_close and event.event_type in (EVENT_TYPE_CLOSED, EVENT_TYPE_MOVED)
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.daemon.consider(Path(os.fsdecode(raw)), closed)


class Surveillance:
    """The watched inbox and its worker."""

    def __init__(
        self,
        workspace: Workspace,
        delay: float = 2.0,
        rescan: float = 300.0,
        polling: bool = False,
        queue_size: int = 100,
        avance: dt.timedelta = dt.timedelta(days=7),
    ) -> None:
        self.workspace = workspace
        self.tracker = StabilityTracker(delay)
        self.rescan_every = rescan
        self.polling = polling
        self.queue: queue.Queue[Path] = queue.Queue(maxsize=queue_size)
        self.queued: set[Path] = set()
        self.stop = threading.Event()
        self.wake = threading.Event()  # a file was closed or moved in: look without waiting for the tick
        self.recent: deque[dict[str, Any]] = deque(maxlen=20)
        self.started = dt.datetime.now().astimezone()
        self.avance = avance
        self.scheduler: CopilScheduler | None = None

    # --- intake of candidate paths ---------------------------------------------------------------

    def consider(self, path: Path, closed: bool = False) -> None:
        if path.parent.is_relative_to(self.workspace.inbox) and not is_ignored(path, self.workspace.quarantine):
            self.tracker.touch(path, closed)
            if closed:
                self.wake.set()

    def scan(self) -> None:
        """Look at every file of the inbox (start-up catch-up and periodic safety net)."""
        for path in self.workspace.inbox.rglob("*"):
            if path.is_symlink() or not path.is_dir():  # pipes and links too: they are refused, not left
                self.consider(path)

    # --- running -----------------------------------------------------------------------------------

    def run(self) -> None:
        """Run until SIGTERM/SIGINT; the file in hand is finished before stopping."""
        with single_instance(self.workspace):
            self._run()

    def _run(self) -> None:
        setup_journal(self.workspace.registry / "journal.log")
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._request_stop)
        registry = Registry(self.workspace.database_url())
        if removed := storage.clean_leftovers(self.workspace):
            log.info("%d copie(s) temporaire(s) laissée(s) par un arrêt brutal retirée(s) des archives.", removed)
        if settled := settle_released(self.workspace, registry):
            log.info("%d fichier(s) retiré(s) de la boîte de dépôt juste avant un arrêt brutal : noté(s).", settled)
        # full events: a file renamed in from outside the inbox is a move, not a creation
        observer = PollingObserver(timeout=1) if self.polling else InotifyObserver(generate_full_events=True)
        observer.schedule(_Events(self, trust_close=not self.polling), str(self.workspace.inbox), recursive=True)
        observer.start()
        worker = threading.Thread(target=self._work, args=(registry,), name="traitement", daemon=True)
        worker.start()
        self.scheduler = CopilScheduler(self.workspace, registry, self.avance)
        self.scheduler.start()
        log.info(
            "Surveillance de %s démarrée (observateur %s, délai de stabilité %.1f s).",
            self.workspace.inbox,
            "par sondage" if self.polling else "inotify",
            self.tracker.delay,
        )
        self.scan()
        # The polling observer takes its first look in its own thread: a file landing before that
        # look and after this scan raises no event, so the first rescan comes early.
        next_rescan = time.monotonic() + min(self.rescan_every, 5.0)
        try:
            while not self.stop.is_set():
                for path in self.tracker.ready():
                    self._enqueue(path)
                if time.monotonic() >= next_rescan:
                    self.scan()
                    next_rescan = time.monotonic() + self.rescan_every
                self._write_status(running=True)
                self.wake.wait(0.3)
                self.wake.clear()
        finally:
            log.info("Arrêt demandé : fin du fichier en cours puis arrêt.")
            observer.stop()
            observer.join(timeout=10)
            self.scheduler.stop()
            worker.join(timeout=600)
            registry.close()
            self._write_status(running=False)
            log.info("Surveillance arrêtée.")

    def _request_stop(self, *_: object) -> None:
        self.stop.set()
        self.wake.set()

    def _enqueue(self, path: Path) -> None:
        if path in self.queued:
            return
        while not self.stop.is_set():
            try:
                self.queue.put(path, timeout=0.5)
                self.queued.add(path)
                return
            except queue.Full:
                continue

    def _work(self, registry: Registry) -> None:
        while not (self.stop.is_set() and self.queue.empty()):
            try:
                path = self.queue.get(timeout=0.3)
            except queue.Empty:
                continue
            try:
                if os.path.lexists(path):
                    self._process(registry, path)
            finally:
                self.queued.discard(path)
                self.queue.task_done()
            if self.stop.is_set():
                break  # the file in hand is done; the rest waits for the next start

    def _process(self, registry: Registry, path: Path) -> None:
        try:
            result = ingest(self.workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
        except Exception:  # one bad file, or a database hiccup, must not stop the daemon
            log.exception("Erreur pendant le traitement de %s : le fichier reste dans la boîte de dépôt.", path.name)
            return
        level = logging.WARNING if result.statut == "quarantaine" else logging.INFO
        log.log(level, "%s : %s — %s", path.name, result.statut.libelle, result.detail or result.motif)
        self.recent.appendleft(
            {
                "fichier": path.name,
                "statut": result.statut.libelle,
                "detail": result.detail or result.motif,
                "le": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            }
        )

    def _write_status(self, running: bool) -> None:
        status = {
            "pid": os.getpid(),
            "en_marche": running,
            "demarre_le": self.started.isoformat(timespec="seconds"),
            "battement": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "en_attente_de_stabilite": self.tracker.pending(),
            "file_d_attente": self.queue.qsize(),
            "derniers_fichiers": list(self.recent),
            "prochaines_taches": self.scheduler.next_jobs() if self.scheduler and running else [],
        }
        target = self.workspace.registry / STATUS
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(status, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
