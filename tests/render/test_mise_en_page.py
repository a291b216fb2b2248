"""The finishing steps every rendered document goes through, checked on the XML they leave."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from workflow.render.mise_en_page import finir
from workflow.render.typographie import _collateur, nombre, tri_fr, typographie


def _has(paragraph, tag: str) -> bool:
    return paragraph._p.find(f"{qn('w:pPr')}/{qn(tag)}") is not None


def _page_break_paragraphs(document) -> list:
    return [
        p
        for p in document.paragraphs
        if not p.text and any(br.get(qn("w:type")) == "page" for br in p._p.iter(qn("w:br")))
    ]


def test_a_page_break_paragraph_becomes_a_break_before_the_next_heading():
    document = docx.Document()
    document.add_heading("ENGAGEMENTS DE LA VILLE D'ARRAS", 1)
    document.add_paragraph("Un texte qui peut remplir toute la page.")
    document.add_page_break()
    document.add_heading("ENGAGEMENTS DU DÉPARTEMENT", 1)
    finir(document, "Annexe")
    assert _page_break_paragraphs(document) == [], "no paragraph left to fall alone on a blank page"
    second = next(p for p in document.paragraphs if p.text == "ENGAGEMENTS DU DÉPARTEMENT")
    assert _has(second, "w:pageBreakBefore")
    assert not _has(document.paragraphs[0], "w:pageBreakBefore")


def test_the_last_row_of_a_table_stays_with_the_row_before_and_the_header_with_two_rows():
    document = docx.Document()
    table = document.add_table(rows=6, cols=2)
    for i, row in enumerate(table.rows):
        row.cells[0].text, row.cells[1].text = f"Instance {i}", str(i)
    finir(document, "Rapport")
    before_last = table.rows[-2].cells[0].paragraphs[0]
    assert _has(before_last, "w:keepNext"), "a total never sits alone at the top of a page"
    first_two = [table.rows[i].cells[0].paragraphs[0] for i in (0, 1)]
    assert all(_has(p, "w:keepNext") for p in first_two), "never a header and one row alone at a page's foot"
    assert not _has(table.rows[2].cells[0].paragraphs[0], "w:keepNext"), "a long table may still break"


def test_a_summary_between_two_headings_stays_with_the_second():
    document = docx.Document()
    document.add_heading("Quartier de transitions", 1)
    summary = document.add_paragraph("32 objectifs opérationnels, 4 couverts.")
    document.add_heading("Objectif stratégique 1", 2)
    document.add_paragraph("Texte.")
    finir(document, "Annexe")
    assert _has(summary, "w:keepNext")
    assert not _has(document.paragraphs[-1], "w:keepNext")


def test_a_negative_number_takes_the_minus_sign_and_no_space_precedes_a_comma():
    assert typographie("Écart : -4 717 €") == "Écart\u00a0: −4\u202f717\u00a0€"
    assert typographie("(-3 points)") == "(−3 points)"
    assert typographie("2024-2030, 0-3 ans") == "2024-2030, 0-3 ans"
    assert typographie("jeunes adultes , notamment") == "jeunes adultes, notamment"


def test_lists_follow_icu_french_collation():
    assert _collateur() is not None, "PyICU is installed by run.py (libicu-dev, pkg-config)"
    assert tri_fr(["côté", "Côte", "cote", "coté", "Zoé", "Œuvre", "Oeil"]) == [
        "cote",
        "coté",
        "Côte",
        "côté",
        "Oeil",
        "Œuvre",
        "Zoé",
    ]


def test_counts_agree_with_their_words():
    assert nombre(0, "relance envoyée", "relances envoyées") == "0 relance envoyée"
    assert nombre(1, "relance envoyée", "relances envoyées") == "1 relance envoyée"
    assert nombre(3, "relance envoyée", "relances envoyées") == "3 relances envoyées"


def test_a_headings_short_first_paragraph_stays_with_what_it_introduces():
    document = docx.Document()
    document.add_heading("5. Gouvernance", 1)
    intro = document.add_paragraph("Objet évalué : schéma de gouvernance prévu au contrat de ville.")
    body = document.add_paragraph("Indicateurs : nombre de réunions chaque année. " * 8)
    document.add_paragraph("23 réunions des instances de gouvernance en 2026.")
    finir(document, "Rapport")
    assert _has(intro, "w:keepNext"), "a heading and its first line never end a page alone"
    assert not _has(body, "w:keepNext"), "a long text may still end a page"
