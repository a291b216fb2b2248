"""Export the registry as JSON (the interface others build on), CSV or XLSX (pandas)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.registry import queries
from workflow.registry.models import (
    ActionProgrammee,
    EntreeJournal,
    FicheAssociationVersion,
    Observation,
    QuestionnaireVersion,
    Reunion,
    Soumission,
)

FORMAT_VERSION = 1


def questionnaire_dict(v: QuestionnaireVersion, provenance: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisme": v.organisation.nom,
        "campagne": v.campagne,
        "version": v.version,
        "courant": v.courant,
        "referent_nom": v.referent_nom,
        "referent_fonction": v.referent_fonction,
        "referent_courriel": v.referent_courriel,
        "referent_telephone": v.referent_telephone,
        "interventions_structurantes": [
            {"intitule": i.intitule, "description": i.description} for i in v.interventions
        ],
        "quartiers_vises": [q.quartier_id for q in v.quartiers],
        "agents_gouvernance": [{"nom": a.nom, "fonction": a.fonction} for a in v.agents],
        "engagements_2024_2030": v.engagements,
        "objectifs": [
            {"ambition": o.ambition, "os": o.os, "oo": o.oo, "libelle_saisi": o.libelle_saisi} for o in v.objectifs
        ],
        "alertes": [{"code": a.code, "message": a.message} for a in v.alertes],
        **review_dict(v.soumission),
        "source": {
            "fichier": v.soumission.fichier,
            "sha256": v.soumission.sha256,
            "recu_le": v.soumission.recu_le.isoformat(),
        },
    }
    if provenance:
        data["provenance"] = {p.champ: {"methode": p.methode, "localisation": p.localisation} for p in v.provenances}
    return data


def association_dict(v: FicheAssociationVersion, provenance: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        **v.identite,
        "version": v.version,
        "courant": v.courant,
        "quartiers_intervention": v.quartiers,
        "ambitions": v.ambitions,
        "objectifs": [{k: o[k] for k in ("ambition", "os", "oo", "libelle_saisi")} for o in v.objectifs],
        "actions": [
            {
                "intitule": a.intitule,
                "description": a.description,
                "public_vise": a.public_vise,
                "beneficiaires_prevus": a.beneficiaires_prevus,
                "periode": a.periode,
                "cofinancements": [
                    {"financeur": c.financeur, "montant": float(c.montant) if c.montant is not None else None}
                    for c in a.cofinancements
                ],
            }
            for a in v.actions
        ],
        "engagements": v.engagements,
        "autres_engagements": v.autres_engagements,
        "demande_cpo": v.demande_cpo,
        "duree_cpo_annees": v.duree_cpo_annees,
        "indicateurs_suivi": v.indicateurs_suivi,
        **v.signature,
        "alertes": [{"code": a["code"], "message": a["message"]} for a in v.alertes],
        **review_dict(v.soumission),
        "source": {
            "fichier": v.soumission.fichier,
            "sha256": v.soumission.sha256,
            "recu_le": v.soumission.recu_le.isoformat(),
        },
    }
    if provenance:
        data["provenance"] = v.provenance
    return data


def review_dict(s: Soumission) -> dict[str, Any]:
    """The review of a recorded form: status, corrections (value used and value read), private notes."""
    revue = s.revue
    return {
        "revue": {
            "statut": revue.statut if revue else None,
            "par": revue.par if revue else "",
            "le": revue.le.isoformat() if revue else None,
        },
        "corrections": [
            {
                "champ": c.champ,
                "valeur": c.valeur,
                "valeur_lue": c.valeur_lue,
                "corrigee_par": c.par,
                "corrigee_le": c.le.isoformat(),
                "motif": c.motif,
            }
            for c in s.corrections
        ],
        "notes": [{"texte": n.texte, "par": n.par, "le": n.le.isoformat()} for n in s.notes],
    }


def journal_dict(e: EntreeJournal) -> dict[str, Any]:
    return {
        "le": e.le.isoformat(),
        "par": e.par,
        "action": e.action,
        "soumission": e.soumission_id,
        "organisme": e.organisme,
        "champ": e.champ,
        "avant": e.avant,
        "apres": e.apres,
        "motif": e.motif,
    }


def soumission_dict(s: Soumission) -> dict[str, Any]:
    return {
        "fichier": s.fichier,
        "sha256": s.sha256,
        "statut": s.statut,
        "type": s.type_formulaire or s.type_fichier,
        "motif": s.motif,
        "recu_le": s.recu_le.isoformat(),
        "source": s.source,
    }


def action_programmee_dict(a: ActionProgrammee) -> dict[str, Any]:
    return {
        "annee": a.annee,
        "operateur": a.operateur,
        "type_operateur": a.type_operateur,
        "action": a.action,
        "ambition": a.ambition,
        "objectifs": a.objectifs,
        "quartiers": a.quartiers,
        "montants": {funder: float(Decimal(v)) for funder, v in a.montants.items()},
        "cpo": a.cpo,
        "nouvelle": a.nouvelle,
        **a.beneficiaires,
        "source": f"{a.fichier}, ligne {a.ligne}",
    }


def export_data(session: Session, historique: bool = False, provenance: bool = False) -> dict[str, Any]:
    """Return the whole registry in the documented JSON shape (evaluation data included)."""
    chosen = queries.Selection.HISTORIQUE if historique else queries.Selection.COURANTES
    return {
        "version": FORMAT_VERSION,
        "questionnaires": [questionnaire_dict(v, provenance) for v in queries.questionnaires(session, chosen)],
        "associations": [association_dict(v, provenance) for v in queries.associations(session, chosen)],
        "soumissions": [soumission_dict(s) for s in queries.soumissions(session)],
        "journal": [journal_dict(e) for e in session.scalars(select(EntreeJournal).order_by(EntreeJournal.id))],
        "programmation": [
            action_programmee_dict(a)
            for a in session.scalars(select(ActionProgrammee).order_by(ActionProgrammee.annee, ActionProgrammee.ligne))
        ],
        "reunions": [
            {
                "instance": r.instance,
                "date": r.date.isoformat(),
                "participants": r.participants,
                "habitants": r.habitants,
                "institutions": r.institutions,
                "source": r.source,
            }
            for r in session.scalars(select(Reunion).order_by(Reunion.date, Reunion.instance))
        ],
        "observations": [
            {
                "territoire": o.territoire,
                "indicateur": o.indicateur,
                "annee": o.annee,
                "valeur": float(o.valeur),
                "source": f"{o.source} ({o.fichier}, ligne {o.ligne})",
            }
            for o in session.scalars(select(Observation).order_by(Observation.territoire, Observation.indicateur))
        ],
    }


def write_export(data: dict[str, Any], fmt: str, output: Path) -> Path:
    """Write `data` as json, csv (one row per questionnaire, `;`-separated) or xlsx (one sheet a table)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    elif fmt == "csv":
        _flat(data).to_csv(output, sep=";", index=False, encoding="utf-8-sig")
    else:
        with pd.ExcelWriter(output, engine="openpyxl") as writer:
            for name, frame in _sheets(data).items():
                frame.to_excel(writer, sheet_name=name, index=False)
    return output


def _flat(data: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for q in data["questionnaires"]:
        rows.append(
            {
                **{
                    k: q[k]
                    for k in (
                        "organisme",
                        "campagne",
                        "version",
                        "referent_nom",
                        "referent_fonction",
                        "referent_courriel",
                        "referent_telephone",
                    )
                },
                "interventions_structurantes": "\n".join(
                    f"{i['intitule']} : {i['description']}" for i in q["interventions_structurantes"]
                ),
                "quartiers_vises": ", ".join(q["quartiers_vises"]),
                "agents_gouvernance": "\n".join(f"{a['nom']} : {a['fonction']}" for a in q["agents_gouvernance"]),
                "engagements_2024_2030": q["engagements_2024_2030"],
                "objectifs": "\n".join(
                    f"{o['ambition'] or '?'} / OS {o['os'] or '?'} / {o['oo']} {o['libelle_saisi']}"
                    for o in q["objectifs"]
                ),
                "alertes": "\n".join(f"{a['code']} : {a['message']}" for a in q["alertes"]),
                "statut_revue": q["revue"]["statut"],
                "corrections": "\n".join(
                    f"{c['champ']} : « {c['valeur']} » (lu « {c['valeur_lue']} », par {c['corrigee_par']})"
                    for c in q["corrections"]
                ),
                "fichier": q["source"]["fichier"],
                "sha256": q["source"]["sha256"],
                "recu_le": q["source"]["recu_le"],
            }
        )
    return pd.DataFrame(rows)


def _sheets(data: dict[str, Any]) -> dict[str, pd.DataFrame]:
    def rows(key: str) -> list[dict[str, Any]]:
        return [
            {"organisme": q["organisme"], "campagne": q["campagne"], "version": q["version"], **item}
            for q in data["questionnaires"]
            for item in q[key]
        ]

    quartiers = [
        {"organisme": q["organisme"], "campagne": q["campagne"], "quartier": qid}
        for q in data["questionnaires"]
        for qid in q["quartiers_vises"]
    ]
    return {
        "Questionnaires": _flat(data),
        "Interventions": pd.DataFrame(rows("interventions_structurantes")),
        "Quartiers": pd.DataFrame(quartiers),
        "Agents": pd.DataFrame(rows("agents_gouvernance")),
        "Objectifs": pd.DataFrame(rows("objectifs")),
        "Alertes": pd.DataFrame(rows("alertes")),
        "Corrections": pd.DataFrame(rows("corrections")),
        "Journal": pd.DataFrame(data["journal"]),
        "Soumissions": pd.DataFrame(data["soumissions"]),
        "Programmation": pd.json_normalize(data["programmation"]) if data["programmation"] else pd.DataFrame(),
        "Réunions": pd.DataFrame(data["reunions"]),
        "Observations": pd.DataFrame(data["observations"]),
    }
