"""Read the registry: current or all questionnaire versions, submissions, latest per partner,
who answered a campaign.

Each query loads what its readers print, in a fixed number of statements whatever the number of
submissions: the rows of the versions chosen (the newest validated one is chosen in SQL, not by
loading every validated version), their submission with its review, corrections and notes, and
the provenance of each value only when asked (`provenance=True`: `cdv registre export --provenance`).
The latest answer per partner, read by the contract documents, is chosen in SQL too (one version per
organisation, never every campaign's) and comes with its review but no alerts, corrections or notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, contains_eager, defer, joinedload, selectinload

from workflow.referentiel import Signataire
from workflow.registry.models import (
    ActionRow,
    AlerteRow,
    DecisionAlerte,
    FicheAssociationVersion,
    Organisation,
    QuestionnaireVersion,
    Revue,
    Soumission,
)
from workflow.review.status import StatutRevue


class Selection(StrEnum):
    """Which version of each partner's answers a reader wants."""

    COURANTES = "courantes"  # the newest received, whatever its review: returns status, exports
    VALIDEES = "validees"  # the newest a person validated: every contract document
    HISTORIQUE = "historique"  # every version


def selection(projet: bool) -> Selection:
    """Contract documents take validated versions; a draft (`--projet`) takes the latest received."""
    return Selection.COURANTES if projet else Selection.VALIDEES


QUESTIONNAIRE_ROWS = ("interventions", "agents", "quartiers", "objectifs", "alertes", "organisation")
ANNEX_ROWS = ("interventions", "agents", "quartiers", "objectifs")  # what the annexes print of an answer


def questionnaires(
    session: Session, selection: Selection = Selection.COURANTES, provenance: bool = False
) -> list[QuestionnaireVersion]:
    """Return one version per (organisation, campagne) as `selection` says, or every version."""
    rows = (*QUESTIONNAIRE_ROWS, "provenances") if provenance else QUESTIONNAIRE_ROWS
    query = (
        select(QuestionnaireVersion)
        .join(Organisation)
        .options(
            *(selectinload(getattr(QuestionnaireVersion, rel)) for rel in rows),
            _with_review(QuestionnaireVersion),
        )
        .order_by(Organisation.nom, QuestionnaireVersion.campagne, QuestionnaireVersion.version)
    )
    key = (QuestionnaireVersion.organisation_id, QuestionnaireVersion.campagne)
    return _select(session, query, QuestionnaireVersion, selection, key)


def _with_review(model: Any) -> Any:
    """Load each version's submission with its review, corrections and notes (read by every document)."""
    return selectinload(model.soumission).options(
        selectinload(Soumission.revue), selectinload(Soumission.corrections), selectinload(Soumission.notes)
    )


def _select(session: Session, query: Any, model: Any, selection: Selection, key: tuple[Any, ...]) -> list[Any]:
    """Apply a selection: the current flag, or the newest validated version per key (found in SQL)."""
    if selection == Selection.COURANTES:
        return list(session.scalars(query.where(model.courant)))
    if selection == Selection.HISTORIQUE:
        return list(session.scalars(query))
    newest = (
        select(*key, func.max(model.version).label("version"))
        .join(Revue, Revue.soumission_id == model.soumission_id)
        .where(Revue.statut == StatutRevue.VALIDEE)
        .group_by(*key)
        .subquery()
    )
    same = and_(*(column == newest.c[column.key] for column in key), model.version == newest.c.version)
    return list(session.scalars(query.join(newest, same)))


def latest_per_organisation(session: Session, selection: Selection = Selection.COURANTES) -> list[QuestionnaireVersion]:
    """Return each organisation's answer to its latest campaign (current or validated), by name.

    The one version per organisation is chosen in SQL (a window function, on SQLite and PostgreSQL
    alike), and only what the annexes print is loaded: organisation, submission and review, and the
    interventions, agents, quarters and objectives; alerts, corrections, notes and provenance load on
    first use only. With `Selection.HISTORIQUE`, the first version of the latest campaign, as before.
    """
    model = QuestionnaireVersion
    within = model.version.asc() if selection == Selection.HISTORIQUE else model.version.desc()
    organisation, oldest = model.organisation_id, (model.campagne.asc(), within)
    ranked = select(
        model.id,
        func.row_number().over(partition_by=organisation, order_by=(model.campagne.desc(), within)).label("rang"),
        # the organisation's first answer in the selection: two partners of the same name come in the
        # order of their first answers, as when every campaign's version was read in order (the id
        # settles what that order left to the database)
        func.first_value(model.campagne).over(partition_by=organisation, order_by=oldest).label("premiere_campagne"),
        func.first_value(model.version).over(partition_by=organisation, order_by=oldest).label("premiere_version"),
    )
    if selection == Selection.COURANTES:
        ranked = ranked.where(model.courant)
    elif selection == Selection.VALIDEES:
        ranked = ranked.join(Revue, Revue.soumission_id == model.soumission_id).where(
            Revue.statut == StatutRevue.VALIDEE
        )
    chosen = ranked.subquery()
    query = (
        select(model)
        .join(chosen, and_(chosen.c.id == model.id, chosen.c.rang == 1))
        .join(Organisation, Organisation.id == model.organisation_id)
        .options(
            contains_eager(model.organisation),
            joinedload(model.soumission).joinedload(Soumission.revue),
            *(selectinload(getattr(model, rel)) for rel in ANNEX_ROWS),
        )
        .order_by(Organisation.nom, chosen.c.premiere_campagne, chosen.c.premiere_version, organisation)
    )
    return list(session.scalars(query))


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
    flagged = _with_open_alert(session, [v.soumission_id for v in versions], "courriel_invalide")
    courriels = {
        v.organisation.signataire_id: v.referent_courriel
        for v in versions
        if v.organisation.signataire_id and v.referent_courriel and v.soumission_id not in flagged
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


def _with_open_alert(session: Session, soumission_ids: Sequence[int], code: str) -> set[int]:
    """Return the submissions among these whose questionnaire has this alert with no decision on it:
    an address the tool flagged is never written to."""
    decided = select(DecisionAlerte.soumission_id).where(DecisionAlerte.code == code)
    query = (
        select(QuestionnaireVersion.soumission_id)
        .join(AlerteRow, AlerteRow.questionnaire_id == QuestionnaireVersion.id)
        .where(
            AlerteRow.code == code,
            QuestionnaireVersion.soumission_id.in_(soumission_ids),
            QuestionnaireVersion.soumission_id.not_in(decided),
        )
    )
    return set(session.scalars(query))


def derniere_campagne(session: Session) -> int | None:
    """Return the latest campaign anyone has answered, or None when nothing is recorded."""
    latest = session.scalar(select(func.max(QuestionnaireVersion.campagne)))
    return int(latest) if latest is not None else None


def soumissions(session: Session) -> list[Soumission]:
    """Return every received file, in order of arrival."""
    return list(session.scalars(select(Soumission).order_by(Soumission.id)))


def associations(
    session: Session, selection: Selection = Selection.COURANTES, provenance: bool = False
) -> list[FicheAssociationVersion]:
    """Return each association's current or validated form, or every version."""
    query = (
        select(FicheAssociationVersion)
        .join(Organisation)
        .options(
            selectinload(FicheAssociationVersion.actions).selectinload(ActionRow.cofinancements),
            selectinload(FicheAssociationVersion.organisation),
            _with_review(FicheAssociationVersion),
            *(() if provenance else (defer(FicheAssociationVersion.provenance),)),
        )
        .order_by(Organisation.nom, FicheAssociationVersion.version)
    )
    return _select(session, query, FicheAssociationVersion, selection, (FicheAssociationVersion.organisation_id,))
