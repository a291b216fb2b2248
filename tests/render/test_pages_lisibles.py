"""Every document the demo produces, read as a COPIL member reads it: its PDF's lines never cut an
amount, a SIRET or a date, never show « (s) », an internal note or a technical word; the table of
contents points at the right pages; lists follow French order; the XML declares fr-FR, real
properties, repeated header rows, rows kept whole and headings kept with what follows."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from conftest import demo_copy, needs_libreoffice
from docx.oxml.ns import qn
from support import cdv

from workflow.copil import preparation
from workflow.libreoffice import convert_all
from workflow.registry.db import Registry
from workflow.render.colonnes import text_width
from workflow.render.pdf import en_pdf
from workflow.render.typographie import tri_fr

COPIL = dt.date(2026, 12, 9)
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
GROUPS = re.compile(  # what must never be cut at a line's end: amounts, percentages, SIRET, dates
    r"\d{1,3}(?:[\u202f\u00a0]\d{3})+(?:,\d+)?(?:\u00a0[€%])?"
    r"|\d+(?:,\d+)?\u00a0[€%]"
    r"|\d{2}/\d{2}/\d{4}"
    rf"|\d{{1,2}}(?:er)?\u00a0(?:{MONTHS})\u00a0\d{{4}}"
)
INTERNAL = ("(s)", "saisi par le partenaire", "non reconnu", ".yaml", "registry/", "referentiel/", "cdv ", "{{", "{%")
TECHNICAL = re.compile(r"\b(?:None|True|False|nan|NaN|null|Traceback)\b|\d{4}-\d{2}-\d{2}T")


@pytest.fixture(scope="module")
def demo(demo_model, tmp_path_factory):
    """The demo workspace, with a COPIL pack prepared as the watcher would."""
    workspace = demo_copy(demo_model, tmp_path_factory.mktemp("pages"))
    registry = Registry(workspace.database_url())
    try:
        with registry.session() as session:
            preparation.ajouter(session, dt.datetime(2026, 12, 9, 9, 0).astimezone(), "COPIL d'automne")
        preparation.preparer(workspace, registry, COPIL)
    finally:
        registry.close()
    return workspace


def _copil(outbox: Path) -> Path:
    return outbox / f"copil_{COPIL.isoformat()}"


def contract_documents(outbox: Path) -> list[Path]:
    """Every contract document of the demo: annexes, the 15 charters, the report, the COPIL pack."""
    return [
        outbox / "annexe_engagements_signataires.docx",
        outbox / "annexe_objectifs.docx",
        outbox / "annexe_chartes_engagement.docx",
        *sorted((outbox / "chartes").glob("*.docx")),
        outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.docx",
        *sorted(_copil(outbox).glob("*.docx")),  # the annexes again and the état des retours
    ]


def forms(outbox: Path) -> list[Path]:
    """A blank questionnaire, a blank association form and a reminder's form."""
    blanks = outbox / "formulaires_vierges"
    return [
        next(iter(sorted(blanks.glob("questionnaire_*.docx")))),
        next(iter(sorted(blanks.glob("fiche_*.docx")))),
        _copil(outbox) / "relances" / "formulaires" / "questionnaire_ville_d_arras.docx",
    ]


@pytest.fixture(scope="module")
def pdfs(demo) -> dict[Path, Path]:
    """Each document and its PDF (LibreOffice; the COPIL pack's were made by its preparation)."""
    if not (_copil(demo.outbox) / "etat_des_retours.pdf").is_file():
        pytest.skip("LibreOffice absent (installé par run.py)")
    pack = sorted(_copil(demo.outbox).glob("*.docx"))
    others = [d for d in [*contract_documents(demo.outbox), *forms(demo.outbox)] if d not in pack]
    return {**dict(zip(others, en_pdf(others), strict=True)), **{d: d.with_suffix(".pdf") for d in pack}}


def _paragraph_texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs]


@functools.cache
def _lines(pdf: Path) -> tuple[str, ...]:
    """The printed lines of a PDF, read once per run: several checks read the same demo PDFs."""
    with pdfplumber.open(pdf) as document:
        return tuple(line for page in document.pages for line in (page.extract_text() or "").splitlines())


def _compact(text: str) -> str:
    return re.sub(r"\s", "", text)


@needs_libreoffice
@pytest.mark.timeout(900)
def test_every_document_of_the_demo_converts_to_pdf(demo, pdfs, tmp_path):
    assert len(pdfs) == 3 + 15 + 1 + 4 + 3, sorted(p.name for p in pdfs)
    assert all(pdf.is_file() and pdf.stat().st_size > 0 for pdf in pdfs.values())
    workbooks = [
        demo.outbox / "registre.xlsx",
        demo.outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.xlsx",
        _copil(demo.outbox) / "etat_des_retours.xlsx",
    ]
    assert all(p.stat().st_size > 0 for p in convert_all(workbooks, "pdf", tmp_path))
    with zipfile.ZipFile(demo.outbox / f"copil_{COPIL.isoformat()}.zip") as z:
        names = {Path(n).name for n in z.namelist()}
    assert {"etat_des_retours.docx", "etat_des_retours.pdf", "etat_des_retours.xlsx"} <= names
    assert {"annexe_chartes_engagement.pdf", "annexe_objectifs.pdf", "annexe_engagements_signataires.pdf"} <= names


@needs_libreoffice
@pytest.mark.timeout(900)
def test_no_amount_siret_or_date_is_cut_at_the_end_of_a_line(pdfs):
    for document, pdf in pdfs.items():
        texts = _paragraph_texts(document)
        joined = "\n".join(texts)
        assert not re.search(r"\d \d{3}(?!\d)", joined), f"{document.name}: thousands with an ordinary space"
        assert not re.search(r"\d [€%]", joined), f"{document.name}: a unit detached from its number"
        wanted = Counter(_compact(m.group()) for text in texts for m in GROUPS.finditer(text))
        lines = [_compact(line) for line in _lines(pdf)]
        for group, count in wanted.items():
            printed = sum(line.count(group) for line in lines)
            assert printed >= count, f"{pdf.name}: « {group} » cut across two lines ({printed} whole of {count})"


@needs_libreoffice
@pytest.mark.timeout(900)
def test_a_siret_is_printed_whole_in_every_charter(demo, pdfs):
    sirets = 0
    for document, pdf in pdfs.items():
        for text in _paragraph_texts(document):
            for siret in re.findall(r"\d{3}[\u00a0\u202f]\d{3}[\u00a0\u202f]\d{3}[\u00a0\u202f]\d{5}", text):
                sirets += 1
                assert any(_compact(siret) in _compact(line) for line in _lines(pdf)), f"{pdf.name}: {siret}"
    assert sirets >= 30, "15 charters, and the annex gathering them"


@needs_libreoffice
@pytest.mark.timeout(900)
def test_no_plural_mark_internal_note_nor_technical_word_is_printed(demo, pdfs):
    slugs = [q.id for q in demo.referentiel.quartiers.quartiers if "-" in q.id]
    for pdf in pdfs.values():
        text = "\n".join(_lines(pdf))
        for internal in INTERNAL:
            assert internal not in text, f"{pdf.name}: {internal}"
        assert not TECHNICAL.search(text), f"{pdf.name}: {TECHNICAL.search(text)}"
        assert not [s for s in slugs if s in text], f"{pdf.name}: a quarter's id instead of its name"


def _toc(pdf: Path) -> list[tuple[str, int]]:
    with pdfplumber.open(pdf) as document:
        contents = document.pages[1].extract_text()
    found = re.findall(r"^(CHARTE D.ENGAGEMENT — .+?)\s*\.{3,}\s*(\d+)$", contents, flags=re.M)
    return [(title, int(page)) for title, page in found]


@needs_libreoffice
@pytest.mark.timeout(900)
def test_the_table_of_contents_points_at_each_charters_page(demo, pdfs):
    for annex in (demo.outbox / "annexe_chartes_engagement.pdf", _copil(demo.outbox) / "annexe_chartes_engagement.pdf"):
        entries = _toc(pdfs.get(annex.with_suffix(".docx"), annex))
        assert len(entries) == 15, entries
        with pdfplumber.open(annex) as document:
            for title, page in entries:
                top = (document.pages[page - 1].extract_text() or "").splitlines()[0]
                assert _compact(top) == _compact(title), f"{annex.name}: « {title} » is not on page {page}"


@needs_libreoffice
@pytest.mark.timeout(900)
def test_printed_lists_follow_french_order(demo, pdfs):
    titles = [t.split(" — ", 1)[1] for t, _ in _toc(demo.outbox / "annexe_chartes_engagement.pdf")]
    for first, second in (
        ("EMMAÜS CONNECT ARRAS", "ÉPICERIE SOLIDAIRE LE PANIER"),
        ("ÉPICERIE SOLIDAIRE LE PANIER", "FEMMES SOLIDAIRES D’ARRAS"),
        ("MÉDIATION ARRAS SUD", "MISSION LOCALE DE L’ARRAGEOIS"),
    ):
        assert titles.index(first) < titles.index(second), titles
    report = docx.Document(str(_copil(demo.outbox) / "etat_des_retours.docx"))
    missing = [p.text for p in report.paragraphs if p.style.name.startswith("List")]
    assert len(missing) > 10 and missing == tri_fr(missing), missing
    fiches = [row.cells[0].text for row in report.tables[-1].rows[1:]]
    assert fiches == tri_fr(fiches) and fiches.index("Épicerie solidaire Le Panier") < fiches.index(
        "Femmes solidaires d’Arras"
    )
    printed = " ".join(_lines(pdfs[_copil(demo.outbox) / "etat_des_retours.docx"]))
    assert printed.index("Épicerie solidaire") < printed.index("Médiation Arras Sud") < printed.index("Mission locale")


def test_every_document_and_form_declares_french_and_real_properties(demo):
    for path in [*contract_documents(demo.outbox), *forms(demo.outbox)]:
        document = docx.Document(str(path))
        default = document.styles.element.find(
            f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
        )
        assert default is not None and default.get(qn("w:val")) == "fr-FR", path.name
        assert {e.get(qn("w:val")) for e in document.element.iter(qn("w:lang"))} - {None} <= {"fr-FR"}, path.name
        props = document.core_properties
        assert props.author == "Communauté Urbaine d'Arras" and props.language == "fr-FR", path.name
        assert props.title and props.title != "python-docx", path.name
        for moment in (props.created, props.modified):
            assert abs(moment.replace(tzinfo=moment.tzinfo or dt.UTC) - dt.datetime.now(dt.UTC)) < dt.timedelta(1)


def test_every_contract_table_repeats_its_header_and_keeps_its_rows_whole(demo):
    for path in contract_documents(demo.outbox):
        for table in docx.Document(str(path)).element.body.iter(qn("w:tbl")):
            rows = table.findall(qn("w:tr"))
            assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows), path.name
            if len(rows) > 2:
                assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None, path.name


def test_every_contract_heading_keeps_with_what_follows(demo):
    for path in contract_documents(demo.outbox):
        for p in docx.Document(str(path)).paragraphs:
            if p.style.name.startswith("Heading") and p.text.strip():
                assert p._p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, f"{path.name}: {p.text}"


def _grid(table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_tables_of_one_list_share_their_widths_and_no_column_cuts_a_word(demo):
    annex = docx.Document(str(demo.outbox / "annexe_objectifs.docx"))
    grids = {tuple(_grid(t)) for t in annex.tables if t.rows[0].cells[0].text == "Code"}
    assert len(grids) == 1, "the objectives' tables align, one under the other"
    report = docx.Document(str(demo.outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.docx"))
    for table in report.tables:
        for row in table.rows:
            for cell, width in zip(row.cells, _grid(table), strict=False):
                for word in re.split(r"[ \t\n-]+", cell.text):
                    assert text_width(word, 9, bold=True) <= width, f"« {word} » wider than its column"


def test_a_signature_block_keeps_the_halves_its_gabarit_gives(demo):
    charter = docx.Document(str(demo.outbox / "chartes" / "charte_afeji_artois.docx"))
    table = next(t for t in charter.tables if t.rows[0].cells[0].text == "Pour l’association")
    left, right = _grid(table)
    assert left == right


@needs_libreoffice
@pytest.mark.timeout(900)
def test_no_row_of_a_form_and_no_action_of_the_association_form_splits_across_pages(demo, pdfs):
    for form in forms(demo.outbox):
        rows = list(docx.Document(str(form)).element.body.iter(qn("w:tr")))
        assert rows and all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows), form.name
    fiche = forms(demo.outbox)[1]
    with pdfplumber.open(pdfs[fiche]) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    starts = [n for n, text in enumerate(pages) for _ in re.finditer(r"Intitulé de l.action", text)]
    ends = [n for n, text in enumerate(pages) for _ in re.finditer(r"Période de réalisation", text)]
    assert len(starts) == len(ends) >= 2 and starts == ends, "each action's table on one page"


def test_a_one_year_report_says_in_that_year(demo):
    text = "\n".join(
        p.text
        for p in docx.Document(
            str(demo.outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.docx")
        ).paragraphs
    )
    assert "des instances de gouvernance en\u00a02026." in text or "des instances de gouvernance en 2026." in text
    assert "sur la période 2026" not in text


def test_amounts_in_the_workbooks_show_the_french_way_in_any_locale(demo):
    book = openpyxl.load_workbook(demo.outbox / "registre.xlsx")
    sheet = book["Cofinancements"]
    amount = sheet.cell(2, [c.value for c in sheet[1]].index("Montant") + 1)
    assert isinstance(amount.value, float | int) and amount.number_format.startswith("[$-40C]")
    report = openpyxl.load_workbook(demo.outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.xlsx")
    formats = {c.number_format for s in report.worksheets for row in s.iter_rows(min_row=3) for c in row}
    euros = [f for f in formats if "€" in f]
    assert euros and all(f.startswith("[$-40C]") for f in euros), euros


@needs_libreoffice
@pytest.mark.timeout(600)
def test_libreoffice_prints_the_workbooks_amounts_whole_with_french_separators(demo, tmp_path):
    workbooks = [
        demo.outbox / "registre.xlsx",
        demo.outbox / "evaluation_2026_annuel" / "rapport_evaluation_2026_annuel.xlsx",
    ]
    for pdf in convert_all(workbooks, "pdf", tmp_path):
        text = "\n".join(_lines(pdf))
        assert re.search(r"\d[\u202f\u00a0 ]\d{3},\d{2}\s?€", text), f"{pdf.name}: « 7 400,00 € »"
        assert not re.search(r"\d,\d{3}\.\d{2}", text), f"{pdf.name}: no « 7,400.00 »"
        assert "###" not in text, f"{pdf.name}: a column too narrow for its amounts"


def test_a_long_text_in_the_register_wraps_in_a_row_tall_enough(demo):
    sheet = openpyxl.load_workbook(demo.outbox / "registre.xlsx")["Questionnaires"]
    tall = [r for r in range(2, sheet.max_row + 1) if (sheet.row_dimensions[r].height or 0) > 15]
    assert tall, "BGE's long engagements make a tall row"
    for r in tall:
        wrapped = [c for c in sheet[r] if isinstance(c.value, str) and len(c.value) > 80]
        assert wrapped and all(c.alignment.wrap_text for c in wrapped)


@pytest.mark.parametrize(
    ("command", "document", "sentence"),
    [
        ("annexe-engagements", "annexe_engagements_signataires.docx", "Aucun questionnaire d’engagement n’a encore"),
        ("chartes", "annexe_chartes_engagement.docx", "Aucune fiche association n’a encore été validée"),
        ("annexe-objectifs", "annexe_objectifs.docx", "0 couvert, 27 sans engagement déclaré"),
    ],
)
def test_an_annex_with_nothing_to_show_says_so_and_the_command_warns(workspace, command, document, sentence):
    done = cdv("--racine", str(workspace.root), "generer", command)
    assert done.returncode == 0, done.stderr
    assert "Avertissement : aucun" in done.stderr and "Traceback" not in done.stderr
    text = "\n".join(p.text for p in docx.Document(str(workspace.outbox / document)).paragraphs)
    assert sentence in text


def test_the_demos_register_opens_with_french_headers_typed_cells_and_association_sheets(demo):
    book = openpyxl.load_workbook(demo.outbox / "registre.xlsx")
    assert {"Associations", "Actions des associations", "Cofinancements"} <= set(book.sheetnames)
    for sheet in book.worksheets:
        headers = [c.value for c in sheet[1]]
        assert all(h and "_" not in h and "." not in h for h in headers), (sheet.title, headers)

    def column(title: str, header: str) -> list:
        sheet = book[title]
        index = [c.value for c in sheet[1]].index(header)
        return [row[index].value for row in sheet.iter_rows(min_row=2) if row[index].value is not None]

    assert len(column("Associations", "Association")) == 15
    assert all(isinstance(v, dt.datetime) for v in column("Fichiers reçus", "Reçu le"))
    assert all(isinstance(v, dt.datetime) for v in column("Réunions", "Date"))
    amounts = column("Cofinancements", "Montant")
    assert amounts and all(isinstance(v, int | float) for v in amounts)
    names = {q.nom for q in demo.referentiel.quartiers.quartiers}
    assert set(column("Quartiers", "Quartier")) <= names, "quarters by their names, not their ids"
