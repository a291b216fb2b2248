"""Read the small facts an association writes, whatever their shape: ticks (☒, [x], X, « Oui ☒ Non ☐ »),
funders and amounts in one cell, a place and a date, a signatory's name, a duration in years."""

from __future__ import annotations

import re

from workflow.answers import Ligne, Valeur
from workflow.extract.splitting import person_name
from workflow.ooxml.blocks import CHECKED_GLYPHS, UNCHECKED_GLYPHS
from workflow.text import normalise, number_in_words

_BOX_CHECKED = re.compile(r"^\s*(?:[☒☑✔✓✗✘■▣]|\[\s*[xX✓✔]\s*\]|[xX](?=\s))\s*")
_CROSS = re.compile(r"^\s*[✗✘]")
_CHECK = re.compile(r"^\s*[✓✔]")
_BOX_EMPTY = re.compile(r"^\s*(?:[☐□◻❑]|\[\s*\])\s*")
_YES_NO = re.compile(
    r"(?P<before>[☒☑✔✓■☐□]|\[\s*[xX]?\s*\])?\s*(?P<word>oui|non)\b\s*(?P<after>[☒☑✔✓■☐□]|\[\s*[xX]?\s*\])?", re.I
)
_BOX_THEN_WORD = re.compile(r"(?P<box>[☒☑✔✓■☐□]|\[\s*[xX]?\s*\])\s*(?P<word>oui|non)\b", re.I)
NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}
_YEARS = re.compile(r"\b(\d{1,2}|" + "|".join(NUMBERS) + r")\s*(?:ans?|années?)\b", re.I)
_AMOUNT = re.compile(
    r"(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*(?:k\s*€|k\b|€|euros?|eur\b)?", re.I
)
# « CAF 1 500 € – Ville 2 000 € », « CUA 2 000 € + Région 1 500 € », « … (2 400 €) et le … »
_FUNDING_SPLIT = re.compile(
    r"\s*[;\n]\s*|\s+/\s+|\s+\+\s+|(?<=[€\d])\s+[–—-]\s+(?=\D)|(?<=€)\s+et\s+|(?<=€)\s+(?=[^\W\d])|(?<=€\))\s*,?\s+et\s+|(?<=€\)),\s*|(?<=€),\s*(?=\D)|(?<=€)\s*·\s*"
)
_MONTHS = tuple(
    m.split()
    for m in (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    )
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")  # « 2025-04-07 », as an export writes it
_DATE = re.compile(
    r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:er)?\s+(?:" + "|".join(_MONTHS[0] + _MONTHS[1]) + r")\s+\d{4})", re.I
)
# « le quatorze mars deux mille vingt-six »: a date written out in words
_DATE_IN_WORDS = re.compile(
    r"\b(?P<day>[a-zé]+(?:-[a-zé]+)*|1er)\s+(?P<month>" + "|".join(_MONTHS[0] + _MONTHS[1]) + r")\s+"
    r"(?P<year>deux mille(?:[\s-][a-zé]+)*)",
    re.I,
)
_PLACE_DATE = re.compile(r"^\s*(?:fait\s+[àa]\s*:?\s*)?(?P<lieu>[A-ZÉ][\w'’ -]{1,60}?)\s*,?\s+le\s+(?P<date>.+)$", re.I)
_NAME = re.compile(r"^(?:(?:M\.|Mme|Mlle|Monsieur|Madame)\s+)?(?P<nom>[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+){1,3})$")


def ticked(line: str, crosses_say_no: bool = False) -> bool | None:
    """Whether a line starts with a ticked box (True), an empty one (False), or no box (None);
    `crosses_say_no`: the list also uses ✓, so its ✗ means « no »."""
    if crosses_say_no and _CROSS.match(line):
        return False
    if _BOX_CHECKED.match(line):
        return True
    if _BOX_EMPTY.match(line):
        return False
    return None


def crosses_say_no(lines: list[str]) -> bool:
    """Whether a list marks its items ✓ and ✗: then ✗ is a « no », not a tick."""
    return any(_CHECK.match(t) for t in lines) and any(_CROSS.match(t) for t in lines)


def without_box(line: str) -> str:
    return _BOX_EMPTY.sub("", _BOX_CHECKED.sub("", line, count=1), count=1).strip()


def _mark(glyph: str | None) -> bool | None:
    if not glyph:
        return None
    return glyph[0] in CHECKED_GLYPHS or "x" in glyph.lower()


def yes_no(text: str) -> str:
    """Return "oui", "non" or "": « Oui ☒ Non ☐ », « [X] OUI [ ] NON », « oui – durée : 3 ans »."""
    marks = list(_YES_NO.finditer(text))
    boxed = [m for m in marks if m.group("before") or m.group("after")]
    if boxed:
        glyph_first = bool(re.match(r"^\s*(?:[☒☑✔✓■☐□]|\[)", text))
        if glyph_first:  # « ☐ Oui ☑ Non »: each box before its word
            chosen = [m.group("word").lower() for m in _BOX_THEN_WORD.finditer(text) if _mark(m.group("box"))]
            return chosen[0] if len(chosen) == 1 else ""
        for m in boxed:
            state = _mark(m.group("before") if glyph_first else m.group("after") or m.group("before"))
            if state:
                return m.group("word").lower()
        return ""
    capitals = {m.group("word").lower() for m in marks if m.group("word").isupper()}
    if len(marks) >= 2 and len(capitals) == 1 and len({m.group("word").lower() for m in marks}) == 2:
        return capitals.pop()  # « OUI / non »: the chosen word written in capitals
    first = normalise(text).split()[:1]
    return first[0] if first and first[0] in ("oui", "non") else ""


_CLOSED = re.compile(r"^(?P<head>.+?)\s*\?\s*(?P<tail>(?:\[\s*[xX✓✔]?\s*\]|[☐☒☑□■]|oui\b|non\b|[\s/–-])+)$", re.I)


def closed_answer(text: str) -> tuple[str, bool] | None:
    """Read « Quartier Quatre As ? [X] OUI [ ] NON » or « … ? OUI / non » as (what is asked, whether chosen)."""
    match = _CLOSED.match(text.strip())
    if (
        not match
        or not re.search(r"oui", match.group("tail"), re.I)
        or not re.search(r"non", match.group("tail"), re.I)
    ):
        return None
    answer = yes_no(match.group("tail"))
    return (match.group("head").strip(), answer == "oui") if answer else None


def has_boxes(text: str) -> bool:
    return any(c in CHECKED_GLYPHS or c in UNCHECKED_GLYPHS for c in text) or bool(re.search(r"\[\s*[xX]?\s*\]", text))


def years(text: str) -> str:
    """Return the number of years a text gives (« 3 ans », « trois ans », « 4 »), as digits, or ""."""
    match = _YEARS.search(text)
    if match:
        word = match.group(1).lower()
        return str(NUMBERS.get(word, word))
    bare = text.strip(" .")
    return bare if bare.isdigit() else ""


def funders(value: Valeur) -> list[Ligne]:
    """ "CAF : 1 500 € ; Ville d'Arras : 2 000 €" or "Région : 2 000 € / CAF : 900 €" → one row per funder."""
    rows = []
    text = value.texte if re.search(r";|\s/\s", value.texte) is None else value.texte.replace("\n", " ")
    text = re.sub(r"\s+[–—-]\s+montant\s*:\s*", " : ", text, flags=re.I)  # « CAF – Montant : 3 000,00 € »
    for part in _FUNDING_SPLIT.split(text):
        part = part.strip(" .")
        if not part or normalise(part).startswith("total"):
            continue
        head, colon, amount = part.rpartition(":")
        if not colon:
            found = list(_AMOUNT.finditer(part))
            found = [
                f for f in found if re.search(r"€|eur|k\b", f.group(0), re.I) or not _in_brackets(part, f.start())
            ]  # « (BOP 147) »
            head, amount = (part[: found[-1].start()], found[-1].group(0)) if found else (part, "")
        head = _AMOUNT_LEAD.sub("", head.strip(" -–—:("))  # « Ville d'Arras (1 200 €) », « CUA à hauteur de 2 500 € »
        if giving := _GIVES.match(head):  # « La CUA donne 2 000 euros. »
            head = giving.group("who")
        amount = amount.strip(" )")
        blank = re.search(r"…|\.{3}|_{3}", head) and not amount  # « ……… à hauteur de ……… € » left as printed
        if head and not blank and not own_money(head):
            rows.append({"financeur": Valeur(head, value.lieu), "montant": Valeur(amount.strip(), value.lieu)})
    return rows


def _in_brackets(text: str, at: int) -> bool:
    return text.count("(", 0, at) > text.count(")", 0, at)


_GIVES = re.compile(
    r"^(?:(?:la|le|les)\s+|l['’])?(?P<who>.+?)\s+(?:nous\s+)?(?:donne|donnent|verse|versent|apporte|apportent)\s*$",
    re.I,
)
_AMOUNT_LEAD = re.compile(r"\s+(?:[àa] hauteur d['’]?e?|pour un montant d['’]?e?|pour|soit)\s*$", re.I)
_NOT_FUNDING = re.compile(  # « le reste par les cotisations », the association's own money: no cofinancement
    r"(?:le reste|le solde|reste a charge|autofinancement|fonds propres|participations? des (?:familles|usagers|"
    r"habitants|adherents|participants|beneficiaires)|cotisations|valorisation du benevolat|benevolat valorise|"
    r"contributions? volontaires? en nature|recettes? propres?|ventes?)\b"
)


_COMMITTING = re.compile(  # « Notre association s'engage à … », « nous nous engageons à … »
    r"\b(?:nous\s+nous\s+engageons|(?:s['’])?engage(?:nt)?\s+l['’]association|s['’]engage(?:nt)?)\s+"
    r"(?:aussi\s+|également\s+)?(?P<what>à\s+.+?)[.;]?$",
    re.I,
)
_CLAUSES = re.compile(r",\s*(?:et\s+)?(?=à\s+[a-zà-ÿ]+(?:er|ir|re)\b)|\s+et\s+(?=à\s+[a-zà-ÿ]+(?:er|ir|re)\b)")


def commitment_clauses(text: str) -> list[str]:
    """« … s'engage à participer au tiers-lieu …, à associer les habitants … et à coopérer … »: each
    thing committed to, without its « à »; none when the sentence commits to nothing."""
    committing = _COMMITTING.search(text)
    if committing is None:
        return []
    clauses = (re.sub(r"^à\s+", "", c.strip(" ,.")).strip() for c in _CLAUSES.split(committing.group("what")))
    return [c for c in clauses if c]


def own_money(funder: str) -> bool:
    """Whether a « funder » is the association's own money or its volunteers' time: no cofinancement."""
    return bool(_NOT_FUNDING.match(normalise(funder)))


def has_amount(text: str) -> bool:
    """Whether a line states a sum of money (« CAF : 3 200 € », « 2500 euros »)."""
    return bool(re.search(r"\d\s*(?:€|euros?\b|eur\b)", text, re.I))


def is_date(text: str) -> bool:
    """« 17/02/2025 », « le 3 mars 2025 »: a date and nothing else."""
    match = _ISO_DATE.search(text) or _DATE.search(text)
    if match is None:
        return False
    return not re.sub(r"^\s*le\s+", "", text.replace(match.group(0), ""), flags=re.I).strip(" .,")


def date_of(text: str) -> str:
    """Return a date as `JJ/MM/AAAA` (« 3 avril 2025 » → 03/04/2025), or the text as written."""
    if iso := _ISO_DATE.search(text):
        return f"{iso.group(3)}/{iso.group(2)}/{iso.group(1)}"
    match = _DATE.search(text)
    if not match:
        return _date_in_words(text) or text.strip(" .")
    written = match.group(1)
    words = normalise(written).split()
    if len(words) == 3 and not words[1].isdigit():
        month = _MONTHS[1].index(words[1]) + 1
        return f"{int(words[0].replace('er', '')):02d}/{month:02d}/{words[2]}"
    return written


def _date_in_words(text: str) -> str:
    """« quatorze mars deux mille vingt-six » → 14/03/2026, or "" when the words make no date."""
    match = _DATE_IN_WORDS.search(text)
    if not match:
        return ""
    day = 1 if match.group("day").lower() == "1er" else number_in_words(match.group("day"))
    year = number_in_words(match.group("year").strip(" .").lower())
    month = [normalise(m) for m in _MONTHS[1]].index(normalise(match.group("month"))) + 1
    if not day or not 1 <= day <= 31 or not year or not 2000 <= year <= 2099:
        return ""
    return f"{day:02d}/{month:02d}/{year}"


def place_and_date(text: str) -> tuple[str, str] | None:
    """Read « Fait à Arras, le 14/03/2025 » or « Saint-Laurent-Blangy, le 3 avril 2025 »."""
    text = _CERTIFIED.sub("", text.strip())  # « Extrait certifié conforme, fait à Arras, le … »
    text = _FILLED_AT.sub("", text)  # « Nous avons rempli ce document à Arras, le 12 mars 2025. »
    match = _PLACE_DATE.match(text)
    if not match or not (_DATE.search(match.group("date")) or _date_in_words(match.group("date"))):
        return None
    place = match.group("lieu").strip(" ,")
    if any(w[:1].islower() and w.lower() not in _PLACE_LINKS for w in place.split()):
        return None  # « Collé depuis l'export le 09/04/2025 »: a sentence, no place
    return place, date_of(match.group("date"))


_CERTIFIED = re.compile(r"^[^,]{3,60},\s*(?=fait\s+[àa]\s)", re.I)
_FILLED_AT = re.compile(
    r"^(?:nous\s+avons|j['’]ai)\s+(?:rempli|sign[ée]|[ée]tabli|r[ée]dig[ée]|compl[ée]t[ée])\b[^,]{0,40}?\s+[àa]\s+(?=[A-ZÉ])",
    re.I,
)
_PLACE_LINKS = {"lez", "lès", "les", "sur", "sous", "en", "de", "du", "des", "la", "le", "aux", "à"}


def signatory(text: str) -> str:
    """Return the person a signature line names (« Le Président, Bernard LEMAIRE »,
    « Anne-Sophie ROUSSEL, co-présidente », « Je soussigné(e), Patrick VANDAMME, … »), or ""."""
    for piece in re.split(r"\s*[,–—]\s*|\s+-\s+", text):
        piece = piece.strip(" .:")
        match = _NAME.match(piece)
        if match and any(w.isupper() and len(w) > 1 for w in match.group("nom").split()):
            return person_name(match.group("nom"))
    return ""


def name_and_function(text: str) -> tuple[str, str]:
    """Split « Damien LECLERCQ, Président » into a person's name and function."""
    name, _, function = text.partition(",")
    name = re.sub(r"^(?:M\.|Mme|Mlle|Monsieur|Madame)\s+", "", name.strip())
    return person_name(name.strip()), function.strip(" .")
