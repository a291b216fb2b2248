"""The journal: every human action on the registry, with who, when, before and after."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
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
    query = select(EntreeJournal).order_by(EntreeJournal.le, EntreeJournal.id)
    if depuis is not None:
        start = dt.datetime.combine(depuis, dt.time(), tzinfo=dt.UTC)
        query = query.where(EntreeJournal.le >= start)
    if organisme:
        query = query.where(EntreeJournal.organisme.ilike(f"%{organisme}%"))
    return list(session.scalars(query))
