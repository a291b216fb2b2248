"""The blank and pre-filled forms in LibreOffice: they open without repair, their controls (drop-down
lists, date picker, locks, repeating sections) are in the XML, and a round trip through LibreOffice
(.docx → LibreOffice → .docx, as a partner who fills the form in LibreOffice sends it back) keeps
what LibreOffice supports.

What LibreOffice 7.4 (Debian 12, installed by `run.py`) keeps and drops, asserted below:
- kept: every run-level control as a content control; text controls with their French title;
  drop-down lists with all their items (our combo boxes, lists that also take a typed value,
  come back as plain drop-down lists); the date picker with its format (dd/MM/yyyy), its language
  (fr-FR) and its date; the check boxes; the placeholder state of the controls left empty;
- dropped: the tags of the controls (`w:tag`; our reader then recognises the fields by their titles
  and the layout: `tests/render/test_formulaire_saisie.py` checks the answers read back the same);
  the titles of the drop-down lists and check boxes; the locks (`w:lock`: organisme and campagne
  become editable); the repeating sections (`w15:repeatingSection` and their items: the rows stay as
  ordinary table rows, without Word's « + »).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import needs_libreoffice
from lxml import etree

from workflow.demo.run import associations_exemples, exemples
from workflow.libreoffice import convert_all
from workflow.render.formulaire import association_form, questionnaire_form
from workflow.render.saisie import W15
from workflow.workspace import init_workspace

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14, "w15": W15}
BGE = next(a for a in exemples() if a["organisme"] == "BGE Hauts-de-France")
LEO = associations_exemples()[0]
KEEP = ("referent_nom", "referent_fonction", "interventions_structurantes", "agents_gouvernance", "objectifs")
ECHEANCE = dt.date(2027, 3, 15)

pytestmark = needs_libreoffice


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> dict[str, Path]:
    """The four forms a campaign sends: blank and pre-filled, questionnaire and association form."""
    workspace = init_workspace(tmp_path_factory.mktemp("formulaires") / "espace")
    out = workspace.outbox
    previous = {k: BGE[k] for k in KEEP}
    return {
        "questionnaire_vierge": questionnaire_form(workspace, "CAF", 2027, out / "questionnaire_vierge.docx"),
        "questionnaire_prerempli": questionnaire_form(
            workspace, BGE["organisme"], 2027, out / "questionnaire_prerempli.docx", previous, ECHEANCE
        ),
        "fiche_vierge": association_form(workspace, "Atelier couture", out / "fiche_vierge.docx"),
        "fiche_preremplie": association_form(
            workspace, LEO["association_nom"], out / "fiche_preremplie.docx", LEO, ECHEANCE
        ),
    }


@pytest.fixture(scope="module")
def resaved(forms, tmp_path_factory) -> dict[str, Path]:
    """Each form opened by LibreOffice and saved again as .docx (one LibreOffice for the four)."""
    out = tmp_path_factory.mktemp("enregistres_par_libreoffice")
    return dict(zip(forms, convert_all(list(forms.values()), "docx", out), strict=True))


def _xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _count(root: etree._Element, xpath: str) -> int:
    return len(root.xpath(xpath, namespaces=NS))


def _list_items(root: etree._Element) -> list[list[str]]:
    lists = root.xpath("//w:sdtPr[w:comboBox or w:dropDownList]", namespaces=NS)
    return [[i.get(f"{{{W}}}value") for i in pr.iterfind(".//w:listItem", NS)] for pr in lists]


def _dates(root: etree._Element) -> list[tuple[str, str, str]]:
    return [
        (
            pr.find("w:date/w:dateFormat", NS).get(f"{{{W}}}val"),
            pr.find("w:date/w:lid", NS).get(f"{{{W}}}val"),
            "".join(pr.getparent().find("w:sdtContent", NS).itertext()),
        )
        for pr in root.xpath("//w:sdtPr[w:date]", namespaces=NS)
    ]


def test_blank_and_pre_filled_forms_open_in_libreoffice_without_repair(forms, resaved):
    """LibreOffice loads each form as it is (never with `RepairPackage`, so a package it would have to
    repair is refused) and saves it again: a whole document with the same words."""
    for name, form in forms.items():
        with zipfile.ZipFile(form) as z:
            assert z.testzip() is None, name
        again = docx.Document(str(resaved[name]))
        words = {w for p in docx.Document(str(form)).paragraphs for w in p.text.split()}
        assert words and words <= {w for p in again.paragraphs for w in p.text.split()} | _cell_words(again), name


def _cell_words(document) -> set[str]:
    return {w for t in document.tables for row in t.rows for c in row.cells for w in c.text.split()}


def test_drop_downs_date_picker_locks_and_repeating_sections_are_in_the_xml(forms):
    for name, form in forms.items():
        root = _xml(form)
        assert root.xpath("//w:sdtPr[w:tag/@w:val='organisme' or w:tag/@w:val='association_nom']/w:lock", namespaces=NS)
        assert _count(root, "//w15:repeatingSection") >= 3 and _count(root, "//w15:repeatingSectionItem") >= 3, name
        assert ["oui", "non"] in _list_items(root) or "2A" in {v for items in _list_items(root) for v in items}, name
    for name in ("questionnaire_vierge", "fiche_vierge"):  # every free field of a blank form shows its prompt
        free = _xml(forms[name]).xpath("//w:sdtPr[w:text and not(w:lock)]", namespaces=NS)
        assert free and all(pr.find("w:showingPlcHdr", NS) is not None for pr in free), name
    assert _dates(_xml(forms["fiche_preremplie"])) == [("dd/MM/yyyy", "fr-FR", LEO["date"])]
    assert _dates(_xml(forms["fiche_vierge"]))[0][:2] == ("dd/MM/yyyy", "fr-FR")


def test_a_libreoffice_round_trip_keeps_lists_date_and_boxes_and_drops_locks_and_repeating_sections(forms, resaved):
    """See the module's docstring for what LibreOffice 7.4 keeps and drops."""
    for name, form in forms.items():
        before, after = _xml(form), _xml(resaved[name])
        # kept
        assert sorted(_list_items(after)) == sorted(_list_items(before)), name
        assert _count(after, "//w:sdtPr/w:dropDownList") == _count(before, "//w:sdtPr[w:comboBox or w:dropDownList]")
        assert _dates(after) == _dates(before), name
        assert _count(after, "//w14:checkbox") == _count(before, "//w14:checkbox"), name
        titles = sorted(before.xpath("//w:sdtPr[w:text]/w:alias/@w:val", namespaces=NS))
        assert titles and sorted(after.xpath("//w:sdtPr[w:text]/w:alias/@w:val", namespaces=NS)) == titles, name
        assert _count(after, "//w:showingPlcHdr") > 0, name
        # dropped (when a LibreOffice keeps one of these, say so in the docstring and here)
        assert _count(before, "//w:sdtPr/w:lock") and not _count(after, "//w:sdtPr/w:lock"), name
        assert _count(before, "//w15:repeatingSection") and not _count(after, "//w15:repeatingSection"), name
        assert _count(before, "//w:sdtPr/w:tag") and not _count(after, "//w:sdtPr/w:tag"), name
        assert not after.xpath("//w:sdtPr[w:dropDownList or w14:checkbox]/w:alias", namespaces=NS), name
