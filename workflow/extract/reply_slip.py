"""A letter with its reply slip (« ✂ - - - à découper et à retourner - - - ») sent back whole: only the
slip is the sender's answer; the letter above the cut is the CUA's own words (its « affaire suivie
par », its address), never the association's."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.parsers.base import Contenu

_CUT = re.compile(r"✂|[-–.]\s*(?:à\s+)?d[ée]couper\b.*[-–.]", re.I)  # « ✂ », « - - à découper et à retourner - - »
MIN_SLIP = 10  # lines under the cut: a slip to fill, not a cut line at the foot of a page


def only_the_slip(contenu: Contenu) -> Contenu:
    """The content from the first cut line on, when a reply slip follows it."""
    units = contenu.units
    cut = next((n for n, u in enumerate(units) if u.table is None and _CUT.search(u.text)), None)
    if cut is None or cut == 0 or sum(1 for u in units[cut + 1 :] if u.text.strip()) < MIN_SLIP:
        return contenu
    return replace(contenu, units=units[cut + 1 :])
