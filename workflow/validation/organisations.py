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
    return best[1] if best else _named_first(norm, ref)


def _named_first(norm: str, ref: Referentiel) -> Signataire | None:
    """The signatory whose name opens a longer line: « France Travail (ex Pôle emploi), agence d'Arras »."""
    for signataire in ref.signataires.signataires:
        for candidate in (signataire.nom, *signataire.alias):
            cand = normalise(candidate)
            if len(cand) >= 4 and norm.startswith(cand + " "):
                return signataire
    return None


def closest_signataires(name: str, ref: Referentiel, limit: int = 3) -> list[str]:
    """Return the signatories whose names come closest to `name`, for a French suggestion."""
    norm = normalise(name)
    scored = sorted(
        (
            (max(fuzz.token_set_ratio(norm, normalise(c)) for c in (s.nom, *s.alias)), s.nom)
            for s in ref.signataires.signataires
        ),
        reverse=True,
    )
    return [nom for score, nom in scored[:limit] if score >= 50]
