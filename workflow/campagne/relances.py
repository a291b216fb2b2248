"""Tracked reminders of a campaign: to the signatories and associations that have not answered, never
twice the same day, never to a missing or flagged address (those partners are listed instead).

Preparing writes drafts and records them; sending them by SMTP is a separate, explicit step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.campagne import annuaire, campagnes, courriers, jours
from workflow.campagne.annuaire import Partenaire
from workflow.campagne.prefill import answers_of, ecrire_formulaire, latest_validated
from workflow.copil import envoi
from workflow.registry.db import Registry
from workflow.registry.models import FicheAssociationVersion, QuestionnaireVersion, Relance
from workflow.workspace import Workspace

SANS_ADRESSE = "sans adresse valide"


@dataclass(frozen=True)
class SansAdresse:
    partenaire: Partenaire
    motif: str  # what to do, in French


@dataclass(frozen=True)
class Preparation:
    dossier: Path
    echeance: dt.date
    preparees: tuple[Relance, ...]
    sans_adresse: tuple[SansAdresse, ...]
    deja_relances: tuple[Partenaire, ...]  # reminded today already


def dossier(workspace: Workspace, annee: int, today: dt.date) -> Path:
    return campagnes.dossier(workspace, annee) / f"relances_{today:%Y-%m-%d}"


def preparer(workspace: Workspace, registry: Registry, annee: int, today: dt.date | None = None) -> Preparation:
    """Write a reminder for each expected partner with no answer yet, and record it."""
    today = today or dt.date.today()
    ref = workspace.referentiel
    folder = dossier(workspace, annee, today)
    with registry.session() as session:
        campagne = campagnes.trouver(session, annee)
        echeance = jours.echeance_relance(campagne.echeance, today)
        annuaire.rafraichir(session, ref)
        preparees: list[Relance] = []
        sans: list[SansAdresse] = []
        deja: list[Partenaire] = []
        validated = latest_validated(session)
        for situation in campagnes.situations(session, annee):
            if situation.soumission_id is not None:
                continue
            cible = annuaire.partenaire(ref, situation.attendu.nom, situation.attendu.type)
            if _today(session, annee, cible.cle, today):
                deja.append(cible)
                continue
            adresse = annuaire.adresse(session, cible.cle)
            if not adresse.courriel:
                sans.append(SansAdresse(cible, adresse.motif))
                continue
            last = validated.get(cible.cle)
            preparees.append(_write(workspace, session, folder, cible, adresse, annee, echeance, last))
        if sans:
            _liste_sans_adresse(folder, sans)
        session.expunge_all()
    return Preparation(folder, echeance, tuple(preparees), tuple(sans), tuple(deja))


def _today(session: Session, annee: int, cle: str, today: dt.date) -> bool:
    """Whether this partner already got a reminder prepared today for this campaign."""
    stamps = session.scalars(select(Relance.preparee_le).where(Relance.campagne == annee, Relance.cle == cle))
    return any(heure_locale(stamp).date() == today for stamp in stamps)


def heure_locale(value: dt.datetime) -> dt.datetime:
    """Return a stored time as local time (SQLite gives back naive UTC, PostgreSQL aware)."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone()


def _write(
    workspace: Workspace,
    session: Session,
    folder: Path,
    cible: Partenaire,
    adresse: annuaire.Adresse,
    annee: int,
    echeance: dt.date,
    last: QuestionnaireVersion | FicheAssociationVersion | None,
) -> Relance:
    numero = 1 + (
        session.scalar(select(func.count(Relance.id)).where(Relance.campagne == annee, Relance.cle == cible.cle)) or 0
    )
    name = courriers.slug(cible.nom)
    previous = answers_of(last, workspace.referentiel) if last is not None else None
    kind = "questionnaire" if cible.type == "signataire" else "fiche"
    form = ecrire_formulaire(
        workspace, cible, annee, folder / "formulaires" / f"{kind}_{name}.docx", previous, echeance
    )
    draft = folder / f"relance_{kind}_{name}.eml"
    draft.write_bytes(bytes(courriers.relance(cible, adresse, annee, echeance, form, numero)))
    row = Relance(
        campagne=annee,
        cle=cible.cle,
        organisme=cible.nom,
        numero=numero,
        destinataire=adresse.courriel,
        echeance=echeance,
        preparee_le=dt.datetime.now(dt.UTC),
        fichier=str(draft),
    )
    session.add(row)
    session.flush()
    return row


def _liste_sans_adresse(folder: Path, sans: list[SansAdresse]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sans_adresse_valide.txt"
    lines = [f"Partenaires {SANS_ADRESSE} : aucune relance préparée, à joindre autrement.", ""]
    lines += [f"- {s.partenaire.nom} : {s.motif}" for s in sans]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def a_envoyer(registry: Registry, annee: int) -> list[Relance]:
    """The reminders prepared for the campaign and not sent yet whose draft is still there."""
    with registry.session() as session:
        rows = list(
            session.scalars(
                select(Relance).where(Relance.campagne == annee, Relance.envoyee_le.is_(None)).order_by(Relance.id)
            )
        )
        session.expunge_all()
    return [r for r in rows if Path(r.fichier).is_file()]


def envoyer(workspace: Workspace, registry: Registry, rows: list[Relance]) -> list[Relance]:
    """Send these reminders by SMTP ([envoi] of config.toml) and record when each left."""
    config = envoi.configuration(workspace)
    sent = {p.name for p in envoi.envoyer(config, [Path(r.fichier) for r in rows])}
    done = [r for r in rows if Path(r.fichier).name in sent]
    with registry.session() as session:
        for row in done:
            stored = session.get(Relance, row.id)
            if stored is not None:
                stored.envoyee_le = dt.datetime.now(dt.UTC)
                stored.fichier = str(Path(row.fichier).parent / "envoyees" / Path(row.fichier).name)
    return done


def historique(registry: Registry, annee: int) -> list[Relance]:
    """Every reminder of the campaign, oldest first."""
    with registry.session() as session:
        rows = list(session.scalars(select(Relance).where(Relance.campagne == annee).order_by(Relance.id)))
        session.expunge_all()
    return rows
