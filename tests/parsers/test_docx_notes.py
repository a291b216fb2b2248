"""Word footnotes are read, from the .docx and from its PDF: the one a bare label calls is its
value, in its place; the others comment the text, where a person reads them."""

from __future__ import annotations

from pathlib import Path

from workflow.parsers.docx import read_docx
from workflow.parsers.pdf import read_pdf
from workflow.parsers.pdf_notes import marked

LETTER = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "inedits18"
    / "q1_maisons_cites_note_attaques_en_gras_notes_de_bas_de_page.docx"
)


def test_the_note_a_bare_label_calls_stands_under_it_and_the_others_at_the_end():
    units = read_docx(LETTER).units
    texts = [u.text for u in units]
    label = texts.index("Affaire suivie par")
    assert units[label + 1].where == "note 1"
    assert units[label + 1].text.startswith("Mme Sophie LEROUX, chargée de développement social urbain")
    notes = [u for u in units if u.where.startswith("note ")]
    assert [u.where for u in notes] == ["note 1", "note 2", "note 3", "note 4"]
    assert list(units[-3:]) == notes[1:], "the notes commenting the text come last, once each"
    assert texts.count(units[label + 1].text) == 1


def test_its_pdf_export_gives_the_same_notes_and_keeps_no_call_in_the_text():
    units = read_pdf(LETTER.with_suffix(".pdf")).units
    texts = [u.text for u in units]
    label = texts.index("Affaire suivie par")
    assert units[label + 1].where.endswith("note 1")
    assert units[label + 1].text.startswith("Mme Sophie LEROUX, chargée de développement social urbain")
    assert [u.where.rsplit(", ", 1)[-1] for u in units if "note " in u.where] == [
        "note 1",
        "note 2",
        "note 3",
        "note 4",
    ]
    assert any(t.startswith("Sophie LEROUX, chargée de développement social urbain ;") for t in texts)
    assert not any(c in t for t in texts for c in "\ue000\ue001")  # the marks of the calls are gone


def test_a_raised_number_no_note_bears_is_no_call():
    words = [
        {"text": "800", "size": 10.5, "x0": 10.0, "x1": 25.0, "top": 100.0, "bottom": 110.5},
        {"text": "m", "size": 10.5, "x0": 27.0, "x1": 35.0, "top": 100.0, "bottom": 110.5},
        {"text": "2", "size": 6.1, "x0": 35.2, "x1": 38.0, "top": 99.0, "bottom": 105.0},
    ]
    assert [w["text"] for w in marked(words)] == ["800", "m", "2"]
