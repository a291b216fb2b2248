"""What OCR cannot or must not read is quarantined with a French reason: a blank scanned page, a photo
of something that is not a form, a huge photo, a 300-page scan, a damaged image, an OCR too long."""

from __future__ import annotations

import datetime as dt

import pytest
from ocr_scans import blank_page, needs_ocr, not_a_form
from PIL import Image

from workflow.intake import document
from workflow.intake.ingest import Arrivee, Source, ingest
from workflow.intake.types import Statut
from workflow.parsers import ocr
from workflow.parsers.base import Illisible, Motif
from workflow.parsers.sniff import FileKind, sniff


def _quarantined(workspace, registry, path):
    result = ingest(workspace, registry, Arrivee(path, Source.COMMANDE))
    assert result.statut == Statut.QUARANTAINE
    return result


@needs_ocr
def test_a_blank_scanned_page_is_quarantined_as_without_text(workspace, registry, tmp_path):
    reason = _quarantined(workspace, registry, blank_page(200, tmp_path / "page.jpg")).motif
    assert reason.startswith("document scanné sans texte lisible") and "page blanche" in reason


@needs_ocr
def test_a_photo_of_something_else_is_quarantined_as_not_a_form(workspace, registry, tmp_path):
    reason = _quarantined(workspace, registry, not_a_form(200, tmp_path / "ticket.jpg")).motif
    assert reason.startswith("ce document n'est ni un questionnaire d'engagement ni une fiche association")


def test_a_huge_photo_is_refused_naming_the_pixel_limit(workspace, registry, tmp_path):
    poster = tmp_path / "affiche.png"
    Image.new("1", (9000, 9000), 1).save(poster)
    reason = _quarantined(workspace, registry, poster).motif
    assert (
        reason == "document trop volumineux : l'image compte 81 millions de pixels, au-delà de la limite de 60 millions"
    )


def test_a_300_page_scan_is_refused_naming_the_page_limit(workspace, registry, tmp_path):
    pages = [Image.new("L", (60, 85), 255) for _ in range(300)]
    scan = tmp_path / "archives.pdf"
    pages[0].save(scan, "PDF", resolution=10, save_all=True, append_images=pages[1:])
    reason = _quarantined(workspace, registry, scan).motif
    assert reason == "document trop volumineux : 300 pages scannées, au-delà de la limite de 12 pages"


def test_a_damaged_image_is_refused_as_damaged(workspace, registry, tmp_path):
    broken = tmp_path / "photo.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    assert sniff(broken) is FileKind.JPEG
    assert _quarantined(workspace, registry, broken).motif == "image endommagée ou illisible"


@needs_ocr
def test_an_ocr_over_its_time_limit_is_stopped_and_named(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "OCR_TIMEOUT", 1)
    page = Image.new("L", (2480, 3508), 255)
    page.paste(0, (200, 200, 2200, 3300))  # one black page: slow to deskew and read
    page.save(tmp_path / "page.png")
    with pytest.raises(Illisible) as refused:
        ocr.read_image(tmp_path / "page.png")
    assert refused.value.motif == Motif.TROP_VOLUMINEUX
    assert "limite de temps de 1 s" in refused.value.detail


def test_only_a_pdf_found_without_text_gets_the_time_allowance_of_ocr(tmp_path, monkeypatch, workspace):
    calls = []

    def worker(func, *args, time_limit):
        calls.append((args[-1] if len(args) == 5 else False, time_limit))
        if len(calls) == 1:
            raise Illisible(Motif.SANS_TEXTE, "PDF sans texte")
        return "lu"

    monkeypatch.setattr(document.sandbox, "run", worker)
    received = dt.datetime.now(dt.UTC)
    assert document.analyse(tmp_path / "scan.pdf", FileKind.PDF, workspace.referentiel, received) == "lu"
    assert calls == [(False, document.sandbox.TIME_LIMIT), (True, document.sandbox.TIME_LIMIT + ocr.OCR_TIMEOUT)]
