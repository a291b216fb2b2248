"""The review queue shows the least sure readings first: a letter read from prose before our own
form read from its controls, at equal blocking alerts."""

from __future__ import annotations

from pathlib import Path

import docx
import yaml

from workflow.demo.remplir import fill_questionnaire_form
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.render.formulaire import questionnaire_form
from workflow.review.queue import queue

DEMO = Path(__file__).resolve().parents[2] / "workflow" / "demo" / "reponses.yaml"
BGE = next(a for a in yaml.safe_load(DEMO.read_text(encoding="utf-8")) if a["organisme"] == "BGE Hauts-de-France")
LETTER = [
    "Organisme : Ville d'Arras",
    "Campagne : 2024",
    "Nom du référent : Nadia LEROY",
    "Courriel : nadia.leroy@ville-arras.fr",
    "Interventions structurantes",
    "Maisons de quartier : accueil et animation.",
    "Quartiers visés",
    "Saint-Michel",
    "Agents mobilisés dans la gouvernance",
    "M. DUPONT Jean, directeur de la cohésion sociale",
    "Engagements 2024-2030",
    "Maintien des maisons de quartier.",
    "Objectifs",
    "Quartier apaisé – OS 1 – 1A : Créer des tiers-lieux et des équipements jeunesse",
]


def test_values_read_from_prose_come_before_values_read_from_controls(workspace, registry, tmp_path):
    blank = questionnaire_form(workspace, BGE["organisme"], 2024, tmp_path / "v.docx")
    form = fill_questionnaire_form(blank, BGE, workspace.inbox / "bge.docx")
    assert ingest(workspace, registry, Arrivee(form, Source.DOSSIER, deplacer=True)).statut == Statut.ENREGISTRE
    letter = docx.Document()
    for line in LETTER:
        letter.add_paragraph(line)
    letter.save(str(workspace.inbox / "arras.docx"))
    result = ingest(workspace, registry, Arrivee(workspace.inbox / "arras.docx", Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE
    with registry.session() as session:
        lines = queue(session)
        assert [(line.dossier.organisme, len(line.bloquantes)) for line in lines] == [
            ("Ville d'Arras", 0),
            ("BGE Hauts-de-France", 0),
        ]
        assert lines[0].deduites > 5 and lines[1].deduites == 0
