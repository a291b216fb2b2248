"""Tell which field of the association form a label names, by its key words rather than its exact
wording (« Numéro RNA ou à défaut celui du récépissé », « CP – Ville », « Dossier suivi par »)."""

from __future__ import annotations

import re

from workflow.text import normalise

# (target, key words): a label names the target when each key word begins one of its words; the
# first rule that fits wins, so the narrower ones come first.
IDENTITY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("identifiants", ("siret", "rna")),
    ("siret", ("siret",)),
    ("rna", ("rna",)),
    ("rna", ("recepisse",)),
    ("sigle", ("sigle",)),
    ("sigle", ("acronyme",)),
    ("sigle", ("dit", "aussi")),  # « On dit aussi : EASM » (facile à lire)
    ("courriel", ("adresse", "electronique")),
    ("courriel", ("adresse", "mail")),
    ("courriel", ("courriel",)),
    ("courriel", ("mail",)),
    ("courriel", ("mel",)),
    ("courriel", ("email",)),
    ("cp_commune", ("cp", "commune")),
    ("cp_commune", ("cp", "ville")),
    ("cp_commune", ("postal", "commune")),
    ("cp_commune", ("postal", "ville")),
    ("code_postal", ("code", "postal")),
    ("code_postal", ("cp",)),
    ("adresse", ("adresse",)),
    ("adresse", ("siege",)),
    ("adresse", ("ou", "trouve")),
    ("commune", ("commune",)),
    ("commune", ("ville",)),
    ("telephone", ("telephone",)),
    ("telephone", ("tel",)),
    ("telephone", ("portable",)),
    ("representant_legal_fonction", ("fonction", "representant")),
    ("representant_legal_fonction", ("qualite", "representant")),
    ("referent_fonction", ("fonction", "referent")),
    ("referent_fonction", ("fonction", "contact")),
    ("referent_fonction", ("qualite", "contact")),
    ("lieu_date", ("lieu", "date")),
    ("signataire_nom", ("signataire",)),
    ("signataire_nom", ("nom", "signature")),
    ("signataire_nom", ("soussign",)),
    ("representant_legal_nom", ("representant",)),
    ("representant_legal_nom", ("represente",)),
    ("representant_legal_nom", ("president",)),
    ("referent_nom", ("referent",)),
    ("referent_nom", ("contact",)),
    ("referent_nom", ("dossier",)),
    ("referent_nom", ("suivi", "par")),
    ("referent_nom", ("chef", "projet")),
    ("referent_nom", ("responsable", "projet")),
    ("referent_nom", ("porteur", "projet")),
    ("referent_nom", ("interlocut",)),
    ("identification", ("identification",)),
    ("identification", ("presentation",)),
    ("association_nom", ("nom", "association")),
    ("association_nom", ("denomination",)),
    ("association_nom", ("nom", "structure")),
    ("association_nom", ("appelle",)),
    ("association_nom", ("raison", "sociale")),
)
GENERIC_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nom", ("nom",)),
    ("nom", ("prenom",)),
    ("fonction", ("fonction",)),
    ("fonction", ("qualite",)),
    ("fonction", ("poste",)),
    ("fait_a", ("fait",)),
    ("fait_a", ("lieu",)),
    ("duree_cpo_annees", ("duree",)),
    ("autres_engagements", ("autre", "engagement")),
    ("autres_engagements", ("autre", "promesse")),  # « Autre promesse : … » (facile à lire)
    ("demande_cpo", ("cpo",)),
    ("demande_cpo", ("convention",)),
    ("demande_cpo", ("conventionnement",)),
    ("date", ("date",)),
    ("indicateurs_suivi", ("indicateur",)),
    ("indicateurs_suivi", ("suivrez",)),
    ("indicateurs_suivi", ("suivrons",)),  # « Nous suivrons »
    ("indicateurs_suivi", ("mesure", "impact")),
    ("indicateurs_suivi", ("compter", "resultat")),  # « Comment nous allons compter nos résultats »
    ("engagements", ("engagement",)),
    ("objectifs", ("objectif",)),
    ("objectifs", ("rattachement",)),  # « Rattachement « Cœur de Quartier » : » over the objectives
    ("ambitions", ("ambition",)),
    ("quartiers_intervention", ("quartier",)),
    ("quartiers_intervention", ("territoire",)),
    ("quartiers_intervention", ("intervenez",)),
    ("actions", ("action",)),
    ("association_nom", ("association",)),
    ("association_nom", ("structure",)),
    ("signature", ("signature",)),
    ("signature", ("attestation",)),
    ("indicateurs_suivi", ("suivi",)),
    ("indicateurs_suivi", ("evaluation",)),
)
ACTION_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("intitule", ("intitule",)),
    ("intitule", ("titre",)),
    ("public_nombre_periode", ("pour", "qui")),
    ("public_vise", ("public",)),
    ("beneficiaires_prevus", ("beneficiaire",)),
    ("beneficiaires_prevus", ("benef",)),
    ("beneficiaires_prevus", ("nb",)),
    ("beneficiaires_prevus", ("effectif",)),
    ("periode", ("periode",)),
    ("periode", ("calendrier",)),
    ("periode", ("quand",)),
    ("periode", ("dates",)),  # « Dates : septembre 2025 à juin 2026 »; « Date » alone is the form's
    ("financeur", ("cofinanc", "financeur")),  # « Cofinancement 1 – financeur » then « – montant (€) »
    ("montant", ("cofinanc", "montant")),
    ("cofinancements", ("cofinanc",)),
    ("cofinancements", ("financement",)),
    ("financeur", ("financeur",)),
    ("montant", ("montant",)),
    ("description", ("descripti",)),
    ("description", ("quoi",)),
    ("beneficiaires_prevus", ("combien",)),
    ("cofinancements", ("soutien",)),
    ("cofinancements", ("qui", "financ")),
    ("cofinancements", ("donne", "argent")),  # « Qui donne de l'argent ? » (facile à lire)
    ("description", ("contenu",)),
    ("description", ("objectif",)),
)
TABLE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("oo", ("oo",)),
    ("oo", ("objectif", "operationnel")),
    ("os", ("os",)),
    ("os", ("objectif", "strategique")),
    ("ambition", ("ambition",)),
    ("libelle_saisi", ("libelle",)),
    ("engagement", ("engagement",)),
    ("oui", ("oui",)),
    ("non", ("non",)),
    ("numero", ("n",)),
    *ACTION_RULES,
    ("intitule", ("action",)),
)
CELL_ACTION_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (  # a label cell of an action's table only:
    ("beneficiaires_prevus", ("nombre",)),  # « Nombre de participants | 12 » (a line « Nombre de … » is an indicator)
    ("beneficiaires_prevus", ("participant",)),
)
ACTION_ASIDE = (  # « Budget : Coût total … », « Moyens, partenaires : … »: no field of ours
    ("budget", ("budget",)),
    ("budget", ("cout",)),
    ("moyens", ("moyens",)),
)
BREAKING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (  # never an action's: they end its block
    ("autres_engagements", ("autre", "engagement")),
    ("demande_cpo", ("cpo",)),
    ("demande_cpo", ("convention", "pluriannuel")),
    ("indicateurs_suivi", ("indicateur",)),
    ("engagements", ("engagement",)),
)
_DATE_OF_THE_FORM = {"date", "de", "du", "la", "le", "signature", "fiche", "formulaire", "document", "demande"}
SECTIONS = (
    "quartiers_intervention",
    "ambitions",
    "objectifs",
    "actions",
    "engagements",
    "cpo",
    "indicateurs_suivi",
    "signature",
    "identification",
)
_ACTION_NUMBER = re.compile(  # « FICHE ACTION 1 / 3 – … », « 5. Notre action n° 1 : … »
    r"^\s*(?:\d{1,2}\s+)?(?:notre\s+|nos\s+)?(?:fiche\s+)?action\s*(?:n\s*)?\d+\b", re.I
)


def _words(text: str) -> list[str]:
    """The label's words, the contract's name left out (« Cœur de Quartier » names no quarter)."""
    return normalise(text).replace("coeur de quartier", " ").split()


_OTHER_WORDS = {  # « conventionné par l'État » asks no CPO, « Atelier couture » costs nothing
    "nom": ("nombre",),
    "convention": ("conventionne",),
    "cout": ("coutur",),
    "fonction": ("fonctionnement", "fonctionnel"),  # « Partenaires de fonctionnement » names no one's function
}


def _fits(words: list[str], keys: tuple[str, ...]) -> bool:
    return all(any(_begins(w, k) for w in words) for k in keys)


def _begins(word: str, key: str) -> bool:
    if len(key) <= 2:
        return word == key
    return word.startswith(key) and not word.startswith(_OTHER_WORDS.get(key, ()))


def match(text: str, rules: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    """Return the target of the first rule the label fits, or ""."""
    words = _words(text)
    if words == ["le"]:
        return "date" if rules is GENERIC_RULES else ""
    if words == ["signe"]:  # « Signé : Patrick DUMONT, président. » (« … contrats signés » is no label of it)
        return "signataire_nom" if rules is IDENTITY_RULES else ""
    if words == ["autres"]:
        return "autres_engagements" if rules is GENERIC_RULES else ""
    if words == ["nombre"] and rules is TABLE_RULES:  # « Intitulé | … | Public visé | Nombre | Période »
        return "beneficiaires_prevus"
    return next((target for target, keys in rules if _fits(words, keys)), "")


def action_number(text: str) -> int | None:
    """The number of an action block's label (« Action 2 – Ateliers » → 2), or None."""
    match = _ACTION_NUMBER.match(normalise(text))
    digits = re.search(r"\d+", match.group(0)) if match else None
    return int(digits.group(0)) if digits else None


def numbered_action(text: str) -> bool:
    """Whether a label opens an action block (« Action 1 », « ACTION N° 2 », « Action n°1 – Intitulé »)."""
    return bool(_ACTION_NUMBER.match(normalise(text)))


def target(label: str, in_actions: bool) -> str:
    """Return what a label names: a field, a section, an action's sub-field or ""."""
    if numbered_action(label):
        return "action"
    if in_actions and (found := match(label, BREAKING_RULES) or match(label, ACTION_RULES)):
        return found
    if match(label, (("intitule", ("intitule",)),)):
        return "intitule"
    found = match(label, IDENTITY_RULES) or match(label, GENERIC_RULES)
    words = _words(label)
    if found == "referent_nom" and words[:1] in (["ref"], ["reference"], ["numero"], ["n"]):
        return ""  # « Réf. dossier : CDQ-2025- »: the file's number, not who follows it
    if found == "date" and not set(words) <= _DATE_OF_THE_FORM:
        return ""  # « Date de création », « Date de la dernière assemblée générale »: not the form's date
    if found == "commune" and (len(words) > 3 or ("ville" in words and len(words) > 1)):
        # « Ville d'Arras : 2 000 € » names a funder, « … politique de la ville » a commitment, « À quelle(s)
        # ambition(s) du contrat de ville … » the ambitions
        return "" if len(words) <= 3 else match(label, GENERIC_RULES)
    return found


_COMMITTING_VERB = re.compile(
    r"^\s*(?:participer|associer|int[ée]grer|transmettre|coop[ée]rer|favoriser|d[ée]velopper|promouvoir|"
    r"accompagner|lutter|mettre|organiser|proposer|ouvrir|renforcer|soutenir|garantir|agir)\b",
    re.I,
)


def is_label(text: str) -> bool:
    """Whether a short phrase reads as one of the form's labels or column headings."""
    if len(text.split()) > 14 or text.lstrip()[:1] in '☐☒☑□■[«"“':  # « Paroles de quartier » titles a project
        return False
    if re.match(r"^\s*(?:monsieur|madame)\s+(?:le|la)\b", text, re.I):  # « Monsieur le Président »: the addressee
        return False
    if _COMMITTING_VERB.match(text):  # « Transmettre les indicateurs de suivi … »: a commitment, not a label
        return False
    return bool(target(text, True) or match(text, TABLE_RULES))
