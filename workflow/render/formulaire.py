"""Blank (or pre-filled) questionnaire forms rendered from gabarits/formulaire_questionnaire.docx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workflow.fr import date_fr
from workflow.referentiel import Referentiel
from workflow.render.saisie import own_form_marker, rendre_saisissable
from workflow.render.templating import render_docx
from workflow.text import normalise
from workflow.workspace import Workspace

GABARIT = "formulaire_questionnaire.docx"
GABARIT_ASSOCIATION = "formulaire_association.docx"
BLANK_ROWS = {"interventions_structurantes": 5, "agents_gouvernance": 4, "objectifs": 8}
ADRESSE_RETOUR = "cohesion.sociale@cu-arras.fr"  # where partners send their form back


def retour(echeance: dt.date | None) -> str:
    """The line printed on every form: where to send it back, and by when."""
    quand = f" avant le {date_fr(echeance)}" if echeance else ""
    return (
        f"À renvoyer{quand} à {ADRESSE_RETOUR} (service Cohésion sociale, Communauté Urbaine d'Arras), "
        "en réponse au courriel qui vous l'a transmis."
    )


def questionnaire_context(
    ref: Referentiel,
    organisme: str,
    campagne: int,
    today: dt.date,
    previous: dict[str, Any] | None = None,
    echeance: dt.date | None = None,
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
        "retour": retour(echeance),
        "reference": f"questionnaire-v{form.version}/{normalise(organisme).replace(' ', '-')}/{campagne}",
    }
    for field, minimum in BLANK_ROWS.items():
        question = form.question(field)
        rows = [dict(item) for item in previous.get(field, [])]
        blank = {c.id: "" for c in question.colonnes}
        rows += [dict(blank) for _ in range(max(minimum - len(rows), 1))]
        context[field] = [{c.id: str(row.get(c.id, "")) for c in question.colonnes} for row in rows]
    return context


def questionnaire_form(
    workspace: Workspace,
    organisme: str,
    campagne: int,
    output: Path,
    previous: dict[str, Any] | None = None,
    echeance: dt.date | None = None,
) -> Path:
    """Write the questionnaire form of one signatory to `output`."""
    ref = workspace.referentiel
    context = questionnaire_context(ref, organisme, campagne, dt.date.today(), previous, echeance)
    marker = own_form_marker(ref.questionnaire.formulaire, ref.questionnaire.version)
    return render_docx(workspace.gabarit(GABARIT), context, output, lambda d: rendre_saisissable(d, ref, marker))


def association_context(
    ref: Referentiel,
    association: str,
    today: dt.date,
    previous: dict[str, Any] | None = None,
    echeance: dt.date | None = None,
) -> dict[str, Any]:
    """Return the template context of an association form, pre-filled from `previous` (its export) if given."""
    previous = previous or {}
    form = ref.association
    objectifs = ref.questionnaire.question("objectifs")
    checked = {k: set(previous.get(k, [])) for k in ("quartiers_intervention", "ambitions", "engagements")}
    cpo = previous.get("demande_cpo")
    return {
        "titre": form.titre,
        "association": association,
        "entete": [
            {
                "id": f.id,
                "libelle": f.libelle,
                "valeur": association if f.id == "association_nom" else _text(previous.get(f.id)),
            }
            for f in form.entete
        ],
        "sections": form.sections,
        "quartiers": [
            {
                "id": q.id,
                "nom": q.nom,
                "communes": ", ".join(q.communes),
                "coche": q.id in checked["quartiers_intervention"],
            }
            for q in ref.quartiers.quartiers
        ],
        "quartiers_precisions": "",
        "precisions_libelle": ref.questionnaire.precisions_quartiers,
        "ambitions": [{"id": a.id, "libelle": a.libelle, "coche": a.id in checked["ambitions"]} for a in ref.ambitions],
        "q": {"objectifs": objectifs.model_dump()},
        "objectifs": _rows(previous.get("objectifs", []), [c.id for c in objectifs.colonnes], BLANK_ROWS["objectifs"]),
        "colonnes_action": [c.model_dump() for c in form.colonnes_action],
        "actions": _actions(previous.get("actions", []), [c.id for c in form.colonnes_action]),
        "engagements_standards": [
            {"id": e.id, "libelle": e.libelle, "coche": e.id in checked["engagements"]}
            for e in form.engagements_standards
        ],
        "autres_engagements": previous.get("autres_engagements", ""),
        "demande_cpo": "" if cpo is None else ("oui" if cpo else "non"),
        "duree_cpo_annees": _text(previous.get("duree_cpo_annees")),
        "indicateurs_suivi": list(previous.get("indicateurs_suivi", [])) or [""],
        **{k: _text(previous.get(k)) for k in ("fait_a", "date", "signataire_nom")},
        "date_generation": date_fr(today),
        "retour": retour(echeance),
        "reference": f"association-v{form.version}/{normalise(association).replace(' ', '-')}",
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _rows(previous: list[dict[str, Any]], columns: list[str], minimum: int) -> list[dict[str, str]]:
    """Return the previous rows as text, then blank rows up to `minimum` (at least one blank)."""
    rows = [{c: _text(row.get(c)) for c in columns} for row in previous]
    return rows + [dict.fromkeys(columns, "") for _ in range(max(minimum - len(rows), 1))]


def _actions(previous: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    """Return the previous actions (with their co-funding rows), then one blank action."""
    actions = [
        {
            **{c: _text(a.get(c)) for c in columns},
            "cofinancements": _rows(a.get("cofinancements", []), ["financeur", "montant"], 1),
        }
        for a in previous
    ]
    blank = {**dict.fromkeys(columns, ""), "cofinancements": _rows([], ["financeur", "montant"], 3)}
    return actions + [blank] * max(2 - len(actions), 1)


def association_form(
    workspace: Workspace,
    association: str,
    output: Path,
    previous: dict[str, Any] | None = None,
    echeance: dt.date | None = None,
) -> Path:
    """Write the association form of one association to `output`, pre-filled from `previous` if given."""
    ref = workspace.referentiel
    context = association_context(ref, association, dt.date.today(), previous, echeance)
    marker = own_form_marker(ref.association.formulaire, ref.association.version)
    return render_docx(
        workspace.gabarit(GABARIT_ASSOCIATION), context, output, lambda d: rendre_saisissable(d, ref, marker)
    )
