"""A form the CUA pre-filled with last campaign's answer, returned annotated between brackets
(« [OK] », « [supprimer] », « [remplacer par : …] », « [ajout : …] »): read as the partner means it
now, each element where it stood, the annotations' own remarks aside."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.parsers.base import Contenu, Unit

_NOTE = re.compile(
    r"\s*\[\s*(?P<verb>ok|supprimer|[àa] supprimer|remplacer par|[àa] remplacer par|ajout|ajouter)\b"
    r"\s*(?:[:,]?\s*(?P<new>[^\]]*?))?\s*\]",
    re.I,
)
_REMARK = re.compile(r"^\s*\[[^\]]*\]\s*$")  # « [Fiche relue et validée …] », the legend: the annotator's own words
_LABEL = re.compile(r"^(?P<label>[^:\[]{2,60}?\s*:)\s*(?=\S)")  # « Courriel : » before the value it changes
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")  # « … (Mme DHAINAUT a quitté l'office en 2025) »: why, not what
_BULLET = re.compile(r"^\s*[-–—•◦▪‣*·]\s")
MAX_FIELD_WORDS = 4  # « Courriel : », « Référent de la fiche : » head a field; a longer head titles an element
MIN_NOTES = 2  # one bracket is a remark; two or more of these verbs are a way of answering


def with_amendments(contenu: Contenu) -> Contenu:
    """The content with each annotation applied, when the document answers that way."""
    if sum(len(_NOTE.findall(u.text)) for u in contenu.units) < MIN_NOTES:
        return contenu
    units = [amended for unit in _closed(contenu.units) if (amended := _amended(unit)) is not None]
    return replace(contenu, units=tuple(units))


MAX_OPEN_LINES = 6


def _closed(units: tuple[Unit, ...]) -> list[Unit]:
    """A bracket a PDF's line break left open joined to the lines that close it, an element's
    wrapped line to it: an annotation amends the whole element."""
    out: list[Unit] = []
    open_since: int | None = None
    for unit in units:
        still_open = open_since is not None and len(out) - open_since < MAX_OPEN_LINES
        if out and unit.table == out[-1].table and (still_open or _goes_on(out[-1], unit)):
            out[-1] = replace(out[-1], text=f"{out[-1].text.rstrip()} {unit.text.strip()}")
        else:
            out.append(unit)
            open_since = None
        last = out[-1].text
        unbalanced = last.count("[") > last.count("]")
        open_since = (len(out) - 1 if open_since is None else open_since) if unbalanced else None
    return out


_ANNOTATION_FIRST = re.compile(r"^\s*\[\s*(?:ok|supprimer|[àa] supprimer|remplacer|[àa] remplacer)\b", re.I)


def _goes_on(element: Unit, unit: Unit) -> bool:
    """A PDF line that wraps a list item (« et les communes. [OK] »), or its annotation alone below it."""
    text = unit.text.strip()
    wraps = element.is_list and not unit.is_list and not unit.bold and text[:1].islower()
    return wraps or bool(_ANNOTATION_FIRST.match(text))


def _amended(unit: Unit) -> Unit | None:
    """The unit as amended; None when all it held is struck out or a remark. Two elements a PDF
    joined on one line (« … ; [OK] l'utilisation … ; [OK] ») are amended one by one."""
    if _NOTE.search(unit.text) is None:
        return None if _REMARK.match(unit.text) else unit
    cuts = [0, *(m.end() for m in _NOTE.finditer(unit.text))]
    pieces = [unit.text[a:b] for a, b in zip(cuts, [*cuts[1:], len(unit.text)], strict=True)]
    kept = [k for piece in pieces if piece.strip() and (k := _element(piece, unit)) is not None]
    return replace(unit, text="\n".join(kept)) if kept else None


def _element(text: str, unit: Unit) -> str | None:
    """One element with its annotation at its end (or none), as amended; None when struck out."""
    note = _NOTE.search(text)
    if note is None:
        return text.strip()
    before, verb, new = text[: note.start()].strip(), note["verb"].lower(), (note["new"] or "").strip()
    label = _LABEL.match(before)
    field = label is not None and len(label["label"].rstrip(" :").split()) <= MAX_FIELD_WORDS and not unit.is_list
    head = f"{label['label']} " if label and field and not _BULLET.match(before) else ""
    if verb == "ok":
        return before
    if "supprimer" in verb:
        return head.strip() or None  # « Téléphone : … [supprimer] »: the label stays, empty
    if "remplacer" in verb:
        return head + _ASIDE.sub("", new)
    return f"{before} {new}".strip()  # an element added, after what stood there if anything
