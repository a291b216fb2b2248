"""Prepare each COPIL's documents N days ahead, from our own table of COPIL dates.

Jobs live in memory and are rebuilt from the table at start and every minute, with stable ids,
`coalesce=True` and no misfire limit: apscheduler's SQLAlchemy store pickles jobs and silently
drops those it cannot restore (apscheduler #341) and its default grace of 1 s skips late runs
(#182). A preparation missed while the daemon was down runs at start while the COPIL is ahead.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from workflow.copil import preparation
from workflow.errors import CdvError
from workflow.registry.db import Registry
from workflow.render.typographie import nombre
from workflow.watch.mailbox import Messagerie, configuration, relever
from workflow.workspace import Workspace

log = logging.getLogger("workflow.copil")
PREFIX = "preparation-copil-"


class CopilScheduler:
    def __init__(self, workspace: Workspace, registry: Registry, avance: dt.timedelta, refresh: float = 60) -> None:
        self.workspace = workspace
        self.registry = registry
        self.avance = avance
        self.refresh = refresh
        self.scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )

    def start(self) -> None:
        self.scheduler.add_listener(self._trouble, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
        self.sync()
        self.scheduler.add_job(self.sync, "interval", seconds=self.refresh, id="relecture-copil")
        mailbox = configuration(self.workspace)
        if mailbox is not None:
            self.scheduler.add_job(
                self.poll,
                "interval",
                minutes=mailbox.intervalle_minutes,
                args=[mailbox],
                id="releve-messagerie",
                next_run_time=dt.datetime.now(),
            )
            log.info(
                "Relève de la messagerie %s@%s toutes les %s minutes.",
                mailbox.utilisateur,
                mailbox.hote,
                mailbox.intervalle_minutes,
            )
        self.scheduler.start()

    def poll(self, mailbox: Messagerie) -> None:
        try:
            releve = relever(self.workspace, self.registry, mailbox)
        except (CdvError, OSError, imaplib.IMAP4.error) as e:  # the server may be down: try again next time
            log.error("Relève de la messagerie impossible : %s", e)
            return
        if releve.traites or releve.en_echec:
            log.info(
                "Messagerie : %s, %s en échec (repris au prochain relevé).",
                nombre(releve.traites, "message traité", "messages traités"),
                releve.en_echec,
            )

    def stop(self) -> None:
        self.scheduler.shutdown(wait=True)

    def sync(self) -> None:
        """Make the jobs match the COPIL table: one preparation per COPIL still ahead."""
        now = dt.datetime.now()
        with self.registry.session() as session:
            plans = [
                (preparation.local(c.date), preparation.local(c.prepare_le) if c.prepare_le else None)
                for c in preparation.liste(session)
            ]
        wanted = set()
        for when, prepared in plans:
            job_id = f"{PREFIX}{when:%Y-%m-%d-%H%M%S}"
            due = when - self.avance
            if when <= now or (prepared is not None and prepared >= due):
                continue
            wanted.add(job_id)
            if self.scheduler.get_job(job_id) is None:
                run_at = max(due, now)
                if due < now:
                    log.info(
                        "Préparation du COPIL du %s manquée pendant l'arrêt : elle est faite maintenant.",
                        f"{when:%d/%m/%Y}",
                    )
                self.scheduler.add_job(
                    self.prepare, "date", run_date=run_at, args=[when.date()], id=job_id, replace_existing=True
                )
        for job in self.scheduler.get_jobs():
            if job.id.startswith(PREFIX) and job.id not in wanted:
                job.remove()

    def prepare(self, day: dt.date) -> None:
        folder = preparation.preparer(self.workspace, self.registry, day)
        log.info("Documents du COPIL du %s préparés dans %s.", f"{day:%d/%m/%Y}", folder)

    def next_jobs(self) -> list[dict[str, str]]:
        return [
            {"tache": job.id, "prevue_le": job.next_run_time.isoformat(timespec="seconds")}
            for job in self.scheduler.get_jobs()
            if (job.id.startswith(PREFIX) or job.id == "releve-messagerie") and job.next_run_time
        ]

    def _trouble(self, event: JobExecutionEvent) -> None:
        if event.exception:
            log.error("La tâche %s a échoué : %s", event.job_id, event.exception)
        else:
            log.warning("La tâche %s n'a pas été lancée à l'heure prévue.", event.job_id)
