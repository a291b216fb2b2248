"""Governance meetings typed one by one or imported from a spreadsheet."""

from __future__ import annotations

import pandas as pd
from support import cdv

from workflow.registry.db import Registry
from workflow.suivi.gouvernance import reunions


def test_meetings_are_added_listed_and_imported(workspace, tmp_path):
    root = str(workspace.root)
    added = cdv(
        "--racine",
        root,
        "instances",
        "ajouter",
        "copil",
        "14/03/2025",
        "--participants",
        "32",
        "--institutions",
        "État, CUA, CAF",
    )
    assert added.returncode == 0 and "Réunion enregistrée : copil le 14/03/2025." in added.stdout
    refused = cdv("--racine", root, "instances", "ajouter", "conseil municipal", "14/03/2025")
    assert refused.returncode == 2 and "Instance inconnue" in refused.stderr and "mous" in refused.stderr
    sheet = tmp_path / "reunions.xlsx"
    pd.DataFrame(
        [
            ["Réunions 2025", "", "", ""],
            ["Type de réunion", "Date de la réunion", "Nombre de participants", "Institutions représentées"],
            ["Comité des financeurs", "2025-02-10", "18", "État ; CUA ; Département"],
            ["MOUS", "07/04/2025", "9", "CUA, État, Arras"],
            ["Conseil d'école", "12/04/2025", "5", ""],
            ["copil", "14/03/2025", "35", "État, CUA, CAF, Région"],  # updates the meeting typed above
        ]
    ).to_excel(sheet, header=False, index=False)
    imported = cdv("--racine", root, "instances", "importer", str(sheet))
    assert imported.returncode == 0, imported.stderr
    assert "3 réunions enregistrées, 1 ligne rejetée." in imported.stdout
    assert "ligne 5 : Instance inconnue « Conseil d'école »" in imported.stdout
    listing = cdv("--racine", root, "instances", "liste", "--annee", "2025").stdout
    assert listing.index("10/02/2025") < listing.index("14/03/2025") < listing.index("07/04/2025")
    assert "comite-financeurs" in listing and "35" in listing and "Région" in listing
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        sources = {m.instance: m.source for m in reunions(session, 2025)}
    registry.close()
    assert sources == {
        "comite-financeurs": "reunions.xlsx, ligne 3",
        "copil": "reunions.xlsx, ligne 6",  # typed first, then updated by the spreadsheet
        "mous": "reunions.xlsx, ligne 4",
    }
