"""Blank (or pre-filled) questionnaire forms rendered from gabarits/formulaire_questionnaire.docx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workflow.fr import date_fr
from workflow.referentiel import Referentiel
from workflow.render.templating import render_docx
from workflow.text import normalise
from workflow.workspace import Workspace

GABARIT = "formulaire_questionnaire.docx"
BLANK_ROWS = {"interventions_structurantes": 5, "agents_gouvernance": 4, "objectifs": 8}


def questionnaire_context(
    ref: Referentiel, organisme: str, campagne: int, today: dt.date, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the template context of a questionnaire form, pre-filled from `previous` if given."""
    previous = previous or {}
    form = ref.questionnaire
    values = {"organisme": organisme, "campagne": str(campagne)}
    entete = [
        {"id": f.id, "libelle": f.libelle, "valeur": values.get(f.id, previous.get(f.id, ""))} for f in form.entete
    ]
    checked = set(previous.get("quartiers_vises", []))
    quartiers = [
        {"id": q.id, "nom": q.nom, "communes": ", ".join(q.communes), "coche": q.id in checked}
        for q in ref.quartiers.quartiers
    ]
    context: dict[str, Any] = {
        "titre": form.titre,
        "organisme": organisme,
        "campagne": campagne,
        "entete": entete,
        "q": {q.id: q.model_dump() for q in form.questions},
        "quartiers": quartiers,
        "quartiers_precisions": previous.get("quartiers_precisions", ""),
        "precisions_libelle": form.precisions_quartiers,
        "engagements": (previous.get("engagements_2024_2030") or "").splitlines() or [""],
        "date_generation": date_fr(today),
        "reference": f"questionnaire-v{form.version}/{normalise(organisme).replace(' ', '-')}/{campagne}",
    }
    for field, minimum in BLANK_ROWS.items():
        question = form.question(field)
        rows = [dict(item) for item in previous.get(field, [])]
        blank = {c.id: "" for c in question.colonnes}
        rows += [dict(blank) for _ in range(max(minimum - len(rows), 1))]
        context[field] = [{c.id: str(row.get(c.id, "")) for c in question.colonnes} for row in rows]
    return context


def generer_formulaire_questionnaire(
    workspace: Workspace, organisme: str, campagne: int, output: Path, previous: dict[str, Any] | None = None
) -> Path:
    """Write the questionnaire form of one signatory to `output`."""
    context = questionnaire_context(workspace.referentiel, organisme, campagne, dt.date.today(), previous)
    return render_docx(workspace.gabarit(GABARIT), context, output)
