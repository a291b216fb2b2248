"""Review on real files: read → corrected once → validated → documents; corrections survive new
versions; nothing flagged reaches a document or an e-mail. On SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil

import docx
import pytest
from click.testing import CliRunner
from conftest import AUTEUR, fill_form
from support import ANSWERS, PDC

from workflow.cli import app
from workflow.cli.base import console
from workflow.errors import CdvError
from workflow.intake import storage
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.export import export_data
from workflow.registry.models import Soumission
from workflow.registry.queries import retours_campagne
from workflow.render.annexe import render_engagements_annex
from workflow.render.formulaire import questionnaire_form
from workflow.review import actions
from workflow.review.dossier import alerts, load
from workflow.review.journal import entries
from workflow.review.status import StatutRevue


def _send(workspace, registry, tmp_path, name: str, **changes) -> int:
    blank = questionnaire_form(workspace, PDC, 2024, tmp_path / f"vierge_{name}.docx")
    filled = fill_form(blank, {**ANSWERS, **changes}, workspace.inbox / f"{name}.docx")
    result = ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE, result
    assert result.soumission_id is not None
    return result.soumission_id


def _correct_both(workspace, registry, soumission: int) -> None:
    ref = workspace.referentiel
    with registry.session() as session:
        dossier = load(session, soumission)
        codes = {a.code for a in alerts(session, dossier) if a.ouverte}
        assert codes == {"courriel_invalide", "objectif_inconnu"}
        actions.correct(session, ref, dossier, "referent_courriel", "nadia.leroy@pdc-habitat.fr", "appel", AUTEUR)
        actions.correct(session, ref, dossier, "objectifs[0].oo", "4A", "code du contrat", AUTEUR)


def test_corrected_values_reach_the_annex_the_export_and_the_journal(workspace, db, tmp_path):
    soumission = _send(workspace, db, tmp_path, "v1")
    with db.session() as session, pytest.raises(CdvError, match="validation refusée : 2 alerte"):
        actions.validate(session, load(session, soumission), AUTEUR)
    _correct_both(workspace, db, soumission)
    with db.session() as session:
        actions.validate(session, load(session, soumission), AUTEUR)
    annex = render_engagements_annex(workspace, db)
    text_ = "\n".join(p.text for p in docx.Document(str(annex)).paragraphs)
    assert "4A Individualiser les parcours" in text_ and "4Z" not in text_
    assert "PROJET" not in text_
    with db.session() as session:
        q = export_data(session)["questionnaires"][0]
        journal = [(e.action, e.champ, e.par) for e in entries(session)]
    assert q["referent_courriel"] == "nadia.leroy@pdc-habitat.fr"
    assert q["objectifs"][0]["oo"] == "4A"
    assert q["revue"]["statut"] == "validee" and q["revue"]["par"] == AUTEUR
    assert {(c["champ"], c["valeur"], c["valeur_lue"], c["corrigee_par"]) for c in q["corrections"]} == {
        ("referent_courriel", "nadia.leroy@pdc-habitat.fr", "nadia.leroy pdc-habitat.fr", AUTEUR),
        ("objectifs[0].oo", "4A", "4Z", AUTEUR),
    }
    assert journal == [
        ("correction", "referent_courriel", AUTEUR),
        ("correction", "objectifs[0].oo", AUTEUR),
        ("validation", "statut", AUTEUR),
    ]


def test_corrections_carry_over_unless_the_partner_changed_the_field(workspace, db, tmp_path):
    _correct_both(workspace, db, _send(workspace, db, tmp_path, "v1"))
    second = _send(workspace, db, tmp_path, "v2", referent_nom="Nadia LEROY-DUPONT")
    with db.session() as session:
        dossier = load(session, second)
        assert dossier.version.referent_courriel == "nadia.leroy@pdc-habitat.fr"
        assert dossier.version.objectifs[0].reference == "plein-emploi/4/4A"
        assert [a.code for a in alerts(session, dossier) if a.ouverte] == []
        actions.validate(session, dossier, AUTEUR)
    third = _send(workspace, db, tmp_path, "v3", referent_courriel="contact@pdc-habitat.fr")
    with db.session() as session:
        dossier = load(session, third)
        assert dossier.version.referent_courriel == "contact@pdc-habitat.fr"
        assert dossier.version.objectifs[0].oo == "4A", "the other correction still carries"
        stale = [a for a in alerts(session, dossier) if a.code == "correction_caduque"]
        assert [a.champ for a in stale] == ["referent_courriel"]
        assert "contact@pdc-habitat.fr" in stale[0].message and "sophie.marchand" in stale[0].message
    with db.session() as session:
        sha = session.get(Soumission, third).sha256
    same = tmp_path / "meme_fichier.docx"
    shutil.copyfile(storage.archive_path(workspace, sha, "docx"), same)
    assert ingest(workspace, db, Arrivee(same, Source.COMMANDE)).statut == Statut.DOUBLON


def test_a_flagged_address_is_never_written_to(workspace, db, tmp_path):
    soumission = _send(workspace, db, tmp_path, "v1", referent_courriel="nadia@pdc-habitat.fr")
    sig = workspace.referentiel.signataires.signataires
    with db.session() as session:
        assert retours_campagne(session, sig, 2024).courriels.get("pas-de-calais-habitat") == "nadia@pdc-habitat.fr"
    flagged = _send(workspace, db, tmp_path, "v2", referent_courriel="nadia pdc-habitat.fr")
    with db.session() as session:
        assert "pas-de-calais-habitat" not in retours_campagne(session, sig, 2024).courriels
        actions.correct(
            session,
            workspace.referentiel,
            load(session, flagged),
            "referent_courriel",
            "n@pdc-habitat.fr",
            "tél.",
            AUTEUR,
        )
    with db.session() as session:
        assert retours_campagne(session, sig, 2024).courriels["pas-de-calais-habitat"] == "n@pdc-habitat.fr"
    assert soumission


def test_a_draft_is_marked_and_the_default_holds_only_validated_versions(workspace, db, tmp_path):
    _send(workspace, db, tmp_path, "v1")
    default = render_engagements_annex(workspace, db, tmp_path / "annexe.docx")
    draft = render_engagements_annex(workspace, db, tmp_path / "projet.docx", projet=True)
    default_text = "\n".join(p.text for p in docx.Document(str(default)).paragraphs)
    draft_text = "\n".join(p.text for p in docx.Document(str(draft)).paragraphs)
    assert "PAS-DE-CALAIS HABITAT" not in default_text and "0 signataire" in default_text
    assert "PROJET — contient des valeurs non vérifiées" in draft_text
    assert "PROJET — section non encore vérifiée" in draft_text and "PAS-DE-CALAIS HABITAT" in draft_text
    assert "non reconnu" not in draft_text and "saisi par le partenaire" not in draft_text


def test_refused_actions_say_why_and_change_nothing(workspace, db, tmp_path):
    soumission = _send(workspace, db, tmp_path, "v1")
    ref = workspace.referentiel
    refusals = [
        ("referent_fax", "x", "champ « referent_fax » inconnu"),
        ("referent_courriel", "toujours pas une adresse", "valeur refusée : adresse électronique invalide"),
        ("objectifs[0].oo", "9Q", "valeur refusée"),
        ("interventions_structurantes[3].intitule", "x", "élément absent"),
    ]
    for champ, valeur, why in refusals:
        with db.session() as session, pytest.raises(CdvError, match=why):
            actions.correct(session, ref, load(session, soumission), champ, valeur, "essai", AUTEUR)
    with db.session() as session, pytest.raises(CdvError, match="pas d'alerte « siret_invalide »"):
        actions.accept(session, load(session, soumission), "siret_invalide", "essai", AUTEUR)
    with db.session() as session:
        dossier = load(session, soumission)
        assert dossier.version.referent_courriel == "nadia.leroy pdc-habitat.fr"
        assert dossier.statut == StatutRevue.A_VERIFIER
        assert entries(session) == []


def test_the_review_commands_work_end_to_end_in_french(workspace, db, tmp_path, monkeypatch):
    soumission = str(_send(workspace, db, tmp_path, "v1"))
    monkeypatch.setenv("CDV_AUTEUR", AUTEUR)
    monkeypatch.setattr(console, "_width", 300)  # rich tables at full width, as in a wide terminal
    run = CliRunner().invoke
    base = ["--racine", str(workspace.root)]
    listed = run(app, [*base, "revue", "liste"])
    assert listed.exit_code == 0 and PDC.split()[0] in listed.output and "courriel_invalide" in listed.output
    refused = run(app, [*base, "revue", "valider", soumission])
    assert refused.exit_code != 0 and "validation refusée" in str(refused.exception)
    steps = [
        ["revue", "corriger", soumission, "referent_courriel", "nadia.leroy@pdc-habitat.fr", "--motif", "appel"],
        ["revue", "accepter", soumission, "objectif_inconnu", "--motif", "objectif propre au bailleur"],
        ["revue", "note", soumission, "Rappeler en mars"],
        ["revue", "valider", soumission],
    ]
    for step in steps:
        done = run(app, [*base, *step])
        assert done.exit_code == 0, (step, done.output, done.exception)
    shown = run(app, [*base, "revue", "voir", soumission])
    assert "validée par sophie.marchand" in shown.output and "Rappeler en mars" in shown.output
    journal = run(app, [*base, "journal", "--organisme", "Pas-de-Calais"])
    assert journal.exit_code == 0
    for word in ("correction d'une valeur", "décision sur une alerte", "note interne", "validation"):
        assert word in journal.output
    stranger = run(app, [*base, "revue", "note", soumission, "x", "--auteur", "inconnu"])
    assert "utilisateur « inconnu » inconnu" in str(stranger.exception)
