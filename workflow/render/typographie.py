"""French typography for every text a reader sees: no-break spaces, quotes, apostrophes, œ, accented
capitals, plurals and French collation.

The rules follow the Lexique des règles typographiques de l'Imprimerie nationale: a narrow no-break
space (U+202F) before `; ! ?`, inside « » and between groups of digits, a no-break space (U+00A0)
before `:` and between a number and its unit. They only add or change spaces and signs next to
punctuation: the words themselves are left as written, except a short list of known spellings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

FINE = "\u202f"  # espace fine insécable
INSECABLE = "\u00a0"  # espace insécable
_SPACES = f" {FINE}{INSECABLE}\t"

_MOIS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_CHIFFRE = re.compile(r"\d")
# Each rule comes with a pattern it cannot match without (a character it needs): most texts have no
# digit, quote or colon, and a search for one character is far cheaper than a substitution.
_RULES: tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...] = (
    (re.compile("'"), re.compile(r"(?<=\w)'(?=\w)"), "’"),  # apostrophe
    (re.compile('"'), re.compile(r'(?<![\w"])"(?=\S)([^"\n]*?\S)"(?!\w)'), f"«{FINE}\\1{FINE}»"),  # "x" → « x »
    (re.compile("«"), re.compile(rf"«[{_SPACES}]*"), f"«{FINE}"),
    (re.compile("»"), re.compile(rf"[{_SPACES}]*»"), f"{FINE}»"),
    (re.compile("[;!?]"), re.compile(rf"(?<=\S)[ {INSECABLE}\t]*([;!?])(?=[\s)»]|$)"), f"{FINE}\\1"),
    (re.compile(":"), re.compile(rf"(?<=[\w)»%€])[ {FINE}\t]*:(?=\s|$)"), f"{INSECABLE}:"),
    (_CHIFFRE, re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))"), FINE),  # 1 000 000
    (_CHIFFRE, re.compile(r"(?<=\d)[ \u202f](?=(?:€|%|k€|M€)(?!\w))"), INSECABLE),  # 100 €, 12 %
    (_CHIFFRE, re.compile(rf"(?<=\d)\s(?=(?:{_MOIS})\b)"), INSECABLE),  # 15 février
    (re.compile("°"), re.compile(r"\b([Nn]°)\s(?=\d)"), f"\\1{INSECABLE}"),  # n° 12
    (re.compile(" ,"), re.compile(r"(?<=\w) +(?=,)"), ""),  # « jeunes adultes , notamment »
    (re.compile("-"), re.compile(r"(?:(?<=^)|(?<=[\s(]))-(?=\d)"), "−"),  # −4 717 €: the minus sign, not a hyphen
)
_OE = re.compile(r"\b([BbCcMmNnSsVv]|[Mm]an|[Ss]ub)?oe(?=u|il)", re.UNICODE)
_OE_UPPER = re.compile(r"\b(B|C|M|N|S|V|MAN)?OE(?=U|IL)")
_CAPITALES = {
    word: "É" + word[1:]
    for word in (
        "Ecart",
        "Ecarts",
        "Eviter",
        "Etat",
        "Etats",
        "Education",
        "Equipe",
        "Equipes",
        "Evaluation",
        "Evolution",
        "Economie",
        "Edition",
        "Elus",
        "Elu",
        "Etablissement",
        "Etablissements",
        "Energie",
        "Epicerie",
        "Egalite",
        "Egalité",
        "Emancipation",
        "Etudes",
        "Etude",
        "Ecole",
        "Ecoles",
    )
}
_NOM_DU_CONTRAT = re.compile(r"Cœur[ \u00a0]de[ \u00a0]Quartier")
_CAPITALE = re.compile(r"\b(" + "|".join(_CAPITALES) + r")\b")


@functools.lru_cache(maxsize=8192)
def typographie(text: str) -> str:
    """Return `text` with French typography: no-break spaces, « », ’, œ, É (cached: an annex repeats
    its quarters, ambitions and functions hundreds of times)."""
    if not text or text.isspace():
        return text
    if "oe" in text:
        text = _OE.sub(lambda m: (m.group(1) or "") + "œ", text)
    if "OE" in text:
        text = _OE_UPPER.sub(lambda m: (m.group(1) or "") + "Œ", text)
    if "E" in text:  # every word of _CAPITALES begins with it
        text = _CAPITALE.sub(lambda m: _CAPITALES[m.group(1)], text)
    if "Cœur" in text:
        text = _NOM_DU_CONTRAT.sub(f"Cœur{INSECABLE}de{INSECABLE}Quartier", text)  # a title never splits the name
    for needed, pattern, replacement in _RULES:
        if needed.search(text):
            text = pattern.sub(replacement, text)
    return text


def groupes(digits: str, size: int = 3, first: int | None = None) -> str:
    """Return `digits` cut in groups joined by narrow no-break spaces (`123 456 789 00012`)."""
    clean = re.sub(r"\s", "", digits)
    if not clean.isdigit():
        return digits
    if first is None:
        head = len(clean) % size or size
        parts = [clean[:head]] + [clean[i : i + size] for i in range(head, len(clean), size)]
    else:
        parts = [clean[i : i + size] for i in range(0, first, size)] + [clean[first:]]
    return FINE.join(p for p in parts if p)


def siret_fr(siret: str) -> str:
    """Return a SIRET as `123 456 789 00012` (SIREN in three groups, then the NIC), never broken."""
    clean = re.sub(r"\s", "", siret or "")
    return groupes(clean, 3, 9) if len(clean) == 14 and clean.isdigit() else siret


def pluriel(n: int, singulier: str, pluriel_: str | None = None) -> str:
    """Return `1 action`, `54 actions`: the number and the word agreed (French: plural from 2)."""
    mot = singulier if abs(n) < 2 else (pluriel_ or singulier + "s")
    return f"{n:,}".replace(",", FINE) + f"{INSECABLE}{mot}"


@functools.cache
def _collateur() -> Any:
    """ICU's French collator (PyICU), or None where the library is missing; loaded on first use."""
    try:
        import icu
    except ImportError:  # pragma: no cover - PyICU is a dependency; the key below stands in
        return None
    return icu.Collator.createInstance(icu.Locale("fr_FR"))


def nombre(n: int, singulier: str, pluriel_: str) -> str:
    """Return `1 relance envoyée`, `0 relance envoyée`, `3 relances envoyées`: the words agreed with
    the number (French: plural from 2), for messages where « (s) » would otherwise be written."""
    return f"{n} {singulier if abs(n) < 2 else pluriel_}"


def cle_fr(text: str) -> tuple[bytes, str]:
    """A sort key in French order (ICU's collation of CLDR): letters first, accents and case only to
    break ties (« Épicerie » with E, « Médiation » before « Mission », « œ » as « oe »)."""
    collateur = _collateur()
    if collateur is not None:
        return bytes(collateur.getSortKey(text)), text
    folded = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    base = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    primary = re.sub(r"[^0-9a-z]+", " ", base.casefold()).strip()
    return f"{primary}\0{base.casefold()}".encode(), text


def tri_fr(items: Iterable[str]) -> list[str]:
    """Return `items` sorted in French order."""
    return sorted(items, key=cle_fr)


_VOYELLE = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ]")


def de_nom(nom: str, article: str | None) -> str:
    """Return « de la Ville d'Arras », « du Département », « de l'ARS », « d'Emmaüs », « de BGE »…
    from the article the reference data gives; `None` (unknown) keeps the name alone."""
    if article is None:
        return nom
    if article == "le":
        return f"du {nom}"
    if article == "les":
        return f"des {nom}"
    if article in ("la", "l'", "l’"):
        return f"de {article.replace(chr(39), '’')}{'' if article != 'la' else ' '}{nom}"
    return f"d’{nom}" if _VOYELLE.match(nom) else f"de {nom}"
