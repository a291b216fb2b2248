"""Row 5: converting .odt, .doc and .rtf to .docx, one LibreOffice start per file against the
long-lived converter that the daemon and batch commands share."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from table import Ligne

from workflow import libreoffice


def conversion_row(form: Path, folder: Path, repetitions: int) -> Ligne:
    """Median seconds per file both ways, on the same files, in this run."""
    binary = libreoffice.soffice()
    if binary is None:
        return Ligne("conversion .odt/.doc/.rtf par fichier", "LibreOffice absent", "≥ 3× plus rapide", False)
    sources = [libreoffice.convert(form, fmt, folder / fmt) for fmt in ("odt", "doc", "rtf")]  # the converter warm
    if libreoffice._current is None:  # no python3-uno here: nothing long-lived to measure
        return Ligne("conversion .odt/.doc/.rtf par fichier", "python3-uno absent", "≥ 3× plus rapide", False)
    once, kept = [], []
    for _ in range(repetitions):
        for source in sources:
            start = time.perf_counter()
            libreoffice._convert_once(binary, [source], "docx", folder / "lancement", 60)  # the fallback, alone
            once.append(time.perf_counter() - start)
            start = time.perf_counter()
            libreoffice.convert(source, "docx", folder / "garde", 60)
            kept.append(time.perf_counter() - start)
    ratio = statistics.median(once) / statistics.median(kept)
    return Ligne(
        "conversion .odt/.doc/.rtf par fichier",
        f"{statistics.median(once):.2f} s → {statistics.median(kept):.2f} s ({ratio:.0f}×)",
        "≥ 3× plus rapide",
        ratio >= 3,
    )
