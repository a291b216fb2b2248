"""COPIL dates and their preparation: refreshed annexes, returns status, reminder drafts."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.copil.relances import draft_name, relance
from workflow.errors import CdvError
from workflow.libreoffice import ConversionImpossible
from workflow.registry.db import Registry
from workflow.registry.models import Copil
from workflow.registry.queries import derniere_campagne
from workflow.render.annexe import render_engagements_annex
from workflow.render.chartes import ANNEXE as ANNEXE_CHARTES
from workflow.render.chartes import render_charters
from workflow.render.formulaire import questionnaire_form
from workflow.render.objectifs import render_objectives_annex
from workflow.render.pdf import dossier_complet
from workflow.render.retours import GABARIT, fiches_recues, retours, write_retours
from workflow.workspace import Workspace

log = logging.getLogger(__name__)

DEFAULT_HOUR = dt.time(9, 0)


def local(value: dt.datetime) -> dt.datetime:
    """Return a naive local time, whatever the database gave back (SQLite naive, PostgreSQL aware)."""
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value


def ajouter(session: Session, when: dt.datetime, libelle: str = "") -> Copil:
    if session.scalar(select(Copil).where(Copil.date == when.astimezone())):
        raise CdvError(f"Un COPIL est déjà prévu le {when:%d/%m/%Y à %H:%M}.")
    copil = Copil(date=when.astimezone(), libelle=libelle or f"COPIL du {when:%d/%m/%Y}")
    session.add(copil)
    session.flush()
    return copil


def liste(session: Session) -> list[Copil]:
    return list(session.scalars(select(Copil).order_by(Copil.date)))


def trouver(session: Session, day: dt.date) -> Copil:
    for copil in liste(session):
        if local(copil.date).date() == day:
            return copil
    raise CdvError(f"Aucun COPIL n'est prévu le {day:%d/%m/%Y} (voir : cdv copil liste).")


def dossier(workspace: Workspace, copil: Copil) -> Path:
    return workspace.outbox / f"copil_{local(copil.date):%Y-%m-%d}"


def campagne_courante(session: Session, copil: Copil) -> int:
    """The open campaign, else the latest campaign answered so far, else the COPIL's year."""
    from workflow.campagne.campagnes import ouverte

    found = ouverte(session)
    return found.annee if found else derniere_campagne(session) or local(copil.date).year


def echeance(session: Session) -> dt.date:
    """The reply deadline a COPIL reminder gives: the open campaign's while ahead, else a working day
    ten days from now — never the COPIL day itself."""
    from workflow.campagne.campagnes import ouverte
    from workflow.campagne.jours import echeance_relance

    found = ouverte(session)
    return echeance_relance(found.echeance if found else None, dt.date.today())


def preparer(workspace: Workspace, registry: Registry, day: dt.date, campagne: int | None = None) -> Path:
    """Prepare outbox/copil_<date>/: annex, returns status (.docx, .xlsx) and reminder drafts."""
    with registry.session() as session:
        copil = trouver(session, day)
        when = local(copil.date)
        day_fr = f"{when:%d/%m/%Y}"
        label = copil.libelle if day_fr in copil.libelle else f"{copil.libelle} ({day_fr})"  # never the date twice
        year = campagne or campagne_courante(session, copil)
        answered, missing = retours(session, workspace.referentiel, year)
        deadline = echeance(session)
    folder = dossier(workspace, copil)
    render_engagements_annex(workspace, registry, folder / "annexe_engagements_signataires.docx")
    render_charters(workspace, registry, folder / ANNEXE_CHARTES)
    render_objectives_annex(workspace, registry, folder / "annexe_objectifs.docx")
    with registry.session() as session:
        fiches = fiches_recues(session)
    write_retours(workspace.gabarit(GABARIT), folder, year, label, answered, missing, fiches)
    drafts = folder / "relances"
    drafts.mkdir(parents=True, exist_ok=True)
    for retour in missing:
        form = questionnaire_form(
            workspace,
            retour.organisme,
            year,
            drafts / "formulaires" / f"questionnaire_{draft_name(retour.organisme)[8:-4]}.docx",
        )
        (drafts / draft_name(retour.organisme)).write_bytes(bytes(relance(retour, year, deadline, form)))
    try:
        dossier_complet(folder)
    except ConversionImpossible as e:  # the pack stays usable as Word files
        log.warning("Dossier du COPIL sans PDF ni archive .zip : %s", e)
    with registry.session() as session:
        session.get(Copil, copil.id).prepare_le = dt.datetime.now().astimezone()  # type: ignore[union-attr]
    return folder
