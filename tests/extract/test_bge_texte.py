"""BGE Hauts-de-France's answer typed as plain text, as the contract prints it, in .docx and .pdf."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from conftest import QPV, SEEDS, needs_libreoffice, requires

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.libreoffice import convert
from workflow.registry.export import export_data

SEED = next(SEEDS.glob("003_*.txt"), None)
pytestmark = requires(SEED is not None, f"contrat (seed 003_*.txt) absent de {SEEDS}")
OBJECTIFS = [
    (
        "plein-emploi",
        2,
        "2A",
        "Développer et maintenir des points de proximité pour relayer les informations sur "
        "l'emploi, l'insertion et la formation",
    ),
    (
        "plein-emploi",
        2,
        "2B",
        "Développer les actions d'Aller Vers pour repérer les publics les plus éloignés (Bus de la Création)",
    ),
    ("plein-emploi", 3, "3A", "Accompagner les initiatives ESS au sein des quartiers"),
    ("plein-emploi", 3, "3B", "Rendre visibles et essaimer les initiatives"),
    (
        "plein-emploi",
        4,
        "4A",
        "Individualiser les parcours dans le cadre de la création d'entreprises et garantir "
        "le suivi et la pérennité de l'activité",
    ),
    ("plein-emploi", 4, "4B", "Détecter les porteurs d'idées en s'appuyant sur les acteurs des quartiers"),
]


def bge_paragraphs() -> list[str]:
    """The BGE section of the contract, paragraph by paragraph, markup removed."""
    text = SEED.read_text(encoding="utf-8")
    section = text[text.index("ENGAGEMENTS DE BGE HAUTS-DE-FRANCE") :]
    return [re.sub(r"</?u>", "", line).strip() for line in section.splitlines() if line.strip()]


def bge_docx(path: Path) -> Path:
    document = docx.Document()
    for paragraph in bge_paragraphs():
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def _check(got: dict) -> None:
    assert got["organisme"] == "BGE Hauts-de-France"
    assert [i["intitule"] for i in got["interventions_structurantes"]] == ["ArtoiLab", "Sécuriser Mon Projet"]
    securiser = got["interventions_structurantes"][1]["description"].split("\n")
    assert len(securiser) == 3 and securiser[1].startswith("Une sécurisation des parcours")
    assert got["quartiers_vises"] == QPV
    assert got["agents_gouvernance"] == [{"nom": "Auréline DELIERRE", "fonction": "Responsable Territorial"}]
    lines = got["engagements_2024_2030"].split("\n")
    assert len(lines) == 8 and lines[3].startswith("- Un accélérateur émergence")
    assert lines[-1] == "Enfin, BGE Hauts de France est signataire de la convention PAQTE."
    assert [(o["ambition"], o["os"], o["oo"], o["libelle_saisi"]) for o in got["objectifs"]] == OBJECTIFS
    codes = [a["code"] for a in got["alertes"]]
    assert sorted(codes) == ["lecture_incertaine"] * 2 + ["objectif_libelle_different"] * 2
    # the prose under the objectives question is set aside for a person, never read as an objective
    unplaced = [a["message"] for a in got["alertes"] if a["code"] == "lecture_incertaine"]
    assert "« Voir livret fourni en annexe »" in unplaced[0]


def _ingest(workspace, registry, path: Path) -> dict:
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE, result.motif
    with registry.session() as session:
        return export_data(session, provenance=True)["questionnaires"][0]


def test_bge_plain_text_docx_gives_the_expected_fields(workspace, registry):
    got = _ingest(workspace, registry, bge_docx(workspace.inbox / "bge.docx"))
    _check(got)
    assert got["provenance"]["organisme"]["localisation"].endswith("(titre)")
    assert got["provenance"]["campagne"]["methode"] == "deduit"


@needs_libreoffice
def test_bge_plain_text_pdf_gives_the_expected_fields(workspace, registry, tmp_path):
    pdf = convert(bge_docx(tmp_path / "bge.docx"), "pdf", workspace.inbox)
    got = _ingest(workspace, registry, pdf)
    _check(got)
    assert got["provenance"]["interventions_structurantes[0].intitule"]["localisation"].startswith("page 1")
