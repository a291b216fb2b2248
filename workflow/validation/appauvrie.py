"""Tell a new version that loses most of the answers in force: recorded, but not made current
until a person decides (a partner who sent an older or half-filled file replaces nothing)."""

from __future__ import annotations

from typing import Any

from workflow.answers import Alerte
from workflow.validation.alertes import CodeAlerte

MIN_ANSWERS = 4  # below this the version in force holds too little to lose
KEPT_RATIO = 0.5  # a new version with fewer than half the answers in force is impoverished

_QUESTIONNAIRE_TEXTS = ("referent_nom", "referent_fonction", "referent_courriel", "referent_telephone", "engagements")
_QUESTIONNAIRE_LISTS = ("interventions", "quartiers", "agents", "objectifs")
_ASSOCIATION_LISTS = ("quartiers", "ambitions", "objectifs", "actions", "engagements", "indicateurs_suivi")


def answers(form: Any) -> int:
    """Count the answers of a questionnaire or association form, recorded or just read (same names)."""
    if hasattr(form, "identite"):
        filled = sum(1 for v in (form.identite or {}).values() if str(v or "").strip())
        return filled + sum(len(getattr(form, name) or ()) for name in _ASSOCIATION_LISTS)
    filled = sum(1 for name in _QUESTIONNAIRE_TEXTS if str(getattr(form, name) or "").strip())
    return filled + sum(len(getattr(form, name) or ()) for name in _QUESTIONNAIRE_LISTS)


def impoverishment(current: Any, new: Any, current_number: int) -> Alerte | None:
    """Return the `version_appauvrie` alert when `new` keeps fewer than half the answers in force."""
    before, after = answers(current), answers(new)
    if before < MIN_ANSWERS or after >= before * KEPT_RATIO:
        return None
    return Alerte(
        CodeAlerte.VERSION_APPAUVRIE,
        f"Cette version ne reprend que {after} réponse{'s' if after > 1 else ''} sur les {before} de la version "
        f"n° {current_number} en vigueur : elle n'est pas retenue tant qu'une personne n'a pas décidé (accepter "
        "l'alerte puis valider pour la retenir, ou la renvoyer au partenaire).",
        "version",
    )
