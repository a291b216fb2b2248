"""Corrections survive a new version: carried over where the partner left the value as it was read,
dropped with an alert where the partner changed it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.registry.models import (
    AlerteRow,
    Correction,
    DecisionAlerte,
    FicheAssociationVersion,
    QuestionnaireVersion,
)
from workflow.review import journal
from workflow.review.dossier import concerns, corrections
from workflow.review.fields import Champ, Version, field
from workflow.review.status import Action, Decision
from workflow.validation.alertes import CodeAlerte

SYSTEM = "cdv"  # the journal's author of what the tool does on a person's behalf


def carry_over(session: Session, ref: Referentiel, new: Version) -> int:
    """Apply to `new` the corrections of the version before it; return how many were carried."""
    previous = _previous(session, new)
    if previous is None:
        return 0
    latest = {c.champ: c for c in corrections(session, previous.soumission_id)}
    carried = 0
    for champ, correction in latest.items():
        try:
            target = field(new, champ, ref)
        except CdvError:
            target = None
        read_now = target.get() if target else ""
        if target is not None and read_now == correction.valeur_lue and _applied(target, correction):
            _record(session, new, correction)
            _close_alerts(session, new, correction)
            carried += 1
        elif read_now != correction.valeur:
            _stale(new, champ, correction, read_now)
    session.flush()
    return carried


def _applied(target: Champ, correction: Correction) -> bool:
    try:
        target.set(correction.valeur)
    except CdvError:  # the reference data changed since: the value no longer passes
        return False
    return True


def _close_alerts(session: Session, new: Version, correction: Correction) -> None:
    """The alerts the new version raises on a field corrected again are closed as the first ones were."""
    if isinstance(new, QuestionnaireVersion):
        found = [(a.code, a.champ) for a in new.alertes]
    else:
        found = [(a["code"], a.get("champ", "")) for a in new.alertes]
    for code, champ in dict.fromkeys(found):
        if concerns(champ, correction.champ):
            session.add(
                DecisionAlerte(
                    soumission_id=new.soumission.id,
                    code=code,
                    champ=champ,
                    decision=Decision.CORRIGEE.value,
                    motif="correction reprise de la version précédente",
                    par=correction.par,
                    le=dt.datetime.now(dt.UTC),
                )
            )


def _previous(session: Session, new: Version) -> Version | None:
    if isinstance(new, QuestionnaireVersion):
        return session.scalar(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.organisation_id == new.organisation_id,
                QuestionnaireVersion.campagne == new.campagne,
                QuestionnaireVersion.version == new.version - 1,
            )
        )
    return session.scalar(
        select(FicheAssociationVersion).where(
            FicheAssociationVersion.organisation_id == new.organisation_id,
            FicheAssociationVersion.version == new.version - 1,
        )
    )


def _record(session: Session, new: Version, correction: Correction) -> None:
    motif = f"correction du {correction.le.astimezone():%d/%m/%Y} reprise : le partenaire a renvoyé la même valeur"
    session.add(
        Correction(
            soumission_id=new.soumission.id,
            champ=correction.champ,
            valeur_lue=correction.valeur_lue,
            valeur=correction.valeur,
            motif=motif,
            par=correction.par,
            le=dt.datetime.now(dt.UTC),
            reprise_de_id=correction.id,
        )
    )
    journal.log(
        session, SYSTEM, Action.CORRECTION_REPRISE, new.soumission.id, new.organisation.nom, correction.champ,
        correction.valeur_lue, correction.valeur, motif,
    )  # fmt: skip


def _stale(new: Version, champ: str, correction: Correction, read_now: str) -> None:
    message = (
        f"Correction non reprise : « {champ} » avait été corrigé en « {correction.valeur} » (par {correction.par}), "
        f"mais le partenaire y a écrit « {read_now} » dans la nouvelle version."
    )
    if isinstance(new, QuestionnaireVersion):
        new.alertes.append(AlerteRow(code=CodeAlerte.CORRECTION_CADUQUE, message=message, champ=champ))
    else:
        new.alertes = [*new.alertes, {"code": CodeAlerte.CORRECTION_CADUQUE.value, "message": message, "champ": champ}]
