"""Identity facts an association prints without a label: its name in the page header, its SIRET, RNA
number and address in the footer, its legal representative in the signature (« La Présidente,
Françoise LEROUX »). Read only for fields no label gave, and marked deduced."""

from __future__ import annotations

import re
from collections.abc import Callable

from workflow.answers import Certitude, Lieu, Valeur
from workflow.extract import association_values as values
from workflow.extract.association_fields import RNA, SIGLE, SIRET
from workflow.extract.splitting import looks_like_name, person_name
from workflow.parsers.base import Unit

_STREET = r"(?:rue|avenue|av\.|place|boulevard|bd|chemin|all[ée]e|impasse|route|square|cit[ée]|r[ée]sidence|quai|cours)"
_ADDRESS = re.compile(
    rf"(?P<rue>\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+{_STREET}\b[^–—,;|·\d]*?)\s*[,–—·-]?\s*(?P<cp>\d{{5}})\s+"
    r"(?P<commune>[A-ZÀ-Þ][\w'’-]*(?:[ -][A-ZÀ-Þa-zà-ÿ][\w'’-]*){0,4}?)"
    r"(?=\s*(?:[–—,;|(·]|-\s|$|T[ée]l|SIRE[TN]\b|RNA\b))",
    re.I,
)
_STREET_LINE = re.compile(rf"^\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+{_STREET}\b[^\d]{{2,60}}$", re.I)
_TOWN_LINE = re.compile(r"^(?P<cp>\d{5})\s+(?P<commune>[A-ZÀ-Þ][\w'’ -]{1,40}?)(?:\s+cedex\b.*)?$", re.I)
_LETTERHEAD = re.compile(r"\bassociation\b|\bSIRE[TN]\b|\bRNA\b|\bW\d{9}\b", re.I)
_DOCUMENT_TITLE = re.compile(  # « CHARTE D'ENGAGEMENT » over « Projet proposé par l'association »: no name
    r"^(?:charte|fiche|dossier|formulaire|demande|questionnaire|convention|projet|contrat|bilan|compte[- ]rendu|"
    r"note|courrier|annexe|appel|candidature|réponse|reponse)\b",
    re.I,
)
_LEGAL_TITLE = re.compile(r"^(?:(?:le|la)\s+)?(?P<title>(?:co-?)?pr[ée]sidente?)\b\s*[,:]?\s*(?P<rest>.*)$", re.I)


def unlabelled_identity(units: tuple[Unit, ...], known: dict[str, Valeur]) -> dict[str, Valeur]:
    """Return the identity fields read from their shape, for those `known` lacks."""
    found: dict[str, Valeur] = {}

    def put(key: str, text: str, unit: Unit) -> None:
        if text and not known.get(key) and key not in found:
            found[key] = Valeur(text, Lieu("texte", unit.where, Certitude.DEDUITE))

    for unit, below in zip(units, (*units[1:], None), strict=True):
        if (
            below is not None
            and _STREET_LINE.match(unit.text.strip())
            and (town := _TOWN_LINE.match(below.text.strip()))
        ):
            put("adresse", unit.text.strip(), unit)  # « 14 rue Georges Brassens » over « 62000 Arras »
            put("code_postal", town.group("cp"), below)
            put("commune", town.group("commune"), below)
        if siret := SIRET.search(unit.text):
            put("siret", siret.group(0), unit)
        if rna := RNA.search(unit.text):
            put("rna", rna.group(0).replace(" ", ""), unit)
        if address := _ADDRESS.search(unit.text):
            put("adresse", re.sub(r"\s+à$", "", address.group("rue").strip(" ,–-")), unit)  # « … Baudimont à 62000 »
            put("code_postal", address.group("cp"), unit)
            put("commune", address.group("commune").strip(), unit)
    if header := next((u for u in units if u.where.startswith("en-tête") and u.text.strip()), None):
        name = re.split(r"\t|\s{2,}(?!\()|\s[|–—]\s", header.text.strip())[0].strip()
        if _could_name(name):
            match = SIGLE.match(name)
            put("association_nom", match.group("nom") if match else name, header)
            if match:
                put("sigle", match.group("sigle"), header)
    body = [u for u in units if u.text.strip() and not u.where.startswith(("en-tête", "pied de page"))][:4]
    if body and body[0].bold and _LETTERHEAD.search(" ".join(u.text for u in body[1:])):
        name = body[0].text.strip()  # a letterhead: the name in bold, then « Association loi 1901 », its SIRET
        if _could_name(name):
            match = SIGLE.match(name)
            put("association_nom", match.group("nom") if match else name, body[0])
            if match:
                put("sigle", match.group("sigle"), body[0])
    _signature(units, put)
    return found


def _could_name(text: str) -> bool:
    """Whether a line printed alone could be the association's name: a few words, no number, no
    document title (« CHARTE D'ENGAGEMENT »), no label (« Entre les soussignés : »)."""
    return 1 < len(text.split()) <= 10 and not re.search(r"\d|@|:$", text) and not _DOCUMENT_TITLE.match(text)


def _signature(units: tuple[Unit, ...], put: Callable[[str, str, Unit], None]) -> None:
    """The legal representative from the signature, when it signs as president: « La Présidente, »
    then the name on the same or the next line."""
    signed = False
    for i, unit in enumerate(units):
        text = unit.text.strip()
        if values.place_and_date(text):
            signed = True
            continue
        nxt = units[i + 1].text.strip() if i + 1 < len(units) else ""
        if signed and looks_like_name(text) and (under := _LEGAL_TITLE.match(nxt)) and not under.group("rest"):
            put("representant_legal_nom", person_name(text), unit)  # « Monique LAGACHE » over « Présidente »
            put("representant_legal_fonction", under.group("title").capitalize(), unit)
            return
        if not signed or not (title := _LEGAL_TITLE.match(text)):
            continue
        rest = title.group("rest").strip(" ,.")
        name = rest if looks_like_name(rest) else (nxt if not rest and looks_like_name(nxt) else "")
        if name:
            put("representant_legal_nom", person_name(name), unit)
            put("representant_legal_fonction", title.group("title").capitalize(), unit)
        return
