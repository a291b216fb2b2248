"""Export the registry as JSON (the interface others build on), or as CSV and XLSX for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.registry import queries
from workflow.registry.feuilles import TABLES
from workflow.registry.models import (
    ActionProgrammee,
    EntreeJournal,
    FicheAssociationVersion,
    Observation,
    QuestionnaireVersion,
    Reunion,
    Soumission,
)
from workflow.registry.tableur import Noms, Table, write_csv, write_xlsx

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
        data["provenance"] = {
            p.champ: {"methode": p.methode, "localisation": p.localisation, "certitude": p.certitude}
            for p in v.provenances
        }
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
        "questionnaires": [
            questionnaire_dict(v, provenance) for v in queries.questionnaires(session, chosen, provenance)
        ],
        "associations": [association_dict(v, provenance) for v in queries.associations(session, chosen, provenance)],
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


def noms(ref: Referentiel | None) -> Noms:
    """The display names of quarters, ambitions, instances and funders, from the reference data."""
    from workflow.evaluation.credits import FINANCEURS

    if ref is None:
        return Noms(financeurs=dict(FINANCEURS))
    quartiers = {q.id: q.nom for q in ref.quartiers.quartiers} | {t.id: t.nom for t in ref.observations.territoires}
    return Noms(
        quartiers=quartiers,
        ambitions={a.id: a.libelle for a in ref.ambitions},
        instances={i.id: i.nom for i in ref.gouvernance.instances},
        financeurs=dict(FINANCEURS),
    )


def tables(data: dict[str, Any], ref: Referentiel | None = None) -> list[Table]:
    """Every table of the registry, for people: French labels, names, dates, amounts."""
    names = noms(ref)
    return [build(data, names) for build in TABLES.values()]


def write_export(
    data: dict[str, Any],
    fmt: str,
    output: Path,
    referentiel: Referentiel | None = None,
    table: str | None = None,
    colonnes: Sequence[str] = (),
) -> Path:
    """Write `data` as json, xlsx (one sheet a table) or csv (`;`-separated: the table named by
    `table`, questionnaires by default, or every table in a zip when `output` ends in .zip).
    `colonnes` keeps only the named columns (key or French label) of each table."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return output
    chosen = [t.choisir(colonnes) for t in tables(data, referentiel)]
    if fmt == "csv":
        if output.suffix.lower() != ".zip":
            keys = list(TABLES)
            if table and table not in keys:
                raise CdvError(f"table inconnue « {table} » : {', '.join(keys)}")
            chosen = [chosen[keys.index(table or "questionnaires")]]
        return write_csv(chosen, output)
    return write_xlsx(chosen, output)
