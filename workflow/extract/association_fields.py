"""Put one labelled value of an association form under its field, splitting the lines that hold
several facts (« 3 rue X, 62000 Arras », « Union Sportive (US4A) », « Nom, fonction — mél — tél »)."""

from __future__ import annotations

import re

from workflow.answers import IDENTITE_ASSOCIATION as IDENTITY
from workflow.answers import Certitude, Valeur
from workflow.extract import association_values as values
from workflow.extract.anchors import EMAIL, PHONE
from workflow.extract.referent import split_referent

_ADDRESS = re.compile(r"^(?P<rue>.*?)[\s,–-]+(?P<cp>\d{5})\s+(?P<commune>[A-ZÉ][\w' -]+)$")
SIGLE = re.compile(r"^(?P<nom>.+?)\s*\((?P<sigle>[A-Z0-9][\w'-]{1,12})\)\s*$")
SIRET = re.compile(r"\b\d{3}\s?\d{3}\s?\d{3}\s?\d{5}\b")
RNA = re.compile(r"\bW\s?\d{9}\b")
_NOTHING = {
    "",
    "-",
    "—",
    "–",
    "neant",
    "néant",
    "aucun",
    "aucune",
    "sans objet",
    "/",
    "votre réponse",
}  # a web form left blank


_WISHING = re.compile(r"\b(?:aimer\w*|souhait\w*|sollicit\w*|demand\w*|voudri\w*)\b(?![^.]*\b(?:pas|aucune?)\b)", re.I)
_NAME_THEN_ADDRESS = re.compile(r"^(?P<nom>[^,\d]{3,}?),\s*(?P<adresse>\d{1,4}\b.*\b\d{5}\s+\S.*)$")
_NAMED_ONLY = ("sigle", "rna", "siret")  # fields a « non » empties (never a CPO's answer)
_REMARK = re.compile(r"\s*\([^)]*\)\s*$")
_PEOPLE = (  # fields a closing remark in brackets is no part of (« 07 68 91 33 02 (nouveau portable) »)
    "representant_legal_nom",
    "referent_nom",
    "representant_legal_fonction",
    "referent_fonction",
    "referent_telephone",
)
_NOT_A_NAME = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\s:\s|\d{4,}")  # a date, a label, a number (« RNA W622… »)


class Fields:
    """Put one labelled value under its field, splitting the lines that hold several facts."""

    def __init__(self, entete: dict[str, Valeur], champs: dict[str, Valeur]) -> None:
        self.entete = entete
        self.champs = champs
        self.signed = False  # a place, date or signatory was read: the lines after it sign the form

    def put(self, found: str, value: Valeur) -> None:
        said = _REMARK.sub("", value.texte).strip().lower()  # « – (association déclarée en 1987) »
        if said in _NOTHING or (found in _NAMED_ONLY and said in ("non", "pas de sigle", "aucun")):
            value = Valeur("", value.lieu)  # « Sigle : – », « néant », « Sigle : Non »: the field is empty
        elif found in ("siret", "rna") and not re.search(r"\d", said):
            value = Valeur("", value.lieu)  # « RNA : en cours d'attribution »: no number yet
        text = value.texte
        splitter = getattr(self, f"_{found}", None)
        if splitter is not None:
            splitter(value)
        elif found in CHAMPS:
            self._champ(found, value)
        elif found in IDENTITY:
            self._set(found, Valeur(text, value.lieu))

    def _set(self, key: str, value: Valeur) -> None:
        if key in _PEOPLE:  # « Malika BENSAÏD (c'est moi qui signe) »: the remark is no part of the name
            value = Valeur(_REMARK.sub("", value.texte).strip(), value.lieu)
        if key.endswith("_nom") and (len(re.findall(r"[^\W\d_]", value.texte)) < 2 or _NOT_A_NAME.search(value.texte)):
            return  # « 1 », « – », « Reçu le : 02/12/2024 »: no name, whatever the label said
        if not self.entete.get(key):
            self.entete[key] = value

    def _champ(self, key: str, value: Valeur) -> None:
        """Set a field once; a labelled value replaces one deduced from an unlabelled line (« Déposé le … »)."""
        before = self.champs.get(key)
        deduced = before is not None and before.lieu.certitude == Certitude.DEDUITE
        surer = deduced and value.lieu.certitude == Certitude.STRUCTUREE
        if before is None or (value.texte and (not before.texte or surer)):  # an empty value gives way too
            self.champs[key] = value

    def _identifiants(self, value: Valeur) -> None:
        if siret := SIRET.search(value.texte):
            self._set("siret", Valeur(siret.group(0), value.lieu))
        if rna := RNA.search(value.texte):
            self._set("rna", Valeur(rna.group(0).replace(" ", ""), value.lieu))

    def _siret(self, value: Valeur) -> None:
        """The number with its 14 digits when a line gives it (« 426 183 976 0031 ⏎ SIRET complet : … »)."""
        found = [m.group(0) for m in SIRET.finditer(value.texte)]
        self._set("siret", Valeur(found[-1], value.lieu) if found else value)

    def _referent_courriel(self, value: Valeur) -> None:
        """The address alone: a PDF may glue the next label to it (« …@x.frTéléphone : »), a cell
        give the phone after it (« …@x.org / 07 81 26 44 90 »)."""
        glued = re.search(r"(?<=[a-z])(?:T[ée]l[ée]phone|T[ée]l|Fonction|Courriel)\b.*$", value.texte)
        text = value.texte[: glued.start()].strip(" :") if glued else value.texte
        address = EMAIL.search(text)
        rest = text[address.end() :] if address else ""
        if address:  # a line without an address (« Bonsoir, Monique LEFEBVRE ») gives no e-mail
            self._set("referent_courriel", Valeur(address.group(0) if PHONE.search(rest) else text, value.lieu))
        if phone := PHONE.search(glued.group(0) if glued else rest):
            self._set("referent_telephone", Valeur(phone.group(0), value.lieu))

    def _cp_commune(self, value: Valeur) -> None:
        cp, _, commune = value.texte.strip().partition(" ")
        if cp.isdigit():
            self._set("code_postal", Valeur(cp, value.lieu))
            self._set("commune", Valeur(commune.strip(" ,–—-"), value.lieu))  # « 62000 – Arras »
        else:
            self._set("commune", value)

    def _adresse(self, value: Valeur) -> None:
        said, colon, address = value.texte.partition(" : ")  # « Nouveau local depuis janvier 2025 : 8 rue … »
        if colon and _ADDRESS.match(address.strip()) and not _ADDRESS.match(said.strip()):
            value = Valeur(address.strip(), value.lieu)
        match = _ADDRESS.match(value.texte.strip())
        if match:
            self._set("adresse", Valeur(match.group("rue").strip(" ,–-"), value.lieu))
            self._set("code_postal", Valeur(match.group("cp"), value.lieu))
            self._set("commune", Valeur(match.group("commune").strip(), value.lieu))
        else:
            self._set("adresse", value)

    def _association_nom(self, value: Valeur) -> None:
        if located := _NAME_THEN_ADDRESS.match(value.texte.strip()):  # « Femmes Solidaires, 9 rue …, 62223 … »
            value = Valeur(located.group("nom"), value.lieu)
            self._adresse(Valeur(located.group("adresse"), value.lieu))
        match = SIGLE.match(value.texte.strip())
        if match:
            self._set("association_nom", Valeur(match.group("nom"), value.lieu))
            self._set("sigle", Valeur(match.group("sigle"), value.lieu))
        else:
            self._set("association_nom", value)

    def _representant_legal_nom(self, value: Valeur) -> None:
        name, function = values.name_and_function(value.texte)
        self._set("representant_legal_nom", Valeur(name, value.lieu))
        if function:
            self._set("representant_legal_fonction", Valeur(function, value.lieu))

    def _referent_nom(self, value: Valeur) -> None:
        if EMAIL.search(value.texte) or PHONE.search(value.texte) or "," in value.texte:
            for key, part in split_referent({"referent_nom": value}).items():
                self._set(key, part)
            return
        self._set("referent_nom", Valeur(values.name_and_function(value.texte)[0], value.lieu))

    def _signataire_nom(self, value: Valeur) -> None:
        name = values.signatory(value.texte) or value.texte.strip()
        if name and not name.startswith("["):
            self._champ("signataire_nom", Valeur(name, value.lieu))

    def _lieu_date(self, value: Valeur) -> None:
        found = values.place_and_date(value.texte.split(" – ")[0])
        if found:
            self._champ("fait_a", Valeur(found[0], value.lieu))
            self._champ("date", Valeur(found[1], value.lieu))
        self._signataire_nom(Valeur(value.texte.rpartition(" – ")[2], value.lieu))
        self.signed = True

    def _fait_a(self, value: Valeur) -> None:
        found = values.place_and_date(value.texte)
        if found:
            self._champ("fait_a", Valeur(found[0], value.lieu))
            self._champ("date", Valeur(found[1], value.lieu))
        else:
            self._champ("fait_a", value)
        self.signed = True

    def _date(self, value: Valeur) -> None:
        self._champ("date", Valeur(values.date_of(value.texte) if value.texte else "", value.lieu))

    def _demande_cpo(self, value: Valeur) -> None:
        answer = values.yes_no(value.texte) or (
            "oui" if _WISHING.search(value.texte) else ""
        )  # « On aimerait une CPO »
        self._champ("demande_cpo", Valeur(answer, value.lieu))
        if (years := values.years(value.texte)) and re.search(r"\d|ans", value.texte):
            self._champ("duree_cpo_annees", Valeur(years, value.lieu))

    def _duree_cpo_annees(self, value: Valeur) -> None:
        self._champ("duree_cpo_annees", Valeur(values.years(value.texte), value.lieu))


CHAMPS = ("autres_engagements", "demande_cpo", "duree_cpo_annees", "fait_a", "date", "signataire_nom")
