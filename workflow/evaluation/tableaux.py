"""A report table kept with raw values: formatted the French way in Word, written as numbers to Excel."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pandas as pd
from babel.numbers import format_decimal
from openpyxl.styles import Font

from workflow.fr import montant_fr
from workflow.registry.tableur import FRANCAIS, presentable, sans_formule

Format = Literal["texte", "entier", "euros", "pourcent", "nombre", "annee"]
Cellule = str | int | float | Decimal | None
_PETITS_MOTS = {"de", "des", "du", "la", "le", "les", "à", "au", "aux", "et", "en"}
_ELIDED = re.compile(r"\b[dl][’']", re.IGNORECASE)
EXCEL_FORMATS = {  # French-tagged (FRANCAIS): French separators in Excel and LibreOffice, whatever the locale
    "entier": FRANCAIS + "#,##0",
    "euros": FRANCAIS + '#,##0.00"\u00a0€"',
    "pourcent": FRANCAIS + '0.0"\u00a0%"',
    "nombre": FRANCAIS + "#,##0.0",
    "annee": "0",
}


@dataclass(frozen=True)
class Colonne:
    libelle: str
    format: Format = "texte"


@dataclass(frozen=True)
class Tableau:
    titre: str
    colonnes: tuple[Colonne, ...]
    lignes: Sequence[Sequence[Cellule]]
    note: str = ""
    feuille: str = ""  # Excel sheet name (≤ 31 characters); the title's start when empty
    total: Sequence[Cellule] | None = None  # a last row set apart

    def context(self) -> dict[str, object]:
        """What the gabarit prints: headers and French-formatted cells."""
        rows = [*self.lignes, *([self.total] if self.total else [])]
        return {
            "titre": self.titre,
            "entetes": [c.libelle for c in self.colonnes],
            "lignes": [[cellule_fr(v, c.format) for v, c in zip(row, self.colonnes, strict=True)] for row in rows],
            "note": self.note,
        }


def nombre_fr(value: Decimal | int | float, decimals: int = 1) -> str:
    pattern = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    return format_decimal(Decimal(str(value)), format=pattern, locale="fr_FR").replace(" ", "\u202f")


def pourcent_fr(value: Decimal | float | None) -> str:
    return "—" if value is None else nombre_fr(value) + " %"


def cellule_fr(value: Cellule, fmt: Format) -> str:
    """A cell's French text; a number keeps its digits and unit on one line."""
    if value is None or value == "":
        return "—"
    return _cellule(value, fmt) if fmt == "texte" else _cellule(value, fmt).replace(" ", "\u00a0")


def _cellule(value: str | int | float | Decimal, fmt: Format) -> str:
    if fmt == "euros":
        return montant_fr(Decimal(str(value)))
    if fmt == "pourcent":
        return pourcent_fr(Decimal(str(value)))
    if fmt == "entier":
        return nombre_fr(value, 0) if not isinstance(value, str) else value
    if fmt == "annee":
        return str(value)
    if fmt == "nombre":
        return nombre_fr(value) if not isinstance(value, str) else value
    return str(value)


def write_xlsx(tableaux: list[Tableau], path: Path) -> Path:
    """Write one sheet per table, numbers as numbers with a French display format."""
    used: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for tableau in tableaux:
            name = _sheet_name(tableau.feuille or tableau.titre, used)
            rows = [*tableau.lignes, *([tableau.total] if tableau.total else [])]
            frame = pd.DataFrame(
                [[_excel(v) for v in row] for row in rows], columns=[c.libelle for c in tableau.colonnes]
            )
            frame.to_excel(writer, sheet_name=name, index=False, startrow=1)
            sheet = writer.sheets[name]
            sheet["A1"] = tableau.titre
            for index, colonne in enumerate(tableau.colonnes, start=1):
                letter = sheet.cell(row=2, column=index).column_letter
                sheet.column_dimensions[letter].width = max(12, min(60, len(colonne.libelle) + 4))
                if colonne.format in EXCEL_FORMATS:
                    for cell in sheet[letter][2:]:
                        cell.number_format = EXCEL_FORMATS[colonne.format]
            presentable(sheet, header_row=2)
            sheet["A1"].font = Font(bold=True, size=12)
        sans_formule(writer.book)  # operators' and actions' names come from imported files
    return path


def _excel(value: Cellule) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _sheet_name(title: str, used: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters) unique in the workbook: a long title first loses its
    small words (« de », « des », « la »…), then is cut between words, never inside one."""
    base = " ".join("".join(ch for ch in title if ch not in "[]:*?/\\").split())
    if len(base) > 31:
        base = " ".join(w for w in _ELIDED.sub("", base).split() if w.lower() not in _PETITS_MOTS)
    if len(base) > 31:
        base = base[:32].rsplit(" ", 1)[0]
        while base.rsplit(" ", 1)[-1].lower() in _PETITS_MOTS | {"par", "parmi", "sans", "ou", "pour"}:
            base = base.rsplit(" ", 1)[0]
        base = base.rstrip(" —-,;(")
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} ({n})", n + 1
    used.add(name.lower())
    return name
