"""Recognise the signatory behind the organisation name a partner wrote."""

from __future__ import annotations

from rapidfuzz import fuzz

from workflow.referentiel import Referentiel, Signataire
from workflow.text import normalise

SAME_NAME = 92


def resolve_signataire(name: str, ref: Referentiel) -> Signataire | None:
    """Return the signatory named `name` (exact on name or alias, else very close), or None."""
    norm = normalise(name)
    if not norm:
        return None
    best: tuple[float, Signataire] | None = None
    for signataire in ref.signataires.signataires:
        for candidate in (signataire.nom, signataire.id, *signataire.alias):
            cand = normalise(candidate)
            if cand == norm:
                return signataire
            score = fuzz.ratio(cand, norm)
            if score >= SAME_NAME and (best is None or score > best[0]):
                best = (score, signataire)
    return best[1] if best else None
