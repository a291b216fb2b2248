"""The returns table of a campaign: every signatory and every known association, answered or not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from workflow.campagne.annuaire import cle_signataire
from workflow.campagne.campagnes import ouverte, repond
from workflow.referentiel import Referentiel
from workflow.registry.models import (
    Campagne,
    DecisionAlerte,
    FicheAssociationVersion,
    Organisation,
    PartenaireAttendu,
    QuestionnaireVersion,
    Relance,
    Revue,
    Soumission,
)
from workflow.registry.queries import associations, retours_campagne
from workflow.render.typographie import cle_fr
from workflow.review.dossier import AlerteVue
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
class Relances:
    """The reminders of one partner for the campaign: how many were prepared, sent, and the latest."""

    preparees: int = 0
    envoyees: int = 0
    derniere: dt.datetime | None = None


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
    relances: Relances = Relances()

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
    """Return the campaigns answered or opened so far, latest first."""
    answered = session.scalars(select(QuestionnaireVersion.campagne).distinct())
    opened = session.scalars(select(Campagne.annee))
    return sorted({int(c) for c in [*answered, *opened]}, reverse=True)


def campagne_par_defaut(session: Session, years: list[int]) -> int:
    """The campaign shown when none is asked for: the open one, else the latest answered, else this year."""
    found = ouverte(session)
    return found.annee if found else (years[0] if years else dt.date.today().year)


def tableau(session: Session, ref: Referentiel, campagne: int) -> Tableau:
    """Return the table of `campagne`: signatories in reference order, then associations by name; once the
    campaign is opened, an association's form received before is no answer to it (as `cdv campagne etat`).

    A fixed number of queries whatever the size of the registry: reviews, decisions and reminders
    are read for all partners at once, never one submission at a time."""
    found = retours_campagne(session, ref.signataires.signataires, campagne)
    fiches = associations(session)
    versions: list[Version] = [*found.repondu, *fiches]
    ids = [v.soumission_id for v in versions]
    revues, decided = _revues(session, ids), _decisions(session, ids)
    reminders, latest = _relances(session, campagne), _latest_campaigns(session)

    def line(v: Version) -> Ligne:
        return _line(v, revues.get(v.soumission_id), decided.get(v.soumission_id, {}), reminders, latest)

    lines = [line(v) for v in found.repondu]
    lines += [
        Ligne(
            s.nom,
            "signataire",
            derniere_campagne=latest.get(s.id),
            relances=reminders.get(cle_signataire(s.id), Relances()),
        )
        for s in found.sans_reponse
    ]
    lines += _association_lines(session, campagne, fiches, line, reminders)
    return Tableau(campagne, tuple(lines))


def _association_lines(
    session: Session,
    campagne: int,
    fiches: list[FicheAssociationVersion],
    line: Callable[[Version], Ligne],
    reminders: dict[str, Relances],
) -> list[Ligne]:
    """Associations in French order: those whose form answers the campaign, those it expects, those known before."""
    opened = session.scalar(select(Campagne).where(Campagne.annee == campagne))
    answering = [f for f in fiches if opened is None or repond(opened, f.soumission.recu_le)]
    waiting = {f.organisation.cle: f.organisation.nom for f in fiches if f not in answering}
    listed = {f.organisation.cle for f in fiches}
    waiting.update({cle: nom for cle, nom in _expected_associations(session, campagne) if cle not in listed})
    found = [line(f) for f in answering]
    found += [Ligne(nom, "association", relances=reminders.get(cle, Relances())) for cle, nom in waiting.items()]
    return sorted(found, key=lambda x: cle_fr(x.organisme))


def _revues(session: Session, ids: list[int]) -> dict[int, Revue]:
    if not ids:
        return {}
    return {r.soumission_id: r for r in session.scalars(select(Revue).where(Revue.soumission_id.in_(ids)))}


def _decisions(session: Session, ids: list[int]) -> dict[int, dict[tuple[str, str], DecisionAlerte]]:
    """Return the decisions taken on the alerts of these submissions, by submission then (code, champ)."""
    found: dict[int, dict[tuple[str, str], DecisionAlerte]] = {}
    if ids:
        for d in session.scalars(select(DecisionAlerte).where(DecisionAlerte.soumission_id.in_(ids))):
            found.setdefault(d.soumission_id, {})[(d.code, d.champ)] = d
    return found


def _relances(session: Session, campagne: int) -> dict[str, Relances]:
    """Return, per partner key, the reminders of the campaign: prepared, sent, and the latest of them."""
    query = (
        select(Relance.cle, func.count(Relance.id), func.count(Relance.envoyee_le), func.max(Relance.preparee_le))
        .where(Relance.campagne == campagne)
        .group_by(Relance.cle)
    )
    return {cle: Relances(int(n), int(sent), last) for cle, n, sent, last in session.execute(query)}


def _latest_campaigns(session: Session) -> dict[str, int]:
    """Return the latest campaign each signatory (or other organisation) answered, by signatory id or key."""
    query = (
        select(Organisation.signataire_id, Organisation.cle, func.max(QuestionnaireVersion.campagne))
        .join(QuestionnaireVersion, QuestionnaireVersion.organisation_id == Organisation.id)
        .where(QuestionnaireVersion.courant)
        .group_by(Organisation.id, Organisation.signataire_id, Organisation.cle)
    )
    return {sid or cle: int(year) for sid, cle, year in session.execute(query)}


def _expected_associations(session: Session, campagne: int) -> list[tuple[str, str]]:
    """Return the associations the campaign expects (key, name), whether or not they ever answered."""
    query = (
        select(PartenaireAttendu.cle, PartenaireAttendu.nom)
        .join(Campagne, Campagne.id == PartenaireAttendu.campagne_id)
        .where(Campagne.annee == campagne, PartenaireAttendu.type == "association")
        .order_by(PartenaireAttendu.nom)
    )
    return [(cle, nom) for cle, nom in session.execute(query)]


def _line(
    version: Version,
    revue: Revue | None,
    decided: dict[tuple[str, str], DecisionAlerte],
    reminders: dict[str, Relances],
    latest: dict[str, int],
) -> Ligne:
    opened = [a for a in _alerts(version, decided) if a.ouverte] if revue else []
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
        relances=reminders.get(version.organisation.cle, Relances()),
    )


def _alerts(version: Version, decided: dict[tuple[str, str], DecisionAlerte]) -> list[AlerteVue]:
    """The version's alerts with their decisions, as `review.dossier.alerts` gives them, from decisions read at once."""
    if isinstance(version, QuestionnaireVersion):
        rows = [(a.code, a.message, a.champ) for a in version.alertes]
    else:
        rows = [(a["code"], a["message"], a.get("champ", "")) for a in version.alertes]
    return [AlerteVue(code, message, champ, decided.get((code, champ))) for code, message, champ in rows]


@dataclass(frozen=True)
class VersionListee:
    """One version of a partner as the submission page lists it."""

    soumission_id: int
    version: int
    campagne: int | None
    recu_le: dt.datetime
    fichier: str


def versions_of(session: Session, version: Version) -> list[VersionListee]:
    """Return every version recorded for the same partner, oldest first, read as plain rows (one query)."""
    model = type(version)
    campagne = model.campagne if model is QuestionnaireVersion else literal(None)
    query = (
        select(model.soumission_id, model.version, campagne, Soumission.recu_le, Soumission.fichier)
        .join(Soumission, Soumission.id == model.soumission_id)
        .where(model.organisation_id == version.organisation_id)
        .order_by(*((model.campagne,) if model is QuestionnaireVersion else ()), model.version)
    )
    return [VersionListee(*row) for row in session.execute(query)]
