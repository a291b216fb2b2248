"""Every document of the demo is fit to be annexed to a signed contract: French typography, language
and metadata, table layout, a table of contents with page numbers, French order, PDF for all."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import demo_copy, needs_libreoffice, pdf_text
from docx.oxml.ns import qn

from workflow.render.pdf import dossier_complet, en_pdf

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}"


@pytest.fixture(scope="module")
def demo(demo_model, tmp_path_factory):
    return demo_copy(demo_model, tmp_path_factory.mktemp("officiels"))


def _documents(outbox: Path) -> list[Path]:
    return [
        outbox / "annexe_engagements_signataires.docx",
        outbox / "annexe_chartes_engagement.docx",
        outbox / "annexe_objectifs.docx",
        outbox / "chartes" / "charte_emmaus_connect_arras.docx",
        outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.docx",
    ]


def _texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if re.match(r"word/(document|footer\d*|header\d*)\.xml$", n)]
        return [t for n in names for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", z.read(n).decode())]


def test_every_document_declares_french_and_real_properties(demo):
    for path in _documents(demo.outbox):
        document = docx.Document(str(path))
        default = document.styles.element.find(
            f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
        )
        assert default is not None and default.get(qn("w:val")) == "fr-FR", path.name
        langs = {e.get(qn("w:val")) for e in document.element.iter(qn("w:lang"))} - {None}
        assert langs <= {"fr-FR"}, path.name
        props = document.core_properties
        assert props.author == "Communauté Urbaine d'Arras" and props.last_modified_by == props.author
        assert props.title and props.title != "python-docx" and "Cœur de Quartier" in props.subject
        created = props.created.replace(tzinfo=props.created.tzinfo or dt.UTC)
        assert abs(created - dt.datetime.now(dt.UTC)) < dt.timedelta(days=1), path.name
        assert props.language == "fr-FR"


def test_no_amount_quote_or_colon_is_left_with_a_breaking_space(demo):
    for path in _documents(demo.outbox):
        text = "\n".join(_texts(path))
        assert not re.search(r"\d \d{3}(?!\d)", text), f"{path.name}: thousands with an ordinary space"
        assert not re.search(r"\d [€%]", text), f"{path.name}: a unit detached from its number"
        assert not re.search(r" [:;!?»]|« ", text), f"{path.name}: a breaking space at punctuation"
        assert "(s)" not in text and "coeur" not in text.lower(), path.name
        assert "'" not in text.replace("'s'", ""), f"{path.name}: straight apostrophe"


def test_contract_documents_hold_no_validation_note_nor_file_path(demo):
    for path in _documents(demo.outbox):
        text = "\n".join(_texts(path))
        for internal in ("saisi par le partenaire", "non reconnu", ".yaml", "registry/", "cdv "):
            assert internal not in text, f"{path.name}: {internal}"


def test_the_annex_names_each_signatory_with_its_article(demo):
    document = docx.Document(str(demo.outbox / "annexe_engagements_signataires.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "ENGAGEMENTS DE LA VILLE D’ARRAS" in headings
    assert "ENGAGEMENTS DU DÉPARTEMENT DU PAS-DE-CALAIS" in headings
    assert "ENGAGEMENTS DE BGE HAUTS-DE-FRANCE" in headings


def test_tables_keep_rows_whole_repeat_headers_and_align_numbers_right(demo):
    report = docx.Document(str(demo.outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.docx"))
    tables = report.element.body.findall(f".//{qn('w:tbl')}")
    assert tables
    for table in tables:
        rows = table.findall(qn("w:tr"))
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        if len(rows) > 2:
            assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    financeurs = next(t for t in report.tables if t.rows[0].cells[0].text == "Financeur")
    amount = financeurs.rows[1].cells[1]
    assert re.match(r"^[\d\u202f]+\u00a0€$", amount.text)
    assert amount.paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert financeurs.rows[0].cells[1].paragraphs[0].alignment == 2, "the header follows its numbers"
    assert financeurs.rows[1].cells[0].paragraphs[0].alignment != 2, "text stays left-aligned"


def test_headings_and_table_titles_keep_with_what_follows(demo):
    report = docx.Document(str(demo.outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.docx"))
    for p in report.paragraphs:
        if p.style.name.startswith("Heading") and p.text:
            assert p._p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, p.text
    for table in report.element.body.iter(qn("w:tbl")):
        before = table.getprevious()
        if before is not None and before.tag == qn("w:p") and "".join(before.itertext()).strip():
            assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


def test_the_charters_come_in_french_order_with_a_paged_table_of_contents(demo):
    annex = docx.Document(str(demo.outbox / "annexe_chartes_engagement.docx"))
    titles = [p.text for p in annex.paragraphs if p.style.name == "Heading 1"]
    names = [t.split(" — ", 1)[1] for t in titles]
    assert names.index("EMMAÜS CONNECT ARRAS") < names.index("ÉPICERIE SOLIDAIRE LE PANIER")
    assert names.index("ÉPICERIE SOLIDAIRE LE PANIER") < names.index("FEMMES SOLIDAIRES D’ARRAS")
    assert names.index("MÉDIATION ARRAS SUD") < names.index("MISSION LOCALE DE L’ARRAGEOIS")
    entries = [p.text for p in annex.paragraphs if p.text.split("\t")[0] in titles and "\t" in p.text]
    assert len(entries) == 15 and all(re.search(r"\t\d+$", e) for e in entries), entries[:2]
    pages = [int(e.rsplit("\t", 1)[1]) for e in entries]
    assert pages == sorted(pages) and pages[0] >= 2
    settings = annex.settings.element.find(qn("w:updateFields"))
    assert settings is not None and settings.get(qn("w:val")) == "true", "Word updates the TOC on opening"


def test_the_signature_block_has_room_for_both_parties_and_stays_with_the_text(demo):
    charter = docx.Document(str(demo.outbox / "chartes" / "charte_emmaus_connect_arras.docx"))
    table = next(t for t in charter.tables if t.rows[0].cells[0].text == "Pour l’association")
    heights = [r.height for r in table.rows if r.height]
    assert max(heights) >= 2400 * 635  # ≥ 4 cm to sign (EMU)
    heading = next(p for p in charter.paragraphs if p.text == "Signatures")
    previous = heading._p.getprevious()
    assert previous.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None


@needs_libreoffice
@pytest.mark.timeout(600)
def test_every_document_converts_to_pdf_and_reads_right(demo):
    pdfs = en_pdf(_documents(demo.outbox))
    assert all(p.is_file() and p.stat().st_size > 0 for p in pdfs)
    import pdfplumber

    with pdfplumber.open(demo.outbox / "annexe_chartes_engagement.pdf") as annex:
        contents = annex.pages[1].extract_text()  # after the cover page
        assert re.search(r"AFEJI ARTOIS\s*\.{3,}\s*3\b", contents), "the TOC lists page numbers"
        assert f"Page 2 sur {len(annex.pages)}" in contents
    for pdf in pdfs:
        for line in pdf_text(pdf).splitlines():
            assert not re.match(r"^\s*(€|%|[:;!?»])", line), f"{pdf.name}: a sign thrown to the next line: {line}"
            assert not re.match(r"^\d{3}\s*€", line.strip()), f"{pdf.name}: an amount broke across lines: {line}"


@needs_libreoffice
def test_a_folder_becomes_docx_pdf_and_one_zip(demo, tmp_path):
    folder = tmp_path / "copil_2026-12-06"
    folder.mkdir()
    (folder / "annexe.docx").write_bytes((demo.outbox / "annexe_objectifs.docx").read_bytes())
    archive = dossier_complet(folder)
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == ["copil_2026-12-06/annexe.docx", "copil_2026-12-06/annexe.pdf"]


def _cover(document) -> list:
    """The paragraphs before the first page break: the cover page."""
    cover = []
    for p in document.paragraphs:
        if p._p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None:
            break
        cover.append(p)
    return cover


def _logo_description(paragraphs) -> str | None:
    for p in paragraphs:
        for doc_pr in p._p.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
            return doc_pr.get("descr")
    return None


def test_annexes_and_report_open_on_a_cover_page_with_a_logo_slot(demo):
    for path in [*_documents(demo.outbox)[:3], _documents(demo.outbox)[4]]:
        document = docx.Document(str(path))
        cover = _cover(document)
        text = "\n".join(p.text for p in cover)
        assert "Contrat de ville\n«\u202fCœur\u00a0de\u00a0Quartier\u202f» 2024-2030" in text, path.name
        assert re.search(r"Édition du \d{2}/\d{2}/\d{4}", text), path.name
        assert "Communauté Urbaine d’Arras — service Cohésion sociale" in text, path.name
        assert _logo_description(cover) == "Communauté Urbaine d’Arras", f"{path.name}: the neutral placeholder"
        assert len(cover) < len(document.paragraphs), f"{path.name}: the content starts on the next page"
    annex = docx.Document(str(demo.outbox / "annexe_engagements_signataires.docx"))
    assert annex.sections[0].different_first_page_header_footer, "no page footer on the cover"


def test_a_logo_dropped_beside_the_gabarits_replaces_the_placeholder(demo, tmp_path):
    from PIL import Image as Picture

    from workflow.registry.db import Registry
    from workflow.render.annexe import render_engagements_annex

    logo = demo.gabarits / "logo.png"
    Picture.new("RGB", (300, 120), (0, 90, 160)).save(logo)
    try:
        path = render_engagements_annex(demo, Registry(demo.database_url()), tmp_path / "annexe.docx")
    finally:
        logo.unlink()
    document = docx.Document(str(path))
    assert _logo_description(_cover(document)) == "Logo de la Communauté Urbaine d’Arras"
    pictures = [p for p in document.part.package.parts if p.partname.startswith("/word/media/")]
    assert len(pictures) == 1 and Picture.open(io.BytesIO(pictures[0].blob)).size == (300, 120)


def test_each_signatory_starts_a_page_without_a_page_break_paragraph(demo):
    annex = docx.Document(str(demo.outbox / "annexe_engagements_signataires.docx"))
    headings = [p for p in annex.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) >= 2
    assert all(h._p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None for h in headings)
    lone_breaks = [p for p in annex.paragraphs if not p.text and p._p.findall(f".//{qn('w:br')}")]
    assert lone_breaks == [], "a break alone in its paragraph leaves a blank page after a full one"


def test_a_charter_signature_row_holds_the_names_and_the_room_to_sign(demo):
    charter = docx.Document(str(demo.outbox / "chartes" / "charte_emmaus_connect_arras.docx"))
    table = next(t for t in charter.tables if t.rows[0].cells[0].text == "Pour l’association")
    assert len(table.rows) == 2
    signing = table.rows[1]
    assert signing.height >= 2400 * 635
    assert [p.text for p in signing.cells[0].paragraphs][-1] == "Signature et cachet"
    assert signing.cells[0].paragraphs[0].text.startswith("Karim Haddad")


@needs_libreoffice
@pytest.mark.timeout(600)
def test_every_charter_fits_on_one_page_and_no_page_is_blank(demo):
    charters = sorted((demo.outbox / "chartes").glob("*.docx"))
    pdfs = en_pdf([*charters, demo.outbox / "annexe_engagements_signataires.docx"])
    import pdfplumber

    for pdf in pdfs[:-1]:
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) == 1, f"{pdf.name}: the signatures left alone on a second page"
            text = document.pages[0].extract_text()
            assert "Article 1" in text and "Signature et cachet" in text
    with pdfplumber.open(pdfs[-1]) as annex:
        for n, page in enumerate(annex.pages[1:], start=2):
            lines = [line for line in (page.extract_text() or "").splitlines() if "Page " not in line]
            assert len(lines) > 3, f"page {n} of the annex is (nearly) blank"
