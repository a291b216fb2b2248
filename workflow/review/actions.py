"""What a person does to a recorded submission: correct a value, decide on an alert, validate it,
send it back, write a private note. Each action is journaled; a refused one changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.registry.models import Correction, Note
from workflow.review import journal
from workflow.review.dossier import AlerteVue, Dossier, alerts, concerns, corrections, decide
from workflow.review.fields import field
from workflow.review.status import Action, Decision, StatutRevue
from workflow.validation.alertes import CodeAlerte


def correct(
    session: Session, ref: Referentiel, dossier: Dossier, champ: str, valeur: str, motif: str, auteur: str
) -> Correction:
    """Write a corrected value over the one read; keep the value read, and close the field's alerts."""
    target = field(dossier.version, champ, ref)
    before = target.get()
    if before == valeur.strip():
        raise CdvError(f"« {champ} » vaut déjà « {before} » : rien à corriger")
    target.set(valeur)
    after = target.get()
    earlier = [c for c in corrections(session, dossier.soumission.id) if c.champ == champ]
    row = Correction(
        soumission_id=dossier.soumission.id,
        champ=champ,
        valeur_lue=earlier[0].valeur_lue if earlier else before,
        valeur=after,
        motif=motif,
        par=auteur,
        le=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    for alert in _distinct(alerts(session, dossier)):
        if alert.ouverte and concerns(alert.champ, champ):
            decide(session, dossier, alert, Decision.CORRIGEE, motif, auteur)
    journal.log(
        session, auteur, Action.CORRECTION, dossier.soumission.id, dossier.organisme, champ, before, after, motif
    )
    session.flush()
    return row


def _distinct(found: list[AlerteVue]) -> list[AlerteVue]:
    """One decision covers the alerts sharing a code and a field (two unknown quarters, say)."""
    return list({(a.code, a.champ): a for a in found}.values())


def accept(
    session: Session,
    dossier: Dossier,
    code: str,
    motif: str,
    auteur: str,
    champ: str | None = None,
    decision: Decision = Decision.ACCEPTEE,
) -> None:
    """Record that the value an alert points to is right as read (or that the alert is moot)."""
    if not motif.strip():
        raise CdvError("indiquer pourquoi la valeur est juste telle quelle : --motif « … »")
    matching = [a for a in alerts(session, dossier) if a.code == code and (champ is None or a.champ == champ)]
    if not matching:
        known = ", ".join(sorted({a.code for a in alerts(session, dossier)})) or "aucune"
        raise CdvError(f"pas d'alerte « {code} » sur cette soumission (alertes : {known})")
    still_open = [a for a in matching if a.ouverte]
    if not still_open:
        raise CdvError(f"l'alerte « {code} » a déjà reçu une décision")
    for alert in _distinct(still_open):
        decide(session, dossier, alert, decision, motif, auteur)
        journal.log(
            session, auteur, Action.DECISION, dossier.soumission.id, dossier.organisme, alert.champ or code,
            "ouverte", decision.libelle, motif,
        )  # fmt: skip


def validate(session: Session, dossier: Dossier, auteur: str) -> None:
    """Mark the version validated, refused while a blocking alert is open."""
    if dossier.statut == StatutRevue.VALIDEE:
        raise CdvError(f"la soumission n° {dossier.soumission.id} est déjà validée")
    blocking = [a for a in alerts(session, dossier) if a.ouverte and a.bloquante]
    if blocking:
        listed = " ; ".join(f"{a.code} ({a.message})" for a in blocking)
        raise CdvError(
            f"validation refusée : {len(blocking)} alerte(s) bloquante(s) encore ouverte(s) — {listed}. "
            "Corriger la valeur (cdv revue corriger) ou l'accepter telle quelle (cdv revue accepter)."
        )
    _set_status(session, dossier, StatutRevue.VALIDEE, auteur, Action.VALIDATION, "")
    if not dossier.version.courant and any(a.code == CodeAlerte.VERSION_APPAUVRIE for a in alerts(session, dossier)):
        _make_current(session, dossier.version)  # a person decided the poorer version is the right one


def _make_current(session: Session, version: Any) -> None:
    """Put `version` in force in place of the one its organisation (and campaign) had."""
    model = type(version)
    where = [model.organisation_id == version.organisation_id]
    if hasattr(model, "campagne"):
        where.append(model.campagne == version.campagne)
    session.execute(update(model).where(*where, model.courant).values(courant=False))
    version.courant = True


def send_back(session: Session, dossier: Dossier, motif: str, auteur: str) -> None:
    """Mark the version to be corrected by the partner; documents keep the last validated one."""
    if not motif.strip():
        raise CdvError("indiquer ce que le partenaire doit corriger : --motif « … »")
    _set_status(session, dossier, StatutRevue.A_CORRIGER, auteur, Action.RENVOI, motif)


def _set_status(
    session: Session, dossier: Dossier, statut: StatutRevue, auteur: str, action: Action, motif: str
) -> None:
    before = dossier.statut
    dossier.revue.statut, dossier.revue.par, dossier.revue.le = statut.value, auteur, dt.datetime.now(dt.UTC)
    journal.log(
        session,
        auteur,
        action,
        dossier.soumission.id,
        dossier.organisme,
        "statut",
        before.libelle,
        statut.libelle,
        motif,
    )


def add_note(session: Session, dossier: Dossier, texte: str, auteur: str) -> Note:
    if not texte.strip():
        raise CdvError("une note vide n'est pas enregistrée")
    note = Note(soumission_id=dossier.soumission.id, texte=texte.strip(), par=auteur, le=dt.datetime.now(dt.UTC))
    session.add(note)
    journal.log(session, auteur, Action.NOTE, dossier.soumission.id, dossier.organisme, apres=texte.strip())
    return note
