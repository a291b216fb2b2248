"""The objects that travel through intake: an arrival, its reception record, what became of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from workflow.answers import FicheAssociation, Questionnaire, TypeFormulaire
from workflow.parsers.sniff import FileKind


class Source(StrEnum):
    """What brought a file in (stored with every submission)."""

    COMMANDE = "commande"  # `cdv ingerer` on a file outside the inbox
    DOSSIER = "dossier"  # dropped into inbox/
    COURRIEL = "courriel"  # attached to an e-mail
    MESSAGERIE = "messagerie"  # fetched from the IMAP mailbox
    REPRISE = "reprise"  # taken again from the quarantine by `cdv quarantaine reprendre`
    WEB = "web"  # uploaded through the staff web console (`cdv web`, page « Déposer »)


class Statut(StrEnum):
    ENREGISTRE = "enregistre"
    DOUBLON = "doublon"
    QUARANTAINE = "quarantaine"

    @property
    def libelle(self) -> str:
        """Return the word shown to users."""
        return {"enregistre": "enregistré"}.get(self.value, self.value)


@dataclass(frozen=True)
class Arrivee:
    """A file handed to the pipeline, whatever brought it."""

    path: Path
    source: Source = Source.COMMANDE
    nom: str | None = None  # original file name when it differs from the path's
    deplacer: bool = False  # the file leaves its folder once it is recorded or quarantined
    profondeur: int = 0  # e-mails nested in e-mails

    @property
    def fichier(self) -> str:
        return self.nom or self.path.name


@dataclass(frozen=True)
class Reception:
    """What is known of a file the moment it arrives, before anything reads it."""

    fichier: str
    sha256: str
    taille: int
    recu_le: dt.datetime
    source: Source
    origine: str  # where in the inbox it was taken from ("" when it is not moved)
    origine_mtime_ns: int | None  # that file's mtime: tells an interrupted run apart


@dataclass(frozen=True)
class Analyse:
    """A file read, recognised and validated: one questionnaire or one association form."""

    kind: FileKind
    parseur: str
    formulaire: Questionnaire | FicheAssociation
    ocr_pdf: bytes | None = None  # read by OCR: the OCR'd PDF, archived beside the original

    @property
    def type(self) -> TypeFormulaire:
        if isinstance(self.formulaire, FicheAssociation):
            return TypeFormulaire.ASSOCIATION
        return TypeFormulaire.QUESTIONNAIRE


@dataclass(frozen=True)
class Resultat:
    fichier: str
    statut: Statut
    sha256: str
    type_fichier: str
    motif: str = ""
    detail: str = ""
    erreur_interne: bool = False
    soumission_id: int | None = None
    pieces: tuple[Resultat, ...] = ()  # what became of an e-mail's attachments
