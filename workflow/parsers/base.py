"""What every reader produces: the document's text units in reading order, and its controls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from workflow.ooxml.blocks import without_prompts
from workflow.ooxml.controls import Control


class Motif(StrEnum):
    """Why a file was refused; the value is the stable code, `message()` the French text."""

    VIDE = "vide"
    TYPE_NON_PRIS_EN_CHARGE = "type_non_pris_en_charge"
    CORROMPU = "corrompu"
    CHIFFRE = "chiffre"
    TROP_VOLUMINEUX = "trop_volumineux"
    SANS_TEXTE = "sans_texte"
    NON_FORMULAIRE = "non_formulaire"
    FORMULAIRE_VIERGE = "formulaire_vierge"


class Illisible(Exception):
    """The file cannot be read as a form; carries the reason code and a French detail."""

    def __init__(self, motif: Motif, detail: str) -> None:
        super().__init__(detail)
        self.motif = motif
        self.detail = detail


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # zero-width: shows nothing, holds nothing
_RULE = re.compile(r"^[ \t]*(?:[=*~#]{5,}|-{10,})[ \t]*(?:\n|$)", re.M)


@dataclass(frozen=True)
class Unit:
    """One paragraph of text with its place: story, table cell coordinates, list and style."""

    text: str
    where: str  # French locator, e.g. "tableau 2, ligne 3, colonne 1"
    style: str = ""
    is_list: bool = False
    table: int | None = None  # table number (1-based) when inside a table
    row: int | None = None
    col: int | None = None
    controls: tuple[str, ...] = ()  # tags of the content controls it stands in
    bold: bool = False  # emphasised as a whole: a retyped question or a title, seldom an answer

    def __post_init__(self) -> None:
        """An empty form field printed with Word's prompt holds no answer, whatever the format; a
        line typed across the page (« ===== », « ---------- ») only parts the form's blocks; a zero-width
        space (after a dot leader's tab, say) is nothing."""
        text = without_prompts(self.text).translate(_INVISIBLE)
        object.__setattr__(self, "text", _RULE.sub("", text).strip("\n") if _RULE.search(text) else text)


CAPTION = "Caption"  # the style of a PDF's line in small letters right under another: maybe its label


@dataclass(frozen=True)
class Contenu:
    """The readable content of a document, whatever its format."""

    units: tuple[Unit, ...]
    controls: tuple[Control, ...] = ()
    sujet: str = ""  # document subject property (our forms carry "cdv:<kind>:v<n>")
    ocr_pdf: bytes | None = None  # the text was read from images: the OCR'd PDF it was read from

    @property
    def ocr(self) -> bool:
        """Whether the text was recognised on images (a scan, a photo) rather than read."""
        return self.ocr_pdf is not None


class Reader(Protocol):
    """A parser for one file type: a function from a path to its content."""

    def __call__(self, path: Path) -> Contenu: ...


def trop_volumineux(limite: str) -> Illisible:
    """Return the refusal of a file over one of the reading limits, the limit named in French."""
    return Illisible(Motif.TROP_VOLUMINEUX, f"document trop volumineux : {limite}")
