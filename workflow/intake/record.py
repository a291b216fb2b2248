"""Record stage: write a submission and its questionnaire or association version in one transaction.

The reads (organisation, version in force) come first, then the new rows are added through their
relationships, so that the caller's transaction writes them in one flush. A questionnaire's other
rows (interventions, agents, quarters, objectives, provenance: a few dozen) are written after that
flush by `record_rows`, one multi-row INSERT per table: the ORM would insert them one by one on
SQLite, to learn each id, which nothing needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
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
    found = session.scalar(_ORGANISATION, {"cle": key})
    if found is None:
        found = Organisation(nom=nom, cle=key, signataire_id=signataire_id, type=kind)
        session.add(found)
    return found


# the statements of every file, built once: building one costs more than running it
_ORGANISATION = select(Organisation).where(Organisation.cle == bindparam("cle"))


@dataclass(frozen=True)
class _Versions:
    """The statements on the versions of one organisation's answers (for one campaign, for questionnaires)."""

    model: Any
    current: Any
    last: Any

    @classmethod
    def of(cls, model: Any, *scope: Any) -> _Versions:
        scope = (model.organisation_id == bindparam("organisation"), *scope)
        last = select(func.max(model.version)).where(*scope).scalar_subquery()
        return cls(model, select(model).where(*scope, model.courant), last)


_QUESTIONNAIRES = _Versions.of(QuestionnaireVersion, QuestionnaireVersion.campagne == bindparam("annee"))
_FICHES = _Versions.of(FicheAssociationVersion)


def _count(model: Any) -> Any:
    return select(func.count()).where(model.questionnaire_id == bindparam("version")).scalar_subquery()


_COUNTED = select(*(_count(m) for m in (InterventionRow, QuartierRow, AgentRow, ObjectifRow)), _QUESTIONNAIRES.last)


def _settle_current(
    session: Session, versions: _Versions, organisation: Organisation, form: Any, campagne: int | None = None
) -> tuple[int, Alerte | None]:
    """Make the version in force an earlier one, unless the new one loses most of its answers: then
    the new one is kept aside with `version_appauvrie` and the version in force stays. Return the last
    version number and that alert (`campagne`: a questionnaire's, whose versions go by campaign)."""
    if organisation.id is None:  # a new organisation has no earlier answers
        return 0, None
    params = {"organisation": organisation.id} | ({} if campagne is None else {"annee": campagne})
    current = session.scalar(versions.current, params)
    in_force: Any
    if isinstance(current, QuestionnaireVersion):
        in_force, last = _counted(session, current, params)
    else:
        in_force, last = current, session.scalar(select(versions.last), params)
    poorer = impoverishment(in_force, form, current.version) if current is not None else None
    if current is not None and poorer is None:  # built here: its values also update `current` in the session
        model = versions.model
        retire = update(model).where(model.organisation_id == organisation.id, model.courant)
        if campagne is not None:
            retire = retire.where(model.campagne == campagne)
        session.execute(retire.values(courant=False))
    return int(last or 0), poorer


@dataclass(frozen=True)
class _EnVigueur:
    """A questionnaire version in force as `impoverishment` counts its answers: its texts, and its
    lists by their length, counted in one query rather than loaded row by row."""

    referent_nom: str
    referent_fonction: str
    referent_courriel: str
    referent_telephone: str
    engagements: str
    interventions: range
    quartiers: range
    agents: range
    objectifs: range


def _counted(session: Session, current: QuestionnaireVersion, params: dict[str, Any]) -> tuple[_EnVigueur, int | None]:
    """Return the version in force as counted, and the last version number: one query for both."""
    *counts, last = session.execute(_COUNTED, {**params, "version": current.id}).one()
    texts = (current.referent_nom, current.referent_fonction, current.referent_courriel, current.referent_telephone)
    return _EnVigueur(*texts, current.engagements, *(range(n) for n in counts)), last


def _listed(alert: Alerte | None) -> tuple[Alerte, ...]:
    return (alert,) if alert else ()


def record_questionnaire(session: Session, soumission: Soumission, q: Questionnaire) -> QuestionnaireVersion:
    """Add `q` as the current version for its (organisation, campagne), with its alerts; keep the
    earlier ones. Its other rows are written by `record_rows` once the version is flushed."""
    organisation = organisation_for(session, q.organisme, q.signataire_id, "signataire")
    last, poorer = _settle_current(session, _QUESTIONNAIRES, organisation, q, q.campagne)
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
        alertes=[AlerteRow(code=a.code, message=a.message, champ=a.champ) for a in (*q.alertes, *_listed(poorer))],
    )
    session.add(version)
    return version


def record_rows(session: Session, version: QuestionnaireVersion, q: Questionnaire) -> None:
    """Write the rows of `q` under its version, flushed already: one INSERT of many rows per table
    (the version's collections load them when first read)."""
    owner = {"questionnaire_id": version.id}
    tables: tuple[tuple[Any, list[dict[str, Any]]], ...] = (
        (AgentRow, [{**owner, "rang": i, "nom": a.nom, "fonction": a.fonction} for i, a in enumerate(q.agents)]),
        (
            InterventionRow,
            [
                {**owner, "rang": i, "intitule": x.intitule, "description": x.description}
                for i, x in enumerate(q.interventions)
            ],
        ),
        (
            ObjectifRow,
            [
                {
                    **owner,
                    "rang": i,
                    "ambition": o.ambition,
                    "os": o.os,
                    "oo": o.oo,
                    "libelle_saisi": o.libelle_saisi,
                    "reference": o.reference,
                }
                for i, o in enumerate(q.objectifs)
            ],
        ),
        (QuartierRow, [{**owner, "rang": i, "quartier_id": qid} for i, qid in enumerate(q.quartiers)]),
        (
            ProvenanceRow,
            [
                {**owner, "champ": c, "methode": lieu.methode, "localisation": lieu.detail, "certitude": lieu.certitude}
                for c, lieu in q.provenance
            ],
        ),
    )
    for model, rows in tables:
        if rows:
            session.execute(insert(model), rows)


def record_association(session: Session, soumission: Soumission, fiche: FicheAssociation) -> FicheAssociationVersion:
    """Add `fiche` as the current version for its association; keep the earlier ones."""
    organisation = organisation_for(session, fiche.identite["association_nom"], None, "association")
    last, poorer = _settle_current(session, _FICHES, organisation, fiche)
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
