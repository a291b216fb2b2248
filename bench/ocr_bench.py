"""Scanned returns: seconds per scanned page, and share of fields read exactly, per resolution.

Our filled questionnaire and association form are printed to PDF, scanned at 300 dpi (scanned PDF)
and 200 dpi (multi-page TIFF), tilted and JPEG-compressed, then ingested whole (sandbox, OCRmyPDF
on one core, the PDF reader, extraction, validation, SQLite registry), as the acceptance tests of
tests/ocr/ do; the scan makers are theirs. Usage: python bench/ocr_bench.py (also run by run_bench.py).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "ocr")]

from ocr_fields import leaves, misses  # noqa: E402
from ocr_returns import printed, scanned  # noqa: E402
from ocr_scans import ocr_installed  # noqa: E402

from workflow.libreoffice import soffice  # noqa: E402

RESOLUTIONS = (300, 200)


def main() -> None:
    if not ocr_installed() or soffice() is None:
        print("OCR : OCRmyPDF, Tesseract français, pdftoppm ou LibreOffice absent (installés par run.py)")
        return
    folder = Path(tempfile.mkdtemp(prefix="cdv-ocr-bench-"))
    try:
        forms = printed(folder)
        total = sum(len(leaves(reference)) for reference in forms.reference.values())
        print("Documents scannés (OCRmyPDF + Tesseract fra, un cœur), questionnaire et fiche association :")
        for dpi in RESOLUTIONS:
            scan = scanned(forms, dpi, folder / str(dpi))
            missed = sum(len(misses(forms.reference[f], scan.exports[f])) for f in forms.reference)
            print(
                f"  {dpi} dpi : {scan.seconds / scan.pages:5.1f} s par page scannée ({scan.pages} pages, "
                f"{scan.seconds:.0f} s) ; {1 - missed / total:.0%} des {total} champs exacts"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
