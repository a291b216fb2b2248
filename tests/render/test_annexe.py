"""The annex opens in LibreOffice and holds each partner's section, answers written literally."""

from __future__ import annotations

import docx
import pytest
from conftest import CORPUS, fill_form, needs_corpus, needs_libreoffice, pdf_text, to_pdf
from support import validate_all

from workflow.intake.ingest import Arrivee, Source, ingest
from workflow.render.annexe import render_engagements_annex
from workflow.render.formulaire import questionnaire_form
from workflow.render.templating import render_docx
from workflow.render.typographie import typographie

PARTNERS = [
    {
        "organisme": "BGE Hauts-de-France",
        "campagne": 2024,
        "quartiers_vises": ["quatre-as"],
        "interventions_structurantes": [{"intitule": "ArtoiLab", "description": "Esprit entrepreneurial"}],
        "agents_gouvernance": [{"nom": "Auréline DELIERRE", "fonction": "Responsable Territorial"}],
        "engagements_2024_2030": "Renouvellement des actions.",
        "objectifs": [{"ambition": "", "os": "4", "oo": "4A", "libelle_saisi": "Individualiser les parcours"}],
    },
    {
        "organisme": "Pas-de-Calais Habitat",
        "campagne": 2024,
        "quartiers_vises": ["chanteclair-cevennes"],
        "interventions_structurantes": [{"intitule": "R&D <urbaine>", "description": "Budget {{ 2025 }} & {% if %}"}],
        "agents_gouvernance": [],
        "engagements_2024_2030": "A & B < C",
        "objectifs": [],
    },
    {
        "organisme": "Ville d'Achicourt",
        "campagne": 2024,
        "quartiers_vises": ["quatre-as"],
        "interventions_structurantes": [],
        "agents_gouvernance": [],
        "engagements_2024_2030": "",
        "objectifs": [],
    },
]


@pytest.fixture
def annexe(workspace, registry, tmp_path):
    for i, answers in enumerate(PARTNERS):
        blank = questionnaire_form(workspace, answers["organisme"], 2024, tmp_path / f"b{i}.docx")
        filled = fill_form(blank, answers, workspace.inbox / f"r{i}.docx")
        ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))
    validate_all(registry)
    return render_engagements_annex(workspace, registry)


def test_the_annex_has_one_titled_section_per_partner(annexe):
    headings = [p.text for p in docx.Document(str(annexe)).paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "ENGAGEMENTS DE LA VILLE D’ACHICOURT",  # the article of the reference data, elided
        "ENGAGEMENTS DE PAS-DE-CALAIS HABITAT",
        "ENGAGEMENTS DE BGE HAUTS-DE-FRANCE",
    ]


def test_answers_are_rendered_literally(annexe):
    text = "\n".join(p.text for p in docx.Document(str(annexe)).paragraphs)
    assert "R&D <urbaine>\u00a0: Budget {{ 2025 }} & {% if %}" in text  # French colon, signs kept
    assert "A & B < C" in text


def test_objectives_show_their_ambition_and_the_tree_label(annexe):
    text = "\n".join(p.text for p in docx.Document(str(annexe)).paragraphs)
    assert (
        "Quartier de plein emploi — OS 4\u00a0: Accompagner et développer la création d’entreprises — 4A "
        "Individualiser les parcours dans le cadre de la création d’entreprises"
    ) in text
    assert "saisi par le partenaire" not in text and "non reconnu" not in text, "no validation note in the annex"


@needs_libreoffice
def test_the_annex_converts_to_pdf_and_its_text_holds_every_section(annexe, tmp_path):
    text = pdf_text(to_pdf(annexe, tmp_path))
    flat = " ".join(text.split())
    for title in ("ENGAGEMENTS DE LA VILLE D’ACHICOURT", "ENGAGEMENTS DE PAS-DE-CALAIS HABITAT"):
        assert title in flat
    assert "R&D <urbaine>" in flat
    for question in (
        "Quels quartiers du territoire sont visés par vos engagements ?",
        "Quels objectifs stratégiques et opérationnels se rattachent à vos engagements ?",
    ):
        assert question in flat


@needs_libreoffice
def test_the_blank_form_opens_in_libreoffice_with_the_five_questions_verbatim(workspace, tmp_path):
    form = questionnaire_form(workspace, "Région Hauts-de-France", 2026, tmp_path / "f.docx")

    def plain(text: str) -> str:  # French typography aside: no-break spaces, ’
        return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'").split())

    flat = plain(pdf_text(to_pdf(form, tmp_path)))
    for question in workspace.referentiel.questionnaire.questions:
        assert plain(typographie(question.texte)) in flat  # a form keeps its words: the parsers read them back
    assert "Région Hauts-de-France" in flat and "2026" in flat


def test_a_received_file_is_never_used_as_a_template(workspace, tmp_path):
    """Jinja typed by a partner stays text even if someone renders it: the sandbox refuses code."""
    hostile = tmp_path / "hostile.docx"
    document = docx.Document()
    document.add_paragraph("{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    document.save(str(hostile))
    from jinja2.exceptions import SecurityError

    from workflow.errors import GabaritInvalide

    with pytest.raises(GabaritInvalide, match=r"^Gabarit invalide \(hostile\.docx\) : ") as caught:
        render_docx(hostile, {}, tmp_path / "out.docx")
    assert isinstance(caught.value.__cause__, SecurityError), "refused by the sandbox, not by accident"
    assert caught.value.path == hostile and "uid=" not in str(caught.value)
    assert not (tmp_path / "out.docx").exists(), "nothing written"


@needs_libreoffice
@needs_corpus
def test_a_file_libreoffice_cannot_open_is_reported_not_ignored(tmp_path):
    from workflow.libreoffice import ConversionImpossible, convert

    with pytest.raises(ConversionImpossible, match="LibreOffice n'a pas pu ouvrir"):
        convert(CORPUS / "tika_testODTEncrypted.odt", "docx", tmp_path)
