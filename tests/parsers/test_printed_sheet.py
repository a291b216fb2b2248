"""A spreadsheet printed with its headings: the column letters and row numbers are the sheet's."""

from __future__ import annotations

from pathlib import Path

import docx

from workflow.parsers import parser_for
from workflow.parsers.sniff import FileKind


def _sheet(tmp_path: Path, first_row: int) -> Path:
    document = docx.Document()
    rows = [
        ("", "A", "B"),
        *(
            (str(first_row + n), label, value)
            for n, (label, value) in enumerate(
                [("Nom de l'association", "Bouger Ensemble"), ("Sigle", ""), ("N° SIRET", "41275836900158")]
            )
        ),
    ]
    table = document.add_table(rows=len(rows), cols=3)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    path = tmp_path / "classeur.docx"
    document.save(str(path))
    return path


def test_the_letters_and_row_numbers_of_a_printed_sheet_are_left_out(tmp_path):
    units = parser_for(FileKind.DOCX)[1](_sheet(tmp_path, 4)).units
    assert [u.text for u in units if u.text] == [
        "Nom de l'association",
        "Bouger Ensemble",
        "Sigle",
        "N° SIRET",
        "41275836900158",
    ]
    assert next(u for u in units if u.text == "Sigle").where == "tableau 1, ligne 3, colonne 2"


def test_a_table_whose_first_column_counts_something_else_keeps_it(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=4, cols=2)
    for r, (n, text) in enumerate([("N°", "Action"), ("1", "Repair café"), ("2", "Atelier vélo"), ("3", "Fête")]):
        table.cell(r, 0).text, table.cell(r, 1).text = n, text
    path = tmp_path / "actions.docx"
    document.save(str(path))
    units = parser_for(FileKind.DOCX)[1](path).units
    assert [u.text for u in units if u.text][:4] == ["N°", "Action", "1", "Repair café"]
