"""Read the registry: current or all questionnaire versions, submissions, latest per partner."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

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
