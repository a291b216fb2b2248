"""Record stage: write a submission and its questionnaire or association version in one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workflow.answers import FicheAssociation, Questionnaire
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


def organisation_for(session: Session, nom: str, signataire_id: str | None, kind: str) -> Organisation:
    """Return the organisation keyed by signatory id or normalised name, created if new."""
    key = f"signataire:{signataire_id}" if signataire_id else f"{kind}:{normalise(nom)}"
    found = session.scalar(select(Organisation).where(Organisation.cle == key))
    if found is None:
        found = Organisation(nom=nom, cle=key, signataire_id=signataire_id, type=kind)
        session.add(found)
        session.flush()
    return found


def _retire_current(session: Session, model: Any, *where: Any) -> int:
    """Make the current version of these answers an earlier one; return the last version number."""
    last = session.scalar(select(func.max(model.version)).where(*where)) or 0
    session.execute(update(model).where(*where).values(courant=False))
    session.flush()
    return int(last)


def record_questionnaire(session: Session, soumission: Soumission, q: Questionnaire) -> QuestionnaireVersion:
    """Add `q` as the current version for its (organisation, campagne); keep the earlier ones."""
    organisation = organisation_for(session, q.organisme, q.signataire_id, "signataire")
    last = _retire_current(
        session,
        QuestionnaireVersion,
        QuestionnaireVersion.organisation_id == organisation.id,
        QuestionnaireVersion.campagne == q.campagne,
    )
    version = QuestionnaireVersion(
        organisation=organisation,
        campagne=q.campagne,
        version=last + 1,
        courant=True,
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
        alertes=[AlerteRow(code=a.code, message=a.message, champ=a.champ) for a in q.alertes],
        provenances=[
            ProvenanceRow(champ=champ, methode=lieu.methode, localisation=lieu.detail, certitude=lieu.certitude)
            for champ, lieu in q.provenance
        ],
    )
    session.add(version)
    session.flush()
    return version


def record_association(session: Session, soumission: Soumission, fiche: FicheAssociation) -> FicheAssociationVersion:
    """Add `fiche` as the current version for its association; keep the earlier ones."""
    organisation = organisation_for(session, fiche.identite["association_nom"], None, "association")
    last = _retire_current(session, FicheAssociationVersion, FicheAssociationVersion.organisation_id == organisation.id)
    version = FicheAssociationVersion(
        organisation=organisation,
        version=last + 1,
        courant=True,
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
        alertes=[{"code": a.code, "message": a.message, "champ": a.champ} for a in fiche.alertes],
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
    session.flush()
    return version
