"""Word footnotes are read: the one a bare label calls is its value, in its place; the others
comment the text and come at the end, where a person reads them."""

from __future__ import annotations

from pathlib import Path

from workflow.parsers.docx import read_docx

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
