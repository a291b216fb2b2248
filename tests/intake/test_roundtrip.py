"""Blank form → filled through its controls → ingested → the JSON export gives the answers back."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest
from conftest import NS, QPV, W, fill_form
from lxml import etree

from workflow.demo.run import exemples
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.export import export_data
from workflow.render.formulaire import questionnaire_form

AMBITION_IDS = {
    "": "plein-emploi",
    "Quartier émancipé": "emancipe",
    "apaisé": "apaise",
    "Quartier apaisé": "apaise",
    "émancipé": "emancipe",
    "transitions": "transitions",
    "plein emploi": "plein-emploi",
}  # "" : BGE, inferred
QUARTIERS_FROM_TEXT = {"BGE Hauts-de-France": QPV, "Ville d'Arras": QPV[:4]}
EXTRA = [
    {
        "organisme": "Maisons et Cités",
        "campagne": 2026,
        "referent_nom": "Émilie N'GUYEN",
        "referent_fonction": "Chargée de développement social & urbain",
        "referent_courriel": "e.nguyen@maisonsetcites.example.fr",
        "referent_telephone": "06 12 34 56 78",
        "interventions_structurantes": [
            {"intitule": "GUP <quartiers>", "description": "Gestion urbaine {{ de proximité }} & tranquillité"}
        ],
        "quartiers_vises": ["quatre-as", "beaurains-territoires-vulnerabilite"],
        "agents_gouvernance": [
            {"nom": "Émilie N'GUYEN", "fonction": "Chargée de développement"},
            {"nom": "Paul MARTIN", "fonction": "Gardien d'immeuble"},
        ],
        "engagements_2024_2030": (
            "Premier paragraphe.\n- une puce\n- une autre puce\nDernier paragraphe avec « guillemets »."
        ),
        "objectifs": [
            {
                "ambition": "transitions",
                "os": "4",
                "oo": "4A",
                "libelle_saisi": (
                    "Adapter les logements pour les différents âges de la vie ou fluidifier les mutations "
                    "pour faire vivre le parcours résidentiel"
                ),
            }
        ],
    }
]
PARTNERS = exemples() + EXTRA


def expected(answers: dict) -> dict:
    return {
        "organisme": answers["organisme"],
        "campagne": int(answers["campagne"]),
        **{
            k: answers.get(k, "")
            for k in ("referent_nom", "referent_fonction", "referent_courriel", "referent_telephone")
        },
        "interventions_structurantes": answers["interventions_structurantes"],
        "quartiers_vises": QUARTIERS_FROM_TEXT.get(answers["organisme"], answers.get("quartiers_vises")),
        "agents_gouvernance": answers["agents_gouvernance"],
        "engagements_2024_2030": answers["engagements_2024_2030"],
        "objectifs": [
            {
                "ambition": AMBITION_IDS.get(o["ambition"], o["ambition"]),
                "os": int(o["os"]),
                "oo": o["oo"],
                "libelle_saisi": o["libelle_saisi"],
            }
            for o in answers["objectifs"]
        ],
    }


def submit(workspace, registry, answers: dict, tmp_path: Path, transform=None):
    blank = questionnaire_form(workspace, answers["organisme"], int(answers["campagne"]), tmp_path / "vierge.docx")
    filled = fill_form(blank, answers, workspace.inbox / f"{answers['organisme'][:12]}.docx")
    if transform:
        transform(filled)
    return ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))


def exported(registry, organisme: str) -> dict:
    with registry.session() as session:
        data = export_data(session)
    return next(q for q in data["questionnaires"] if q["organisme"] == organisme)


@pytest.mark.parametrize("answers", PARTNERS, ids=lambda a: a["organisme"])
def test_answers_come_back_through_the_export(workspace, registry, tmp_path, answers):
    result = submit(workspace, registry, answers, tmp_path)
    assert result.statut == Statut.ENREGISTRE, result.motif
    got = exported(registry, answers["organisme"])
    want = expected(answers)
    assert {k: got[k] for k in want} == want
    assert got["source"]["fichier"].endswith(".docx") and len(got["source"]["sha256"]) == 64
    assert not list(workspace.inbox.glob("*.docx")), "the original leaves the inbox once recorded"


def test_bge_raises_exactly_the_alerts_the_contract_predicts(workspace, registry, tmp_path):
    bge = next(a for a in PARTNERS if a["organisme"] == "BGE Hauts-de-France")
    submit(workspace, registry, bge, tmp_path)
    got = exported(registry, "BGE Hauts-de-France")
    assert [a["code"] for a in got["alertes"]] == ["objectif_libelle_different"] * 2
    first, second = (a["message"] for a in got["alertes"])
    assert "2A" in first and "2E" in first  # its "2A" label is the tree's 2E
    assert "2B" in second and "ne figure pas" in second  # its "2B" is in no list
    assert all(o["ambition"] == "plein-emploi" for o in got["objectifs"])


def _unwrap_controls(path: Path) -> None:
    """Delete every content control but keep what it held, as when a partner retypes in place."""
    with zipfile.ZipFile(path) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    while (sdt := next(root.iter(f"{{{W}}}sdt"), None)) is not None:
        content = sdt.find("w:sdtContent", NS)
        parent = sdt.getparent()
        index = parent.index(sdt)
        for child in reversed(list(content) if content is not None else []):
            parent.insert(index, copy.deepcopy(child))
        parent.remove(sdt)
    assert not list(root.iter(f"{{{W}}}sdt"))
    parts["word/document.xml"] = etree.tostring(root)
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


@pytest.mark.parametrize("answers", PARTNERS, ids=lambda a: a["organisme"])
def test_a_form_whose_controls_were_deleted_still_reads_the_same(workspace, registry, tmp_path, answers):
    result = submit(workspace, registry, answers, tmp_path, transform=_unwrap_controls)
    assert result.statut == Statut.ENREGISTRE, result.motif
    got = exported(registry, answers["organisme"])
    want = expected(answers)
    assert {k: got[k] for k in want} == want
    with registry.session() as session:
        provenance = export_data(session, provenance=True)["questionnaires"][0]["provenance"]
    assert provenance["organisme"]["methode"] == "tableau"
    assert all(p["methode"] != "controle" for p in provenance.values())
