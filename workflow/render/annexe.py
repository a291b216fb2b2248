"""The contract annex "Engagements des signataires": one section per partner, latest campaign."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workflow.fr import date_fr
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import ObjectifRow, QuestionnaireVersion
from workflow.registry.queries import latest_per_organisation
from workflow.render.templating import render_docx
from workflow.workspace import Workspace

GABARIT = "annexe_engagements.docx"
SORTIE = "annexe_engagements_signataires.docx"


def annexe_context(versions: list[QuestionnaireVersion], ref: Referentiel, today: dt.date) -> dict[str, Any]:
    order = {s.id: i for i, s in enumerate(ref.signataires.signataires)}
    versions = sorted(
        versions, key=lambda v: (order.get(v.organisation.signataire_id or "", len(order)), v.organisation.nom)
    )
    return {
        "date_edition": date_fr(today),
        "q": {q.id: q.model_dump() for q in ref.questionnaire.questions},
        "partenaires": [_section(v, ref) for v in versions],
    }


def _section(v: QuestionnaireVersion, ref: Referentiel) -> dict[str, Any]:
    referent = ", ".join(x for x in (v.referent_nom, v.referent_fonction) if x)
    lines = [line for line in v.engagements.splitlines() if line.strip()]
    return {
        "titre": v.organisation.nom.upper(),
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
    note = ""
    if tree is None:
        note = "objectif non reconnu dans l'arborescence du contrat"
    elif tree.printed_code != o.oo or (o.libelle_saisi and o.libelle_saisi != tree.libelle):
        note = f"saisi par le partenaire : « {o.oo} {o.libelle_saisi} »".replace("«  ", "« ")
    return {
        "ambition_libelle": ambition.libelle if ambition else "Ambition non précisée",
        "os": o.os or "?",
        "os_libelle": os_.libelle if os_ else "",
        "oo": tree.printed_code if tree else o.oo,
        "libelle": tree.libelle if tree else o.libelle_saisi,
        "note": note,
    }


def generer_annexe_engagements(workspace: Workspace, registry: Registry, output: Path | None = None) -> Path:
    """Render the annex from the registry into outbox/ (or `output`)."""
    with registry.session() as session:
        context = annexe_context(latest_per_organisation(session), workspace.referentiel, dt.date.today())
    return render_docx(workspace.gabarit(GABARIT), context, output or workspace.outbox / SORTIE)
