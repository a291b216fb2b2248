"""The forms partners fill carry French typography in their own text, never in what is typed in them,
and a form filled and returned still reads back whole."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from workflow.demo.remplir import fill_association_form, fill_questionnaire_form
from workflow.demo.run import associations_exemples, exemples
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.queries import associations, questionnaires
from workflow.render.formulaire import association_form, questionnaire_form

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BGE = next(a for a in exemples() if a["organisme"] == "BGE Hauts-de-France")
LEO = associations_exemples()[0]


def _texts(path: Path) -> tuple[str, str]:
    """Return (the form's own text, the text inside its controls)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    own, typed = [], []
    for t in root.iter(f"{{{W}}}t"):
        inside = any(a.tag == f"{{{W}}}sdt" for a in t.iterancestors())
        (typed if inside else own).append(t.text or "")
    return "\n".join(own), "\n".join(typed)


def _assert_french(text: str, name: str) -> None:
    assert not re.search(r" [:;!?»]|« ", text), f"{name}: a breaking space at punctuation"
    assert not re.search(r"\w'\w", text), f"{name}: a straight apostrophe"
    assert "\u202f?" in text or "\u00a0:" in text, f"{name}: no typography applied at all"


def test_the_forms_own_text_is_french_and_typed_values_stay_as_typed(workspace, tmp_path):
    previous = {"referent_nom": "O'Neil", "engagements_2024_2030": "Suivi : 2 fois l'an"}
    questionnaire = questionnaire_form(workspace, "CAF", 2027, tmp_path / "q.docx", previous)
    association = association_form(workspace, LEO["association_nom"], tmp_path / "a.docx")
    for path in (questionnaire, association):
        own, _ = _texts(path)
        _assert_french(own, path.name)
    _, typed = _texts(questionnaire)
    assert "O'Neil" in typed and "Suivi : 2 fois l'an" in typed, "a partner's value is never retyped"


def test_a_filled_form_with_french_typography_reads_back_whole(workspace, registry, tmp_path):
    blank = questionnaire_form(workspace, BGE["organisme"], 2024, tmp_path / "q.docx")
    filled = fill_questionnaire_form(blank, BGE, tmp_path / "reponse.docx")
    blank_fiche = association_form(workspace, LEO["association_nom"], tmp_path / "a.docx")
    fiche = fill_association_form(blank_fiche, LEO, tmp_path / "fiche.docx")
    for path in (filled, fiche):
        result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=False))
        assert result.statut == Statut.ENREGISTRE, result
    with registry.session() as session:
        read = questionnaires(session)[0]
        assert read.referent_nom == BGE["referent_nom"]
        assert [i.intitule for i in read.interventions] == [i["intitule"] for i in BGE["interventions_structurantes"]]
        assert not [a.code for a in read.alertes if a.code in ("question_absente", "section_vide")]
        fiche_read = associations(session)[0]
        assert fiche_read.identite["association_nom"] == LEO["association_nom"]
        assert not [a["code"] for a in fiche_read.alertes if a["code"] in ("question_absente", "section_vide")]
