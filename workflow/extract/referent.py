"""Read the signatory and its referent wherever a partner wrote them: one line holding name,
function, e-mail and phone, a sentence of a letter, the organisation named only in a title."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import takewhile

from workflow.answers import Certitude, Lieu, Valeur
from workflow.extract.anchors import EMAIL, PHONE, Anchor, is_closing, is_running
from workflow.extract.splitting import looks_like_name, person_name
from workflow.parsers.base import Unit
from workflow.referentiel import Referentiel
from workflow.referentiel.model import Signataire
from workflow.text import normalise

_PARTS = re.compile(r"\s+[—–-]\s+|\s*;\s*|\s*\|\s*|\s+·\s+|\s*\n\s*")
# « … notre référente : X », « désigne comme référente de la fiche auprès de la CUA : X »
_REFERENT_IN_PROSE = re.compile(
    r"r[ée]f[ée]rent(?:e)?(?:\s+(?:de la fiche|du dossier|pour|aupr[èe]s)\b[^:.]{0,60}?)?\s*(?:est|:)\s*(?P<rest>.+)$",
    re.I,
)


_NAMED_REFERENT = re.compile(
    r"(?P<who>(?:M\.|Mme|Monsieur|Madame)\s+[^.:;]+?),?\s+est\s+(?:la|le|l['’])\s*r[ée]f[ée]rente?\b[^:]{0,60}:\s*"
    r"(?P<rest>.+)$"
)
_SENTENCE_END = re.compile(r"(?<=[a-zà-ÿ0-9])\.\s+(?=[A-ZÀ-Þ])")  # « … 06 42 18 73 05. Elle succède … »
_NAME_THEN_FUNCTION = re.compile(
    r"^(?:(?:M\.|Mme|Mlle|Monsieur|Madame)\s+)?(?P<nom>[A-ZÀ-Þ][a-zà-ÿ'’-]+(?:[ -][A-ZÀ-Þ][a-zà-ÿ'’-]+)?\s+"
    r"[A-ZÀ-Þ]{2,}(?:[ -][A-ZÀ-Þ]{2,})*)\s+(?P<fonction>[A-ZÀ-Þ][a-zà-ÿ'’-]+(?:\s+\S+){0,10})$"
)


_ADDRESSEE = re.compile(r"^\s*(?:Monsieur|Madame|Mesdames|Messieurs)\s+(?:l[ea]|les)\b", re.I)


def is_addressee(text: str) -> bool:
    """« Monsieur le Vice-Président, »: whom a letter is written to, never its referent."""
    return bool(_ADDRESSEE.match(text))


def split_referent(entete: dict[str, Valeur]) -> dict[str, Valeur]:
    """Split « Nadia Leroy, chargée de mission — nadia@… — 03 … » written as the referent's name, and
    an e-mail or phone field holding more than its value."""
    return _contact_tails(entete) | _split_name(entete)


def _split_name(entete: dict[str, Valeur]) -> dict[str, Valeur]:
    value = entete.get("referent_nom")
    if value is None:
        return {}
    if said := _REFERENT_IN_PROSE.search(" ".join(value.texte.split())):  # « Le CODIR désigne comme référente : X »
        value = Valeur(_SENTENCE_END.split(said.group("rest"))[0].strip(" ."), value.lieu)
    several = EMAIL.search(value.texte) or PHONE.search(value.texte) or _PARTS.search(value.texte)
    if not several and not ("," in value.texte and "referent_fonction" not in entete):
        if (joined := _NAME_THEN_FUNCTION.match(value.texte.strip())) and "referent_fonction" not in entete:
            return {  # « Hélène CARPENTIER Coordinatrice jeunesse » : a PDF joined the function's line to the name
                "referent_nom": Valeur(person_name(joined.group("nom")), value.lieu),
                "referent_fonction": Valeur(joined.group("fonction"), value.lieu),
            }
        return {"referent_nom": Valeur(person_name(value.texte), value.lieu)}
    parts = _contact_parts(value.texte, value.lieu)
    return {k: v for k, v in parts.items() if k == "referent_nom" or k not in entete}


def _contact_tails(entete: dict[str, Valeur]) -> dict[str, Valeur]:
    """« a.ducrocq@… – 03 21 71 42 05 » under the e-mail's label: the address, and the phone if none
    was given; « 03 21 71 52 06) »: the number alone."""
    found: dict[str, Valeur] = {}
    if (mail := entete.get("referent_courriel")) and (email := EMAIL.search(mail.texte)):
        found["referent_courriel"] = Valeur(email.group(0), mail.lieu)
        if (phone := PHONE.search(mail.texte)) and not entete.get("referent_telephone"):
            found["referent_telephone"] = Valeur(phone.group(0).strip(), mail.lieu)
    if (tel := entete.get("referent_telephone")) and (phone := PHONE.search(tel.texte)):
        found.setdefault("referent_telephone", Valeur(phone.group(0).strip(), tel.lieu))
    return {k: v for k, v in found.items() if v.texte != getattr(entete.get(k), "texte", None)}


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
    rest = re.sub(r"\(\s*[-–—,;]?\s*\)", " ", rest)  # « (laure.vandamme@… – 03 …) » once read
    pieces = [p.strip(" ,.;:—–-") for p in _PARTS.split(rest)]
    pieces = [p for p in pieces if p]
    if pieces:
        name, _, function = pieces[0].partition(",")
        found["referent_nom"] = Valeur(person_name(name.strip()), sure)
        function = function.strip() or (pieces[1] if len(pieces) > 1 else "")
        function = _WORKPLACE.sub("", function)  # « chef de projet …, Maison du Département Solidarité de … »
        if function:
            found["referent_fonction"] = Valeur(function.strip(" ,."), sure)
    return found


_WORKPLACE = re.compile(
    r",\s*(?:maison|direction|service|p[ôo]le|agence|mairie|h[ôo]tel|d[ée]l[ée]gation|centre|antenne|unit[ée])\b.*$",
    re.I,
)


def contact_in_prose(units: tuple[Unit, ...], anchors: list[Anchor]) -> dict[str, Valeur]:
    """Read the referent where a letter gives it: a sentence (« … notre référente : Nadia Leroy, … —
    mél — tél »), a contact box before the questions (« @ … », « ☎ … »), or the signature block
    after the closing formula; marked deduced."""
    questions = [a.index for a in anchors if a.is_question]
    first = min(questions, default=len(units))
    for unit in units[:first]:
        text = " ".join(unit.text.split())  # a PDF cell's lines, one sentence
        if named := _NAMED_REFERENT.search(text):  # « Mme X, responsable …, est la référente de la fiche : … »
            text = f"référente : {named.group('who')}, {named.group('rest')}"
        match = _REFERENT_IN_PROSE.search(text)
        if match and EMAIL.search(rest := _SENTENCE_END.split(match.group("rest"))[0]):
            where = Lieu("texte", unit.where, Certitude.DEDUITE)
            return _contact_parts(rest.strip(" ."), where)
    found = _details(u for u in units[:first] if not _is_mail_header(u.text))
    signed = signature_contact(units, max(questions, default=0))
    if "referent_nom" in signed:  # the person who signs, with their own phone and address
        return _sender_address(units[:first], signed) | found | signed
    return found | {k: v for k, v in signed.items() if k not in found}


_SENDER = re.compile(r"^\s*(?:de|from)\s*:\s*(?P<name>[^<]+?)\s*<(?P<email>[^>\s]+@[^>\s]+)>", re.I)


def _sender_address(units: Iterable[Unit], signed: dict[str, Valeur]) -> dict[str, Valeur]:
    """The address of a pasted e-mail's sender (« De : Sophie MARTEL <s.martel@…> ») when the same
    person signs it."""
    for unit in units:
        if (match := _SENDER.match(unit.text)) and normalise(person_name(match.group("name"))) == normalise(
            signed["referent_nom"].texte
        ):
            return {"referent_courriel": Valeur(match.group("email"), Lieu("texte", unit.where, Certitude.DEDUITE))}
    return {}


def _is_mail_header(text: str) -> bool:
    """« De : … », « À : … », « Cc : … » lines of a forwarded e-mail name its sender and receivers."""
    return bool(re.match(r"^\s*(?:de|à|a|cc|cci|objet|envoyé|date|from|to|sent|subject)\s*:", text, re.I))


# a switchboard's or a secretariat's number, not the referent's own
_SWITCHBOARD = re.compile(r"^\s*(?:accueil|standard|secr[ée]tariat|fax|t[ée]l[ée]copie|si[èe]ge)\b", re.I)


def _details(units: Iterable[Unit]) -> dict[str, Valeur]:
    """The first e-mail address and phone number standing in some units (deduced)."""
    found: dict[str, Valeur] = {}
    for unit in units:
        # « mél – tél. direct … »: the address and the number are no words of a sentence
        bare = PHONE.sub(" ", EMAIL.sub(" ", unit.text)) if EMAIL.search(unit.text) else unit.text
        if len(bare.split()) > MAX_CONTACT_WORDS:  # a sentence (« à retourner à … avant le … »)
            continue
        if _SWITCHBOARD.match(unit.text):
            continue
        where = Lieu("texte", unit.where, Certitude.DEDUITE)
        if "referent_courriel" not in found and (email := EMAIL.search(unit.text)):
            found["referent_courriel"] = Valeur(email.group(0), where)
        if "referent_telephone" not in found and (phone := PHONE.search(unit.text)):
            found["referent_telephone"] = Valeur(phone.group(0).strip(), where)
    return found


def contact_lines(units: tuple[Unit, ...], start: int) -> dict[str, Valeur]:
    """The e-mail and phone on the lines right after a referent's name (« mél – tél » under it)."""
    block = list(takewhile(lambda u: bool(EMAIL.search(u.text) or PHONE.search(u.text)), units[start : start + 2]))
    return _details(block)


def function_below(units: tuple[Unit, ...], index: int) -> dict[str, Valeur]:
    """The referent's function on the short line under « Affaire suivie par : Mme Hélène CARPENTIER »
    (the same cell, or the next paragraph), when it holds no label, address or number."""
    if index + 1 >= len(units):
        return {}
    here, below = units[index], units[index + 1]
    text = below.text.strip()
    if (below.table, below.row, below.col) != (here.table, here.row, here.col) or not text or ":" in text:
        return {}
    if len(text.split()) > MAX_CONTACT_WORDS or EMAIL.search(text) or PHONE.search(text) or looks_like_name(text):
        return {}
    if is_addressee(text):
        return {}
    return {"referent_fonction": Valeur(text, Lieu("texte", below.where, Certitude.DEDUITE))}


MAX_SIGNATURE_LINES = 8
MAX_CONTACT_WORDS = 8


_ORGANISATION_AFTER = re.compile(
    r"(?<=[a-zà-ÿ])\s+(?=(?:Commissariat|Préfecture|Sous-préfecture|Direction|Mairie|Hôtel de ville|Communauté|"
    r"Conseil|Département|Caisse|Agence|Délégation|Maison|Association|Centre|Ville|Service)\b)"
)


def signature_contact(units: tuple[Unit, ...], after: int) -> dict[str, Valeur]:
    """Read the signature block after a closing formula: a person's name, the line under it as their
    function, then a phone and an e-mail."""
    start = next((i for i in range(after, len(units)) if is_closing(units[i].text)), None)
    if start is None:
        return {}
    block = [u for u in units[start + 1 : start + 1 + MAX_SIGNATURE_LINES] if u.text.strip() and not is_running(u)]
    block = block[: next((n for n, u in enumerate(block) if u.text.startswith("-----")), len(block))]
    found = _details(block)
    for n, unit in enumerate(block):
        text = unit.text.strip().rstrip(",")
        if looks_like_name(text) and not EMAIL.search(text):
            where = Lieu("texte", unit.where, Certitude.DEDUITE)
            found["referent_nom"] = Valeur(person_name(text), where)
            nxt = block[n + 1].text.strip().rstrip(",") if n + 1 < len(block) else ""
            if nxt and not (EMAIL.search(nxt) or PHONE.search(nxt) or ":" in nxt):
                nxt = _ORGANISATION_AFTER.split(nxt, maxsplit=1)[0]  # a PDF joined the organisation's line to it
                found["referent_fonction"] = Valeur(nxt, Lieu("texte", block[n + 1].where, Certitude.DEDUITE))
            break
    return found


def signatory_named(units: tuple[Unit, ...], ref: Referentiel) -> Valeur | None:
    """Find the signatory a document's first lines or page header name (a logo line, a letter's
    subject): the first line naming one, its longest name; e-mail and web addresses left out. Every
    answer is addressed to the Communauté Urbaine: it counts only in the first lines. Deduced."""
    names = sorted(
        ((normalise(n), s) for s in ref.signataires.signataires for n in (s.nom, *s.alias) if len(n) >= 3),
        key=lambda n: -len(n[0]),
    )
    head = [u for u in units if u.where.startswith("en-tête")] + [u for u in units if u.text.strip()][:8]
    texts = [(u, f" {normalise(_ADDRESS.sub(' ', u.text))} ") for u in head if not _RECIPIENTS.match(u.text)]
    for unit, text in texts:  # « ce support tient lieu de fiche d'engagement de l'ARS »: the author said
        for norm, signataire in names:
            if re.search(rf" engagements? (?:de la |de l |du |des |de |d ){re.escape(norm)} ", text):
                return _named(signataire, unit)
    for n, (unit, text) in enumerate(texts):
        for norm, signataire in names:
            if f" {norm} " not in text:
                continue
            if signataire.id == RECEIVER and n >= 3 and not unit.where.startswith("en-tête"):
                text = text.replace(f" {norm} ", " ")  # « … de la Communauté Urbaine d'Arras » names no Ville d'Arras
                continue
            return _named(signataire, unit)
    return None


def _named(signataire: Signataire, unit: Unit) -> Valeur:
    return Valeur(signataire.nom, Lieu("texte", f"{unit.where} (nom du signataire)", Certitude.DEDUITE))


RECEIVER = "cua"  # the contract's owner, to whom every form is returned
_RECIPIENTS = re.compile(r"^\s*(?:à|a|cc|cci|to)\s*:", re.I)  # a pasted e-mail's receivers, not its author
_ADDRESS = re.compile(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+|\S+\.(?:fr|org|com|gouv)\b")
