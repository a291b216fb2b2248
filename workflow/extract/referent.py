"""Read the signatory and its referent wherever a partner wrote them: one line holding name,
function, e-mail and phone, a sentence of a letter, the organisation named only in a title."""

from __future__ import annotations

import re

from workflow.answers import Certitude, Lieu, Valeur
from workflow.extract.anchors import Anchor
from workflow.extract.splitting import person_name
from workflow.parsers.base import Unit
from workflow.referentiel import Referentiel
from workflow.text import normalise

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+33\s?|0)\d(?:[\s.]?\d{2}){4}\b|\b\d{2}\s\d{2}\b(?=\s*$)")
_PARTS = re.compile(r"\s+[—–-]\s+|\s*;\s*|\s*\|\s*")
_REFERENT_IN_PROSE = re.compile(r"r[ée]f[ée]rent(?:e)?\s*(?:est|:)\s*(?P<rest>.+)$", re.I)


def split_referent(entete: dict[str, Valeur]) -> dict[str, Valeur]:
    """Split « Nadia Leroy, chargée de mission — nadia@… — 03 … » written as the referent's name."""
    value = entete.get("referent_nom")
    if value is None or not (EMAIL.search(value.texte) or PHONE.search(value.texte) or _PARTS.search(value.texte)):
        return {}
    parts = _contact_parts(value.texte, value.lieu)
    return {k: v for k, v in parts.items() if k == "referent_nom" or k not in entete}


def _contact_parts(text: str, where: Lieu) -> dict[str, Valeur]:
    """Return name, function, e-mail and phone found in one line of contact details."""
    sure = Lieu(where.methode, where.detail, Certitude.STRUCTUREE if where.methode != "texte" else None)
    found: dict[str, Valeur] = {}
    rest = text
    if email := EMAIL.search(rest):
        found["referent_courriel"] = Valeur(email.group(0), sure)
        rest = rest.replace(email.group(0), " ")
    if phone := PHONE.search(rest):
        found["referent_telephone"] = Valeur(phone.group(0).strip(), sure)
        rest = rest.replace(phone.group(0), " ")
    pieces = [p.strip(" ,.;:—–-") for p in _PARTS.split(rest)]
    pieces = [p for p in pieces if p]
    if pieces:
        name, _, function = pieces[0].partition(",")
        found["referent_nom"] = Valeur(person_name(name.strip()), sure)
        function = function.strip() or (pieces[1] if len(pieces) > 1 else "")
        if function:
            found["referent_fonction"] = Valeur(function.strip(" ,."), sure)
    return found


def contact_in_prose(units: tuple[Unit, ...], anchors: list[Anchor]) -> dict[str, Valeur]:
    """Read the referent from a letter's sentence (« … notre référente : Nadia Leroy, … — mél — tél »)
    before the first question; marked deduced."""
    first = min((a.index for a in anchors if a.is_question), default=len(units))
    for unit in units[:first]:
        match = _REFERENT_IN_PROSE.search(unit.text)
        if match and EMAIL.search(match.group("rest")):
            where = Lieu("texte", unit.where, Certitude.DEDUITE)
            return _contact_parts(match.group("rest").strip(" ."), where)
    return {}


def signatory_named(units: tuple[Unit, ...], ref: Referentiel) -> Valeur | None:
    """Find a signatory named in the document's first lines or its page header (a logo line, a letter's
    subject): the partner whose name comes first; deduced, for review."""
    names = sorted(
        ((normalise(n), s.nom) for s in ref.signataires.signataires for n in (s.nom, *s.alias) if len(n) >= 3),
        key=lambda n: -len(n[0]),
    )
    head = [u for u in units if u.text.strip()][:8] + [u for u in units if u.where.startswith("en-tête")]
    for unit in head:
        text = f" {normalise(unit.text)} "
        for norm, name in names:
            if f" {norm} " in text:
                return Valeur(name, Lieu("texte", f"{unit.where} (nom du signataire)", Certitude.DEDUITE))
    return None
