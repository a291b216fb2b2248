"""The quarantine as staff see it: what is there and why, take a file again, or remove it.

A retry goes through the same `ingest()` as any arrival; a removed file stays in the archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from workflow.errors import CdvError
from workflow.intake import storage
from workflow.intake.ingest import ingest
from workflow.intake.types import Arrivee, Resultat, Source
from workflow.registry.db import Registry
from workflow.registry.models import Soumission
from workflow.review import journal
from workflow.review.status import Action
from workflow.workspace import Workspace


@dataclass(frozen=True)
class EnQuarantaine:
    path: Path
    motif: str
    recu_le: dt.datetime | None
    sha256: str


def entries(workspace: Workspace, registry: Registry) -> list[EnQuarantaine]:
    """Return the files in quarantine, newest first, each with the reason recorded for it."""
    files = [p for p in workspace.quarantine.glob("*") if _is_quarantined(p)]
    found = []
    with registry.session() as session:
        for path in files:
            row = session.scalar(
                select(Soumission)
                .where(Soumission.chemin == str(path.relative_to(workspace.root)))
                .order_by(Soumission.id.desc())
                .limit(1)
            )
            motif = row.motif if row else _motif_from_report(path)
            found.append(EnQuarantaine(path, motif, row.recu_le if row else None, row.sha256 if row else ""))
    return sorted(found, key=lambda e: e.path.lstat().st_mtime, reverse=True)


def find(workspace: Workspace, name: str) -> Path:
    """Return the quarantined file called `name`, or say in French that there is none."""
    path = workspace.quarantine / Path(name).name
    if not _is_quarantined(path):
        raise CdvError(f"aucun fichier « {name} » dans la quarantaine ({workspace.quarantine})")
    return path


def retry(workspace: Workspace, registry: Registry, path: Path, auteur: str) -> Resultat:
    """Take a quarantined file again through the pipeline; it leaves the quarantine once recorded."""
    result = ingest(workspace, registry, Arrivee(path, Source.REPRISE, deplacer=True))
    with registry.session() as session:
        journal.log(
            session, auteur, Action.REPRISE, result.soumission_id, champ=path.name, apres=result.statut.libelle,
            motif=result.detail or result.motif,
        )  # fmt: skip
    return result


def remove(workspace: Workspace, registry: Registry, path: Path, auteur: str) -> Path:
    """Delete a quarantined file and its report; return its copy in the archive, made if missing."""
    sha = storage.sha256(path)
    kept = storage.archive(workspace, path, sha, storage.kind_of(path))
    with registry.session() as session:
        journal.log(session, auteur, Action.SUPPRESSION, champ=path.name, avant=f"quarantaine (SHA-256 {sha})")
    path.unlink()
    storage.report_of(path).unlink(missing_ok=True)
    return kept


def _is_quarantined(path: Path) -> bool:
    present = path.is_symlink() or (path.exists() and not path.is_dir())  # refused links and pipes too
    return present and not path.name.startswith(".") and not storage.is_report(path)


def _motif_from_report(path: Path) -> str:
    report = storage.report_of(path)
    if not report.exists():
        return ""
    lines = report.read_text(encoding="utf-8").splitlines()
    return next((line.removeprefix("Motif : ") for line in lines if line.startswith("Motif : ")), "")
