"""A form made by mail merge whose fields nobody filled keep their placeholders (« «telephone_ref» »,
« [NOM_REFERENT] », « <<agent>> »): each is nothing, never an answer. Braces a partner typed
(« {{ objectif }} ») are their words: kept."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.parsers.base import Contenu

# an identifier with an underscore or a digit between « », [ ] or << >>: no French words
_PLACEHOLDER = re.compile(
    r"«\s*(?=[\w-]*[_\d])[A-Za-z][\w-]*\s*»|\[(?=[A-Z_\d]*_)[A-Z][A-Z_\d]+\]|"
    r"<<\s*[\w-]+\s*>>|\bMERGEFIELD\s+[\w-]+"
)


_MERGE_WORD = re.compile(r"«[A-Z][A-Za-z]+»")  # « «Campagne» », tight against its marks, in a merged document
MIN_MERGED = 3  # that many fields left unfilled: the document came out of a mail merge


def without_placeholders(contenu: Contenu) -> Contenu:
    """The content with the merge fields left unfilled taken out."""
    merged = sum(len(_PLACEHOLDER.findall(u.text)) for u in contenu.units) >= MIN_MERGED
    found = re.compile(f"{_PLACEHOLDER.pattern}|{_MERGE_WORD.pattern}") if merged else _PLACEHOLDER
    if not any(found.search(u.text) for u in contenu.units):
        return contenu
    units = tuple(replace(u, text=found.sub("", u.text).strip()) if found.search(u.text) else u for u in contenu.units)
    return replace(contenu, units=units)
