"""What needs a person, most urgent first: blocking alerts, then the least sure readings, oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.answers import Certitude
from workflow.registry.models import FicheAssociationVersion, QuestionnaireVersion, Revue
from workflow.review.dossier import AlerteVue, Dossier, alerts, load
from workflow.review.status import StatutRevue


@dataclass(frozen=True)
class AVoir:
    """One line of the review queue."""

    dossier: Dossier
    alertes: tuple[AlerteVue, ...]
    campagne: int | None
    deduites: int = 0  # values read from prose, not from a control or a labelled line: to look at first

    @property
    def ouvertes(self) -> list[AlerteVue]:
        return [a for a in self.alertes if a.ouverte]

    @property
    def bloquantes(self) -> list[AlerteVue]:
        return [a for a in self.ouvertes if a.bloquante]

    @property
    def recu_le(self) -> dt.datetime:
        return self.dossier.soumission.recu_le


def queue(
    session: Session,
    statut: StatutRevue | None = StatutRevue.A_VERIFIER,
    code: str | None = None,
    organisme: str | None = None,
    campagne: int | None = None,
) -> list[AVoir]:
    """Return the submissions under review matching the filters, most urgent first."""
    query = select(Revue)
    if statut is not None:
        query = query.where(Revue.statut == statut.value)
    found = []
    for revue in session.scalars(query):
        dossier = load(session, revue.soumission_id)
        version = dossier.version
        year = version.campagne if isinstance(version, QuestionnaireVersion) else None
        if campagne is not None and year != campagne:
            continue
        if organisme and organisme.lower() not in dossier.organisme.lower():
            continue
        line = AVoir(dossier, tuple(alerts(session, dossier)), year, deduced(version))
        if code and not any(a.code == code for a in line.ouvertes):
            continue
        found.append(line)
    return sorted(found, key=lambda a: (-len(a.bloquantes), -a.deduites, -len(a.ouvertes), a.recu_le))


def deduced(version: QuestionnaireVersion | FicheAssociationVersion) -> int:
    """Count the values of a version whose reading was deduced (READING.md § 5)."""
    if isinstance(version, QuestionnaireVersion):
        return sum(p.certitude == Certitude.DEDUITE for p in version.provenances)
    return sum((p or {}).get("certitude") == Certitude.DEDUITE for p in (version.provenance or {}).values())


def kind_label(dossier: Dossier) -> str:
    return "fiche association" if isinstance(dossier.version, FicheAssociationVersion) else "questionnaire"
