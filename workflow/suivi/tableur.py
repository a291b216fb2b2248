"""Spreadsheets staff import (.xlsx, or .csv in any separator and encoding): the header row found
below titles, columns matched tolerantly against editable aliases, each data row given with its
own row number so that a bad one is reported as the user sees it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from workflow.errors import CdvError
from workflow.parsers.sniff import FileKind, sniff
from workflow.text import normalise


@dataclass(frozen=True)
class Rejet:
    ligne: int
    motif: str


@dataclass(frozen=True)
class Importation:
    importees: int
    rejets: tuple[Rejet, ...]


def read_table(path: Path) -> pd.DataFrame:
    """Read an .xlsx or a .csv (any separator, UTF-8 or Windows encoding) as text cells, no header."""
    if sniff(path) in (FileKind.ZIP, FileKind.DOCX):
        return pd.read_excel(path, header=None, dtype=str, keep_default_na=False)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(
                path, header=None, dtype=str, keep_default_na=False, sep=None, engine="python", encoding=encoding
            )
        except UnicodeDecodeError:
            continue
    raise CdvError(f"{path.name} : encodage du fichier non reconnu.")


def match_columns(headers: list[str], colonnes: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Return field → column index, headers compared without case, accents or punctuation."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        norm = normalise(header)
        if not norm:
            continue
        best = max(
            (
                (field, max(_score(norm, normalise(a)) for a in aliases))
                for field, aliases in colonnes.items()
                if field not in found
            ),
            key=lambda x: x[1],
            default=("", 0.0),
        )
        if best[1] >= 90:
            found[best[0]] = index
    return found


def _score(header: str, alias: str) -> float:
    if header == alias:
        return 100.0
    if header.startswith(alias + " ") or header.endswith(" " + alias) or f" {alias} " in f" {header} ":
        return 95.0 if len(alias) > 2 else 0.0
    return float(fuzz.ratio(header, alias))


def header_row(table: pd.DataFrame, colonnes: dict[str, tuple[str, ...]]) -> tuple[int, dict[str, int]]:
    """Find the header row among the first ten (titles may stand above it) and its columns."""
    return max(
        ((i, match_columns(list(table.iloc[i]), colonnes)) for i in range(min(10, len(table)))),
        key=lambda x: len(x[1]),
        default=(0, {}),
    )


@dataclass(frozen=True)
class Feuille:
    """A spreadsheet read against a column map: its header row as written and its data rows."""

    entetes: tuple[str, ...]
    colonnes: dict[str, int]  # field → column index
    lignes: tuple[tuple[int, dict[str, str]], ...]  # (row number, field → cell text), empty rows left out

    def entete(self, field: str) -> str:
        return self.entetes[self.colonnes[field]]

    @property
    def ignorees(self) -> tuple[str, ...]:
        """Headers that no field uses."""
        used = set(self.colonnes.values())
        return tuple(h for i, h in enumerate(self.entetes) if h.strip() and i not in used)


def lire(path: Path, colonnes: dict[str, tuple[str, ...]], obligatoires: tuple[str, ...], aide: str = "") -> Feuille:
    """Read `path`, find its header row and keep every non-empty row with its own row number."""
    table = read_table(path)
    start, mapping = header_row(table, colonnes)
    missing = [field for field in obligatoires if field not in mapping]
    if missing:
        names = ", ".join(f"« {colonnes[field][0]} »" for field in missing)
        raise CdvError(f"Colonnes introuvables dans {path.name} : {names}." + (f" {aide}" if aide else ""))
    rows = []
    for offset in range(start + 1, len(table)):
        cells = {field: str(table.iat[offset, col]).strip() for field, col in mapping.items()}
        if any(cells.values()):
            rows.append((offset + 1, cells))
    return Feuille(tuple(str(h) for h in table.iloc[start]) if len(table) else (), mapping, tuple(rows))
