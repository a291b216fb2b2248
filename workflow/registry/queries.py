"""Read the registry: current or all questionnaire versions, submissions, latest per partner,
who answered a campaign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from workflow.referentiel import Signataire
from workflow.registry.models import (
    ActionRow,
    FicheAssociationVersion,
    Organisation,
    QuestionnaireVersion,
    Soumission,
)


def questionnaires(session: Session, historique: bool = False) -> list[QuestionnaireVersion]:
    """Return the current version per (organisation, campagne), or every version."""
    query = (
        select(QuestionnaireVersion)
        .join(Organisation)
        .options(
            *(
                selectinload(getattr(QuestionnaireVersion, rel))
                for rel in (
                    "interventions",
                    "agents",
                    "quartiers",
                    "objectifs",
                    "alertes",
                    "provenances",
                    "organisation",
                    "soumission",
                )
            )
        )
        .order_by(Organisation.nom, QuestionnaireVersion.campagne, QuestionnaireVersion.version)
    )
    if not historique:
        query = query.where(QuestionnaireVersion.courant)
    return list(session.scalars(query))


def latest_per_organisation(session: Session) -> list[QuestionnaireVersion]:
    """Return each organisation's current answer to its latest campaign."""
    latest: dict[int, QuestionnaireVersion] = {}
    for version in questionnaires(session):
        kept = latest.get(version.organisation_id)
        if kept is None or version.campagne > kept.campagne:
            latest[version.organisation_id] = version
    return list(latest.values())


@dataclass(frozen=True)
class RetoursCampagne:
    """Who answered a campaign and who has not: the one answer the returns status and reminders share."""

    repondu: tuple[QuestionnaireVersion, ...]  # signatories in reference order, then organisations outside the list
    sans_reponse: tuple[Signataire, ...]
    courriels: dict[str, str]  # signatory id → referent e-mail of its latest answer, whatever the campaign


def retours_campagne(session: Session, signataires: Sequence[Signataire], campagne: int) -> RetoursCampagne:
    """Return the current answers to `campagne` and the signatories still missing, in reference order."""
    versions = questionnaires(session)
    current = {v.organisation.signataire_id or v.organisation.cle: v for v in versions if v.campagne == campagne}
    courriels = {
        v.organisation.signataire_id: v.referent_courriel
        for v in versions
        if v.organisation.signataire_id and v.referent_courriel
    }
    repondu: list[QuestionnaireVersion] = []
    sans_reponse: list[Signataire] = []
    for signataire in signataires:
        version = current.pop(signataire.id, None)
        if version is None:
            sans_reponse.append(signataire)
        else:
            repondu.append(version)
    return RetoursCampagne((*repondu, *current.values()), tuple(sans_reponse), courriels)


def derniere_campagne(session: Session) -> int | None:
    """Return the latest campaign anyone has answered, or None when nothing is recorded."""
    latest = session.scalar(select(func.max(QuestionnaireVersion.campagne)))
    return int(latest) if latest is not None else None


def soumissions(session: Session) -> list[Soumission]:
    return list(session.scalars(select(Soumission).order_by(Soumission.id)))


def associations(session: Session, historique: bool = False) -> list[FicheAssociationVersion]:
    """Return the current form of every association, or every version."""
    query = (
        select(FicheAssociationVersion)
        .join(Organisation)
        .options(
            selectinload(FicheAssociationVersion.actions).selectinload(ActionRow.cofinancements),
            selectinload(FicheAssociationVersion.organisation),
            selectinload(FicheAssociationVersion.soumission),
        )
        .order_by(Organisation.nom, FicheAssociationVersion.version)
    )
    if not historique:
        query = query.where(FicheAssociationVersion.courant)
    return list(session.scalars(query))
