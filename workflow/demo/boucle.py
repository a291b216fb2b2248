"""The demo's partner loop: the campaign under way opened with forms pre-filled from the validated
answers, then the reminders prepared in outbox/ (drafts only: the demo never sends anything)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select

from workflow.campagne import campagnes, jours, relances
from workflow.demo.revue import AUTEUR
from workflow.registry.db import Registry
from workflow.registry.models import QuestionnaireVersion
from workflow.render.typographie import nombre
from workflow.workspace import Workspace

ECHEANCE = (3, 15)  # the reply deadline asked of the partners: mid-March, as in the contract's calendar


def current_campaign(registry: Registry, today: dt.date) -> int:
    """Return the campaign under way in the demo: that of its latest answers (two signatories already sent
    their 2026 update), else the current year."""
    with registry.session() as session:
        latest = session.scalar(select(func.max(QuestionnaireVersion.campagne)))
    return int(latest) if latest else today.year


def deadline(annee: int, today: dt.date) -> dt.date:
    """Return mid-March of the campaign year (a working day), or a month from today when that is too near."""
    wanted = jours.ouvre_suivant(dt.date(annee, *ECHEANCE))
    return wanted if wanted > today + dt.timedelta(days=14) else jours.ouvre_suivant(today + dt.timedelta(days=30))


def partner_loop(
    workspace: Workspace, registry: Registry, associations: list[str], say: Callable[[str], None]
) -> relances.Preparation:
    """Open the campaign under way for the signatories and the demo's associations, then prepare the
    reminders of those who have not answered it."""
    today = dt.date.today()
    annee = current_campaign(registry, today)
    echeance = deadline(annee, today)
    envois = campagnes.ouvrir(workspace, registry, annee, echeance, associations, AUTEUR, today)
    folder = campagnes.dossier(workspace, annee).relative_to(workspace.root)
    prerempli = sum(e.prerempli for e in envois)
    say(
        f"Campagne {annee} ouverte, échéance le {echeance:%d/%m/%Y} : "
        f"{nombre(len(envois), 'partenaire attendu', 'partenaires attendus')}, "
        f"{nombre(prerempli, 'formulaire pré-rempli', 'formulaires pré-remplis')} de leurs dernières réponses "
        f"validées et un projet de courriel chacun dans {folder}/"
    )
    done = relances.preparer(workspace, registry, annee, today)
    say(
        f"Relances : {nombre(len(done.preparees), 'projet préparé', 'projets préparés')} (non envoyés) dans "
        f"{done.dossier.relative_to(workspace.root)}/ ; "
        f"{nombre(len(done.sans_adresse), 'partenaire', 'partenaires')} {relances.SANS_ADRESSE} "
        f"(sans_adresse_valide.txt) ; suivi : cdv --racine {workspace.root} campagne etat {annee}"
    )
    return done
