"""Governance meetings held (instance, date, participants, institutions), typed or imported."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.referentiel.model import Instance
from workflow.registry.db import Registry
from workflow.registry.models import Reunion
from workflow.suivi.tableur import Importation, Rejet, lire
from workflow.text import normalise

COLONNES: dict[str, tuple[str, ...]] = {
    "instance": ("Instance", "Réunion", "Type de réunion", "Instance de gouvernance"),
    "date": ("Date", "Date de la réunion", "Le"),
    "participants": ("Participants", "Nombre de participants", "Présents", "Nombre de présents"),
    "habitants": ("Habitants", "Dont habitants", "Nombre d'habitants", "Habitants présents"),
    "institutions": ("Institutions", "Institutions représentées", "Structures présentes", "Partenaires présents"),
}


def instance(ref: Referentiel, written: str) -> Instance:
    """Return the instance named `written` (id, name or close), or a French error listing them."""
    norm = normalise(written)
    for item in ref.gouvernance.instances:
        if norm in (normalise(item.id), normalise(item.nom)):
            return item
    best = max(ref.gouvernance.instances, key=lambda i: fuzz.token_set_ratio(norm, normalise(i.nom)))
    if fuzz.token_set_ratio(norm, normalise(best.nom)) >= 90:
        return best
    names = ", ".join(i.id for i in ref.gouvernance.instances)
    raise CdvError(f"Instance inconnue « {written} » : choisir parmi {names}.")


@dataclass(frozen=True)
class Presence:
    participants: int | None = None
    habitants: int | None = None  # inhabitants among the participants
    institutions: tuple[str, ...] = ()


def enregistrer(
    session: Session,
    ref: Referentiel,
    written: str,
    day: dt.date,
    presence: Presence,
    source: str = "saisie (commande)",
) -> Reunion:
    """Record a meeting, or update the one already recorded for that instance and day; `source`
    says where it was read."""
    which = instance(ref, written)
    meeting = session.scalar(select(Reunion).where(Reunion.instance == which.id, Reunion.date == day))
    if meeting is None:
        meeting = Reunion(instance=which.id, date=day)
        session.add(meeting)
    meeting.participants = presence.participants
    meeting.habitants = presence.habitants
    meeting.institutions = list(presence.institutions)
    meeting.source = source
    return meeting


def reunions(session: Session, annee: int | None = None) -> list[Reunion]:
    meetings = session.scalars(select(Reunion).order_by(Reunion.date, Reunion.instance)).all()
    return [m for m in meetings if annee is None or m.date.year == annee]


def institutions(text: str) -> tuple[str, ...]:
    """Split « CUA, État ; CAF » into names."""
    return tuple(x.strip() for x in text.replace(";", ",").split(",") if x.strip())


def _count(text: str) -> int | None:
    return int(float(text)) if text else None


def _date(text: str) -> dt.date:
    """Read 14/03/2025, 2025-03-14 or a spreadsheet date-time."""
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text[:10])
    return pd.to_datetime(text, dayfirst=True).date()


def importer(registry: Registry, ref: Referentiel, path: Path) -> Importation:
    """Record the meetings of a spreadsheet; bad rows are reported by number, the others kept."""
    done, rejets = 0, []
    with registry.session() as session:
        for number, cells in lire(path, COLONNES, ("instance", "date")).lignes:
            try:
                presence = Presence(
                    _count(cells.get("participants", "")),
                    _count(cells.get("habitants", "")),
                    institutions(cells.get("institutions", "")),
                )
                where = f"{path.name}, ligne {number}"
                enregistrer(session, ref, cells["instance"], _date(cells["date"]), presence, where)
                done += 1
            except (CdvError, ValueError) as e:
                rejets.append(Rejet(number, str(e) if isinstance(e, CdvError) else f"valeur illisible ({e})"))
    return Importation(done, tuple(rejets))
