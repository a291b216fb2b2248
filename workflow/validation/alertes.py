"""The alert codes, each defined once with its French label and severity.

The codes are stored in the registry and exported as they are: a member compares equal to its
text, so renaming a member is harmless but changing its value is a data migration.
"""

from __future__ import annotations

from enum import StrEnum


class Gravite(StrEnum):
    """How staff should treat an alert; none of them stops a file from being recorded."""

    A_CORRIGER = "a_corriger"  # a value could not be used: ask the partner
    A_VERIFIER = "a_verifier"  # a value was kept with an interpretation staff should confirm

    @property
    def libelle(self) -> str:
        """Return the words shown to staff."""
        return {"a_corriger": "à corriger", "a_verifier": "à vérifier"}[self.value]


class CodeAlerte(StrEnum):
    """Every alert the validate stage can raise (README, « Ce que devient chaque fichier reçu »)."""

    libelle: str
    gravite: Gravite

    def __new__(cls, value: str, libelle: str, gravite: Gravite) -> CodeAlerte:
        member = str.__new__(cls, value)
        member._value_ = value
        member.libelle = libelle
        member.gravite = gravite
        return member

    CHAMP_OBLIGATOIRE_MANQUANT = "champ_obligatoire_manquant", "Champ obligatoire non rempli", Gravite.A_CORRIGER
    QUESTION_ABSENTE = "question_absente", "Question absente du document reçu", Gravite.A_CORRIGER
    CAMPAGNE_ILLISIBLE = (
        "campagne_illisible",
        "Campagne illisible : l'année de réception est retenue",
        Gravite.A_VERIFIER,
    )
    COURRIEL_INVALIDE = "courriel_invalide", "Adresse électronique du référent invalide", Gravite.A_CORRIGER
    TELEPHONE_INVALIDE = "telephone_invalide", "Numéro de téléphone du référent invalide", Gravite.A_CORRIGER
    QUARTIER_INCONNU = "quartier_inconnu", "Quartier non reconnu", Gravite.A_CORRIGER
    ARRAS_OUEST_SCINDE = (
        "arras_ouest_scinde",
        "Arras Ouest, scindé en 2024 : réponse rattachée aux deux quartiers qui en sont issus",
        Gravite.A_VERIFIER,
    )
    OBJECTIF_INCONNU = "objectif_inconnu", "Objectif introuvable dans l'arborescence du contrat", Gravite.A_CORRIGER
    OBJECTIF_LIBELLE_DIFFERENT = (
        "objectif_libelle_different",
        "Objectif reconnu par son code, mais libellé différent de celui du contrat",
        Gravite.A_VERIFIER,
    )
    CORRECTION_CADUQUE = (
        "correction_caduque",
        "Correction d'une version précédente non reprise : le partenaire a changé la valeur",
        Gravite.A_VERIFIER,
    )
    LECTURE_INCERTAINE = (
        "lecture_incertaine",
        "Texte non classé : il n'a pu être rattaché avec certitude à aucune question",
        Gravite.A_VERIFIER,
    )
    LECTURE_OCR = (
        "lecture_ocr",
        "Document scanné ou photographié, lu par reconnaissance de caractères : valeurs à vérifier sur l'image",
        Gravite.A_VERIFIER,
    )
    SECTION_VIDE = "section_vide", "Question ou rubrique présente mais sans réponse", Gravite.A_CORRIGER
    ORGANISME_INCONNU = "organisme_inconnu", "Organisme qui n'est pas un signataire du contrat", Gravite.A_CORRIGER
    AGENT_SANS_NOM = (
        "agent_sans_nom",
        "Agent désigné par sa fonction seulement : son nom reste à demander",
        Gravite.A_VERIFIER,
    )
    NOMBRE_ILLISIBLE = "nombre_illisible", "Nombre écrit d'une façon qui n'est pas un nombre", Gravite.A_VERIFIER
    VERSION_APPAUVRIE = (
        "version_appauvrie",
        "Nouvelle version qui perd la plupart des réponses de la version en vigueur : non retenue tant "
        "qu'une personne n'a pas décidé",
        Gravite.A_CORRIGER,
    )
    SIRET_INVALIDE = "siret_invalide", "Numéro SIRET invalide", Gravite.A_CORRIGER
    RNA_INVALIDE = "rna_invalide", "Numéro RNA invalide", Gravite.A_CORRIGER
    MONTANT_ILLISIBLE = "montant_illisible", "Montant de cofinancement illisible", Gravite.A_CORRIGER
