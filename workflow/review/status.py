"""Review status of a recorded submission, and the French words for it."""

from __future__ import annotations

from enum import StrEnum


class StatutRevue(StrEnum):
    A_VERIFIER = "a_verifier"  # on arrival: nothing of it reaches a contract document yet
    VALIDEE = "validee"  # a person checked it: documents use it
    A_CORRIGER = "a_corriger"  # sent back to the partner for a new version

    @property
    def libelle(self) -> str:
        return {"a_verifier": "à vérifier", "validee": "validée", "a_corriger": "à corriger"}[self.value]


class Decision(StrEnum):
    """What a person decided about an alert; an alert with no decision is open."""

    CORRIGEE = "corrigee"  # a correction resolved it
    ACCEPTEE = "acceptee"  # the value is right as read
    SANS_OBJET = "sans_objet"  # no longer relevant

    @property
    def libelle(self) -> str:
        return {"corrigee": "corrigée", "acceptee": "acceptée", "sans_objet": "sans objet"}[self.value]


class Action(StrEnum):
    """The human actions the journal records."""

    CORRECTION = "correction"
    CORRECTION_REPRISE = "correction_reprise"
    DECISION = "decision"
    VALIDATION = "validation"
    RENVOI = "renvoi"
    NOTE = "note"
    REPRISE = "reprise"
    SUPPRESSION = "suppression"
    DEPOT = "depot"
    UTILISATEUR = "utilisateur"
    CONTACT = "contact"

    @property
    def libelle(self) -> str:
        return {
            "correction": "correction d'une valeur",
            "correction_reprise": "correction reprise sur une nouvelle version",
            "decision": "décision sur une alerte",
            "validation": "validation",
            "renvoi": "renvoi au partenaire pour correction",
            "note": "note interne",
            "reprise": "fichier repris de la quarantaine",
            "suppression": "fichier supprimé de la quarantaine",
            "depot": "fichier déposé par la console web",
            "utilisateur": "gestion des utilisateurs",
            "contact": "contact de l'annuaire modifié",
        }[self.value]
