"""The line shown for a recorded form names the partner with the French elision (« d’Emmaüs »)."""

from __future__ import annotations

from workflow.demo.remplir import fill_association_form
from workflow.demo.run import associations_exemples
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.render.formulaire import association_form


def test_a_name_starting_with_a_vowel_is_elided_in_the_intake_line(workspace, registry, tmp_path):
    emmaus = next(a for a in associations_exemples() if a["association_nom"].startswith("Emmaüs"))
    blank = association_form(workspace, emmaus["association_nom"], tmp_path / "a.docx")
    fiche = fill_association_form(blank, emmaus, tmp_path / "fiche.docx")
    result = ingest(workspace, registry, Arrivee(fiche, Source.DOSSIER, deplacer=False))
    assert result.statut == Statut.ENREGISTRE
    assert f"fiche association d’{emmaus['association_nom']}, version 1" in result.detail
    assert "de Emmaüs" not in result.detail
