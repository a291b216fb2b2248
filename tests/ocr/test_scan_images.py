"""What a page image shows and OCR does not read: tick boxes (ticked or not) and table rules; and the
image types told from their bytes. Pages are drawn here with Pillow, at 200 dpi."""

from __future__ import annotations

import numpy as np
import pytest
from ocr_scans import font
from PIL import Image, ImageDraw

from workflow.parsers import scanimage
from workflow.parsers.pdf import COLUMN_GAP
from workflow.parsers.scanwords import scanned_words
from workflow.parsers.sniff import FileKind, sniff

DPI = 200
PT = DPI / 72


def _page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    page = Image.new("L", (round(8.27 * DPI), round(5 * DPI)), 250)
    return page, ImageDraw.Draw(page)


def _box(draw: ImageDraw.ImageDraw, x: float, y: float, mark: str = "") -> None:
    """Draw a 9-point tick box at (x, y) points: empty, crossed (« x »), or filled (« plein »)."""
    side = 9 * PT
    left, top = x * PT, y * PT
    draw.rectangle((left, top, left + side, top + side), outline=20, width=2, fill=20 if mark == "plein" else None)
    if mark == "x":
        draw.line((left + 3, top + 3, left + side - 3, top + side - 3), fill=20, width=2)
        draw.line((left + 3, top + side - 3, left + side - 3, top + 3), fill=20, width=2)


def _mask(page: Image.Image) -> np.ndarray:
    return scanimage.ink(np.asarray(page))


def test_a_tick_box_is_found_with_its_state_and_bold_letters_are_not_boxes():
    page, draw = _page()
    _box(draw, 60, 60)
    _box(draw, 60, 90, "x")
    _box(draw, 60, 120, "plein")
    draw.text((60 * PT, 160 * PT), "Quartiers d'intervention ☐", fill=20, font=font(round(14 * PT), bold=True))
    found = scanimage.boxes(_mask(page), DPI)
    assert [(round(b.x0), round(b.top), b.ticked) for b in found[:3]] == [
        (60, 60, False),
        (60, 90, True),
        (60, 120, True),
    ]
    assert len(found) == 4 and found[3].top > 160 and not found[3].ticked  # the printed « ☐ » glyph itself


def test_the_rules_of_a_table_are_found_in_points():
    page, draw = _page()
    for y in (100, 130, 160):
        draw.line((72 * PT, y * PT, 500 * PT, y * PT), fill=30, width=2)
    for x in (72, 250, 500):
        draw.line((x * PT, 100 * PT, x * PT, 160 * PT), fill=30, width=2)
    draw.text((80 * PT, 110 * PT), "Organisme — un long libellé", fill=20, font=font(round(11 * PT)))
    rules = scanimage.rules(_mask(page), DPI)
    horizontal = sorted(round(r["top"]) for r in rules if r["top"] == r["bottom"])
    vertical = sorted(round(r["x0"]) for r in rules if r["x0"] == r["x1"])
    assert horizontal == [100, 130, 160] and vertical == [72, 250, 500]
    assert all(abs(r["x1"] - r["x0"] - 428) < 3 for r in rules if r["top"] == r["bottom"])


def _word(text: str, x0: float, x1: float, top: float = 100.0, size: float = 10.0) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "size": size, "fontname": "Glyph"}


def test_ocr_words_over_a_box_or_a_rule_give_way_to_the_box_on_its_label_line():
    page, draw = _page()
    _box(draw, 60, 99, "x")
    box = scanimage.boxes(_mask(page), DPI)
    words = [_word("[X]", 59, 70), _word("|", 40, 41), _word("Quatre", 74, 100), _word("As", 104, 114)]
    placed = scanned_words(words, [0.0] * len(words), 0.0, box)
    assert [w["text"] for w in placed] == ["☒", "Quatre", "As"]
    assert (placed[0]["top"], placed[0]["size"]) == (placed[1]["top"], placed[1]["size"])  # on its label line


def test_words_of_a_large_title_stay_one_line_and_columns_stay_apart():
    title = [_word("Contrat", 60, 140, size=22), _word("de", 160, 180, size=22)]
    columns = [_word("SIRET", 60, 90, top=200), _word("667", 250, 270, top=200)]
    placed = scanned_words(title + columns, [0.0] * 4, 0.0, [])
    assert [w["text"] for w in placed] == ["Contrat de", "SIRET", "667"]
    assert COLUMN_GAP < 160 - 140  # the title's space would have read as two columns


@pytest.mark.parametrize(
    ("fmt", "kind"), [("JPEG", FileKind.JPEG), ("PNG", FileKind.PNG), ("TIFF", FileKind.TIFF)], ids=str
)
def test_image_types_are_told_from_their_bytes(tmp_path, fmt, kind):
    path = tmp_path / "photo.docx"  # the name says nothing
    Image.new("L", (20, 20), 255).save(path, fmt)
    assert sniff(path) is kind
