"""The pages of a scanned return as the Soumission page shows them: each page of the OCR'd PDF kept in the
archive rendered once to PNG (cached under `registry/pages/`), and where each value read by OCR stands on it.

The archive keeps a scan's OCR'd PDF beside its original as `<hash>.ocr.pdf` (`intake.storage.archive_ocr`).
A value's provenance names its page (« page 2, tableau 1, ligne 3, colonne 2 », « page 1, ligne à 212 pt du
haut »); its position is the run of words of that page, in the PDF's text layer, that spell the value read,
the nearest to the line named when there is one.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from workflow.registry.models import FicheAssociationVersion, QuestionnaireVersion, Soumission
from workflow.review.view import Valeur
from workflow.workspace import Workspace

CACHE = "pages"
DPI = 120  # about 1 000 px wide for an A4 page: readable beside the values, light to send
MAX_PAGES = 12  # as many as OCR reads (workflow/parsers/ocr.py)
MAX_WORDS = 6  # words of a value matched on the page: enough to place it, cheap on long answers
LOOKAHEAD = 12  # words looked through for the next word of a value (the other cells of its line)
_PAGE = re.compile(r"^page (\d+)")
_LINE = re.compile(r"ligne à (\d+) pt du haut")
_render_lock = threading.Lock()  # pdfium is not thread-safe; the console serves pages from a thread pool


@dataclass(frozen=True)
class Repere:
    """Where a value stands on its page, in PDF points from the top left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def largeur(self) -> float:
        return self.x1 - self.x0

    @property
    def hauteur(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class ValeurSurPage:
    numero: int  # its mark on the image and in the list beside it
    valeur: Valeur
    repere: Repere | None


@dataclass(frozen=True)
class PageScannee:
    numero: int
    largeur: float
    hauteur: float
    valeurs: tuple[ValeurSurPage, ...]
    cadre: Repere  # the part of the page that holds text (the image is shown cropped to it)

    @property
    def vue(self) -> str:
        """Return the SVG viewBox of the page's written part."""
        c = self.cadre
        return f"{c.x0:.1f} {c.top:.1f} {c.largeur:.1f} {c.hauteur:.1f}"


def _written(words: list[dict[str, Any]], width: float, height: float, margin: float = 24.0) -> Repere:
    """Return the part of a page its words cover, with a margin (the whole page when it has no words)."""
    if not words:
        return Repere(0, 0, width, height)
    return Repere(
        max(0.0, min(w["x0"] for w in words) - margin), max(0.0, min(w["top"] for w in words) - margin),
        min(width, max(w["x1"] for w in words) + margin), min(height, max(w["bottom"] for w in words) + margin),
    )  # fmt: skip


def ocr_pdf(workspace: Workspace, soumission: Soumission) -> Path | None:
    """Return the OCR'd PDF kept beside a scanned original, or None for a file that was not scanned."""
    path = workspace.archive / soumission.sha256[:2] / f"{soumission.sha256}.ocr.pdf"
    return path if soumission.sha256 and path.is_file() else None


def ocr_places(version: QuestionnaireVersion | FicheAssociationVersion) -> set[str]:
    """Return the provenances (locators) of the values this version read by OCR."""
    if isinstance(version, QuestionnaireVersion):
        return {p.localisation for p in version.provenances if p.methode == "ocr"}
    return {p["localisation"] for p in (version.provenance or {}).values() if p and p.get("methode") == "ocr"}


def page_of(provenance: str) -> int | None:
    found = _PAGE.match(provenance)
    return int(found[1]) if found else None


def scanned_pages(
    workspace: Workspace, soumission: Soumission, places: set[str], valeurs: list[Valeur]
) -> list[PageScannee]:
    """Return each page of the scan with the values read from it and their position, page order."""
    pdf = ocr_pdf(workspace, soumission) if places else None
    if pdf is None:
        return []
    sizes, words = _layout(workspace, soumission.sha256, pdf)
    by_page: dict[int, list[Valeur]] = {}
    for v in valeurs:
        number = page_of(v.provenance) if v.provenance in places else None
        if number is not None and number <= len(sizes):
            by_page.setdefault(number, []).append(v)
    pages, mark = [], 0
    for number in sorted(by_page):
        listed, taken = [], set[int]()
        for v in by_page[number]:
            mark += 1
            read = v.correction.valeur_lue if v.correction else v.valeur
            listed.append(ValeurSurPage(mark, v, locate(read, words[number - 1], _line(v.provenance), taken)))
        width, height = sizes[number - 1]
        pages.append(PageScannee(number, width, height, tuple(listed), _written(words[number - 1], width, height)))
    return pages


def _line(provenance: str) -> float | None:
    found = _LINE.search(provenance)
    return float(found[1]) if found else None


def _tokens(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [t.strip(".") for t in re.split(r"[^0-9a-z@.]+", plain) if t.strip(".")]


def locate(
    value: str, words: list[dict[str, Any]], line: float | None = None, taken: set[int] | None = None
) -> Repere | None:
    """Return the box of the words that best spell `value` (its first words), or None when none do.

    The words of a value wrapped in a table cell are not consecutive in reading order (the next cells of
    the line come between): each next word of the value is looked for among the few words that follow.
    Words already `taken` by a value placed before are avoided (a name given twice, as referent and as
    agent); the words chosen are added to them."""
    wanted = _tokens(value)[:MAX_WORDS]
    if not wanted:
        return None
    flat = [(token, i) for i, w in enumerate(words) for token in _tokens(w["text"])]
    taken = set() if taken is None else taken
    best: tuple[float, list[int]] = (0.0, [])
    for start, (token, index) in enumerate(flat):
        first = fuzz.ratio(wanted[0], token)
        if first >= 60:
            score, found = _spelt(wanted, flat, start, first)
            if line is not None:
                score -= min(abs(words[index]["top"] - line), 200) / 20  # the line named, over a look-alike
            if taken.intersection(found):
                score -= 25
            if score > best[0]:
                best = (score, found)
    if best[0] < 70:
        return None
    taken.update(best[1])
    chosen = [words[i] for i in best[1]]
    return Repere(
        min(w["x0"] for w in chosen), min(w["top"] for w in chosen),
        max(w["x1"] for w in chosen), max(w["bottom"] for w in chosen),
    )  # fmt: skip


def _spelt(wanted: list[str], flat: list[tuple[str, int]], start: int, first: float) -> tuple[float, list[int]]:
    """Return how well the words from `start` on spell `wanted` (0-100), and the words that do."""
    total, found, at = first, [flat[start][1]], start
    for want in wanted[1:]:
        ahead = [(fuzz.ratio(want, t), -j) for j, (t, _i) in enumerate(flat[at + 1 : at + 1 + LOOKAHEAD], at + 1)]
        score, nearest = max(ahead, default=(0.0, -at))  # the best match, the nearest of equals
        if score >= 75:
            total, at = total + score, -nearest
            found.append(flat[at][1])
    return total / len(wanted), found


def page_png(workspace: Workspace, soumission: Soumission, number: int) -> Path | None:
    """Return the PNG of one page of the scan, rendered once and kept under registry/pages/; None if no such page."""
    pdf = ocr_pdf(workspace, soumission)
    if pdf is None or not 1 <= number <= MAX_PAGES:
        return None
    target = _cache(workspace, soumission.sha256) / f"page-{number}.png"
    if target.is_file():
        return target
    import pypdfium2

    with _render_lock:
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            if number > len(document):
                return None
            image = document[number - 1].render(scale=DPI / 72).to_pil()
        finally:
            document.close()
    _write(target, lambda out: image.save(out, "PNG", optimize=True))
    return target


def _layout(workspace: Workspace, sha: str, pdf: Path) -> tuple[list[tuple[float, float]], list[list[dict[str, Any]]]]:
    """Return each page's size and words (text, x0, x1, top, bottom in points), read once and kept as JSON."""
    cached = _cache(workspace, sha) / "mots.json"
    if cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
        return [(float(w), float(h)) for w, h in data["tailles"]], data["mots"]
    import pdfplumber

    sizes: list[tuple[float, float]] = []
    words: list[list[dict[str, Any]]] = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages[:MAX_PAGES]:
            sizes.append((float(page.width), float(page.height)))
            keep = ("text", "x0", "x1", "top", "bottom")
            words.append([{k: w[k] for k in keep} for w in page.extract_words(keep_blank_chars=False)])
    text = json.dumps({"tailles": sizes, "mots": words}, ensure_ascii=False)
    _write(cached, lambda out: out.write(text.encode("utf-8")))
    return sizes, words


def _cache(workspace: Workspace, sha: str) -> Path:
    folder = workspace.registry / CACHE / sha
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(target: Path, fill: Any) -> None:
    """Write a cached file whole or not at all (two requests may render the same page at once)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
