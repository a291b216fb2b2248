"""Text normalisation shared by recognition and validation: case, accents, quotes, spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Return `text` lower-cased, without accents, ligatures spelled out."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Return the comparable form of `text`: folded, punctuation as spaces, "St" as "saint"."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def contains_phrase(haystack: str, phrase: str) -> bool:
    """Tell whether normalised `phrase` occurs in normalised `haystack` as whole words."""
    return f" {phrase} " in f" {haystack} "


def likeness(a: str, b: str) -> float:
    """Return 0-100: how alike two texts are as wholes once normalised (word order tolerant)."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    return float(max(fuzz.token_sort_ratio(na, nb), fuzz.ratio(na, nb)))


def similarity(a: str, b: str) -> float:
    """Return 0-100 like `likeness`, but a label shortened or lightly reworded still scores high."""
    na, nb = normalise(a), normalise(b)
    score = likeness(a, b)
    if not score:
        return score
    short, long_ = sorted((na, nb), key=len)
    if len(short.split()) >= 3 and len(short) >= 20 and long_.startswith(short):
        return max(score, 95.0)
    if len(short) >= 0.5 * len(long_):
        score = max(score, fuzz.token_set_ratio(na, nb))
    return float(score)


def clean_spaces(text: str) -> str:
    """Return `text` with non-breaking and repeated spaces folded, lines kept."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


_WORDS = "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
_UNITS = dict(zip(_WORDS.split(), (1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), strict=True))
_UNITS |= {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_UNITS |= {"cent": 100, "cents": 100, "mille": 1000, "premier": 1}


def number_in_words(text: str) -> int | None:
    """Read a number written in French words (« quarante », « soixante-dix », « deux cents »), or None."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w not in ("et", "environ", "personnes")]
    total, current = 0, 0
    for word in words:
        if word not in _UNITS:
            return None if not (total or current) else total + current
        value = _UNITS[word]
        if value == 20 and current == 4:  # quatre-vingts
            current = 80
        elif value == 1000:
            total, current = total + max(current, 1) * 1000, 0
        elif value == 100:
            current = max(current, 1) * 100
        else:
            current += value
    return total + current if words else None
