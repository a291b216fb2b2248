"""The PDF reader gives the text back in reading order: paragraphs, table cells, lists, and a
paragraph cut by a page break joined again (PDFs made from .docx files by LibreOffice)."""

from __future__ import annotations

from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import needs_libreoffice
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from golden import FIXTURES

from workflow.extract.anchors import is_running
from workflow.libreoffice import convert_all
from workflow.parsers.base import Illisible, Motif
from workflow.parsers.docx import read_docx
from workflow.parsers.pdf import _is_bold, read_pdf

CUT = "début du paragraphe coupé " + "suite " * 260 + "fin du paragraphe coupé"


def _ordered(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Fiche d'engagement", level=1)
    document.add_paragraph("Premier paragraphe, avant le tableau.")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, [("Organisme", "CAF"), ("Campagne", "2026")], strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_paragraph("Après le tableau.")
    document.add_paragraph("Soutien à la parentalité", style="List Bullet")
    document.save(str(path))
    return path


def _across_pages(path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Contrat de ville — en-tête courant"
    for n in range(1, 21):
        document.add_paragraph(f"Ligne {n}.")
    document.add_paragraph(CUT)
    document.add_paragraph("Dernier paragraphe.")
    document.save(str(path))
    return path


def _borderless(path: Path) -> Path:
    """A question column without borders, its questions in bold and flush right, the answers beside them
    (the gap between the columns is the cells' margins: two words in one type that close are one line)."""
    document = docx.Document()
    document.add_paragraph("Fiche d'engagement du partenaire, à renvoyer avant le 15 mars 2024 au service cohésion.")
    table = document.add_table(rows=4, cols=2)  # the default style draws no borders
    rows = [
        ("Organisme", ["Maison de l'Emploi"]),
        ("Où ?", ["Saint-Michel et Chanteclair."]),
        ("Qui nous représente ?", ["Mme Coralie BOUCHEZ, responsable", "M. Didier CAUDRON, directeur"]),
        ("Pièce jointe", []),
    ]
    for row, (question, answers) in zip(table.rows, rows, strict=True):
        row.cells[0].paragraphs[0].add_run(question).bold = True
        row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        row.cells[1].text = answers[0] if answers else ""
        for answer in answers[1:]:
            row.cells[1].add_paragraph(answer)
    document.add_paragraph("Transmis le 29/02/2024 par courriel au service cohésion sociale de la CUA.")
    document.save(str(path))
    return path


def _borderless_overleaf(path: Path) -> Path:
    """The same kind of table, its last answer long enough to go on over two more pages."""
    document = docx.Document()
    table = document.add_table(rows=4, cols=2)
    for n, row in enumerate(table.rows, start=1):
        row.cells[0].paragraphs[0].add_run(f"Question {n}").bold = True
        row.cells[1].text = f"Réponse {n}"
    for k in range(1, 61):
        table.rows[-1].cells[1].add_paragraph(f"Objectif {k} de la dernière réponse")
    document.save(str(path))
    return path


def _struck(path: Path) -> Path:
    document = docx.Document()
    paragraph = document.add_paragraph("Référent : ")
    paragraph.add_run("Thomas LEGRAND").font.strike = True
    paragraph.add_run(" Virginie DELATTRE")
    document.add_paragraph().add_run("Quartiers soulignés").font.underline = True
    document.save(str(path))
    return path


def _boxes(path: Path) -> Path:
    """A grid of boxes: each cell holds its title in bold, its question in small type, its answer;
    and a cell holding a label and its value side by side on each line."""
    from docx.shared import Pt

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    box = table.rows[0].cells[0]
    box.paragraphs[0].add_run("2 · NOS QUARTIERS").bold = True
    box.add_paragraph().add_run("Quels quartiers du territoire sont visés par vos engagements ?").font.size = Pt(8)
    box.add_paragraph("Les Quatre As et Chanteclair.")
    box.add_paragraph("Saint-Michel à partir de 2026.")
    side = table.rows[0].cells[1]
    side.paragraphs[0].text = "Organisme\tCAF du Pas-de-Calais"
    side.add_paragraph("Campagne\t2026")
    document.save(str(path))
    return path


def _label_column(path: Path) -> Path:
    """Two rows of a narrow borderless label | value table in one type, the second value in lower case
    (too few rows to be read as a table: the lines themselves must stay apart)."""
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(8.5)
    document.styles["Normal"].paragraph_format.space_after = Pt(0)
    document.add_paragraph("Identification du signataire")
    table = document.add_table(rows=3, cols=2)
    table.autofit = False
    rows = [
        ("Organisme signataire", "Région Hauts-de-France"),
        ("Courriel", "martine.delcourt@hautsdefrance.fr"),
        ("Objectif opérationnel (code)", "1C"),  # the label wraps: « (code) » on its own line
    ]
    for column, width in zip(table.columns, (Cm(3.2), Cm(10)), strict=True):
        column.width = width
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].width, row.cells[1].width = Cm(3.2), Cm(10)
    document.save(str(path))
    return path


def _panels(path: Path) -> Path:
    """Two panels side by side, each a title over its own ruled table, both with a « Nom » row."""
    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    for cell, (title, rows) in zip(
        layout.rows[0].cells,
        [
            ("L'ASSOCIATION", [("Nom", "Street Culture Baudimont"), ("Sigle", "SCB")]),
            ("CONTACT PROJET", [("Nom", "Inès CARLIER"), ("Fonction", "Chargée de développement")]),
        ],
        strict=True,
    ):
        cell.paragraphs[0].add_run(title).bold = True
        inner = cell.add_table(rows=len(rows), cols=2)
        inner.style = "Table Grid"
        for row, (label, value) in zip(inner.rows, rows, strict=True):
            row.cells[0].text, row.cells[1].text = label, value
    document.save(str(path))
    return path


def _bands(path: Path) -> Path:
    """A single table whose first column holds section bands merged down their rows, text turned up."""
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    rows = [("Sigle", "SCB"), ("N° SIRET", "791 854 300 00039"), ("Courriel", "a@scb.fr"), ("Téléphone", "03 21 00")]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[1].text, row.cells[2].text = label, value
        row.height = Cm(1.5)  # tall enough for the band's word on one line
    for first, last, band in ((0, 1, "IDENTIFICATION"), (2, 3, "CONTACTS")):
        cell = table.cell(first, 0).merge(table.cell(last, 0))
        cell.text = band
        direction = OxmlElement("w:textDirection")
        direction.set(qn("w:val"), "btLr")
        cell._tc.get_or_add_tcPr().append(direction)
    document.save(str(path))
    return path


def _text_columns(path: Path) -> Path:
    """A newsletter: a masthead across the page, then two columns of text (Word's section columns)."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Banque des Territoires – direction régionale – 03 20 14 19 99"
    document.add_paragraph().add_run("LA BANQUE DES TERRITOIRES ET « CŒUR DE QUARTIER »").bold = True
    document.add_paragraph("Notre contribution au contrat de ville de la Communauté Urbaine d'Arras")
    document.add_paragraph("Organisme : Banque des Territoires      Campagne : 2024")
    columns = document.add_section(WD_SECTION.CONTINUOUS)
    cols = columns._sectPr.xpath("./w:cols") or [columns._sectPr.makeelement(qn("w:cols"), {})]
    cols[0].set(qn("w:num"), "2")
    columns._sectPr.append(cols[0])
    for n in range(1, 5):
        document.add_paragraph(f"Gauche {n} : " + "un levier de notre présence dans les quartiers prioritaires " * 2)
    document.add_paragraph().add_run().add_break(WD_BREAK.COLUMN)
    for n in range(1, 5):
        document.add_paragraph(f"Droite {n} : " + "un objectif du contrat rattaché à nos engagements " * 2)
    document.save(str(path))
    return path


def _leaflet(path: Path) -> Path:
    """A leaflet folded in three: a landscape page of three panels whose lines stand level."""
    from docx.enum.section import WD_ORIENT

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    cols = section._sectPr.xpath("./w:cols") or [section._sectPr.makeelement(qn("w:cols"), {})]
    cols[0].set(qn("w:num"), "3")
    section._sectPr.append(cols[0])
    for panel in ("Nous trouver", "Qui sommes-nous", "Nos actions"):
        document.add_paragraph().add_run(panel).bold = True
        for n in range(1, 6):
            document.add_paragraph(f"{panel} {n} : une phrase de notre volet")
        if panel != "Nos actions":
            document.add_paragraph().add_run().add_break(WD_BREAK.COLUMN)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pdf")
    sources = [
        _ordered(root / "ordre.docx"),
        _across_pages(root / "pages.docx"),
        _struck(root / "barre.docx"),
        _borderless(root / "sans_bordure.docx"),
        _borderless_overleaf(root / "sans_bordure_deux_pages.docx"),
        _boxes(root / "encadres.docx"),
        _label_column(root / "colonne_libelles.docx"),
        _panels(root / "panneaux.docx"),
        _bands(root / "bandeaux.docx"),
        _text_columns(root / "colonnes.docx"),
        _leaflet(root / "depliant.docx"),
    ]
    return {p.stem: p for p in convert_all(sources, "pdf", root / "pdf")}


@needs_libreoffice
def test_paragraphs_and_cells_come_in_reading_order(pdfs):
    units = read_pdf(pdfs["ordre"]).units
    assert [u.text for u in units] == [
        "Fiche d'engagement",
        "Premier paragraphe, avant le tableau.",
        "Organisme",
        "CAF",
        "Campagne",
        "2026",
        "Après le tableau.",
        "Soutien à la parentalité",
    ]
    assert units[0].style == "Heading" and units[7].is_list and not units[6].is_list


@needs_libreoffice
def test_a_table_gives_each_cell_its_row_and_column(pdfs):
    cells = [(u.table, u.row, u.col, u.text) for u in read_pdf(pdfs["ordre"]).units if u.table is not None]
    assert cells == [(1, 1, 1, "Organisme"), (1, 1, 2, "CAF"), (1, 2, 1, "Campagne"), (1, 2, 2, "2026")]
    assert read_pdf(pdfs["ordre"]).units[3].where == "page 1, tableau 1, ligne 1, colonne 2"


@needs_libreoffice
def test_a_table_without_borders_gives_its_rows_back_and_ends_at_the_line_across_it(pdfs):
    units = read_pdf(pdfs["sans_bordure"]).units
    cells = [(u.table, u.row, u.col, u.text) for u in units if u.table is not None]
    assert cells == [
        (1, 1, 1, "Organisme"),
        (1, 1, 2, "Maison de l'Emploi"),
        (1, 2, 1, "Où ?"),
        (1, 2, 2, "Saint-Michel et Chanteclair."),
        (1, 3, 1, "Qui nous représente ?"),
        (1, 3, 2, "Mme Coralie BOUCHEZ, responsable\nM. Didier CAUDRON, directeur"),
        (1, 4, 1, "Pièce jointe"),
    ]
    assert units[0].table is None and units[-1].table is None and units[-1].text.startswith("Transmis le")
    assert units[4].where == "page 1, tableau 1, ligne 2, colonne 2"


@needs_libreoffice
def test_a_borderless_row_cut_by_the_page_break_goes_on_overleaf(pdfs):
    units = read_pdf(pdfs["sans_bordure_deux_pages"]).units
    last = [u for u in units if (u.table, u.row, u.col) == (1, 4, 2)]
    assert [u.where.split(",")[0] for u in last] == ["page 1", "page 2", "page 3"], "one cell per page, one row"
    lines = "\n".join(u.text for u in last).split("\n")
    assert lines == ["Réponse 4"] + [f"Objectif {k} de la dernière réponse" for k in range(1, 61)]
    assert all(u.table == 1 for u in units), "nothing overleaf is left outside the table"


@needs_libreoffice
def test_a_paragraph_cut_by_a_page_break_is_one_unit_and_the_running_header_is_set_apart_once(pdfs):
    with pdfplumber.open(pdfs["pages"]) as pdf:
        first, second = (" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "début du paragraphe coupé" in first and "fin du paragraphe coupé" in second, "it straddles the break"
    units = read_pdf(pdfs["pages"]).units
    texts = [u.text for u in units if not is_running(u)]
    joined = [t for t in texts if "début du paragraphe coupé" in t]
    assert len(joined) == 1 and joined[0].endswith("fin du paragraphe coupé")
    assert joined[0].split() == CUT.split()
    assert texts[:2] == ["Ligne 1.", "Ligne 2."] and texts[-1] == "Dernier paragraphe."
    assert not any("en-tête courant" in t for t in texts)
    running = [u for u in units if "en-tête courant" in u.text]  # kept once, as a Word header is, never an answer
    assert len(running) == 1 and running[0].where.startswith("en-tête, page 1")


def test_a_truncated_pdf_is_refused_as_damaged(tmp_path):
    path = tmp_path / "tronque.pdf"
    path.write_bytes((FIXTURES / "tableau_caf.pdf").read_bytes()[:3000])
    with pytest.raises(Illisible, match=r"^PDF endommagé ou illisible$") as caught:
        read_pdf(path)
    assert caught.value.motif == Motif.CORROMPU


@needs_libreoffice
def test_words_struck_through_are_left_out_and_underlined_ones_kept(pdfs):
    with pdfplumber.open(pdfs["barre"]) as pdf:
        assert "LEGRAND" in pdf.pages[0].extract_text()  # still printed, a line drawn through it
    texts = [u.text for u in read_pdf(pdfs["barre"]).units]
    assert texts == ["Référent : Virginie DELATTRE", "Quartiers soulignés"]


@needs_libreoffice
def test_a_box_gives_its_title_its_question_and_its_answer_apart_and_a_grid_in_a_cell_stays_whole(pdfs):
    cells = [(u.col, u.text) for u in read_pdf(pdfs["encadres"]).units if u.table is not None]
    assert cells[:3] == [
        (1, "2 · NOS QUARTIERS"),
        (1, "Quels quartiers du territoire sont visés par vos engagements ?"),
        (1, "Les Quatre As et Chanteclair.\nSaint-Michel à partir de 2026."),  # one type: maybe a wrapped line
    ]
    assert [text for col, text in cells if col == 2] == ["Organisme\nCAF du Pas-de-Calais\nCampagne\n2026"]


@needs_libreoffice
def test_each_row_of_a_label_column_stands_apart_even_when_its_value_goes_on_in_lower_case(pdfs):
    texts = [u.text for u in read_pdf(pdfs["colonne_libelles"]).units]
    assert "Organisme signataire" in texts and "Courriel" in texts, "two labels, not one line wrapped"
    assert "martine.delcourt@hautsdefrance.fr" in texts, "the next row's value, not the line going on above it"
    assert "Objectif opérationnel (code)" in texts, "a label wrapped before its aside is one label"


@needs_libreoffice
def test_two_panels_side_by_side_are_read_one_after_the_other_each_under_its_title(pdfs):
    texts = [u.text for u in read_pdf(pdfs["panneaux"]).units]
    assert texts == [
        "L'ASSOCIATION",
        "Nom",
        "Street Culture Baudimont",
        "Sigle",
        "SCB",
        "CONTACT PROJET",
        "Nom",
        "Inès CARLIER",
        "Fonction",
        "Chargée de développement",
    ]


@needs_libreoffice
def test_a_band_turned_on_its_side_is_read_whole_as_a_heading_before_the_rows_it_spans(pdfs):
    expected = ["IDENTIFICATION", "Sigle", "SCB", "N° SIRET", "791 854 300 00039", "CONTACTS", "Courriel"]
    source = pdfs["bandeaux"].parent.parent / "bandeaux.docx"
    for units in (read_pdf(pdfs["bandeaux"]).units, read_docx(source).units):
        assert [u.text for u in units if u.text][:7] == expected
        bands = [u for u in units if u.text in ("IDENTIFICATION", "CONTACTS")]
        assert all(u.bold and u.table is None and "ligne" in u.where for u in bands)


@needs_libreoffice
def test_two_columns_of_text_under_a_masthead_are_read_one_after_the_other(pdfs):
    starts = [
        u.text.split(" :")[0] for u in read_pdf(pdfs["colonnes"]).units if u.text.startswith(("Gauche", "Droite"))
    ]
    assert starts == [f"Gauche {n}" for n in range(1, 5)] + [f"Droite {n}" for n in range(1, 5)]


@needs_libreoffice
def test_a_leaflet_s_three_panels_are_read_one_after_the_other_though_their_lines_stand_level(pdfs):
    units = [u.text for u in read_pdf(pdfs["depliant"]).units if u.text]
    panels = ("Nous trouver", "Qui sommes-nous", "Nos actions")
    assert units == [
        line for p in panels for line in [p, *(f"{p} {n} : une phrase de notre volet" for n in range(1, 6))]
    ]


@pytest.mark.parametrize(
    ("font", "bold"),
    [("BAAAAA+Arial-BoldMT", True), ("DAAAAA+URWBookmanDemiItalic", True), ("CAAAAA+URWBookmanLight", False)],
)
def test_a_font_is_bold_by_the_weight_its_name_gives(font, bold):
    assert _is_bold({"fontname": font}) is bold
