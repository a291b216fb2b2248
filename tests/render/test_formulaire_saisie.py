"""A form a partner fills without help: locks, prompts, lists, date picker, French titles, language,
core properties, repeating sections — present in the XML, read back by our reader, and what
survives LibreOffice."""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import needs_libreoffice
from lxml import etree

from workflow.demo.remplir import set_text
from workflow.demo.run import associations_exemples, exemples
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.intake.recognise import OWN_ASSOCIATION, OWN_QUESTIONNAIRE, recognise
from workflow.libreoffice import convert
from workflow.ooxml.blocks import sdt_tag
from workflow.ooxml.ns import W_SDT, W_SDTPR, qn
from workflow.parsers.docx import read_docx
from workflow.registry.export import association_dict, questionnaire_dict
from workflow.registry.queries import associations, questionnaires
from workflow.render.formulaire import association_form, questionnaire_form
from workflow.render.saisie import W15

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "w15": W15}
BGE = next(a for a in exemples() if a["organisme"] == "BGE Hauts-de-France")
LEO = associations_exemples()[0]
KEEP = ("referent_nom", "referent_fonction", "interventions_structurantes", "agents_gouvernance", "objectifs")


def _xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _control(root: etree._Element, tag: str) -> etree._Element:
    return next(s for s in root.iter(f"{{{W}}}sdt") if sdt_tag(s) == tag)


@pytest.fixture
def questionnaire(workspace, tmp_path) -> Path:
    previous = {k: BGE[k] for k in KEEP}
    echeance = dt.date(2027, 3, 15)
    return questionnaire_form(workspace, BGE["organisme"], 2027, tmp_path / "q.docx", previous, echeance)


@pytest.fixture
def association(workspace, tmp_path) -> Path:
    return association_form(workspace, LEO["association_nom"], tmp_path / "a.docx")


def test_the_form_prints_where_and_when_to_send_it_back(questionnaire):
    text = "\n".join(p.text for p in docx.Document(str(questionnaire)).paragraphs)
    assert "À renvoyer avant le 15/03/2027 à cohesion.sociale@cu-arras.fr" in text


def test_identity_fields_are_locked_and_free_fields_show_a_prompt(questionnaire):
    root = _xml(questionnaire)
    for tag in ("organisme", "campagne"):
        assert _control(root, tag).find("w:sdtPr/w:lock", NS).get(f"{{{W}}}val") == "sdtContentLocked"
    empty = _control(root, "referent_courriel")
    assert empty.find("w:sdtPr/w:showingPlcHdr", NS) is not None
    assert "".join(empty.find("w:sdtContent", NS).itertext()) == "Cliquez ou appuyez ici pour entrer du texte."
    filled = _control(root, "referent_nom")
    assert filled.find("w:sdtPr/w:showingPlcHdr", NS) is None


def test_objectives_offer_the_tree_in_lists_and_keep_free_entry(questionnaire, workspace):
    root = _xml(questionnaire)
    ambition = _control(root, "ambition").find("w:sdtPr/w:comboBox", NS)
    items = [i.get(f"{{{W}}}displayText") for i in ambition.findall("w:listItem", NS)]
    assert items == [a.libelle for a in workspace.referentiel.ambitions]
    codes = [i.get(f"{{{W}}}value") for i in _control(root, "oo").findall("w:sdtPr/w:comboBox/w:listItem", NS)]
    assert "2A" in codes and "6F" in codes
    assert _control(root, "os").find("w:sdtPr/w:comboBox", NS) is not None


def test_the_association_form_has_a_yes_no_list_and_a_date_picker(association):
    root = _xml(association)
    values = [i.get(f"{{{W}}}value") for i in _control(root, "demande_cpo").iterfind(".//w:listItem", NS)]
    assert values == ["oui", "non"]
    picker = _control(root, "date").find("w:sdtPr/w:date", NS)
    assert picker.find("w:dateFormat", NS).get(f"{{{W}}}val") == "dd/MM/yyyy"
    assert picker.find("w:lid", NS).get(f"{{{W}}}val") == "fr-FR"


def test_controls_have_french_titles_and_the_document_is_french_with_real_properties(questionnaire, association):
    for form in (questionnaire, association):
        root = _xml(form)
        titles = [a.get(f"{{{W}}}val") for a in root.iterfind(".//w:sdtPr/w:alias", NS)]
        assert titles and not [t for t in titles if "_" in t], titles
        assert b"fr-FR" in zipfile.ZipFile(form).read("word/styles.xml")
        properties = docx.Document(str(form)).core_properties
        assert properties.author == "Communauté Urbaine d'Arras"
        assert properties.title
        assert properties.created is not None and properties.created.date() == dt.date.today()


def test_lists_are_repeating_sections_word_can_extend(questionnaire, association):
    root = _xml(questionnaire)
    assert "w15" in root.get(qn("mc:Ignorable")).split()
    for tag in ("interventions_structurantes", "agents_gouvernance", "objectifs"):
        container = _control(root, tag)
        section = container.find(".//w:sdt/w:sdtPr/w15:repeatingSection", NS)
        assert section is not None, tag
        assert container.findall(".//w15:repeatingSectionItem", NS), tag
    actions = _control(_xml(association), "actions")
    assert actions.find("w:sdtPr/w15:repeatingSection", NS) is not None
    assert len(actions.findall(".//w:sdt/w:sdtPr/w15:repeatingSectionItem", NS)) >= 2 + 2 * 3  # actions, co-funding


def _ingest(workspace, registry, path: Path) -> int:
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=False))
    assert result.statut == Statut.ENREGISTRE, result
    return result.soumission_id or 0


def _answers(registry, soumission: int) -> dict:
    with registry.session() as session:
        found = [v for v in questionnaires(session) if v.soumission_id == soumission]
        if found:
            data = questionnaire_dict(found[0])
        else:
            data = association_dict(next(v for v in associations(session) if v.soumission_id == soumission))
    return {k: v for k, v in data.items() if k not in ("source", "version", "courant", "revue", "statut_revue")}


def test_a_row_added_with_the_plus_of_a_repeating_section_is_read_back(workspace, registry, questionnaire, tmp_path):
    document = docx.Document(str(questionnaire))
    container = next(s for s in document.element.body.iter(W_SDT) if sdt_tag(s) == "agents_gouvernance")
    items = [s for s in container.iter(W_SDT) if s.find(W_SDTPR).find(f"{{{W15}}}repeatingSectionItem") is not None]
    filled = [i for i in items if any(sdt_tag(s) == "nom" and "".join(s.itertext()).strip() for s in i.iter(W_SDT))]
    new = copy.deepcopy(filled[-1])  # what Word's « + » does: a copy of the item, then typed over
    filled[-1].addnext(new)
    for sdt in new.iter(W_SDT):
        if sdt_tag(sdt) in ("nom", "fonction"):
            set_text(sdt, {"nom": "Ana ROUSSEL", "fonction": "Chargée de mission"}[sdt_tag(sdt)])
    for sdt in document.element.body.iter(W_SDT):
        if sdt_tag(sdt) == "referent_courriel":
            set_text(sdt, "a.delierre@bge-hdf.example.fr")
    document.save(str(tmp_path / "plus.docx"))
    agents = _answers(registry, _ingest(workspace, registry, tmp_path / "plus.docx"))["agents_gouvernance"]
    assert agents == [*BGE["agents_gouvernance"], {"nom": "Ana ROUSSEL", "fonction": "Chargée de mission"}]


def test_a_blank_form_holds_no_answer_but_its_prompts(workspace, tmp_path, association):
    from workflow.extract.association import extract_association
    from workflow.parsers.docx import read_docx

    read = extract_association(read_docx(association), workspace.referentiel)
    assert "Cliquez" not in repr(read)


@needs_libreoffice
@pytest.mark.parametrize("kind", ["questionnaire", "association"])
def test_a_pre_filled_form_saved_by_libreoffice_reads_back_the_same(workspace, registry, tmp_path, kind):
    if kind == "questionnaire":
        previous = {k: BGE[k] for k in KEEP} | {"referent_courriel": "a.delierre@bge-hdf.example.fr"}
        form = questionnaire_form(workspace, BGE["organisme"], 2027, tmp_path / "f.docx", previous)
    else:
        form = association_form(workspace, LEO["association_nom"], tmp_path / "f.docx", LEO)
    resaved = convert(form, "docx", tmp_path / "lo")
    original = _answers(registry, _ingest(workspace, registry, form))
    assert _answers(registry, _ingest(workspace, registry, resaved)) == original
    root = _xml(resaved)
    # what LibreOffice keeps: titles, drop-down lists (combo boxes become lists), date picker, check boxes
    assert [a.get(f"{{{W}}}val") for a in root.iterfind(".//w:alias", NS)]
    assert root.find(".//w:sdtPr/w:dropDownList", NS) is not None
    assert root.find(".//w14:checkbox", {"w14": "http://schemas.microsoft.com/office/word/2010/wordml"}) is not None
    if kind == "association":
        assert root.find(".//w:sdtPr/w:date", NS) is not None


def test_our_forms_carry_their_marker_and_are_told_by_it(workspace, questionnaire, association):
    ref = workspace.referentiel
    pairs = ((questionnaire, "questionnaire", OWN_QUESTIONNAIRE), (association, "association", OWN_ASSOCIATION))
    for form, kind, told in pairs:
        assert docx.Document(str(form)).core_properties.identifier == f"cdv:{kind}:v1"
        assert "cdv:" not in docx.Document(str(form)).core_properties.subject  # the subject is for people
        found = recognise(read_docx(form), ref)
        assert (found.type.value, found.indices) == (kind, told)
