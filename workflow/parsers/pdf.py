"""Read a PDF into units: text lines joined into paragraphs in reading order, table cells,
and AcroForm field values first (pdfplumber has no form API; pypdf's `get_fields()` does)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from workflow.ooxml.controls import Control
from workflow.parsers.base import Contenu, Illisible, Motif, Unit

MAX_PAGES = 60
BULLETS = "•◦▪‣·\uf0b7\uf0a7\uf076\uf0d8\uf0fc-–—"


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    bold: bool
    size: float


def read_pdf(path: Path) -> Contenu:
    """Return the content of a PDF, or raise `Illisible` (encrypted, damaged, scanned)."""
    controls = tuple(acroform_fields(path))
    try:
        with pdfplumber.open(path) as pdf:
            pages = pdf.pages[:MAX_PAGES]
            units = _drop_running_lines(list(_units(pages)), len(pages))
    except PdfminerException as e:
        if isinstance(e.args[0] if e.args else None, PDFPasswordIncorrect) or "password" in str(e).lower():
            raise Illisible(Motif.CHIFFRE, "PDF protégé par un mot de passe") from e
        raise Illisible(Motif.CORROMPU, "PDF endommagé ou illisible") from e
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise Illisible(Motif.CORROMPU, f"PDF endommagé ou illisible ({type(e).__name__})") from e
    if not any(u.text.strip() for u in units) and not any(c.text or c.checked for c in controls):
        raise Illisible(Motif.SANS_TEXTE, "PDF sans texte (document scanné) : demander le document d'origine")
    columns = Counter(u.table for u in units if u.table is not None)
    return Contenu(tuple(units), controls, {t: max(u.col or 0 for u in units if u.table == t) for t in columns})


def acroform_fields(path: Path) -> Iterator[Control]:
    """Yield the AcroForm fields of a PDF as controls named by their field name."""
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return
        fields = reader.get_fields() or {}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        return
    for name, field in fields.items():
        kind, value = field.get("/FT"), field.get("/V")
        if kind == "/Btn":
            states = field.get("/_States_", [])
            ticked = value not in (None, "/Off", "Off", "") and (not states or value in states)
            yield Control(str(name), "champ-case", "", bool(ticked), None)
        elif value is not None:
            text = value if isinstance(value, str) else ", ".join(map(str, value)) if isinstance(value, list) else ""
            yield Control(str(name), "champ-liste" if kind == "/Ch" else "champ-texte", text.strip(), None, None)


def _units(pages: list[Any]) -> Iterator[Unit]:
    table_no = 0
    for page_no, page in enumerate(pages, start=1):
        words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["fontname", "size"])
        tables = [t for t in page.find_tables() if len(t.rows) >= 1 and len(t.columns) >= 2]
        items: list[tuple[float, list[Unit]]] = []
        taken: set[int] = set()
        for table in tables:
            table_no += 1
            units, used = _table_units(words, table, table_no, page_no)
            taken |= used
            items.append((table.bbox[1], units))
        outside = [w for i, w in enumerate(words) if i not in taken]
        for top, unit in _paragraphs(_lines(outside), page_no):
            items.append((top, [unit]))
        for _, group in sorted(items, key=lambda item: item[0]):
            yield from group


def _centre_in(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _table_units(words: list[dict], table: Any, number: int, page_no: int) -> tuple[list[Unit], set[int]]:
    """Return a table's cells as units (words placed by their centre) and the words used."""
    units, used = [], set()
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            if cell is None:
                continue
            mine = [i for i, w in enumerate(words) if i not in used and _centre_in(w, cell)]
            used.update(mine)
            text = "\n".join(t for _, t in _join(_lines([words[i] for i in mine])))
            units.append(Unit(text, f"page {page_no}, tableau {number}, ligne {r}, colonne {c}",
                              table=number, row=r, col=c))
    return units, used


def _lines(words: list[dict]) -> list[_Line]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= 2.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    out = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        text = " ".join(w["text"] for w in line)
        bold = sum("bold" in w["fontname"].lower() for w in line) > len(line) / 2
        out.append(_Line(text, min(w["top"] for w in line), max(w["bottom"] for w in line), line[0]["x0"], bold,
                         statistics.median(w["size"] for w in line)))
    return out


def _join(lines: list[_Line]) -> Iterator[tuple[float, str]]:
    """Join lines into paragraphs: a new one after a wide gap, a bullet, a box, or a style change."""
    if not lines:
        return
    body = statistics.median(line.size for line in lines)
    current: list[_Line] = [lines[0]]
    for line in lines[1:]:
        previous = current[-1]
        gap = line.top - previous.bottom
        starts_item = line.text[:1] in BULLETS or line.text[:1] in "☐☒☑□"
        style_change = line.bold != previous.bold or abs(line.size - previous.size) > 0.5
        if gap > 0.45 * body or starts_item or style_change or previous.text.rstrip().endswith("?"):
            yield current[0].top, " ".join(x.text for x in current)
            current = [line]
        else:
            current.append(line)
    yield current[0].top, " ".join(x.text for x in current)


def _paragraphs(lines: list[_Line], page_no: int) -> Iterator[tuple[float, Unit]]:
    body = statistics.median(line.size for line in lines) if lines else 0
    by_top = {line.top: line for line in lines}
    for top, text in _join(lines):
        first = by_top[top]
        is_list = text[:1] in BULLETS and len(text) > 1 and text[1] == " "
        style = "Heading" if first.bold and first.size > body + 0.5 else ""
        shown = text[2:].strip() if is_list else text
        yield top, Unit(shown, f"page {page_no}, ligne à {top:.0f} pt du haut", style, is_list)


def _drop_running_lines(units: list[Unit], pages: int) -> list[Unit]:
    """Drop headers and footers: the same text outside tables on most pages."""
    if pages < 2:
        return units
    counts = Counter(u.text for u in units if u.table is None)
    running = {text for text, n in counts.items() if n >= max(2, pages * 0.6) and len(text) < 200}
    return [u for u in units if u.table is not None or u.text not in running]
