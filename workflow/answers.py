"""Frozen objects passed between the pipeline stages (parse → validate → record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from workflow.validation.alertes import CodeAlerte


class Certitude(StrEnum):
    """How a value was read, the review queue showing the least sure first (READING.md § 5)."""

    CERTAINE = "certaine"  # a content control, a form field, our own form's tags
    STRUCTUREE = "structuree"  # a labelled line, a table pair under a recognised header
    DEDUITE = "deduite"  # prose heuristics, domain vocabulary, OCR


_CERTITUDE_BY_METHODE = {"controle": Certitude.CERTAINE, "champ": Certitude.CERTAINE, "tableau": Certitude.STRUCTUREE}


@dataclass(frozen=True)
class Lieu:
    """Where a value stands in its file: the method that read it, a French locator, how sure the reading is."""

    methode: str  # "controle", "champ", "texte", "tableau", "ocr"
    detail: str  # e.g. "contrôle « referent_nom »", "tableau 2, ligne 3, colonne 1"
    certitude: Certitude | None = None  # None: the method's own (control certain, table structured, text deduced)

    def __post_init__(self) -> None:
        if self.certitude is None:
            object.__setattr__(self, "certitude", _CERTITUDE_BY_METHODE.get(self.methode, Certitude.DEDUITE))


@dataclass(frozen=True)
class Valeur:
    texte: str
    lieu: Lieu


Ligne = dict[str, Valeur]  # one row of a list answer: sub-field id → value


@dataclass(frozen=True)
class ReponsesQuestionnaire:
    """Answers as found in the file, before any check against the reference data."""

    entete: dict[str, Valeur] = field(default_factory=dict)
    interventions: tuple[Ligne, ...] = ()
    quartiers_coches: tuple[Valeur, ...] = ()  # texte = quarter id of a ticked box
    quartiers_texte: tuple[Valeur, ...] = ()  # free text naming quarters
    agents: tuple[Ligne, ...] = ()
    engagements: tuple[Valeur, ...] = ()  # one per paragraph or bullet
    objectifs: tuple[Ligne, ...] = ()  # ambition, os, os_libelle, oo, libelle_saisi
    questions_absentes: tuple[str, ...] = ()
    sections_vides: tuple[str, ...] = ()  # questions anchored with nothing under them
    non_classe: tuple[tuple[str, Valeur], ...] = ()  # (question nearby or "", text no field could take)


class TypeFormulaire(StrEnum):
    """What a recorded submission holds: the one list of values of `soumissions.type_formulaire`."""

    QUESTIONNAIRE = "questionnaire"
    ASSOCIATION = "association"
    COURRIEL = "courriel"  # an e-mail: its attached forms are submissions of their own


@dataclass(frozen=True)
class Alerte:
    code: CodeAlerte
    message: str
    champ: str = ""


@dataclass(frozen=True)
class Intervention:
    intitule: str
    description: str


@dataclass(frozen=True)
class Agent:
    nom: str
    fonction: str


@dataclass(frozen=True)
class ObjectifDeclare:
    ambition: str | None  # ambition id, written or inferred
    os: int | None
    oo: str  # code as written (or from the tree when only a label was given)
    libelle_saisi: str
    reference: str | None  # "ambition/os/code" of the tree entry it resolved to


@dataclass(frozen=True)
class Questionnaire:
    """A validated engagement questionnaire, ready to record."""

    organisme: str
    signataire_id: str | None
    campagne: int
    referent_nom: str
    referent_fonction: str
    referent_courriel: str
    referent_telephone: str
    interventions: tuple[Intervention, ...]
    quartiers: tuple[str, ...]
    agents: tuple[Agent, ...]
    engagements: str
    objectifs: tuple[ObjectifDeclare, ...]
    alertes: tuple[Alerte, ...]
    provenance: tuple[tuple[str, Lieu], ...]  # field path → where it was read


@dataclass(frozen=True)
class ActionBrute:
    """One action as found: its fields and the rows of its cofinancements."""

    champs: dict[str, Valeur]
    cofinancements: tuple[Ligne, ...] = ()


@dataclass(frozen=True)
class ReponsesAssociation:
    """An association form's answers as found in the file."""

    entete: dict[str, Valeur] = field(default_factory=dict)
    quartiers_coches: tuple[Valeur, ...] = ()
    quartiers_texte: tuple[Valeur, ...] = ()
    ambitions: tuple[Valeur, ...] = ()  # texte = ambition id
    objectifs: tuple[Ligne, ...] = ()
    actions: tuple[ActionBrute, ...] = ()
    engagements: tuple[Valeur, ...] = ()  # texte = standard commitment id
    champs: dict[str, Valeur] = field(default_factory=dict)  # autres_engagements, demande_cpo, … signataire_nom
    indicateurs: tuple[Valeur, ...] = ()
    sections_vides: tuple[str, ...] = ()  # sections whose title was found with nothing under it
    non_classe: tuple[tuple[str, Valeur], ...] = ()  # (section nearby or "", text no field could take)


@dataclass(frozen=True)
class Cofinancement:
    financeur: str
    montant: Decimal | None


@dataclass(frozen=True)
class Action:
    intitule: str
    description: str
    public_vise: str
    beneficiaires_prevus: int | None
    periode: str
    cofinancements: tuple[Cofinancement, ...]


IDENTITE_ASSOCIATION = (  # the keys of `FicheAssociation.identite`, ids of association.yaml's header
    "association_nom",
    "sigle",
    "siret",
    "rna",
    "adresse",
    "code_postal",
    "commune",
    "representant_legal_nom",
    "representant_legal_fonction",
    "referent_nom",
    "referent_fonction",
    "referent_courriel",
    "referent_telephone",
)


@dataclass(frozen=True)
class FicheAssociation:
    """A validated association form, ready to record."""

    identite: dict[str, str]  # association_nom, sigle, siret, … referent_telephone
    quartiers: tuple[str, ...]
    ambitions: tuple[str, ...]
    objectifs: tuple[ObjectifDeclare, ...]
    actions: tuple[Action, ...]
    engagements: tuple[str, ...]
    autres_engagements: str
    demande_cpo: bool | None
    duree_cpo_annees: int | None
    indicateurs_suivi: tuple[str, ...]
    signature: dict[str, str]  # fait_a, date, signataire_nom
    alertes: tuple[Alerte, ...]
    provenance: tuple[tuple[str, Lieu], ...]
