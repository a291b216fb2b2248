"""A partner's own form, every control holding its last validated answer (corrections included).

The values are those of the registry's version, corrections written over what was read, so an
unchanged field comes back exactly as it was validated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from workflow.campagne.annuaire import Partenaire
from workflow.fr import montant_fr
from workflow.referentiel import Referentiel
from workflow.registry.export import questionnaire_dict
from workflow.registry.models import FicheAssociationVersion, QuestionnaireVersion
from workflow.registry.queries import Selection, associations, questionnaires
from workflow.render.formulaire import association_form, questionnaire_form
from workflow.workspace import Workspace


def derniere_validee(session: Session, cle: str) -> QuestionnaireVersion | FicheAssociationVersion | None:
    """Return the partner's latest validated answer (the latest campaign for a signatory), or None."""
    return latest_validated(session).get(cle)


def latest_validated(session: Session) -> dict[str, QuestionnaireVersion | FicheAssociationVersion]:
    """Return each partner's latest validated answer by its key, read in one pass (the latest campaign for
    a signatory; an association's form when the partner answered no questionnaire)."""
    found: dict[str, QuestionnaireVersion | FicheAssociationVersion] = {}
    for v in questionnaires(session, Selection.VALIDEES):
        kept = found.get(v.organisation.cle)
        if kept is None or v.campagne > kept.campagne:  # type: ignore[union-attr]
            found[v.organisation.cle] = v
    for f in associations(session, Selection.VALIDEES):
        found.setdefault(f.organisation.cle, f)
    return found


QUESTIONNAIRE_ANSWERS = (
    "referent_nom",
    "referent_fonction",
    "referent_courriel",
    "referent_telephone",
    "interventions_structurantes",
    "quartiers_vises",
    "agents_gouvernance",
    "engagements_2024_2030",
)


def questionnaire_answers(v: QuestionnaireVersion, ref: Referentiel) -> dict[str, Any]:
    """Return a questionnaire version as the form's controls hold it: the export's answers, with
    the objectives' ambition as its label and the OS as text."""
    ambitions = {a.id: a.libelle for a in ref.ambitions}
    data = questionnaire_dict(v)
    answers = {k: data[k] for k in QUESTIONNAIRE_ANSWERS}
    answers["objectifs"] = [
        {**o, "ambition": ambitions.get(o["ambition"] or "", o["ambition"] or ""), "os": _text(o["os"])}
        for o in data["objectifs"]
    ]
    return answers


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def association_answers(f: FicheAssociationVersion, ref: Referentiel) -> dict[str, Any]:
    """Return an association version as the form's controls hold it (amounts written the French way)."""
    ambitions = {a.id: a.libelle for a in ref.ambitions}
    return {
        **f.identite,
        "quartiers_intervention": list(f.quartiers),
        "ambitions": list(f.ambitions),
        "objectifs": [
            {
                **{k: o.get(k) for k in ("os", "oo", "libelle_saisi")},
                "ambition": ambitions.get(o.get("ambition") or "", ""),
            }
            for o in f.objectifs
        ],
        "actions": [
            {
                "intitule": a.intitule,
                "description": a.description,
                "public_vise": a.public_vise,
                "beneficiaires_prevus": a.beneficiaires_prevus,
                "periode": a.periode,
                "cofinancements": [
                    {"financeur": c.financeur, "montant": montant_fr(c.montant) if c.montant is not None else ""}
                    for c in a.cofinancements
                ],
            }
            for a in f.actions
        ],
        "engagements": list(f.engagements),
        "autres_engagements": f.autres_engagements,
        "demande_cpo": f.demande_cpo,
        "duree_cpo_annees": f.duree_cpo_annees,
        "indicateurs_suivi": list(f.indicateurs_suivi),
        **f.signature,
    }


def answers_of(v: QuestionnaireVersion | FicheAssociationVersion, ref: Referentiel) -> dict[str, Any]:
    if isinstance(v, QuestionnaireVersion):
        return questionnaire_answers(v, ref)
    return association_answers(v, ref)


def ecrire_formulaire(
    workspace: Workspace,
    cible: Partenaire,
    campagne: int,
    output: Path,
    previous: dict[str, Any] | None,
    echeance: dt.date | None = None,
) -> Path:
    """Write the partner's form for `campagne`, pre-filled from `previous` when it has answered before."""
    if cible.type == "signataire":
        return questionnaire_form(workspace, cible.nom, campagne, output, previous, echeance)
    return association_form(workspace, cible.nom, output, previous, echeance)
