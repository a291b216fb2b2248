"""The registry as spreadsheets for people: French column labels, names instead of ids, lists joined
as text, real dates and amounts, widths, a frozen header and filters; CSV per table.

Every text cell comes from received data, so none may start a formula (OWASP CSV Injection): in the
workbook each text is stored as a string, never a formula; in CSV a leading `= + - @`, tab or
carriage return is neutralised with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workflow.fr import date_fr, datetime_fr

Genre = Literal["texte", "entier", "nombre", "montant", "date", "horodatage", "booleen"]
FORMULE = ("=", "+", "-", "@", "\t", "\r")
FRANCAIS = "[$-40C]"  # the format's own locale: LibreOffice shows « 1 900,00 € » whatever its own
FORMATS = {
    "entier": "0",
    "nombre": FRANCAIS + "#,##0.0",
    "montant": FRANCAIS + '#,##0.00"\u00a0€"',
    "date": "DD/MM/YYYY",
    "horodatage": "DD/MM/YYYY HH:MM",
}
STATUTS = {"validee": "validée", "a_verifier": "à vérifier", "renvoyee": "renvoyée au partenaire", None: ""}


@dataclass(frozen=True)
class Noms:
    """Display names for the ids the registry stores (from the reference data)."""

    quartiers: dict[str, str] = field(default_factory=dict)
    ambitions: dict[str, str] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)
    financeurs: dict[str, str] = field(default_factory=dict)

    def quartier(self, ids: Iterable[str]) -> str:
        return ", ".join(self.quartiers.get(i, i) for i in ids)


@dataclass(frozen=True)
class Colonne:
    cle: str
    libelle: str
    genre: Genre = "texte"
    largeur: int = 0  # characters; from the content when 0


@dataclass(frozen=True)
class Table:
    nom: str  # sheet name (≤ 31 characters) and CSV file name
    colonnes: tuple[Colonne, ...]
    lignes: list[dict[str, Any]]

    def choisir(self, cles: Sequence[str]) -> Table:
        """The table with only the named columns (by key or label), in that order."""
        wanted = [c for k in cles for c in self.colonnes if k in (c.cle, c.libelle)]
        return Table(self.nom, tuple(wanted), self.lignes) if wanted else self


def neutraliser(value: str) -> str:
    """Return a text cell that no spreadsheet reads as a formula."""
    return "'" + value if value.startswith(FORMULE) else value


def moment(value: str | None) -> dt.datetime | None:
    """An ISO timestamp as a naive datetime to the second (Excel knows no time zone)."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def jour(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        try:
            return dt.datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            return None


def lignes(items: Iterable[str]) -> str:
    return "\n".join(x for x in items if x)


def write_xlsx(tables: Sequence[Table], path: Path) -> Path:
    """One sheet per table: bold frozen header, filters, widths, typed cells, no formula."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _sheet(book.create_sheet(table.nom[:31]), table)
    book.save(path)
    return path


def _sheet(sheet: Worksheet, table: Table) -> None:
    header = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    for col, colonne in enumerate(table.colonnes, start=1):
        cell = sheet.cell(row=1, column=col, value=colonne.libelle)
        cell.font, cell.fill = header, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.lignes, start=2):
        for col, colonne in enumerate(table.colonnes, start=1):
            _write(sheet.cell(row=r, column=col), row.get(colonne.cle), colonne)
    for col, colonne in enumerate(table.colonnes, start=1):
        longest = max([len(colonne.libelle), *(_longueur(row.get(colonne.cle)) for row in table.lignes)])
        sheet.column_dimensions[get_column_letter(col)].width = colonne.largeur or min(60, max(10, longest + 2))
    sheet.freeze_panes = "A2"
    if table.colonnes:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.colonnes))}{max(1, len(table.lignes) + 1)}"
    imprimable(sheet)


def imprimable(sheet: Worksheet, header_row: int = 1) -> None:
    """Print every column on the width of an A4 landscape page, the header row on each page, the
    sheet's name and « Page X sur Y » in the footer: a sheet printed for a meeting reads whole."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    width = sum(d.width or 10 for d in sheet.column_dimensions.values()) or 10
    sheet.page_setup.fitToWidth = max(1, math.ceil(width / 250))  # a wide sheet on several pages, never tiny
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.left.text = "&A"
    sheet.oddFooter.right.text = "Page &P sur &N"
    hauteurs(sheet, header_row)


LIGNE = 15.0  # points per line of Calibri 11


def hauteurs(sheet: Worksheet, header_row: int = 1) -> None:
    """Wrap a text longer than its column and give its row the height of its lines: a printed or
    opened sheet never shows one cell's text over the next row's."""
    widths = {letter: d.width or 10 for letter, d in sheet.column_dimensions.items()}
    for row in sheet.iter_rows(min_row=header_row + 1):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            width = max(1, int(widths.get(cell.column_letter, 10) * 1.5) - 2)  # a width counts digits
            needed = sum(max(1, math.ceil(len(line) / width)) for line in cell.value.splitlines() or [""])
            if needed > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
                lines = max(lines, needed)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = min(409, LIGNE * lines)
            for cell in row:  # a tall row reads from its top
                if not cell.alignment.wrap_text:
                    cell.alignment = Alignment(vertical="top", horizontal=cell.alignment.horizontal)


def _write(cell: Any, value: Any, colonne: Colonne) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        value = "oui" if value else "non"
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take « =… » for a formula
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif colonne.genre in FORMATS:
        cell.number_format = FORMATS[colonne.genre]


def _longueur(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, bool):
        return 3
    if isinstance(value, float):  # shown « 1 033 000,00 € »: grouped, two decimals, a unit
        return len(f"{value:,.2f}") + 3
    if isinstance(value, int):
        return len(f"{value:,}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def csv_text(table: Table) -> str:
    """The table as French CSV: `;` between cells, decimal comma, dates as 15/02/2025."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.libelle for c in table.colonnes])
    for row in table.lignes:
        writer.writerow([_csv_cell(row.get(c.cle)) for c in table.colonnes])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return datetime_fr(value)
    if isinstance(value, dt.date):
        return date_fr(value)
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return neutraliser(str(value))


def write_csv(tables: Sequence[Table], path: Path) -> Path:
    """One table as `path` (.csv), or every table in a zip when `path` ends in .zip."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for table in tables:
                z.writestr(f"{table.nom}.csv", "\ufeff" + csv_text(table))
    else:
        path.write_text("\ufeff" + csv_text(tables[0]), encoding="utf-8", newline="")
    return path


Builder = Callable[[dict[str, Any], Noms], Table]


def sans_formule(book: Any) -> None:
    """Turn every cell openpyxl took for a formula back into the text it was given (OWASP CSV
    Injection): for workbooks written through pandas, whose cells hold received data."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def presentable(sheet: Worksheet, header_row: int = 1) -> None:
    """Bold frozen header, filters and widths for a sheet written through pandas."""
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if sheet.max_column and sheet.max_row >= header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    for column in sheet.iter_cols(min_row=header_row):
        longest = max((_longueur(c.value) for c in column), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, longest + 2))
    imprimable(sheet, header_row)
