"""Record stage: write a submission and its questionnaire or association version in one transaction.

Nothing is flushed here: the reads (organisation, last version) come first, then the new rows are
added through their relationships, so that the caller's transaction writes them in one flush. The
provenance of a questionnaire's values, a few dozen rows, is written after that flush in one
multi-row INSERT (`record_provenance`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from workflow.answers import Alerte, FicheAssociation, Questionnaire
from workflow.registry.models import (
    ActionRow,
    AgentRow,
    AlerteRow,
    CofinancementRow,
    FicheAssociationVersion,
    InterventionRow,
    ObjectifRow,
    Organisation,
    ProvenanceRow,
    QuartierRow,
    QuestionnaireVersion,
    Soumission,
)
from workflow.text import normalise
from workflow.validation.appauvrie import impoverishment


def organisation_for(session: Session, nom: str, signataire_id: str | None, kind: str) -> Organisation:
    """Return the organisation keyed by signatory id or normalised name, added (not flushed) if new."""
    key = f"signataire:{signataire_id}" if signataire_id else f"{kind}:{normalise(nom)}"
    found = session.scalar(select(Organisation).where(Organisation.cle == key))
    if found is None:
        found = Organisation(nom=nom, cle=key, signataire_id=signataire_id, type=kind)
        session.add(found)
    return found


def _retire_current(session: Session, model: Any, organisation: Organisation, *where: Any) -> int:
    """Make the current version of these answers an earlier one; return the last version number."""
    if organisation.id is None:  # a new organisation has no earlier answers
        return 0
    where = (model.organisation_id == organisation.id, *where)
    last = session.scalar(select(func.max(model.version)).where(*where)) or 0
    if last:
        session.execute(update(model).where(*where, model.courant).values(courant=False))
    return int(last)


def _settle_current(
    session: Session, model: Any, organisation: Organisation, form: Any, *where: Any
) -> tuple[int, Alerte | None]:
    """Retire the version in force unless the new one loses most of its answers: then the new one is
    kept aside with `version_appauvrie` and the version in force stays (return its number and the alert)."""
    if organisation.id is not None:
        current = session.scalar(select(model).where(model.organisation_id == organisation.id, model.courant, *where))
        if current is not None and (poorer := impoverishment(current, form, current.version)):
            last = session.scalar(
                select(func.max(model.version)).where(model.organisation_id == organisation.id, *where)
            )
            return int(last or 0), poorer
    return _retire_current(session, model, organisation, *where), None


def _listed(alert: Alerte | None) -> tuple[Alerte, ...]:
    return (alert,) if alert else ()


def record_questionnaire(session: Session, soumission: Soumission, q: Questionnaire) -> QuestionnaireVersion:
    """Add `q` as the current version for its (organisation, campagne); keep the earlier ones."""
    organisation = organisation_for(session, q.organisme, q.signataire_id, "signataire")
    last, poorer = _settle_current(
        session, QuestionnaireVersion, organisation, q, QuestionnaireVersion.campagne == q.campagne
    )
    version = QuestionnaireVersion(
        organisation=organisation,
        campagne=q.campagne,
        version=last + 1,
        courant=poorer is None,
        soumission=soumission,
        referent_nom=q.referent_nom,
        referent_fonction=q.referent_fonction,
        referent_courriel=q.referent_courriel,
        referent_telephone=q.referent_telephone,
        engagements=q.engagements,
        interventions=[
            InterventionRow(rang=i, intitule=x.intitule, description=x.description)
            for i, x in enumerate(q.interventions)
        ],
        agents=[AgentRow(rang=i, nom=a.nom, fonction=a.fonction) for i, a in enumerate(q.agents)],
        quartiers=[QuartierRow(rang=i, quartier_id=qid) for i, qid in enumerate(q.quartiers)],
        objectifs=[
            ObjectifRow(
                rang=i, ambition=o.ambition, os=o.os, oo=o.oo, libelle_saisi=o.libelle_saisi, reference=o.reference
            )
            for i, o in enumerate(q.objectifs)
        ],
        alertes=[AlerteRow(code=a.code, message=a.message, champ=a.champ) for a in (*q.alertes, *_listed(poorer))],
    )
    session.add(version)
    return version


def record_provenance(session: Session, version: QuestionnaireVersion, q: Questionnaire) -> None:
    """Write where each value of `q` was read, in one INSERT of many rows (`version` flushed already)."""
    rows = [
        {
            "questionnaire_id": version.id,
            "champ": champ,
            "methode": lieu.methode,
            "localisation": lieu.detail,
            "certitude": lieu.certitude,
        }
        for champ, lieu in q.provenance
    ]
    if rows:
        session.execute(insert(ProvenanceRow), rows)


def record_association(session: Session, soumission: Soumission, fiche: FicheAssociation) -> FicheAssociationVersion:
    """Add `fiche` as the current version for its association; keep the earlier ones."""
    organisation = organisation_for(session, fiche.identite["association_nom"], None, "association")
    last, poorer = _settle_current(session, FicheAssociationVersion, organisation, fiche)
    version = FicheAssociationVersion(
        organisation=organisation,
        version=last + 1,
        courant=poorer is None,
        soumission=soumission,
        identite=fiche.identite,
        quartiers=list(fiche.quartiers),
        ambitions=list(fiche.ambitions),
        objectifs=[
            {"ambition": o.ambition, "os": o.os, "oo": o.oo, "libelle_saisi": o.libelle_saisi, "reference": o.reference}
            for o in fiche.objectifs
        ],
        engagements=list(fiche.engagements),
        autres_engagements=fiche.autres_engagements,
        demande_cpo=fiche.demande_cpo,
        duree_cpo_annees=fiche.duree_cpo_annees,
        indicateurs_suivi=list(fiche.indicateurs_suivi),
        signature=fiche.signature,
        alertes=[{"code": a.code, "message": a.message, "champ": a.champ} for a in (*fiche.alertes, *_listed(poorer))],
        provenance={
            champ: {"methode": lieu.methode, "localisation": lieu.detail, "certitude": lieu.certitude}
            for champ, lieu in fiche.provenance
        },
        actions=[
            ActionRow(
                rang=i,
                intitule=a.intitule,
                description=a.description,
                public_vise=a.public_vise,
                beneficiaires_prevus=a.beneficiaires_prevus,
                periode=a.periode,
                cofinancements=[
                    CofinancementRow(rang=j, financeur=c.financeur, montant=c.montant)
                    for j, c in enumerate(a.cofinancements)
                ],
            )
            for i, a in enumerate(fiche.actions)
        ],
    )
    session.add(version)
    return version
