"""A web page copied into Word with its accordions: « [–] Titre » is a section shown open, its text
under it; « [+] Titre » one left closed, whose title alone was copied and answers nothing."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.parsers.base import Contenu

_TOGGLE = re.compile(r"^\s*\[\s*(?P<sign>[-–—+])\s*\]\s*")
MIN_TOGGLES = 2


def without_closed_sections(contenu: Contenu) -> Contenu:
    """The open sections' titles without their sign, the closed ones' titles left out, when the page
    has such accordions; the content unchanged otherwise."""
    toggles = [m for u in contenu.units if (m := _TOGGLE.match(u.text))]
    if len(toggles) < MIN_TOGGLES or not any(m.group("sign") != "+" for m in toggles):
        return contenu
    units = []
    for unit in contenu.units:
        if not (toggle := _TOGGLE.match(unit.text)):
            units.append(unit)
        elif toggle.group("sign") != "+":
            units.append(replace(unit, text=unit.text[toggle.end() :]))
    return replace(contenu, units=tuple(units))
