"""A year's programmation imported from a spreadsheet: tolerant headers, bad rows reported."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from support import cdv

from workflow.intake.record import organisation_for
from workflow.registry.models import ActionProgrammee
from workflow.suivi.programmation import importer

HEADERS = [
    "Porteur de projet",
    "Intitulé de l'action",
    "Pilier",
    "OO",
    "QPV",
    "Montant État (P147)",
    "CUA",
    "Ville",
    "CAF",
    "CD62",
    "CPO oui/non",
    "Nouvelle action",
    "Bénéficiaires prévus",
    "Dont femmes",
    "Commentaire",
]
ROWS = [
    [
        "Centre social Léo Lagrange",
        "Café des parents",
        "Quartier émancipé",
        "1C, 5A",
        "Les 4 As",
        "1 500,00 €",
        "2000",
        "",
        "1.500 €",
        "",
        "oui",
        "non",
        "40",
        "25",
        "reconduite",
    ],
    [
        "AFEJI Artois",
        "Garde solidaire",
        "plein emploi",
        "1E",
        "Saint-Michel ; Baudimont",
        "3 000 €",
        "",
        "500 €",
        "",
        "750",
        "non",
        "oui",
        "20",
        "",
        "",
    ],
    ["", "Action sans porteur", "", "", "", "1 000 €", "", "", "", "", "", "", "", "", ""],
    [
        "Repair café",
        "Ateliers",
        "transitions",
        "3A",
        "Chanteclair",
        "beaucoup",
        "",
        "",
        "",
        "",
        "non",
        "oui",
        "",
        "",
        "",
    ],
    [
        "Sport dans la ville",
        "Foot",
        "apaisé",
        "5F",
        "Arras Ouest",
        "2 500",
        "",
        "",
        "",
        "",
        "peut-être",
        "",
        "",
        "",
        "",
    ],
    ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    [
        "Unis-Cité Artois",
        "Seniors",
        "apaisé",
        "6B",
        "Jean Jaurès",
        "800 €",
        "200 €",
        "",
        "",
        "",
        "non",
        "oui",
        "15",
        "9",
        "",
    ],
]


def _xlsx(path) -> None:
    title = [["Programmation contrat de ville 2025"] + [""] * (len(HEADERS) - 1), [""] * len(HEADERS)]
    pd.DataFrame([*title, HEADERS, *ROWS]).to_excel(path, header=False, index=False)


def test_an_xlsx_with_other_headers_is_imported_and_bad_rows_reported(workspace, registry, tmp_path):
    with registry.session() as session:
        organisation_for(session, "Centre social Léo Lagrange", None, "association")
    _xlsx(tmp_path / "prog.xlsx")
    done = importer(registry, workspace.referentiel, tmp_path / "prog.xlsx", 2025)
    assert done.importees == 3
    assert [(r.ligne, r.motif.split(" «")[0]) for r in done.rejets] == [
        (6, "colonne"),
        (7, "montant illisible"),
        (8, "CPO :"),
    ]
    assert "Commentaire" in done.ignorees and done.colonnes["montant_etat"] == "Montant État (P147)"
    with registry.session() as session:
        actions = {a.operateur: a for a in session.scalars(select(ActionProgrammee))}
    cafe = actions["Centre social Léo Lagrange"]
    assert cafe.montants == {"etat": "1500.00", "cua": "2000.00", "caf": "1500.00"}
    assert (cafe.ambition, cafe.objectifs, cafe.quartiers, cafe.cpo, cafe.nouvelle) == (
        "emancipe",
        ["1C", "5A"],
        ["quatre-as"],
        True,
        False,
    )
    assert cafe.beneficiaires == {"beneficiaires_prevus": 40, "femmes": 25}
    assert cafe.organisation_id is not None  # linked to the known association
    afeji = actions["AFEJI Artois"]
    assert afeji.quartiers == ["bonnettes-saint-pol-baudimont", "saint-michel-goudemand"]
    assert afeji.montants == {"etat": "3000.00", "communes": "500.00", "departement": "750.00"}
    assert afeji.organisation_id is None


def test_reimporting_a_year_replaces_it(workspace, registry, tmp_path):
    _xlsx(tmp_path / "prog.xlsx")
    importer(registry, workspace.referentiel, tmp_path / "prog.xlsx", 2025)
    importer(registry, workspace.referentiel, tmp_path / "prog.xlsx", 2024)
    csv = tmp_path / "prog.csv"
    pd.DataFrame([HEADERS, *ROWS[:2]]).to_csv(csv, sep=";", header=False, index=False, encoding="cp1252")
    root = str(workspace.root)
    run = cdv("--racine", root, "programmation", "importer", str(csv), "--annee", "2025")
    assert run.returncode == 0, run.stderr
    assert "2 actions importées pour 2025, 0 ligne rejetée." in run.stdout
    with registry.session() as session:
        years = [a.annee for a in session.scalars(select(ActionProgrammee))]
    assert sorted(years) == [2024, 2024, 2024, 2025, 2025]


def test_a_table_without_the_required_columns_is_refused_in_french(workspace, registry, tmp_path):
    pd.DataFrame([["Date", "Montant"], ["2025", "100"]]).to_excel(tmp_path / "x.xlsx", header=False, index=False)
    run = cdv("--racine", str(workspace.root), "programmation", "importer", str(tmp_path / "x.xlsx"), "--annee", "2025")
    assert run.returncode == 2 and "Colonnes introuvables" in run.stderr
