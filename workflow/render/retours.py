"""Returns status ("état des retours"): who answered the campaign, when, with which alerts, and
who has not; as a Word document (gabarit) and an Excel sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from workflow.fr import date_fr, datetime_fr
from workflow.referentiel import Referentiel
from workflow.registry.models import QuestionnaireVersion, Revue
from workflow.registry.queries import associations, retours_campagne
from workflow.registry.tableur import presentable, sans_formule
from workflow.render.colonnes import fit_columns
from workflow.render.templating import render_docx
from workflow.render.typographie import cle_fr
from workflow.review.status import StatutRevue
from workflow.validation.alertes import CodeAlerte

GABARIT = "etat_des_retours.docx"


@dataclass(frozen=True)
class Retour:
    organisme: str
    signataire_id: str | None
    recu_le: dt.datetime | None
    referent: str
    courriel: str  # where a reminder can be sent (this campaign's or an earlier referent's)
    alertes: tuple[str, ...]
    revue: str = ""  # review status of the version on record (StatutRevue), empty without an answer


def retours(session: Session, ref: Referentiel, campagne: int) -> tuple[list[Retour], list[Retour]]:
    """Return (answered, missing) for a campaign, each in French alphabetical order."""
    found = retours_campagne(session, ref.signataires.signataires, campagne)
    missing = [Retour(s.nom, s.id, None, "", found.courriels.get(s.id, ""), ()) for s in found.sans_reponse]
    answered = [_answered(v) for v in found.repondu]
    return sorted(answered, key=lambda r: cle_fr(r.organisme)), sorted(missing, key=lambda r: cle_fr(r.organisme))


def _answered(v: QuestionnaireVersion) -> Retour:
    referent = ", ".join(x for x in (v.referent_nom, v.referent_fonction) if x)
    return Retour(
        v.organisation.nom,
        v.organisation.signataire_id,
        v.soumission.recu_le,
        referent,
        v.referent_courriel,
        tuple(a.code for a in v.alertes),
        _revue(v.soumission.revue),
    )


def _revue(revue: Revue | None) -> str:
    return StatutRevue(revue.statut).libelle if revue is not None else StatutRevue.A_VERIFIER.libelle


def fiches_recues(session: Session) -> list[Retour]:
    """The association forms on record (current version of each), with their alerts, in French order."""
    found = [
        Retour(
            f.identite["association_nom"],
            None,
            f.soumission.recu_le,
            ", ".join(x for x in (f.identite.get("referent_nom"), f.identite.get("referent_fonction")) if x),
            f.identite.get("referent_courriel", ""),
            tuple(a["code"] for a in f.alertes),
            _revue(f.soumission.revue),
        )
        for f in associations(session)
    ]
    return sorted(found, key=lambda r: cle_fr(r.organisme))


def write_retours(
    gabarit: Path,
    folder: Path,
    campagne: int,
    copil: str,
    answered: list[Retour],
    missing: list[Retour],
    fiches: list[Retour],
) -> tuple[Path, Path]:
    """Write etat_des_retours.docx and .xlsx into `folder`."""
    context: dict[str, Any] = {
        "campagne": campagne,
        "copil": copil,
        "date_edition": date_fr(dt.date.today()),
        "total": len(answered) + len(missing),
        "repondu": [_row(r) for r in answered],
        "manquants": [{"organisme": r.organisme} for r in missing],
        "fiches": [_row(r) for r in fiches],
    }
    docx_path = render_docx(
        gabarit, context, folder / "etat_des_retours.docx", finish=fit_columns, titre=f"État des retours — {copil}"
    )
    xlsx_path = folder / "etat_des_retours.xlsx"
    columns = {
        **{"organisme": "Organisme", "recu_le": "Reçu le", "referent": "Référent"},
        **{"revue": "Revue", "alertes": "Alertes"},
    }
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        pd.DataFrame([_cells(r) for r in answered], columns=list(columns)).rename(columns=columns).to_excel(
            writer, sheet_name="Réponses reçues", index=False
        )
        pd.DataFrame(
            [{"Organisme": r.organisme, "Courriel connu": r.courriel} for r in missing],
            columns=["Organisme", "Courriel connu"],
        ).to_excel(writer, sheet_name="Sans réponse", index=False)
        pd.DataFrame([_cells(r) for r in fiches], columns=list(columns)).rename(columns=columns).to_excel(
            writer, sheet_name="Fiches association", index=False
        )
        sans_formule(writer.book)  # names and alerts come from received files
        for sheet in writer.book.worksheets:
            for cell in sheet["B"][1:] if sheet.title != "Sans réponse" else ():
                cell.number_format = "dd/mm/yyyy hh:mm"  # a date Excel sorts and filters, shown the French way
            presentable(sheet)
    return docx_path, xlsx_path


def _row(r: Retour) -> dict[str, str]:
    return {
        "organisme": r.organisme,
        "recu_le": datetime_fr(r.recu_le).replace(" ", "\u00a0"),  # « 01/12/2026 à 23:38 » on one line
        "referent": r.referent,
        "revue": r.revue,
        "alertes": " ; ".join(_alerte(code) for code in r.alertes) or "aucune",
    }


def _cells(r: Retour) -> dict[str, Any]:
    """A row of the workbook: the same as the document's, the date of receipt typed."""
    received = r.recu_le.astimezone().replace(tzinfo=None) if r.recu_le and r.recu_le.tzinfo else r.recu_le
    return {**_row(r), "recu_le": received}


def _alerte(code: str) -> str:
    """The alert's French label (a code unknown to this version stays as recorded)."""
    return next((c.libelle for c in CodeAlerte if c.value == code), code)
