"""Objectives annex: every operational objective of the tree × who declared it; gaps stand out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from workflow.fr import date_fr
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.queries import associations, latest_per_organisation, selection
from workflow.render.colonnes import fit_columns
from workflow.render.templating import render_docx
from workflow.render.typographie import tri_fr
from workflow.workspace import Workspace

GABARIT = "annexe_objectifs.docx"
SORTIE = "annexe_objectifs.docx"
TITRE = "Contrat de ville « Cœur de Quartier » 2024-2030 — Annexe : objectifs opérationnels et engagements déclarés"
UNCOVERED = "FCE4D6"


def declarations(registry: Registry, projet: bool = False) -> dict[str, list[str]]:
    """Return tree key ("ambition/os/code") → names of the partners and associations declaring it."""
    found: dict[str, list[str]] = defaultdict(list)
    with registry.session() as session:
        for version in latest_per_organisation(session, selection(projet)):
            for o in version.objectifs:
                if o.reference:
                    found[o.reference].append(version.organisation.nom)
        for fiche in associations(session, selection(projet)):
            for o in fiche.objectifs:
                if o.get("reference"):
                    found[o["reference"]].append(fiche.identite["association_nom"])
    return {key: tri_fr(set(names)) for key, names in found.items()}


def objectifs_context(
    ref: Referentiel, found: dict[str, list[str]], today: dt.date, projet: bool = False
) -> dict[str, Any]:
    ambitions = []
    for ambition in ref.ambitions:
        blocks, total, covered, count = [], 0, 0, 0
        for os_ in ambition.objectifs_strategiques:
            rows = []
            for oo in os_.objectifs_operationnels:
                names = found.get(f"{ambition.id}/{os_.numero}/{oo.code}", [])
                total, covered, count = total + 1, covered + bool(names), count + len(names)
                rows.append(
                    {
                        "code": oo.code,
                        "libelle": oo.libelle,
                        "fond": "FFFFFF" if names else UNCOVERED,
                        "par": ", ".join(names) or "Aucun engagement déclaré",
                    }
                )
            blocks.append({"numero": os_.numero, "libelle": os_.libelle, "oo": rows})
        ambitions.append(
            {
                "libelle": ambition.libelle,
                "os": blocks,
                "total": total,
                "couverts": covered,
                "non_couverts": total - covered,
                "declarations": count,
            }
        )
    return {"date_edition": date_fr(today), "projet": projet, "ambitions": ambitions}


def render_objectives_annex(
    workspace: Workspace, registry: Registry, output: Path | None = None, projet: bool = False
) -> Path:
    """Render the objectives annex from validated answers (the latest ones, marked, for a draft)."""
    context = objectifs_context(workspace.referentiel, declarations(registry, projet), dt.date.today(), projet)
    target = output or workspace.outbox / SORTIE
    return render_docx(workspace.gabarit(GABARIT), context, target, finish=fit_columns, titre=TITRE)
