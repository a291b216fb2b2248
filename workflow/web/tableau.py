"""The returns table of a campaign: every signatory and every known association, answered or not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.referentiel import Referentiel
from workflow.registry.models import QuestionnaireVersion, Revue
from workflow.registry.queries import (
    Selection,
    associations,
    latest_per_organisation,
    questionnaires,
    retours_campagne,
)
from workflow.review.dossier import Dossier, alerts
from workflow.review.fields import Version
from workflow.review.status import StatutRevue

SANS_REPONSE = "sans_reponse"
ETATS = {
    "tous": "Tous",
    "recus": "Reçus",
    SANS_REPONSE: "Sans réponse",
    StatutRevue.A_VERIFIER.value: "À vérifier",
    StatutRevue.VALIDEE.value: "Validés",
    StatutRevue.A_CORRIGER.value: "À corriger",
}
GENRES = {"tous": "Signataires et associations", "signataire": "Signataires", "association": "Associations"}


@dataclass(frozen=True)
class Ligne:
    """One partner of the table: its latest answer if any, its review status and its open alerts."""

    organisme: str
    genre: str  # "signataire" or "association"
    soumission_id: int | None = None
    recu_le: dt.datetime | None = None
    version: int | None = None
    statut: str = SANS_REPONSE
    ouvertes: int = 0
    bloquantes: int = 0
    derniere_campagne: int | None = None

    @property
    def statut_libelle(self) -> str:
        return "sans réponse" if self.statut == SANS_REPONSE else StatutRevue(self.statut).libelle


@dataclass(frozen=True)
class Tableau:
    campagne: int
    lignes: tuple[Ligne, ...]

    def compte(self, statut: str) -> int:
        return sum(1 for line in self.lignes if line.statut == statut)

    @property
    def recus(self) -> int:
        return sum(1 for line in self.lignes if line.soumission_id is not None)

    def filtre(self, etat: str, genre: str) -> list[Ligne]:
        return [
            line
            for line in self.lignes
            if (genre == "tous" or line.genre == genre)
            and (etat == "tous" or line.statut == etat or (etat == "recus" and line.soumission_id is not None))
        ]


def campagnes(session: Session) -> list[int]:
    """Return the campaigns answered so far, latest first."""
    found = session.scalars(select(QuestionnaireVersion.campagne).distinct())
    return sorted({int(c) for c in found}, reverse=True)


def tableau(session: Session, ref: Referentiel, campagne: int) -> Tableau:
    """Return the table of `campagne`: signatories in reference order, then associations by name."""
    found = retours_campagne(session, ref.signataires.signataires, campagne)
    latest = {v.organisation.signataire_id or v.organisation.cle: v.campagne for v in latest_per_organisation(session)}
    versions: list[Version] = [*found.repondu, *associations(session)]
    revues = _revues(session, [v.soumission_id for v in versions])
    lines = [_line(session, v, revues, latest) for v in found.repondu]
    lines += [Ligne(s.nom, "signataire", derniere_campagne=latest.get(s.id)) for s in found.sans_reponse]
    lines += [_line(session, v, revues, latest) for v in associations(session)]
    return Tableau(campagne, tuple(lines))


def _revues(session: Session, ids: list[int]) -> dict[int, Revue]:
    if not ids:
        return {}
    return {r.soumission_id: r for r in session.scalars(select(Revue).where(Revue.soumission_id.in_(ids)))}


def _line(session: Session, version: Version, revues: dict[int, Revue], latest: dict[str, int]) -> Ligne:
    revue = revues.get(version.soumission_id)
    found = alerts(session, Dossier(version.soumission, version, revue)) if revue else []
    opened = [a for a in found if a.ouverte]
    signatory = isinstance(version, QuestionnaireVersion)
    key = version.organisation.signataire_id or version.organisation.cle
    return Ligne(
        organisme=version.organisation.nom,
        genre="signataire" if signatory else "association",
        soumission_id=version.soumission_id,
        recu_le=version.soumission.recu_le,
        version=version.version,
        statut=revue.statut if revue else StatutRevue.A_VERIFIER.value,
        ouvertes=len(opened),
        bloquantes=sum(1 for a in opened if a.bloquante),
        derniere_campagne=latest.get(key) if signatory else None,
    )


def versions_of(session: Session, version: Version) -> list[Version]:
    """Return every version recorded for the same partner, oldest first."""
    found: list[Version] = (
        list(questionnaires(session, Selection.HISTORIQUE))
        if isinstance(version, QuestionnaireVersion)
        else list(associations(session, Selection.HISTORIQUE))
    )
    return [v for v in found if v.organisation_id == version.organisation_id]
