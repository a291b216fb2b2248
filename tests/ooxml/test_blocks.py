"""The story walker sees every paragraph and table in reading order, as Word shows them."""

from __future__ import annotations

from lxml import etree

from workflow.ooxml.blocks import Paragraph, Table, cell_text, flatten, paragraph_text, sdt_tag, walk

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def body(xml: str):
    return etree.fromstring(f"<w:body {NS}>{xml}</w:body>")


def p(text: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def test_paragraphs_keep_their_order_style_and_list_marks():
    blocks = list(
        walk(
            body(
                p("Titre", "<w:pPr><w:pStyle w:val='Heading1'/></w:pPr>")
                + p("Puce", "<w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr></w:pPr>")
                + p("Liste", "<w:pPr><w:pStyle w:val='ListBullet'/></w:pPr>")
                + p("Texte")
            )
        )
    )
    assert [(b.text, b.style, b.is_list) for b in blocks] == [
        ("Titre", "Heading1", False),
        ("Puce", "", True),
        ("Liste", "ListBullet", True),
        ("Texte", "", False),
    ]


def test_deleted_text_and_field_codes_are_skipped_insertions_and_field_results_kept():
    xml = (
        "<w:p><w:r><w:t>Avant </w:t></w:r><w:del><w:r><w:delText>supprimé </w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>ajouté </w:t></w:r></w:ins>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>3</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:r><w:tab/><w:t>a</w:t><w:br/><w:t>b</w:t><w:noBreakHyphen/><w:t>c</w:t></w:r>"
        "<w:r><w:sym w:font='Wingdings' w:char='F0FE'/><w:sym w:font='Wingdings' w:char='F0A8'/></w:r></w:p>"
    )
    assert paragraph_text(body(xml)[0]) == "Avant ajouté 3\ta\nb-c☒☐"


def test_a_table_gives_rows_of_cells_with_spans_padded_and_nested_tables_kept():
    xml = (
        "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val='2'/></w:tcPr>" + p("Large") + "</w:tc>"
        "<w:tc>" + p("C") + "</w:tc></w:tr>"
        "<w:tr><w:tc>" + p("A") + p("A2") + "</w:tc><w:tc><w:tbl><w:tr><w:tc>" + p("Imbriqué") + "</w:tc></w:tr>"
        "</w:tbl>" + p("") + "</w:tc><w:tc>" + p("") + "</w:tc></w:tr></w:tbl>"
    )
    (table,) = walk(body(xml))
    assert isinstance(table, Table)
    assert [[cell_text(c) for c in row] for row in table.rows] == [["Large", "", "C"], ["A\nA2", "Imbriqué", ""]]
    assert [para.text for para in flatten([table]) if para.text] == ["Large", "C", "A", "A2", "Imbriqué"]


def test_a_sideways_band_merged_down_the_rows_heads_them_and_merged_cells_hold_nothing_of_their_own():
    band = "<w:tcPr><w:vMerge w:val='restart'/><w:textDirection w:val='btLr'/></w:tcPr>"
    merged = "<w:tc><w:tcPr><w:vMerge/></w:tcPr>" + p("") + "</w:tc>"
    xml = (
        "<w:tbl><w:tr><w:tc>" + band + p("CONTACTS") + "</w:tc><w:tc>" + p("Courriel") + "</w:tc>"
        "<w:tc>" + p("a@b.fr") + "</w:tc></w:tr>"
        "<w:tr>" + merged + "<w:tc>" + p("Téléphone") + "</w:tc><w:tc>" + p("03 21 00 00 00") + "</w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge w:val='restart'/></w:tcPr>" + p("Quartier") + "</w:tc>"
        "<w:tc>" + p("Action") + "</w:tc><w:tc>" + p("x") + "</w:tc></w:tr></w:tbl>"
    )
    (table,) = walk(body(xml))
    assert [cell_text(b) for b in table.bands.values()] == ["CONTACTS"]
    assert [[cell_text(c) for c in row] for row in table.rows] == [
        ["", "Courriel", "a@b.fr"],
        ["", "Téléphone", "03 21 00 00 00"],
        ["Quartier", "Action", "x"],  # merged down but upright: a value of its rows, kept where it stands
    ]
    assert [para.text for para in flatten([table]) if para.text][:3] == ["CONTACTS", "Courriel", "a@b.fr"]


def test_content_controls_are_opened_and_name_the_blocks_they_hold():
    xml = (
        "<w:sdt><w:sdtPr><w:tag w:val='organisme'/></w:sdtPr><w:sdtContent>" + p("CAF") + "</w:sdtContent></w:sdt>"
        "<w:sdt><w:sdtPr><w:alias w:val='Sans balise'/></w:sdtPr><w:sdtContent>"
        "<w:sdt><w:sdtPr><w:tag w:val='interne'/></w:sdtPr><w:sdtContent>" + p("Dedans") + "</w:sdtContent></w:sdt>"
        "</w:sdtContent></w:sdt>"
    )
    blocks = list(walk(body(xml)))
    assert [(b.text, b.controls) for b in blocks] == [("CAF", ("organisme",)), ("Dedans", ("Sans balise", "interne"))]
    assert sdt_tag(body(xml)[0]) == "organisme" and sdt_tag(body("<w:sdt/>")[0]) == ""


def test_a_text_box_is_read_once_from_its_choice_not_its_fallback():
    box = "<w:txbxContent>" + p("Dans le cadre") + "</w:txbxContent>"
    xml = (
        "<w:p><w:r><w:t>Ancre</w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    blocks = list(walk(body(xml)))
    assert all(isinstance(b, Paragraph) for b in blocks)
    assert [b.text for b in blocks] == ["Ancre", "Dans le cadre"]


def _legacy_box(state: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Case1"/>'
        f'<w:checkBox><w:sizeAuto/><w:default w:val="0"/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>'
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_a_legacy_check_box_shows_its_state_in_the_text_it_stands_in():
    """A FORMCHECKBOX prints no character of its own: the line reads as the partner ticked it."""
    ticked = f"<w:p>{_legacy_box('<w:checked/>')}<w:r><w:t xml:space='preserve'> Quartier apaisé</w:t></w:r></w:p>"
    left = f"<w:p>{_legacy_box('')}<w:r><w:t xml:space='preserve'> Quartier émancipé</w:t></w:r></w:p>"
    texts = [b.text for b in walk(body(ticked + left))]
    assert texts == ["☒  Quartier apaisé", "☐  Quartier émancipé"]
