"""An association that writes a letter instead of filling the form: each sentence read for the fact
it states (« présidée par Mme X », « nous nous engageons à … », « nous sollicitons une convention
pluriannuelle d'objectifs d'une durée de trois ans »). Every value is deduced, for a person to check;
a sentence stating nothing we know stays unplaced."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workflow.answers import ActionBrute, Certitude, Lieu, Ligne, Valeur
from workflow.extract import association_values as values
from workflow.extract.anchors import EMAIL, PHONE, is_closing, is_running
from workflow.extract.association_lines import Entry, cards
from workflow.extract.common import ambition_names
from workflow.extract.splitting import person_name
from workflow.parsers.base import Unit
from workflow.referentiel import Referentiel
from workflow.text import normalise, similarity

MIN_SENTENCE_WORDS = 7
COMMITMENT_LIKENESS = 70
_SENTENCE = re.compile(r"(?<=[.!?])(?<!\bM\.)\s+(?=[A-ZÀ-Þ«])")
_NAME = r"[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+){1,3}"
_PRESIDED = re.compile(  # « présidée par Mme X », « sa présidente, Mme X », « Mme X (présidente) »
    rf"\b(?P<title>présidée?)\s+par\s+(?:M\.|Mme|Monsieur|Madame)?\s*(?P<nom>{_NAME})|"
    rf"\b(?:sa|son|notre|la|le)\s+(?P<title2>(?:co-?)?présidente?),?\s+(?:M\.|Mme|Monsieur|Madame)\s+(?P<nom2>{_NAME})|"
    rf"\b(?:M\.|Mme|Monsieur|Madame)\s+(?P<nom3>{_NAME})\s*\((?P<title3>(?:co-?)?présidente?)\)|"
    rf"\breprésentée?\s+par\s+(?:M\.|Mme|Monsieur|Madame)\s+(?P<nom4>{_NAME}),\s*(?:en\s+(?:sa\s+)?qualité\s+de\s+|sa\s+|son\s+)?"
    r"(?P<title4>(?:co-?)?[Pp]résidente?)\b|"
    rf"\b(?:[Ll]a|[Ll]e|[Nn]otre)\s+(?P<title5>(?:co-?)?présidente?)(?:\s+de\s+l['’]association)?\s+s['’]appelle\s+"
    rf"(?:M\.|Mme|Monsieur|Madame)?\s*(?P<nom5>{_NAME})",  # « Le président de l'association s'appelle X. »
)
# « L'association Les Pousses de Chanteclair, association loi 1901 déclarée … »: its name, in a convention's recitals
_DECLARED = re.compile(  # « L'association X, association loi 1901 », « X (SIGLE), association loi 1901 … »
    r"(?:\b[Ll]['’]association\s+|^)(?P<asso>[A-ZÀ-Þ«][^,()]{2,80}?)\s*(?:\((?P<sigle>[A-Z0-9][\w'-]{1,12})\))?\s*,\s*"
    r"(?:une\s+)?association\s+(?:(?:de\s+)?loi\s+(?:du\s+1er\s+juillet\s+)?1901|déclarée|régie)"
)
_CONTACT = re.compile(
    r"\b(?:joindre|joignable|contacter|renseignement|interlocut|r[ée]f[ée]rent|suivi|confi[ée])", re.I
)
_RETURN_TO = re.compile(
    r"\b(?:[àa]\s+(?:retourner|renvoyer|adresser|transmettre)|retour\s+(?:avant|au\s+plus\s+tard))\b", re.I
)
# « Je soussignée Chantal VERMEULEN, agissant en qualité de présidente de l'association X (sigle : Y), … »
_UNDERSIGNED = re.compile(
    rf"\bsoussign[ée]+(?:\(e\))?,?\s+(?:M\.|Mme|Monsieur|Madame)?\s*(?P<nom>{_NAME})\s*,\s*(?:agissant\s+)?"
    r"en (?:sa |ma )?qualité de\s+(?P<fonction>[^,]+?)\s+(?:de\s+l['’]|du\s+|de\s+la\s+)association\s+"
    r"(?P<asso>[^,(]+?)\s*(?:\(\s*sigle\s*:?\s*(?P<sigle>[^)]+?)\s*\))?\s*[,.]",
)
_CIVIL_NAME = re.compile(
    r"\b(?:M\.|Mme|Monsieur|Madame)?\s*(?P<nom>[A-ZÀ-Þ][\w'’-]+(?:[ -][A-ZÀ-Þ][\w'’-]+)?\s+[A-ZÀ-Þ]{2,}[\w'’-]*)"
    r"\s*(?:,\s*(?P<fonction>[^,(]+?)\s*[,(]|\((?P<fonction2>[^)]+)\))"
)
_ASKING_CPO = re.compile(r"\b(?:sollicit|demand|souhait)\w*\b.*\b(?:convention pluriannuelle|cpo)\b", re.I)
_REFUSING_CPO = re.compile(
    r"\b(?:sans|pas de|aucune|ne\s+\w+\s+pas)\b[^.;]{0,40}\b(?:convention pluriannuelle|cpo)\b", re.I
)
_ACCOUNTING = re.compile(
    r"\b(?:rendrons compte|rendra compte)\s+(?:à travers|par|au moyen d[eu']|avec)\s+(?P<what>.+?)\.?$", re.I
)


@dataclass
class Prose:
    """What a letter's sentences gave: header fields, fields, and lines for the section parsers."""

    entete: dict[str, Valeur] = field(default_factory=dict)
    champs: dict[str, Valeur] = field(default_factory=dict)
    content: dict[str, list[Entry]] = field(default_factory=dict)
    actions: list[ActionBrute] = field(default_factory=list)


def read_prose(units: tuple[Unit, ...], ref: Referentiel) -> Prose:
    """Read the sentences of a letter's body, up to its closing formula."""
    found = Prose()
    ambitions = sorted((n for n in ambition_names(ref) if len(n) > 5), key=len, reverse=True)
    quarters = [normalise(n) for q in ref.quartiers.quartiers for n in (q.nom, *q.alias) if len(n) > 3]
    begun = False  # a letter's date line stands before its body: only a closing after the body ends it
    boxes = cards(units)  # a box of paragraphs (« ELSA en bref ») is prose too
    for unit in units:
        if is_running(unit) or (unit.table is not None and unit.table not in boxes):
            continue
        if is_closing(unit.text) and begun:
            break
        if action := _action(unit):
            found.actions.append(action)
            begun = True
            continue
        for sentence in _SENTENCE.split(unit.text.strip()):
            words = sentence.split()
            if len(words) >= MIN_SENTENCE_WORDS and sum(w[:1].islower() for w in words) * 3 >= len(words):
                begun = begun or sentence.rstrip().endswith((".", "!", "?"))  # prose, not an address line
                _sentence(sentence, unit, ref, (ambitions, quarters), found)
    return found


def _sentence(text: str, unit: Unit, ref: Referentiel, names: tuple[list[str], list[str]], found: Prose) -> None:
    ambitions, quarters = names
    lieu = Lieu("texte", unit.where, Certitude.DEDUITE)
    entry = Entry(text, unit)
    norm = f" {normalise(text)} "
    if presided := _PRESIDED.search(text):
        name = next(presided.group(f"nom{n}") for n in ("", 2, 3, 4, 5) if presided.group(f"nom{n}"))
        said = next(presided.group(f"title{n}") for n in ("", 2, 3, 4, 5) if presided.group(f"title{n}")).lower()
        title = "Présidente" if said.endswith("e") else "Président"
        found.entete.setdefault("representant_legal_nom", Valeur(person_name(name), lieu))
        found.entete.setdefault("representant_legal_fonction", Valeur(title, lieu))
    if undersigned := _UNDERSIGNED.search(text):
        for key, group in (("representant_legal_nom", "nom"), ("representant_legal_fonction", "fonction")):
            value = person_name(undersigned.group(group)) if group == "nom" else undersigned.group(group).strip()
            found.entete.setdefault(key, Valeur(value, lieu))
        found.entete.setdefault("association_nom", Valeur(undersigned.group("asso").strip(), lieu))
        if undersigned.group("sigle"):
            found.entete.setdefault("sigle", Valeur(undersigned.group("sigle"), lieu))
    if declared := _DECLARED.search(text):
        found.entete.setdefault("association_nom", Valeur(declared.group("asso").strip(), lieu))
        if declared.group("sigle"):
            found.entete.setdefault("sigle", Valeur(declared.group("sigle"), lieu))
    if _CONTACT.search(text) and (EMAIL.search(text) or PHONE.search(text)):
        if not _RETURN_TO.search(text):  # « À retourner … à coeurdequartier@… – renseignements : … »: the CUA's
            _contact(text, lieu, found)
        return
    if any(f" {q} " in norm for q in quarters) and not _CODES.search(text):
        found.content.setdefault("quartiers_intervention", []).append(entry)
    if _CODES.search(text):
        found.content.setdefault("objectifs", []).append(entry)
    if any(f" {a} " in norm for a in ambitions):
        found.content.setdefault("ambitions", []).append(entry)
    if clauses := values.commitment_clauses(text):
        _commitments(clauses, entry, ref, found)
    if _REFUSING_CPO.search(text):  # « sans demande de convention pluriannuelle à ce stade »
        found.champs.setdefault("demande_cpo", Valeur("non", lieu))
    elif _ASKING_CPO.search(text):
        found.champs.setdefault("demande_cpo", Valeur("oui", lieu))
        if years := values.years(text):
            found.champs.setdefault("duree_cpo_annees", Valeur(years, lieu))
    if accounting := _ACCOUNTING.search(text):
        what = re.sub(r"\s*(?:,|\bet\b)\s*(?:l['’]|les?\s+|la\s+)?", " ; ", accounting.group("what"))
        found.content.setdefault("indicateurs_suivi", []).append(
            Entry(re.sub(r"^(?:l['’]|les?\s+|la\s+)", "", what), unit)
        )


_CODES = re.compile(r"\b\d\s?[A-G]\s*«")  # « 2B « Développer … » »: a code quoting its label


def _contact(text: str, lieu: Lieu, found: Prose) -> None:
    """« Pour tout renseignement, vous pouvez joindre M. Julien DEBAISIEUX, animateur nature, au … »."""
    if person := _CIVIL_NAME.search(text):
        found.entete.setdefault("referent_nom", Valeur(person_name(person.group("nom")), lieu))
        function = (person.group("fonction") or person.group("fonction2") or "").strip()
        if function and not EMAIL.search(function) and not PHONE.search(function):
            found.entete.setdefault("referent_fonction", Valeur(function, lieu))
    if email := EMAIL.search(text):
        found.entete.setdefault("referent_courriel", Valeur(email.group(0).rstrip("."), lieu))
    if phone := PHONE.search(text):
        found.entete.setdefault("referent_telephone", Valeur(phone.group(0).strip(), lieu))


def _commitments(clauses: list[str], entry: Entry, ref: Referentiel, found: Prose) -> None:
    """Each clause a standard commitment, ticked; one that names none is the association's own."""
    standards = ref.association.engagements_standards
    for clause in clauses:
        best = max(standards, key=lambda e: similarity(clause, e.libelle))
        if similarity(clause, best.libelle) >= COMMITMENT_LIKENESS:
            found.content.setdefault("engagements", []).append(Entry(f"☒ {best.libelle}", entry.unit))
        elif clause:
            found.champs.setdefault(
                "autres_engagements", Valeur(clause, Lieu("texte", entry.unit.where, Certitude.DEDUITE))
            )


_MONTH = (
    r"(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)"
)
_TITLE = re.compile(r"«\s*(?P<title>[^»]{3,80}?)\s*»")
_WHAT = re.compile(
    r"»\s*(?::|,?\s*(?:propose|consiste en|organise|met en place|offre|prévoit))\s+(?:des\s+|de\s+|d['’]|un\s+|une\s+)?"
    r"(?P<what>[^.]+)",
    re.I,
)
_FOR_WHOM = re.compile(
    r"\b(?:s['’]adresse\s+(?:aux|au|à la|à l['’]|à)|vise\s+(?:les|la|le|l['’]))\s*(?P<who>[^,;:.]+)", re.I
)
_HOW_MANY = re.compile(
    r"\b(?P<n>\d{1,4})\s+(?:personnes|participant(?:e)?s|bénéficiaires|jeunes|familles|enfants|habitant(?:e)?s|"
    r"femmes|adultes|seniors|élèves|foyers)\b"
)
_WHEN = re.compile(rf"\b(?:de|d['’])\s*(?P<when>{_MONTH}(?:\s+\d{{4}})?\s+(?:à|au)\s+{_MONTH}\s+\d{{4}})", re.I)
_FUNDED = re.compile(
    r"\b(?:par|pour elle|sollicitons[^,]*?|et)\s+(?:la |le |l['’]|les )?(?P<who>[A-ZÉ][^()€]{2,60}?)\s*"
    r"(?:\(\s*|pour\s+)(?P<amount>\d[\d \u00a0\u202f.]*(?:,\d{1,2})?\s*€)"
)


_FOR_WHOM_FIRST = re.compile(r"^(?:pour|auprès d)\s*(?P<who>(?:les|des|l['’]|la|le)\s+[^,;:.]+)", re.I)


def told(text: str, lieu: Lieu) -> ActionBrute | None:
    """An action told after its label: « Action : Café des femmes. Un après-midi par semaine … Pour les
    femmes du quartier, environ 30 participantes, de janvier à décembre 2025. Financé par la CAF (2 400 €)
    et le Département (1 000 €). »: its title, then what the sentences say."""
    sentences = _SENTENCE.split(text.strip())
    if len(sentences) < 2 or len(sentences[0].split()) > MAX_TITLE_WORDS:
        return None
    champs = {
        "intitule": Valeur(sentences[0].rstrip(" ."), lieu),
        "description": Valeur(sentences[1].rstrip(" ."), lieu),
    }
    rows: list[Ligne] = []
    for sentence in sentences[2:]:
        if (who := _FOR_WHOM_FIRST.match(sentence) or _FOR_WHOM.search(sentence)) and "public_vise" not in champs:
            champs["public_vise"] = Valeur(who.group("who").strip(), lieu)
        if (many := _HOW_MANY.search(sentence)) and "beneficiaires_prevus" not in champs:
            champs["beneficiaires_prevus"] = Valeur(many.group("n"), lieu)
        if (when := _WHEN.search(sentence)) and "periode" not in champs:
            champs["periode"] = Valeur(when.group("when"), lieu)
        rows += [
            {"financeur": Valeur(f.group("who").strip(), lieu), "montant": Valeur(f.group("amount").strip(), lieu)}
            for f in _FUNDED.finditer(sentence)
        ]
    return ActionBrute(champs, tuple(rows))


MAX_TITLE_WORDS = 8


def _action(unit: Unit) -> ActionBrute | None:
    """An action told in a paragraph: « Notre première action, « Potager partagé », propose des
    ateliers … ; elle s'adresse aux familles … : nous prévoyons d'accueillir 35 personnes de mars à
    novembre 2025. Elle est cofinancée par la CUA (2 500 €) … »."""
    text = unit.text.strip()
    title, what = _TITLE.search(text), _WHAT.search(text)
    if title is None or what is None or what.start() > title.end() + 1:
        return None
    lieu = Lieu("texte", unit.where, Certitude.DEDUITE)
    champs = {"intitule": Valeur(title.group("title"), lieu), "description": Valeur(what.group("what").strip(), lieu)}
    if who := _FOR_WHOM.search(text):
        public = re.sub(r"\s+et\s+(?:aux|au|à la|à l['’])\s*", " et ", who.group("who").strip())
        champs["public_vise"] = Valeur(public[:1].upper() + public[1:], lieu)
    if many := _HOW_MANY.search(text):
        champs["beneficiaires_prevus"] = Valeur(many.group("n"), lieu)
    if when := _WHEN.search(text):
        champs["periode"] = Valeur(when.group("when"), lieu)
    rows: list[Ligne] = [
        {"financeur": Valeur(f.group("who").strip(), lieu), "montant": Valeur(f.group("amount").strip(), lieu)}
        for f in _FUNDED.finditer(text[what.end() :])
    ]
    return ActionBrute(champs, tuple(rows))
