"""Campaigns: open one (who is expected, the deadline), write each partner's pre-filled form and
covering letter, and say where each partner stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.campagne import annuaire, courriers, jours
from workflow.campagne.annuaire import Partenaire
from workflow.campagne.prefill import answers_of, ecrire_formulaire, latest_validated
from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import (
    ActionProgrammee,
    Campagne,
    FicheAssociationVersion,
    Organisation,
    PartenaireAttendu,
    QuestionnaireVersion,
    Revue,
)
from workflow.review.status import StatutRevue
from workflow.text import normalise
from workflow.validation.organisations import resolve_signataire
from workflow.workspace import Workspace


def ouverte(session: Session) -> Campagne | None:
    """Return the open campaign (the latest one not closed), or None."""
    return session.scalar(select(Campagne).where(Campagne.close_le.is_(None)).order_by(Campagne.annee.desc()))


def par_defaut(session: Session, today: dt.date | None = None) -> int:
    """The campaign a command means when none is named: the open one, else the current year."""
    found = ouverte(session)
    return found.annee if found else (today or dt.date.today()).year


def trouver(session: Session, annee: int) -> Campagne:
    found = session.scalar(select(Campagne).where(Campagne.annee == annee))
    if found is None:
        raise CdvError(f"aucune campagne {annee} ouverte (voir : cdv campagne ouvrir {annee} --echeance JJ/MM/AAAA)")
    return found


def verifier_echeance(echeance: dt.date, today: dt.date) -> None:
    """A deadline is a French working day after today; say which day would do otherwise."""
    if echeance <= today:
        raise CdvError(f"échéance du {echeance:%d/%m/%Y} déjà passée : choisir un jour ouvré après aujourd'hui")
    if why := jours.pourquoi_pas_ouvre(echeance):
        suivant = jours.ouvre_suivant(echeance)
        raise CdvError(
            f"le {echeance:%d/%m/%Y} n'est pas un jour ouvré ({why}) : choisir par exemple le {suivant:%d/%m/%Y}"
        )


def attendus(session: Session, ref: Referentiel, annee: int, listees: list[str]) -> list[tuple[Partenaire, str]]:
    """The signatories, then the associations of the year's programmation, then those staff listed."""
    found: dict[str, tuple[Partenaire, str]] = {}
    for s in ref.signataires.signataires:
        cible = annuaire.partenaire(ref, s.nom)
        found[cible.cle] = (cible, "signataires")
    for nom in _programmees(session, annee):
        if resolve_signataire(nom, ref) is not None:
            continue  # a signatory carrying funded actions answers the questionnaire
        cible = annuaire.partenaire(ref, nom, "association")
        found.setdefault(cible.cle, (cible, "programmation"))
    for nom in listees:
        cible = annuaire.partenaire(ref, nom, "association")
        found.setdefault(cible.cle, (cible, "liste"))
    return list(found.values())


def _programmees(session: Session, annee: int) -> list[str]:
    rows = session.execute(
        select(ActionProgrammee.operateur, ActionProgrammee.type_operateur, Organisation.nom)
        .outerjoin(Organisation, Organisation.id == ActionProgrammee.organisation_id)
        .where(ActionProgrammee.annee == annee)
        .order_by(ActionProgrammee.ligne)
    )
    names = [known or operateur for operateur, kind, known in rows if known or normalise(kind) == "association"]
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Envoi:
    """What was written for one expected partner."""

    partenaire: Partenaire
    formulaire: Path
    courriel: Path
    prerempli: bool
    adresse: annuaire.Adresse


def dossier(workspace: Workspace, annee: int) -> Path:
    return workspace.outbox / f"campagne_{annee}"


def ouvrir(
    workspace: Workspace,
    registry: Registry,
    annee: int,
    echeance: dt.date,
    associations: list[str] = (),  # type: ignore[assignment]
    par: str = "",
    today: dt.date | None = None,
) -> list[Envoi]:
    """Record the campaign and write, per expected partner, its pre-filled form and covering letter."""
    ref = workspace.referentiel
    verifier_echeance(echeance, today or dt.date.today())
    with registry.session() as session:
        if session.scalar(select(Campagne).where(Campagne.annee == annee)):
            raise CdvError(f"la campagne {annee} est déjà ouverte (voir : cdv campagne etat {annee})")
        campagne = Campagne(annee=annee, echeance=echeance, ouverte_le=dt.datetime.now(dt.UTC), par=par)
        expected = attendus(session, ref, annee, list(associations))
        campagne.attendus = [
            PartenaireAttendu(cle=c.cle, nom=c.nom, type=c.type, origine=origine) for c, origine in expected
        ]
        session.add(campagne)
        annuaire.rafraichir(session, ref)
        validated = latest_validated(session)
        return [_ecrire(workspace, session, c, annee, echeance, validated.get(c.cle)) for c, _ in expected]


def _ecrire(
    workspace: Workspace,
    session: Session,
    cible: Partenaire,
    annee: int,
    echeance: dt.date,
    last: QuestionnaireVersion | FicheAssociationVersion | None,
) -> Envoi:
    folder = dossier(workspace, annee)
    name = courriers.slug(cible.nom)
    kind = "questionnaire" if cible.type == "signataire" else "fiche"
    previous = answers_of(last, workspace.referentiel) if last is not None else None
    form = ecrire_formulaire(
        workspace, cible, annee, folder / "formulaires" / f"{kind}_{name}.docx", previous, echeance
    )
    adresse = annuaire.adresse(session, cible.cle)
    mail = folder / "courriels" / f"{kind}_{name}.eml"
    mail.parent.mkdir(parents=True, exist_ok=True)
    recu = isinstance(last, QuestionnaireVersion) and last.campagne == annee
    mail.write_bytes(bytes(courriers.ouverture(cible, adresse, annee, echeance, form, previous is not None, recu)))
    return Envoi(cible, form, mail, previous is not None, adresse)


# --- where each partner stands --------------------------------------------------------------------


class Etat:
    SANS_REPONSE = "sans réponse"


@dataclass(frozen=True)
class Situation:
    """One expected partner in a campaign: its latest answer (if any) and its review status."""

    attendu: PartenaireAttendu
    soumission_id: int | None
    recu_le: dt.datetime | None
    statut: str  # StatutRevue value, or "sans_reponse"

    @property
    def libelle(self) -> str:
        return StatutRevue(self.statut).libelle if self.statut in StatutRevue._value2member_map_ else Etat.SANS_REPONSE


def situations(session: Session, annee: int) -> list[Situation]:
    """Where each expected partner of the campaign stands, in the order they were expected."""
    campagne = trouver(session, annee)
    return [_situation(session, campagne, a) for a in campagne.attendus]


def _situation(session: Session, campagne: Campagne, attendu: PartenaireAttendu) -> Situation:
    version: QuestionnaireVersion | FicheAssociationVersion | None
    if attendu.type == "signataire":
        version = session.scalar(
            select(QuestionnaireVersion)
            .join(Organisation)
            .where(Organisation.cle == attendu.cle, QuestionnaireVersion.campagne == campagne.annee)
            .where(QuestionnaireVersion.courant)
        )
    else:
        version = session.scalar(
            select(FicheAssociationVersion)
            .join(Organisation)
            .where(Organisation.cle == attendu.cle, FicheAssociationVersion.courant)
        )
        if version is not None and not repond(campagne, version.soumission.recu_le):
            version = None  # the form on record answers an earlier campaign
    if version is None:
        return Situation(attendu, None, None, "sans_reponse")
    revue = session.scalar(select(Revue).where(Revue.soumission_id == version.soumission_id))
    statut = revue.statut if revue else StatutRevue.A_VERIFIER.value
    return Situation(attendu, version.soumission_id, version.soumission.recu_le, statut)


def repond(campagne: Campagne, recu_le: dt.datetime) -> bool:
    """Tell whether an association form received then answers this campaign (it came once it was open)."""
    return _aware(recu_le) >= _aware(campagne.ouverte_le)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def comptes(found: list[Situation]) -> dict[str, int]:
    """Expected, received, validated, to correct, to check, no answer."""
    by = [s.statut for s in found]
    return {
        "attendus": len(found),
        "reçus": sum(s != "sans_reponse" for s in by),
        "validés": by.count(StatutRevue.VALIDEE.value),
        "à corriger": by.count(StatutRevue.A_CORRIGER.value),
        "à vérifier": by.count(StatutRevue.A_VERIFIER.value),
        "sans réponse": by.count("sans_reponse"),
    }
