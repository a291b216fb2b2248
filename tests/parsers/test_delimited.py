"""Lines delimited by « ; » pasted into Word (an association platform's export) are read as the
tables they are; prose that happens to hold semicolons stays prose."""

from __future__ import annotations

from pathlib import Path

import docx

from workflow.parsers import parser_for
from workflow.parsers.sniff import FileKind

EXPORT = [
    "# IDENTIFICATION",
    "champ;valeur",
    "nom_association;Les Bricoleurs de Saint-Michel",
    "sigle;LBSM",
    "",
    "contact_email;contact@bricoleurs.fr",
    "Nous intervenons auprès des familles ; des jeunes ; des aînés.",
    "a) participer au tiers-lieu politique de la ville ;",
    "b) associer les habitants à la conception des actions ;",
    "c) transmettre les indicateurs de suivi ;",
    "Quartier(s) (ex. : Hochettes;Quatre As) : Saint-Michel;Hochettes",
]


def _read(tmp_path: Path, lines: list[str]):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path = tmp_path / "export.docx"
    document.save(str(path))
    return parser_for(FileKind.DOCX)[1](path).units


def test_an_export_s_records_become_a_table_kept_where_they_were_read(tmp_path):
    units = _read(tmp_path, EXPORT)
    cells = [(u.row, u.col, u.text) for u in units if u.table is not None]
    assert cells == [
        (1, 1, "champ"),
        (1, 2, "valeur"),
        (2, 1, "nom_association"),
        (2, 2, "Les Bricoleurs de Saint-Michel"),
        (3, 1, "sigle"),
        (3, 2, "LBSM"),
        (4, 1, "contact_email"),
        (4, 2, "contact@bricoleurs.fr"),
    ]
    sigle = next(u for u in units if u.text == "LBSM")
    assert sigle.where == "paragraphe 4, champ 2"


def test_sentences_and_list_items_holding_semicolons_stay_lines(tmp_path):
    units = _read(tmp_path, EXPORT[6:])
    assert all(u.table is None for u in units)
    assert [u.text for u in units if u.text] == EXPORT[6:]
