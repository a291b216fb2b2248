"""Every value of a version as staff review it: its path, the value used, where it was read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from workflow.registry.export import association_dict, questionnaire_dict
from workflow.registry.models import Correction, QuestionnaireVersion
from workflow.review.dossier import Dossier, corrections

META = {
    "organisme",
    "campagne",
    "version",
    "courant",
    "alertes",
    "source",
    "provenance",
    "revue",
    "corrections",
    "notes",
}


LECTURE = {"certaine": "lecture certaine", "structuree": "lecture structurée", "deduite": "lecture déduite"}


@dataclass(frozen=True)
class Valeur:
    champ: str
    valeur: str
    provenance: str
    correction: Correction | None
    lecture: str = ""  # how sure the reading is, in French: « certaine », « structurée », « déduite »


def values(session: Session, dossier: Dossier) -> list[Valeur]:
    """Return each value of the version in export order, with its provenance and latest correction."""
    v = dossier.version
    data = questionnaire_dict(v, provenance=True) if isinstance(v, QuestionnaireVersion) else association_dict(v, True)
    where = {k: f"{p['localisation']}" for k, p in data.get("provenance", {}).items()}
    sure = {k: LECTURE.get(p.get("certitude", ""), "") for k, p in data.get("provenance", {}).items()}
    corrected = {c.champ: c for c in corrections(session, dossier.soumission.id)}
    out = []
    for path, value in _flatten({k: x for k, x in data.items() if k not in META}):
        key = path if path in where else next((k for k in where if k.startswith(f"{path}[")), path)
        out.append(Valeur(path, value, where.get(key, ""), corrected.get(path), sure.get(key, "")))
    return out


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(data, dict):
        return [pair for k, x in data.items() for pair in _flatten(x, f"{prefix}.{k}" if prefix else k)]
    if isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        return [pair for i, x in enumerate(data) for pair in _flatten(x, f"{prefix}[{i}]")]
    if isinstance(data, list):
        return [(prefix, ", ".join(str(x) for x in data))]
    if isinstance(data, bool):
        return [(prefix, "oui" if data else "non")]
    return [(prefix, "" if data is None else str(data))]
