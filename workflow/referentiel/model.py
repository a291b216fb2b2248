"""Typed, immutable reference data; pydantic validates the YAML files into these objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workflow.answers import TypeFormulaire
from workflow.validation.alertes import CodeAlerte

QUESTION_IDS = (
    "interventions_structurantes",
    "quartiers_vises",
    "agents_gouvernance",
    "engagements_2024_2030",
    "objectifs",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} « {value} » en double")
        seen.add(value)


class ObjectifOperationnel(_Frozen):
    code: str
    libelle: str
    code_imprime: str | None = None

    @property
    def printed_code(self) -> str:
        """Return the code as the contract prints it (duplicates share one)."""
        return self.code_imprime or self.code


class ObjectifStrategique(_Frozen):
    numero: int
    libelle: str
    objectifs_operationnels: tuple[ObjectifOperationnel, ...]

    @model_validator(mode="after")
    def _codes_unique(self) -> ObjectifStrategique:
        _unique([oo.code for oo in self.objectifs_operationnels], "code d'objectif opérationnel")
        return self


class Ambition(_Frozen):
    id: str
    libelle: str
    alias: tuple[str, ...] = ()
    objectifs_strategiques: tuple[ObjectifStrategique, ...]

    @model_validator(mode="after")
    def _numbers_unique(self) -> Ambition:
        _unique([str(os.numero) for os in self.objectifs_strategiques], "numéro d'objectif stratégique")
        return self

    def os(self, numero: int) -> ObjectifStrategique | None:
        return next((o for o in self.objectifs_strategiques if o.numero == numero), None)


class Quartier(_Frozen):
    id: str
    nom: str
    type: Literal["qpv", "territoire-vulnerabilite"]
    communes: tuple[str, ...]
    alias: tuple[str, ...] = ()


class Scission(_Frozen):
    ancien_nom: str
    alias: tuple[str, ...] = ()
    devenu: tuple[str, ...]
    alerte: CodeAlerte

    @field_validator("alerte", mode="before")
    @classmethod
    def _known_code(cls, value: object) -> object:
        """Refuse a code the validate stage does not know, so a typo never reaches the registry."""
        if value not in tuple(CodeAlerte):
            known = ", ".join(CodeAlerte)
            raise ValueError(f"code d'alerte inconnu « {value} » (codes connus : {known})")
        return value


class Signataire(_Frozen):
    id: str
    nom: str
    alias: tuple[str, ...] = ()
    article: Literal["le", "la", "l'", "les", ""] = ""  # for French sentences: « la Ville d'Arras »
    nom_court: str = ""  # « ARS » gives « l'ARS »
    categorie: str = ""

    def avec_article(self, court: bool = False) -> str:
        """Return the name as a sentence writes it: « la Ville d'Arras », « l'ARS », « BGE Hauts-de-France »."""
        return avec_article(self.article, self.nom_court if court and self.nom_court else self.nom)

    def complement(self, court: bool = False) -> str:
        """Return « de » and the name: « du Département du Pas-de-Calais », « de l'ARS », « de BGE … »."""
        return complement(self.article, self.nom_court if court and self.nom_court else self.nom)


def avec_article(article: str, nom: str) -> str:
    """Return `nom` after its article, elided before « l' »."""
    if not article:
        return nom
    return f"{article}{nom}" if article.endswith("'") else f"{article} {nom}"


def complement(article: str, nom: str) -> str:
    """Return « de » and `nom` with the contractions French requires (du, des, de la, de l', de)."""
    contracted = {"le": "du ", "les": "des ", "la": "de la ", "l'": "de l'"}.get(article)
    if contracted:
        return f"{contracted}{nom}"
    return f"d'{nom}" if nom[:1].lower() in "aeiouyéèêâîôûœ" else f"de {nom}"


class Instance(_Frozen):
    id: str
    nom: str
    echelle: Literal["intercommunale", "communale"]
    categorie: Literal["gouvernance", "participation"] = "gouvernance"
    description: str = ""


class CopilExemple(_Frozen):
    date: dt.date
    libelle: str


class ChampEntete(_Frozen):
    id: str
    libelle: str
    obligatoire: bool = False
    alias: tuple[str, ...] = ()


class Colonne(_Frozen):
    """A column of a list question's table, and the other headings partners give it."""

    id: str
    libelle: str
    alias: tuple[str, ...] = ()


class Indices(_Frozen):
    """The words that tell a question however a partner retyped it (READING.md § 2)."""

    noyau: tuple[str, ...]  # the question's head noun: one of these must be written
    precisions: tuple[str, ...] = ()  # words that confirm it (« structurantes », « visés », « 2024-2030 »)


class Question(_Frozen):
    id: str
    texte: str
    consigne: str = ""
    colonnes: tuple[Colonne, ...] = ()
    indices: Indices


# --- one model per file -------------------------------------------------------------------


class FichierObjectifs(_Frozen):
    ambitions: tuple[Ambition, ...]

    @model_validator(mode="after")
    def _ids_unique(self) -> FichierObjectifs:
        _unique([a.id for a in self.ambitions], "identifiant d'ambition")
        return self


class FichierQuartiers(_Frozen):
    quartiers: tuple[Quartier, ...]
    ensemble_des_qpv: tuple[str, ...] = ()
    scissions: tuple[Scission, ...] = ()

    @model_validator(mode="after")
    def _references_exist(self) -> FichierQuartiers:
        ids = [q.id for q in self.quartiers]
        _unique(ids, "identifiant de quartier")
        for scission in self.scissions:
            for target in scission.devenu:
                if target not in ids:
                    raise ValueError(f"la scission « {scission.ancien_nom} » vise un quartier inconnu « {target} »")
        return self


class FichierSignataires(_Frozen):
    signataires: tuple[Signataire, ...]

    @model_validator(mode="after")
    def _ids_unique(self) -> FichierSignataires:
        _unique([s.id for s in self.signataires], "identifiant de signataire")
        return self


class FichierGouvernance(_Frozen):
    instances: tuple[Instance, ...]
    copil_exemples: tuple[CopilExemple, ...] = ()


class FichierQuestionnaire(_Frozen):
    formulaire: Literal[TypeFormulaire.QUESTIONNAIRE]
    version: int
    titre: str
    entete: tuple[ChampEntete, ...]
    questions: tuple[Question, ...]
    precisions_quartiers: str = "Autres quartiers ou précisions"

    @model_validator(mode="after")
    def _five_questions(self) -> FichierQuestionnaire:
        ids = tuple(q.id for q in self.questions)
        if ids != QUESTION_IDS:
            raise ValueError("les questions doivent être, dans l'ordre : " + ", ".join(QUESTION_IDS))
        return self

    def question(self, field_id: str) -> Question:
        return next(q for q in self.questions if q.id == field_id)


class EngagementStandard(_Frozen):
    id: str
    libelle: str


class FichierAssociation(_Frozen):
    formulaire: Literal[TypeFormulaire.ASSOCIATION]
    version: int
    titre: str
    entete: tuple[ChampEntete, ...]
    sections: dict[str, str]
    indices_sections: dict[str, Indices] = {}  # the key nouns that tell each section's title, retyped or not
    colonnes_action: tuple[Colonne, ...]
    colonnes_cofinancement: tuple[Colonne, ...]
    engagements_standards: tuple[EngagementStandard, ...]

    @model_validator(mode="after")
    def _ids_unique(self) -> FichierAssociation:
        _unique([e.id for e in self.engagements_standards], "identifiant d'engagement standard")
        _unique([c.id for c in self.entete], "identifiant de champ")
        unknown = sorted(set(self.indices_sections) - set(self.sections))
        if unknown:
            raise ValueError(f"indices d'une rubrique inconnue : {', '.join(unknown)}")
        return self


class FichierProgrammation(_Frozen):
    colonnes: dict[str, tuple[str, ...]]
    obligatoires: tuple[str, ...]

    @model_validator(mode="after")
    def _required_known(self) -> FichierProgrammation:
        unknown = [c for c in self.obligatoires if c not in self.colonnes]
        if unknown:
            raise ValueError(f"colonne obligatoire inconnue : {', '.join(unknown)}")
        return self


class Territoire(_Frozen):
    """A territory observed besides the quarters: a former quarter, the CUA, a national average."""

    id: str
    nom: str
    couvre: tuple[str, ...] = ()  # quarters a former territory's figures stand for
    reference: bool = False  # the territory each quarter is compared with


class Indicateur(_Frozen):
    id: str
    libelle: str
    unite: Literal["habitants", "euros", "pourcent", "nombre"]
    feuille: str = Field(default="", max_length=31)  # Excel sheet name when the label is longer than 31


class Mesure(_Frozen):
    territoire: str
    indicateur: str
    annee: int
    valeur: float
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, data: object) -> object:
        """Accept the compact row `[territoire, indicateur, année, valeur, note?]`."""
        if isinstance(data, list):
            if len(data) not in (4, 5):
                raise ValueError("ligne [territoire, indicateur, année, valeur] ou avec une note attendue")
            return dict(zip(("territoire", "indicateur", "annee", "valeur", "note"), data, strict=False))
        return data


class FichierObservations(_Frozen):
    source: str
    territoires: tuple[Territoire, ...]
    indicateurs: tuple[Indicateur, ...]
    valeurs: tuple[Mesure, ...]

    @model_validator(mode="after")
    def _consistent(self) -> FichierObservations:
        _unique([t.id for t in self.territoires], "territoire")
        _unique([i.id for i in self.indicateurs], "indicateur")
        _unique([f"{v.territoire} / {v.indicateur} / {v.annee}" for v in self.valeurs], "valeur")
        known = {i.id for i in self.indicateurs}
        for v in self.valeurs:
            if v.indicateur not in known:
                raise ValueError(f"indicateur inconnu « {v.indicateur} »")
        if sum(t.reference for t in self.territoires) != 1:
            raise ValueError("un et un seul territoire de référence (reference: true) attendu")
        return self

    def indicateur(self, indicateur_id: str) -> Indicateur:
        return next(i for i in self.indicateurs if i.id == indicateur_id)

    @property
    def reference(self) -> Territoire:
        return next(t for t in self.territoires if t.reference)


class Cibles(_Frozen):
    part_cpo_min: float
    part_nouvelles_min: float
    part_cohesion_sociale_min: float
    part_vulnerabilite_max: float


class FichierEvaluation(_Frozen):
    campagne_reference: int
    enveloppe: tuple[Literal["etat", "cua", "communes", "caf", "departement", "autres"], ...]
    pilier_cohesion_sociale: tuple[str, ...]
    cibles: Cibles
    seuil_fort_financement: float
    debut_contrat: int


class Referentiel(_Frozen):
    """Everything the contract fixes, as loaded from `registry/referentiel/`."""

    objectifs: FichierObjectifs
    quartiers: FichierQuartiers
    signataires: FichierSignataires
    gouvernance: FichierGouvernance
    questionnaire: FichierQuestionnaire
    association: FichierAssociation
    programmation: FichierProgrammation
    observations: FichierObservations
    evaluation: FichierEvaluation

    @model_validator(mode="after")
    def _cross_references(self) -> Referentiel:
        quarters = {q.id for q in self.quartiers.quartiers}
        places = quarters | {t.id for t in self.observations.territoires}
        for v in self.observations.valeurs:
            if v.territoire not in places:
                raise ValueError(f"observations.yaml : territoire inconnu « {v.territoire} »")
        for t in self.observations.territoires:
            if set(t.couvre) - quarters:
                raise ValueError(f"observations.yaml : « {t.id} » couvre un quartier inconnu")
        unknown = set(self.evaluation.pilier_cohesion_sociale) - {a.id for a in self.ambitions}
        if unknown:
            raise ValueError(f"evaluation.yaml : ambition inconnue « {', '.join(sorted(unknown))} »")
        return self

    @property
    def ambitions(self) -> tuple[Ambition, ...]:
        return self.objectifs.ambitions

    def ambition(self, ambition_id: str) -> Ambition | None:
        return next((a for a in self.ambitions if a.id == ambition_id), None)

    def iter_oo(self) -> Iterator[tuple[Ambition, ObjectifStrategique, ObjectifOperationnel]]:
        """Yield every operational objective with its ambition and strategic objective."""
        for ambition in self.ambitions:
            for os_ in ambition.objectifs_strategiques:
                for oo in os_.objectifs_operationnels:
                    yield ambition, os_, oo

    def quartier(self, quartier_id: str) -> Quartier | None:
        return next((q for q in self.quartiers.quartiers if q.id == quartier_id), None)

    def qpv_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.quartiers.quartiers if q.type == "qpv")
