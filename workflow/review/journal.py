"""The journal: every human action on the registry, with who, when, before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workflow.registry.models import EntreeJournal
from workflow.review.status import Action


def log(
    session: Session,
    auteur: str,
    action: Action,
    soumission_id: int | None = None,
    organisme: str = "",
    champ: str = "",
    avant: str = "",
    apres: str = "",
    motif: str = "",
) -> EntreeJournal:
    entry = EntreeJournal(
        le=dt.datetime.now(dt.UTC),
        par=auteur,
        action=action.value,
        soumission_id=soumission_id,
        organisme=organisme,
        champ=champ,
        avant=avant,
        apres=apres,
        motif=motif,
    )
    session.add(entry)
    return entry


def entries(session: Session, depuis: dt.date | None = None, organisme: str | None = None) -> list[EntreeJournal]:
    """Return the journal in order, from a day on and for one organisation (name contains) if asked."""
    query = _filtered(select(EntreeJournal), depuis, organisme)
    return list(session.scalars(query.order_by(EntreeJournal.le, EntreeJournal.id)))


def latest(
    session: Session,
    depuis: dt.date | None = None,
    organisme: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[EntreeJournal]:
    """Return one page of the journal, the latest action first, with the same filters as `entries`."""
    query = _filtered(select(EntreeJournal), depuis, organisme)
    query = query.order_by(EntreeJournal.le.desc(), EntreeJournal.id.desc()).offset(offset).limit(limit)
    return list(session.scalars(query))


def count(session: Session, depuis: dt.date | None = None, organisme: str | None = None) -> int:
    """Return how many entries `entries` would return."""
    return session.scalar(_filtered(select(func.count(EntreeJournal.id)), depuis, organisme)) or 0


def _filtered(query: Select[Any], depuis: dt.date | None, organisme: str | None) -> Select[Any]:
    if depuis is not None:
        query = query.where(EntreeJournal.le >= dt.datetime.combine(depuis, dt.time(), tzinfo=dt.UTC))
    if organisme:
        query = query.where(EntreeJournal.organisme.ilike(f"%{organisme}%"))
    return query
