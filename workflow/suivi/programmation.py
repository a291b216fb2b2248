"""Import a year's programmation (funded actions) from a spreadsheet: tolerant column headers,
bad rows reported by number with their reason, good rows kept, the year replaced as a whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import delete, select

from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import ActionProgrammee, Organisation
from workflow.suivi.tableur import Feuille, Rejet, lire
from workflow.text import normalise
from workflow.validation.identifiants import montant
from workflow.validation.objectifs import resolve_ambition
from workflow.validation.quartiers import resolve_text

FUNDERS = ("montant_etat", "montant_cua", "montant_communes", "montant_caf", "montant_departement", "montant_autres")
COUNTS = ("beneficiaires_prevus", "beneficiaires_atteints", "femmes", "hommes", "moins_25_ans")
YES = {"oui", "o", "x", "yes", "vrai", "1", "true"}
NO = {"non", "n", "no", "faux", "0", "false"}
AIDE = "Intitulés reconnus : registry/referentiel/programmation.yaml."
_CODE = re.compile(r"\b(\d{1,2})\s?([A-Ga-g])\b")


@dataclass(frozen=True)
class Import:
    annee: int
    importees: int
    rejets: tuple[Rejet, ...]
    colonnes: dict[str, str]  # field → header found
    ignorees: tuple[str, ...]  # headers nobody uses


def parse(feuille: Feuille, ref: Referentiel) -> tuple[list[dict[str, Any]], list[Rejet]]:
    """Return (rows, rejections) from a read spreadsheet."""
    rows, rejets = [], []
    for number, cells in feuille.lignes:
        try:
            rows.append({"ligne": number, **_row(cells, ref, feuille)})
        except ValueError as e:
            rejets.append(Rejet(number, str(e)))
    return rows, rejets


def _row(cells: dict[str, str], ref: Referentiel, feuille: Feuille) -> dict[str, Any]:
    for field in ref.programmation.obligatoires:
        if not cells.get(field):
            raise ValueError(f"colonne « {feuille.entete(field)} » vide")
    amounts = {}
    for field in FUNDERS:
        if cells.get(field):
            value = montant(cells[field])
            if value is None:
                raise ValueError(f"montant illisible « {cells[field]} » (colonne « {feuille.entete(field)} »)")
            amounts[field.removeprefix("montant_")] = str(value)
    counts = {}
    for field in COUNTS:
        if cells.get(field):
            digits = re.sub(r"[\s\u00a0\u202f]", "", cells[field]).split(".")[0]
            if not digits.isdigit():
                raise ValueError(f"nombre illisible « {cells[field]} » (colonne « {feuille.entete(field)} »)")
            counts[field] = int(digits)
    ambition = resolve_ambition(cells.get("ambition", ""), ref)
    return {
        "operateur": cells["operateur"],
        "type_operateur": cells.get("type_operateur", "")[:1].upper() + cells.get("type_operateur", "")[1:],
        "action": cells["action"],
        "ambition": ambition.id if ambition else None,
        "objectifs": [m.group(1) + m.group(2).upper() for m in _CODE.finditer(cells.get("objectifs", ""))],
        "quartiers": _in_reference_order(resolve_text(cells["quartiers"], ref).ids, ref)
        if cells.get("quartiers")
        else [],
        "montants": amounts,
        "cpo": _yes_no(cells.get("cpo", ""), "CPO"),
        "nouvelle": _yes_no(cells.get("nouvelle", ""), "action nouvelle"),
        "beneficiaires": counts,
    }


def _in_reference_order(ids: tuple[str, ...], ref: Referentiel) -> list[str]:
    order = [q.id for q in ref.quartiers.quartiers]
    return sorted(ids, key=order.index)


def _yes_no(text: str, what: str) -> bool | None:
    word = normalise(text)
    if not word:
        return None
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(f"{what} : « oui » ou « non » attendu, lu « {text} »")


def importer(registry: Registry, ref: Referentiel, path: Path, annee: int) -> Import:
    """Replace the programmation of `annee` by the good rows of the spreadsheet at `path`."""
    feuille = lire(path, ref.programmation.colonnes, ref.programmation.obligatoires, AIDE)
    rows, rejets = parse(feuille, ref)
    with registry.session() as session:
        associations = {
            o.cle.removeprefix("association:"): o
            for o in session.scalars(select(Organisation).where(Organisation.type == "association"))
        }
        session.execute(delete(ActionProgrammee).where(ActionProgrammee.annee == annee))
        for row in rows:
            linked = _association(row["operateur"], associations)
            session.add(
                ActionProgrammee(annee=annee, fichier=path.name, organisation_id=linked.id if linked else None, **row)
            )
    columns = {field: feuille.entete(field) for field in feuille.colonnes}
    return Import(annee, len(rows), tuple(rejets), columns, feuille.ignorees)


def _association(name: str, known: dict[str, Organisation]) -> Organisation | None:
    norm = normalise(name)
    if norm in known:
        return known[norm]
    best = max(known, key=lambda k: fuzz.token_sort_ratio(k, norm), default=None)
    return known[best] if best and fuzz.token_sort_ratio(best, norm) >= 92 else None
