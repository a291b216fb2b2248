"""Which versions each generated document was made from, recorded beside the registry, never in the document.

When the console generates a document it records the partners and version numbers that document's own
selection took (the same queries as the render functions: validated versions, or the latest received
for a draft) in `registry/documents/<file>.json`, with the document's modification time. The Documents
page reads it back; a document rewritten since by the command line no longer matches and says so.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from workflow.registry.queries import associations, latest_per_organisation, selection
from workflow.render.typographie import cle_fr
from workflow.workspace import Workspace

FOLDER = "documents"
QUESTIONNAIRES = {"annexe-engagements", "annexe-objectifs"}  # documents built from the signatories' answers
FICHES = {"chartes", "annexe-objectifs"}  # documents built from the association forms


@dataclass(frozen=True)
class Origine:
    """One partner's version a document was built from."""

    organisme: str
    version: int
    campagne: int | None
    soumission_id: int


@dataclass(frozen=True)
class Generation:
    """Who generated a document, when, as a draft or not, and from which versions."""

    le: str  # ISO time
    par: str
    projet: bool
    mtime_ns: int  # the document's modification time once written
    origines: tuple[Origine, ...]

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.le)


def selected(session: Session, cle: str, projet: bool) -> list[Origine]:
    """Return the versions the document `cle` takes now, partners by name."""
    found = []
    if cle in QUESTIONNAIRES:
        found += [
            Origine(v.organisation.nom, v.version, v.campagne, v.soumission_id)
            for v in latest_per_organisation(session, selection(projet))
        ]
    if cle in FICHES:
        found += [
            Origine(f.organisation.nom, f.version, None, f.soumission_id)
            for f in associations(session, selection(projet))
        ]
    return sorted(found, key=lambda o: (cle_fr(o.organisme), o.campagne or 0))


def _path(workspace: Workspace, document: Path) -> Path:
    return workspace.registry / FOLDER / f"{document.name}.json"


def record(workspace: Workspace, document: Path, par: str, projet: bool, origines: list[Origine]) -> Generation:
    """Keep, beside the registry, what the document just written was generated from."""
    generation = Generation(
        dt.datetime.now(dt.UTC).isoformat(), par, projet, document.stat().st_mtime_ns, tuple(origines)
    )
    path = _path(workspace, document)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(generation), ensure_ascii=False, indent=1), encoding="utf-8")
    return generation


def read(workspace: Workspace, document: Path) -> Generation | None:
    """Return what the document was generated from, or None when unknown (or it was rewritten since)."""
    path = _path(workspace, document)
    if not path.is_file() or not document.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        generation = Generation(
            data["le"], data["par"], bool(data["projet"]), int(data["mtime_ns"]),
            tuple(Origine(**o) for o in data["origines"]),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError):
        return None
    return generation if generation.mtime_ns == document.stat().st_mtime_ns else None
