"""Review of association forms: a cofinancement amount and a SIRET corrected, carried to the next
version, and the charter printing the corrected values once validated."""

from __future__ import annotations

import copy

import docx
import pytest

from workflow.demo.remplir import fill_association_form
from workflow.demo.run import associations_exemples
from workflow.errors import CdvError
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.render.chartes import render_charters
from workflow.render.formulaire import association_form
from workflow.review import actions, users
from workflow.review.dossier import alerts, load

AUTEUR = "karim.equipe"


def _send(workspace, registry, tmp_path, answers: dict, name: str) -> int:
    blank = association_form(workspace, answers["association_nom"], tmp_path / f"vierge_{name}.docx")
    filled = fill_association_form(blank, answers, workspace.inbox / f"{name}.docx")
    result = ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE and result.soumission_id, result
    return result.soumission_id


@pytest.fixture
def fiche():
    answers = copy.deepcopy(associations_exemples()[0])
    answers["siret"] = "667 114 185 00478"  # one digit off: Luhn fails
    answers["actions"][0]["cofinancements"][1]["montant"] = "trois mille quatre cents"
    return answers


def test_an_association_form_is_corrected_validated_and_carried_over(workspace, registry, tmp_path, fiche):
    ref = workspace.referentiel
    with registry.session() as session:
        users.add(session, AUTEUR, "Karim de l'équipe", users.Role.EQUIPE)
    first = _send(workspace, registry, tmp_path, fiche, "v1")
    with registry.session() as session:
        dossier = load(session, first)
        assert {a.code for a in alerts(session, dossier)} == {"siret_invalide", "montant_illisible"}
        with pytest.raises(CdvError, match="montant illisible « beaucoup »"):
            actions.correct(session, ref, dossier, "actions[0].cofinancements[1].montant", "beaucoup", "x", AUTEUR)
    with registry.session() as session:
        dossier = load(session, first)
        actions.correct(session, ref, dossier, "actions[0].cofinancements[1].montant", "3 400 €", "RIB", AUTEUR)
        actions.correct(session, ref, dossier, "siret", "667 114 185 00479", "avis INSEE", AUTEUR)
        actions.validate(session, dossier, AUTEUR)
    written, _annex = render_charters(workspace, registry)
    charter = "\n".join(
        cell.text for table in docx.Document(str(written[0])).tables for row in table.rows for cell in row.cells
    )
    spaced = charter.replace("\u202f", " ").replace("\u00a0", " ")  # whichever space the typography uses
    assert "CAF du Pas-de-Calais : 3 400 €" in spaced and "trois mille" not in spaced
    second = _send(workspace, registry, tmp_path, {**fiche, "referent_nom": "Paul LEMAIRE"}, "v2")
    with registry.session() as session:
        dossier = load(session, second)
        assert dossier.version.identite["siret"] == "667 114 185 00479"
        assert str(dossier.version.actions[0].cofinancements[1].montant) == "3400.00"
        assert [a.code for a in alerts(session, dossier) if a.ouverte] == []
