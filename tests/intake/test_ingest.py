"""Every file ends in one place: recorded, doublon, or quarantined beside a French report."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from conftest import fill_form

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.export import export_data
from workflow.render.formulaire import questionnaire_form

ANSWERS = {
    "organisme": "CAF",
    "campagne": 2024,
    "referent_nom": "Sophie MARCHAND",
    "interventions_structurantes": [{"intitule": "Centres sociaux", "description": "Agrément."}],
    "quartiers_vises": ["quatre-as"],
    "agents_gouvernance": [],
    "engagements_2024_2030": "Maintien.",
    "objectifs": [],
}


def _form(workspace, tmp_path: Path, name: str, **changes) -> Path:
    blank = questionnaire_form(workspace, "CAF", 2024, tmp_path / f"vierge_{name}")
    return fill_form(blank, {**ANSWERS, **changes}, workspace.inbox / name)


def _letter(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Objet : invitation à la fête de quartier", level=1)
    for _ in range(3):
        document.add_paragraph("Madame, Monsieur, nous avons le plaisir de vous convier à notre fête annuelle.")
    document.save(str(path))
    return path


def _truncated(workspace, tmp_path: Path) -> Path:
    good = _form(workspace, tmp_path, "source.docx")
    data = good.read_bytes()
    good.unlink()
    path = workspace.inbox / "tronque.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


BAD = {
    "texte.docx": lambda ws, tmp: (
        (ws.inbox / "texte.docx").write_text("Bonjour, voici ma réponse.\n") and ws.inbox / "texte.docx"
    ),
    "vide.docx": lambda ws, tmp: (ws.inbox / "vide.docx").write_bytes(b"") or ws.inbox / "vide.docx",
    "tronque.docx": _truncated,
    "lettre.docx": lambda ws, tmp: _letter(ws.inbox / "lettre.docx"),
}
REASONS = {
    "texte.docx": "fichier texte",
    "vide.docx": "vide",
    "tronque.docx": "tronqué",
    "lettre.docx": "ni un questionnaire",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_quarantined_with_a_french_reason(workspace, registry, tmp_path, name):
    path = BAD[name](workspace, tmp_path)
    original = path.read_bytes()
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.QUARANTAINE and not result.erreur_interne
    assert not path.exists()
    kept = workspace.quarantine / name
    assert kept.read_bytes() == original, "nothing is lost"
    report = (workspace.quarantine / f"{name}.txt").read_text(encoding="utf-8")
    assert REASONS[name] in report and "Motif" in report and result.sha256 in report
    with registry.session() as session:
        rows = export_data(session)["soumissions"]
    assert [(r["fichier"], r["statut"]) for r in rows] == [(name, "quarantaine")]


def test_the_same_bytes_twice_are_recorded_once(workspace, registry, tmp_path):
    first = _form(workspace, tmp_path, "a.docx")
    copy = workspace.inbox / "copie.docx"
    copy.write_bytes(first.read_bytes())
    assert ingest(workspace, registry, Arrivee(first, Source.DOSSIER, deplacer=True)).statut == Statut.ENREGISTRE
    again = ingest(workspace, registry, Arrivee(copy, Source.DOSSIER, deplacer=True))
    assert again.statut == Statut.DOUBLON and "a.docx" in again.motif
    with registry.session() as session:
        data = export_data(session, historique=True)
    assert len(data["questionnaires"]) == 1
    assert [s["statut"] for s in data["soumissions"]] == ["enregistre", "doublon"]
    assert len(list(workspace.archive.rglob("*.docx"))) == 1
    assert not any(workspace.inbox.glob("*.docx"))


def test_a_resubmission_becomes_the_current_version_and_keeps_the_previous(workspace, registry, tmp_path):
    ingest(workspace, registry, Arrivee(_form(workspace, tmp_path, "v1.docx"), Source.DOSSIER, deplacer=True))
    changed = _form(
        workspace,
        tmp_path,
        "v2.docx",
        referent_nom="Karim BENALI",
        quartiers_vises=["quatre-as", "chanteclair-cevennes"],
    )
    ingest(workspace, registry, Arrivee(changed, Source.DOSSIER, deplacer=True))
    with registry.session() as session:
        current = export_data(session)["questionnaires"]
        history = export_data(session, historique=True)["questionnaires"]
    assert [(q["referent_nom"], q["version"]) for q in current] == [("Karim BENALI", 2)]
    assert [(q["version"], q["courant"], q["referent_nom"]) for q in history] == [
        (1, False, "Sophie MARCHAND"),
        (2, True, "Karim BENALI"),
    ]
    assert current[0]["organisme"] == "Caisse d'Allocations Familiales du Pas-de-Calais"  # alias resolved


def test_a_file_outside_the_inbox_is_left_in_place(workspace, registry, tmp_path):
    outside = _form(workspace, tmp_path, "dehors.docx")
    moved = tmp_path / "dehors.docx"
    outside.rename(moved)
    assert ingest(workspace, registry, Arrivee(moved)).statut == Statut.ENREGISTRE
    assert moved.exists()


def test_every_value_is_traced_to_its_file_and_place(workspace, registry, tmp_path):
    ingest(workspace, registry, Arrivee(_form(workspace, tmp_path, "p.docx"), Source.DOSSIER, deplacer=True))
    with registry.session() as session:
        q = export_data(session, provenance=True)["questionnaires"][0]
    prov = q["provenance"]
    assert prov["referent_nom"] == {
        "methode": "controle",
        "localisation": "contrôle « referent_nom »",
        "certitude": "certaine",
    }
    assert "tableau 2, ligne 2, colonne 1" in prov["interventions_structurantes[0].intitule"]["localisation"]
    assert prov["quartiers_vises[0]"]["localisation"] == "case « quartier:quatre-as »"
    assert q["source"]["fichier"] == "p.docx"


def test_a_docx_with_a_crc_error_is_quarantined(workspace, registry, tmp_path):
    good = _form(workspace, tmp_path, "crc.docx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo("word/document.xml")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[offset] ^= 0xFF
    good.write_bytes(bytes(data))
    result = ingest(workspace, registry, Arrivee(good, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.QUARANTAINE
    assert (workspace.quarantine / "crc.docx").exists()
