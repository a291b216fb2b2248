"""A recorded submission under review: its version, its status, its alerts with their decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.answers import TypeFormulaire
from workflow.errors import CdvError
from workflow.registry.models import (
    Correction,
    DecisionAlerte,
    FicheAssociationVersion,
    Note,
    QuestionnaireVersion,
    Revue,
    Soumission,
)
from workflow.review.fields import Version
from workflow.review.status import Decision, StatutRevue
from workflow.validation.alertes import CodeAlerte, Gravite


@dataclass(frozen=True)
class AlerteVue:
    """An alert as staff see it: what it says and what was decided about it."""

    code: str
    message: str
    champ: str
    decision: DecisionAlerte | None

    @property
    def ouverte(self) -> bool:
        return self.decision is None

    @property
    def bloquante(self) -> bool:
        """An alert « à corriger » blocks validation until a person corrects or accepts the value."""
        known = CodeAlerte._value2member_map_.get(self.code)
        return not isinstance(known, CodeAlerte) or known.gravite == Gravite.A_CORRIGER


@dataclass(frozen=True)
class Dossier:
    soumission: Soumission
    version: Version
    revue: Revue

    @property
    def organisme(self) -> str:
        return self.version.organisation.nom

    @property
    def statut(self) -> StatutRevue:
        return StatutRevue(self.revue.statut)


def concerns(alert_champ: str, champ: str) -> bool:
    """An alert on `objectifs[1]` is resolved by a correction of `objectifs[1].oo`."""
    return bool(alert_champ) and (champ == alert_champ or champ.startswith((f"{alert_champ}.", f"{alert_champ}[")))


def open_review(session: Session, soumission: Soumission) -> Revue:
    """Every recorded form waits for a person from the moment it arrives."""
    revue = Revue(soumission=soumission, statut=StatutRevue.A_VERIFIER.value, par="", le=soumission.recu_le)
    session.add(revue)
    return revue


def load(session: Session, soumission_id: int) -> Dossier:
    """Return the submission's review file, or say in French why there is none."""
    soumission = session.get(Soumission, soumission_id)
    if soumission is None:
        raise CdvError(f"aucune soumission n° {soumission_id} (voir : cdv revue liste)")
    version = _version(session, soumission)
    revue = session.scalar(select(Revue).where(Revue.soumission_id == soumission_id))
    if version is None or revue is None:
        raise CdvError(
            f"la soumission n° {soumission_id} ({soumission.fichier}) n'est pas un formulaire enregistré : "
            f"rien à vérifier (statut : {soumission.statut})"
        )
    return Dossier(soumission, version, revue)


def _version(session: Session, soumission: Soumission) -> Version | None:
    if soumission.type_formulaire == TypeFormulaire.QUESTIONNAIRE:
        return session.scalar(select(QuestionnaireVersion).where(QuestionnaireVersion.soumission_id == soumission.id))
    if soumission.type_formulaire == TypeFormulaire.ASSOCIATION:
        return session.scalar(
            select(FicheAssociationVersion).where(FicheAssociationVersion.soumission_id == soumission.id)
        )
    return None


def alerts(session: Session, dossier: Dossier) -> list[AlerteVue]:
    """Return the version's alerts, each with the decision taken about it if any."""
    decisions = {
        (d.code, d.champ): d
        for d in session.scalars(select(DecisionAlerte).where(DecisionAlerte.soumission_id == dossier.soumission.id))
    }
    version = dossier.version
    if isinstance(version, QuestionnaireVersion):
        rows = [(a.code, a.message, a.champ) for a in version.alertes]
    else:
        rows = [(a["code"], a["message"], a.get("champ", "")) for a in version.alertes]
    return [AlerteVue(code, message, champ, decisions.get((code, champ))) for code, message, champ in rows]


def corrections(session: Session, soumission_id: int) -> list[Correction]:
    return list(
        session.scalars(select(Correction).where(Correction.soumission_id == soumission_id).order_by(Correction.id))
    )


def notes(session: Session, soumission_id: int) -> list[Note]:
    return list(session.scalars(select(Note).where(Note.soumission_id == soumission_id).order_by(Note.id)))


def decide(
    session: Session, dossier: Dossier, alert: AlerteVue, decision: Decision, motif: str, auteur: str
) -> DecisionAlerte:
    row = DecisionAlerte(
        soumission_id=dossier.soumission.id,
        code=alert.code,
        champ=alert.champ,
        decision=decision.value,
        motif=motif,
        par=auteur,
        le=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    session.flush()
    return row
