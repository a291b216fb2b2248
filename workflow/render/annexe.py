"""The contract annex "Engagements des signataires": one section per partner, latest campaign."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workflow.fr import date_fr
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import ObjectifRow, QuestionnaireVersion
from workflow.registry.queries import latest_per_organisation, selection
from workflow.render.templating import render_docx
from workflow.render.typographie import de_nom
from workflow.workspace import Workspace

GABARIT = "annexe_engagements.docx"
SORTIE = "annexe_engagements_signataires.docx"
TITRE = "Contrat de ville « Cœur de Quartier » 2024-2030 — Annexe : engagements des signataires"


def annexe_context(
    versions: list[QuestionnaireVersion], ref: Referentiel, today: dt.date, projet: bool = False
) -> dict[str, Any]:
    order = {s.id: i for i, s in enumerate(ref.signataires.signataires)}
    versions = sorted(
        versions, key=lambda v: (order.get(v.organisation.signataire_id or "", len(order)), v.organisation.nom)
    )
    return {
        "date_edition": date_fr(today),
        "projet": projet,
        "q": {q.id: q.model_dump() for q in ref.questionnaire.questions},
        "partenaires": [_section(v, ref) for v in versions],
    }


def _section(v: QuestionnaireVersion, ref: Referentiel) -> dict[str, Any]:
    referent = ", ".join(x for x in (v.referent_nom, v.referent_fonction) if x)
    lines = [line for line in v.engagements.splitlines() if line.strip()]
    articles = {s.id: s.article for s in ref.signataires.signataires}
    article = articles.get(v.organisation.signataire_id or "")
    nom = v.organisation.nom
    return {
        # « ENGAGEMENTS DE LA VILLE D'ARRAS » with the article of the reference data; a partner
        # missing from it keeps its name alone (« ENGAGEMENTS — NOM ») rather than a wrong article.
        "titre": ("ENGAGEMENTS " + de_nom(nom, article) if article is not None else f"ENGAGEMENTS — {nom}").upper(),
        "non_verifiee": not v.soumission.validee,
        "campagne": v.campagne,
        "recu_le": date_fr(v.soumission.recu_le),
        "referent": referent,
        "interventions": [{"intitule": i.intitule, "description": i.description} for i in v.interventions],
        "quartiers": [q.nom for q in (ref.quartier(x.quartier_id) for x in v.quartiers) if q],
        "agents": [{"nom": a.nom, "fonction": a.fonction} for a in v.agents],
        "engagements": [{"texte": line.removeprefix("- ").strip(), "puce": line.startswith("- ")} for line in lines],
        "objectifs": [_objectif(o, ref) for o in v.objectifs],
    }


def _objectif(o: ObjectifRow, ref: Referentiel) -> dict[str, Any]:
    ambition = ref.ambition(o.ambition or "")
    os_ = ambition.os(o.os) if ambition and o.os else None
    tree = None
    if o.reference and os_:
        code = o.reference.rsplit("/", 1)[-1]
        tree = next((oo for oo in os_.objectifs_operationnels if oo.code == code), None)
    return {
        "ambition_libelle": ambition.libelle if ambition else "Ambition non précisée",
        "os": o.os or "?",
        "os_libelle": os_.libelle if os_ else "",
        "oo": tree.printed_code if tree else o.oo,
        "libelle": tree.libelle if tree else o.libelle_saisi,
    }


def render_engagements_annex(
    workspace: Workspace, registry: Registry, output: Path | None = None, projet: bool = False
) -> Path:
    """Render the annex from the validated answers (the latest ones, marked, for a draft) into outbox/."""
    with registry.session() as session:
        versions = latest_per_organisation(session, selection(projet))
        context = annexe_context(versions, workspace.referentiel, dt.date.today(), projet)
    return render_docx(workspace.gabarit(GABARIT), context, output or workspace.outbox / SORTIE, titre=TITRE)


def partner_count(registry: Registry, projet: bool = False) -> int:
    """Return how many partners the annex shows (0: it says so in a sentence, and the command warns)."""
    with registry.session() as session:
        return len(latest_per_organisation(session, selection(projet)))
