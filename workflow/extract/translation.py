"""A bilingual form (« version française fait foi »): its translated column is set aside, so that
the French answers alone are read, once."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from workflow.parsers.base import Contenu

_ENGLISH_WORDS = """the and of to with for our a an in is are on by from per this that these will be we they their its
at as or who which what when where each all one two"""
_FRENCH_WORDS = "le la les des du de et à au aux pour avec un une dans sur par nos notre est sont ce cette"
_ENGLISH, _FRENCH = frozenset(_ENGLISH_WORDS.split()), frozenset(_FRENCH_WORDS.split())
_WORD = re.compile(r"[a-zà-ÿ'’-]+")
MIN_WORDS = 30  # a column's words: enough to say which language it is written in
FOREIGN = 3  # a column is translated when its English words outnumber its French ones this much


def without_translation(contenu: Contenu) -> Contenu:
    """The content without the columns of its tables written in English beside French ones."""
    words: dict[tuple[int, int], list[str]] = defaultdict(list)
    for unit in contenu.units:
        if unit.table is not None and unit.col is not None:
            words[(unit.table, unit.col)] += _WORD.findall(unit.text.lower())
    english = {key for key, found in words.items() if _language(found) == "en"}
    french = {key[0] for key, found in words.items() if _language(found) == "fr"}
    dropped = {key for key in english if key[0] in french}
    if not dropped:
        return contenu
    return replace(contenu, units=tuple(u for u in contenu.units if (u.table, u.col) not in dropped))


def _language(words: list[str]) -> str:
    if len(words) < MIN_WORDS:
        return ""
    en = sum(w in _ENGLISH for w in words)
    fr = sum(w in _FRENCH for w in words)
    return "en" if en >= FOREIGN * max(fr, 1) else "fr" if fr >= FOREIGN * max(en, 1) else ""
