"""Reference data of the contract (objectives tree, quarters, signatories), loaded from YAML."""

from workflow.referentiel.loader import load_referentiel
from workflow.referentiel.model import (
    Ambition,
    ChampEntete,
    ObjectifOperationnel,
    ObjectifStrategique,
    Quartier,
    Question,
    Referentiel,
    Signataire,
)

__all__ = [
    "Ambition",
    "ChampEntete",
    "ObjectifOperationnel",
    "ObjectifStrategique",
    "Quartier",
    "Question",
    "Referentiel",
    "Signataire",
    "load_referentiel",
]
