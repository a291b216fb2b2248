"""Compare what was read from a scan with what was read from the same form as .docx, field by field."""

from __future__ import annotations

from typing import Any

SKIPPED = {
    "source",
    "alertes",
    "revue",
    "provenance",
    "id",
    "version",
    "statut",
    "soumission_id",
    "enregistre_le",
    "recu_le",
}


def leaves(data: Any, path: str = "") -> dict[str, Any]:
    """Return the answer's fields as (path → value), lists item by item (« actions[0].intitule »)."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key not in SKIPPED:
                out.update(leaves(value, f"{path}.{key}" if path else key))
        return out
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        out = {}
        for index, item in enumerate(data):
            out.update(leaves(item, f"{path}[{index}]"))
        return out
    return {path: sorted(data, key=str) if isinstance(data, list) else data}


def misses(reference: dict, got: dict) -> dict[str, tuple[Any, Any]]:
    """Return the fields of `reference` that `got` reads otherwise: path → (expected, read)."""
    read = leaves(got)
    return {path: (value, read.get(path)) for path, value in leaves(reference).items() if read.get(path) != value}


def exact_share(reference: dict, got: dict) -> float:
    """Return the share of the reference's fields read exactly."""
    total = len(leaves(reference))
    return 1 - len(misses(reference, got)) / total
