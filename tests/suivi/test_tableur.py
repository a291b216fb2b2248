"""Staff spreadsheets: the header row found below titles, columns matched tolerantly, each row
given with the number the user sees in the spreadsheet."""

from __future__ import annotations

import pandas as pd
import pytest

from workflow.errors import CdvError
from workflow.suivi.tableur import header_row, lire, match_columns, read_table

COLONNES = {
    "operateur": ("Porteur de projet", "Opérateur"),
    "montant_etat": ("Montant État", "P147"),
    "quartiers": ("QPV", "Quartiers"),
}


def _xlsx(path, rows: list[list[str]]) -> None:
    pd.DataFrame(rows).to_excel(path, header=False, index=False)


def test_headers_match_without_case_accents_or_extra_words():
    headers = ["  OPERATEUR ", "Montant etat (P147)", "Commentaire", "qpv"]
    assert match_columns(headers, COLONNES) == {"operateur": 0, "montant_etat": 1, "quartiers": 3}


def test_a_near_miss_is_accepted_and_an_alias_of_two_letters_must_be_the_whole_header():
    assert match_columns(["Porteur du projet"], COLONNES) == {"operateur": 0}
    assert match_columns(["CP", "CP Arras"], {"code_postal": ("CP",)}) == {"code_postal": 0}
    assert match_columns(["CP Arras"], {"code_postal": ("CP",)}) == {}


def test_the_header_row_is_found_below_a_title():
    table = pd.DataFrame([["Programmation 2025", "", ""], ["", "", ""], ["Opérateur", "P147", "QPV"], ["A", "1", "x"]])
    assert header_row(table, COLONNES) == (2, {"operateur": 0, "montant_etat": 1, "quartiers": 2})


def test_rows_carry_the_number_the_user_sees_and_blank_rows_are_left_out(tmp_path):
    path = tmp_path / "prog.xlsx"
    rows = [["Programmation 2025", "", "", ""], ["Opérateur", "Montant État", "QPV", "Commentaire"]]
    rows += [["Centre social", "1 500 €", "Les 4 As", ""], ["", "", "", "note seule"], ["AFEJI", "", "", ""]]
    _xlsx(path, rows)
    feuille = lire(path, COLONNES, ("operateur",))
    assert [(n, cells["operateur"]) for n, cells in feuille.lignes] == [(3, "Centre social"), (5, "AFEJI")]
    assert feuille.entete("montant_etat") == "Montant État" and feuille.ignorees == ("Commentaire",)


def test_a_csv_in_windows_encoding_with_semicolons_is_read(tmp_path):
    path = tmp_path / "prog.csv"
    path.write_bytes("Opérateur;Montant État\nCœur de femmes;2 500,50 €\n".encode("cp1252"))
    assert read_table(path).values.tolist() == [["Opérateur", "Montant État"], ["Cœur de femmes", "2 500,50 €"]]
    assert lire(path, COLONNES, ("operateur",)).lignes == (
        (2, {"operateur": "Cœur de femmes", "montant_etat": "2 500,50 €"}),
    )


def test_missing_required_columns_are_named_in_french(tmp_path):
    path = tmp_path / "x.xlsx"
    _xlsx(path, [["Date", "Montant"], ["2025", "100"]])
    with pytest.raises(
        CdvError, match=r"^Colonnes introuvables dans x\.xlsx : « Porteur de projet », « QPV »\. Aide\.$"
    ):
        lire(path, COLONNES, ("operateur", "quartiers"), aide="Aide.")
