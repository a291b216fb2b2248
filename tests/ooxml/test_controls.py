"""Form controls are read from the XML: content controls and legacy fields, wherever they stand."""

from __future__ import annotations

from conftest import CORPUS, needs_corpus

from workflow.parsers.docx import read_docx


@needs_corpus
def test_legacy_checkboxes_with_a_bare_checked_element_count_as_ticked():
    boxes = [c.checked for c in read_docx(CORPUS / "d2p_checked-true-false.docx").controls]
    assert boxes.count(True) == 4 and boxes.count(False) == 4


@needs_corpus
def test_w14_checkboxes_and_dropdowns_are_read():
    controls = read_docx(CORPUS / "d2p_check_drop_my.docx").controls
    w14 = [c.checked for c in controls if c.kind == "case"]
    assert w14 == [False, True]
    assert ("Dropdown2", "Piihan B") in [(c.tag, c.text) for c in controls if c.kind == "champ-liste"]


@needs_corpus
def test_an_unfilled_legacy_form_reads_as_blank_fields():
    texts = [c for c in read_docx(CORPUS / "d2p_checked_boxes.docx").controls if c.kind == "champ-texte"]
    assert len(texts) == 46 and not any(c.text for c in texts)  # en-spaces of an empty FORMTEXT


def _legacy(name: str, value: str) -> str:
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/><w:textInput/></w:ffData>'
        '</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{value}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _checkbox(name: str, checked: str) -> str:
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/><w:checkBox>'
        f"<w:sizeAuto/>{checked}</w:checkBox></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_a_questionnaire_made_of_legacy_fields_is_read_by_field_name(tmp_path):
    import docx
    from docx.oxml import parse_xml

    from workflow.extract.questionnaire import extract_questionnaire
    from workflow.referentiel import load_referentiel
    from workflow.workspace import default_sources

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    body = document.element.body
    unticked = _checkbox("quartier:chanteclair-cevennes", '<w:default w:val="0"/>')
    for xml in (
        f"<w:p {ns}><w:r><w:t>Organisme : </w:t></w:r>{_legacy('organisme', 'Région Hauts-de-France')}</w:p>",
        f"<w:p {ns}>{_checkbox('quartier:quatre-as', '<w:checked/>')}<w:r><w:t> Quatre As</w:t></w:r></w:p>",
        f"<w:p {ns}>{unticked}</w:p>",
    ):
        body.insert(len(body) - 1, parse_xml(xml))
    header = document.sections[0].header.paragraphs[0]._p
    header.append(parse_xml(f"<w:r {ns}><w:t>Campagne </w:t></w:r>"))
    for child in parse_xml(f"<w:p {ns}>{_legacy('campagne', '2026')}</w:p>"):
        header.append(child)
    path = tmp_path / "legacy.docx"
    document.save(str(path))
    answers = extract_questionnaire(read_docx(path), load_referentiel(default_sources()[1]))
    assert answers.entete["organisme"].texte == "Région Hauts-de-France"
    assert answers.entete["organisme"].lieu.methode == "champ"
    assert answers.entete["campagne"].texte == "2026"
    assert [v.texte for v in answers.quartiers_coches] == ["quatre-as"]


@needs_corpus
def test_a_control_in_a_text_box_is_not_read_twice():
    contenu = read_docx(CORPUS / "tika_testWORD_sdtInTextBox.docx")
    in_boxes = [c for c in contenu.controls if any(a.tag.endswith("}txbxContent") for a in c.element.iterancestors())]
    assert len(in_boxes) == 1
    assert [u.text for u in contenu.units].count("rich-text-content-control_inside-text-box") == 1


@needs_corpus
def test_a_body_wrapped_in_one_control_is_not_empty():
    contenu = read_docx(CORPUS / "d2p_ControlTest.docx")
    assert contenu.controls[0].tag == "Test_Control"
    assert any(u.text.startswith("This is a test") for u in contenu.units)


@needs_corpus
def test_a_table_inside_a_run_is_seen():
    contenu = read_docx(CORPUS / "tika_testWORD_tableInRunInsideParagraph.docx")
    cells = {(u.table, u.row, u.col): u.text for u in contenu.units if u.table}
    assert {table for table, _, _ in cells} == {1, 2}
    assert cells[1, 2, 2] == "AAAA"


def test_a_box_ticked_by_typing_its_glyph_counts(workspace, registry, tmp_path):
    """LibreOffice 7.4 or a hurried partner may change the glyph without Word's checked state."""
    import zipfile

    from conftest import fill_form

    from workflow.intake.ingest import Arrivee, Source, ingest
    from workflow.registry.export import export_data
    from workflow.render.formulaire import questionnaire_form

    blank = questionnaire_form(workspace, "ARS", 2024, tmp_path / "b.docx")
    filled = fill_form(blank, {"organisme": "ARS"}, tmp_path / "f.docx")
    with zipfile.ZipFile(filled) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    xml = parts["word/document.xml"].decode()
    anchor = xml.index('w:val="quartier:quatre-as"')
    glyph = xml.index("☐", anchor)
    parts["word/document.xml"] = (xml[:glyph] + "X" + xml[glyph + 1 :]).encode()
    with zipfile.ZipFile(workspace.inbox / "x.docx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    ingest(workspace, registry, Arrivee(workspace.inbox / "x.docx", Source.DOSSIER, deplacer=True))
    with registry.session() as session:
        assert export_data(session)["questionnaires"][0]["quartiers_vises"] == ["quatre-as"]
