"""Full-text search over the registry, on SQLite (FTS5) and on the PostgreSQL server (to_tsvector):
values, organisation names, alert messages and notes, found whatever the case and accents, corrections
found at once, replaced versions only when asked."""

from __future__ import annotations

import copy

from conftest import AUTEUR, fill_form
from support import ANSWERS, PDC

from workflow.demo.remplir import fill_association_form
from workflow.demo.run import associations_exemples
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.recherche import DEBUT, FIN, extrait, mots, search
from workflow.render.formulaire import association_form, questionnaire_form
from workflow.review import actions
from workflow.review.dossier import load


def _questionnaire(workspace, registry, tmp_path, name: str, **changes) -> int:
    blank = questionnaire_form(workspace, PDC, 2024, tmp_path / f"vierge_{name}.docx")
    filled = fill_form(blank, {**ANSWERS, **changes}, tmp_path / f"{name}.docx")
    result = ingest(workspace, registry, Arrivee(filled, Source.COMMANDE))
    assert result.statut == Statut.ENREGISTRE and result.soumission_id, result
    return result.soumission_id


def _association(workspace, registry, tmp_path) -> int:
    answers = copy.deepcopy(associations_exemples()[0])
    answers["siret"] = "667 114 185 00478"  # one digit off: an alert
    blank = association_form(workspace, answers["association_nom"], tmp_path / "vierge_asso.docx")
    filled = fill_association_form(blank, answers, tmp_path / "asso.docx")
    result = ingest(workspace, registry, Arrivee(filled, Source.COMMANDE))
    assert result.statut == Statut.ENREGISTRE and result.soumission_id, result
    return result.soumission_id


def _found(registry, query: str, anciennes: bool = False) -> list[tuple[int, str, str]]:
    with registry.session() as session:
        return [(t.soumission_id, t.sorte, t.champ) for t in search(session, query, anciennes)]


def test_values_names_alerts_and_notes_are_found_whatever_the_case_and_accents(workspace, db, tmp_path):
    pdc = _questionnaire(workspace, db, tmp_path, "pdc")
    asso = _association(workspace, db, tmp_path)
    with db.session() as session:
        actions.add_note(session, load(session, pdc), "Rappeler Mme Leroy mardi matin", AUTEUR)
        actions.add_note(session, load(session, pdc), "Vu au comité Cœur de Quartier", AUTEUR)
    assert _found(db, "GESTION urbaine") == [(pdc, "valeur", "interventions_structurantes[0].intitule")]
    assert _found(db, "pas-de-calais hab") == [(pdc, "organisme", "organisme")]
    assert _found(db, "adresse electronique") == [(pdc, "alerte", "referent_courriel")]
    assert _found(db, "mardi") == [(pdc, "note", "")]
    assert _found(db, "cœur quartier") == [(pdc, "note", "")]
    assert (asso, "valeur", "actions[0].intitule") in _found(db, "cafe parents")
    assert (asso, "organisme", "organisme") in _found(db, "leo LAGRANGE")
    assert _found(db, "siret controle") == [(asso, "alerte", "siret")]
    assert (asso, "valeur", "actions[0].cofinancements[1].financeur") in _found(db, "caf pas-de-calais")
    assert _found(db, "mediation inexistante") == []


def test_a_correction_is_found_at_once_and_the_value_read_no_longer(workspace, db, tmp_path):
    pdc = _questionnaire(workspace, db, tmp_path, "pdc")
    with db.session() as session:
        actions.correct(
            session, workspace.referentiel, load(session, pdc), "interventions_structurantes[0].intitule",
            "Médiation sociale dans les halls", "appel", AUTEUR,
        )  # fmt: skip
    assert _found(db, "mediation halls") == [(pdc, "valeur", "interventions_structurantes[0].intitule")]
    assert _found(db, "gestion urbaine") == []


def test_replaced_versions_are_searched_only_when_asked(workspace, db, tmp_path):
    first = _questionnaire(workspace, db, tmp_path, "v1")
    second = _questionnaire(workspace, db, tmp_path, "v2", referent_nom="Karima BENALI")
    assert _found(db, "benali") == [(second, "valeur", "referent_nom")]
    assert (second, "valeur", "referent_nom") not in _found(db, "nadia")
    with db.session() as session:
        older = [t for t in search(session, "nadia", anciennes=True) if t.champ == "referent_nom"]
    assert [(t.soumission_id, t.version, t.courante, t.organisme) for t in older] == [(first, 1, False, PDC)]


def test_a_query_of_operators_or_punctuation_is_only_words(workspace, db, tmp_path):
    _questionnaire(workspace, db, tmp_path, "pdc")
    assert _found(db, '" * ( ) : & | !') == []
    assert _found(db, 'NEAR("gestion" OR *') == _found(db, "near gestion or")
    assert mots("L'Équipe  « Cœur » !") == ["equipe", "cœur"]
    assert mots("de la") == [] and _found(db, "de la") == []
    assert _found(db, "gestion de la proximité") == _found(db, "GESTION proximite") != []


def test_the_excerpt_marks_each_word_found_in_the_original_spelling():
    texte = "Action de proximité : médiation sociale dans les halls des Hauts-de-France."
    assert extrait(texte, ["mediation", "hall"]) == texte.replace("médiation", f"{DEBUT}médiation{FIN}").replace(
        "halls", f"{DEBUT}halls{FIN}"
    )
    long = "début " + "x " * 200 + "cible trouvée " + "y " * 200
    cut = extrait(long, ["cible"])
    assert cut.startswith("…") and cut.endswith("…") and f"{DEBUT}cible{FIN}" in cut and len(cut) < 170
