"""Charters and the objectives annex, from the demo's 15 associations and 6 signatories."""

from __future__ import annotations

import docx
import pytest
from conftest import demo_copy, needs_libreoffice, pdf_text

from workflow.demo.run import associations_exemples
from workflow.libreoffice import convert_all
from workflow.render.typographie import siret_fr, typographie
from workflow.text import normalise


@pytest.fixture(scope="module")
def demo(demo_model, tmp_path_factory):
    return demo_copy(demo_model, tmp_path_factory.mktemp("chartes"))


def _flat(text: str) -> str:
    return " ".join(text.split())


@needs_libreoffice
@pytest.mark.timeout(600)
def test_the_demo_has_15_charters_that_open_and_hold_their_association(demo, tmp_path):
    charters = sorted((demo.outbox / "chartes").glob("*.docx"))
    assert len(charters) == 15
    pdfs = convert_all(charters, "pdf", tmp_path)
    ref = demo.referentiel
    labels = {e.id: e.libelle for e in ref.association.engagements_standards}
    for a in associations_exemples():
        slug = normalise(a["association_nom"]).replace(" ", "_")[:80]
        text = _flat(pdf_text(next(p for p in pdfs if p.stem == f"charte_{slug}")))
        assert _flat(typographie(f"CHARTE D'ENGAGEMENT — {a['association_nom'].upper()}")) in text
        assert _flat(siret_fr(a["siret"].replace(" ", ""))) in text and a["rna"] in text
        for quartier in a["quartiers_intervention"]:
            assert ref.quartier(quartier).nom in text
        objective = a["objectifs"][0]
        key = (objective["ambition"], int(objective["os"]), objective["oo"])
        tree = next(oo for amb, os_, oo in ref.iter_oo() if (amb.id, os_.numero, oo.code) == key)
        assert _flat(typographie(tree.libelle)) in text
        for engagement in a["engagements"]:
            assert _flat(typographie(labels[engagement])) in text


def test_the_gathered_annex_has_a_table_of_contents_and_every_charter(demo):
    document = docx.Document(str(demo.outbox / "annexe_chartes_engagement.docx"))
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(titles) == 15 and all(t.startswith("CHARTE D’ENGAGEMENT — ") for t in titles)
    xml = document.element.xml
    assert "TOC \\o" in xml
    body = [p.text for p in document.paragraphs]
    assert body.index("Sommaire") < body.index(titles[0])  # the contents come first, listing the titles


def test_the_objectives_annex_lists_every_objective_exactly_once(demo):
    document = docx.Document(str(demo.outbox / "annexe_objectifs.docx"))
    listed = [(row.cells[0].text, row.cells[2].text) for t in document.tables for row in t.rows[1:]]
    tree = [oo.code for _, _, oo in demo.referentiel.iter_oo()]
    assert [code for code, _ in listed] == tree and len(listed) == 107
    declared = [who for _, who in listed]
    assert "Centre social Léo Lagrange" in [x for who in declared for x in who.split(", ")]
    assert "BGE Hauts-de-France" in [x for who in declared for x in who.split(", ")]
    assert sum(who == "Aucun engagement déclaré" for who in declared) > 50  # gaps stand out
    summary = [p.text for p in document.paragraphs if "objectifs opérationnels," in p.text]
    assert summary[0].startswith("27 objectifs opérationnels") and len(summary) == 4
