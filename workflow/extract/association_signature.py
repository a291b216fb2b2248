"""Read a signature block (« Pour l'association Les Pousses de Chanteclair, ⏎ La Présidente, ⏎ Brigitte
LEMOINE »): who signs for the association and as what. The block of another party (« Pour la Communauté
Urbaine d'Arras, ⏎ Le Président ou son représentant ») names no one of the association."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.extract import association_values as values
from workflow.referentiel import Referentiel
from workflow.text import normalise

_FOR = re.compile(r"^\s*pour\s+(?P<party>(?:l['’]\s*|la\s+|le\s+|les\s+)[^:;]{2,90}?)\s*,?\s*$", re.I)
_ROLE = re.compile(
    r"^\s*(?:(?:le|la|les)\s+)?(?P<role>(?:co-?|vice-)?pr[ée]sident(?:e|s|es)?|tr[ée]sori(?:er|ère)|"
    r"secr[ée]taire(?:\s+g[ée]n[ée]ral(?:e)?)?|direct(?:eur|rice)|coordinat(?:eur|rice)|responsable)\b"
    r"(?P<rest>[^,]{0,40}?)\s*[,.]?\s*$",
    re.I,
)
_LEGAL = re.compile(r"^(?:co-?)?pr[ée]sident", re.I)  # the association's legal representative signs as such
MAX_LINES = 5  # a block is the party, a function, a name, and maybe « (signature et cachet) » between them


@dataclass
class Signing:
    """The block being read: whose it is, and the function its signatory gave."""

    ours: bool
    role: str = ""
    lines: int = 0


def party(text: str, association: str, ref: Referentiel) -> Signing | None:
    """The block a « Pour … , » line opens: the association's, another party's, or none (« Pour le suivi »)."""
    match = _FOR.match(text)
    if match is None:
        return None
    said = normalise(match.group("party"))
    if "association" in said or (association and normalise(association) in said):
        return Signing(ours=True)
    names = (normalise(n) for s in ref.signataires.signataires for n in (s.nom, *s.alias))
    return Signing(ours=False) if any(n and n in said for n in names) else None


def role(text: str) -> str:
    """« La Présidente, » → « Présidente »; "" when the line gives no function."""
    match = _ROLE.match(text)
    return f"{match.group('role')}{match.group('rest')}".strip().capitalize() if match else ""


def is_legal(function: str) -> bool:
    return bool(_LEGAL.match(function))


def signatory(text: str) -> str:
    """The name a block's line gives (« Brigitte LEMOINE »), or ""."""
    return values.signatory(text.strip(" ,."))
