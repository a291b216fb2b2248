"""Read a PDF into units: text lines joined into paragraphs in reading order, table cells,
and AcroForm field values first (pdfplumber has no form API; pypdf's `get_fields()` does)."""

from __future__ import annotations

import logging
import re
import statistics
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from workflow.ooxml.blocks import CHECKED_GLYPHS, UNCHECKED_GLYPHS
from workflow.ooxml.controls import Control
from workflow.parsers import pdf_notes
from workflow.parsers.base import CAPTION, Contenu, Illisible, Motif, Unit, trop_volumineux
from workflow.parsers.delimited import fields
from workflow.parsers.pdf_grid import ends_page, grids, runs_to_the_end

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its English warnings say nothing to our users
logging.getLogger("pdfminer").setLevel(logging.ERROR)
MAX_PAGES = 25  # a questionnaire is a few pages; beyond, only the first are read
MAX_PAGE_CONTENT = 1 << 20  # drawing instructions of one page once inflated: a dense page takes 150 KB
MAX_CONTENT = 4 << 20  # the same over the pages read (a dense 25-page report takes under 1 MB)
BULLETS = "•◦▪‣·\uf0b7\uf0a7\uf076\uf0d8\uf0fc-–—"


COLUMN_GAP = 14.0  # points between two words of one line that mean two columns (borderless tables)
PUA_BULLETS = str.maketrans({"\uf0b7": "•", "\uf0a7": "•", "\uf076": "•", "\uf0d8": "•", "\uf0fc": "•"})


@dataclass
class _Fragment:
    """Words of one line that stand together (a line cut where a column gap separates them)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool
    size: float
    first_width: float  # width of the first word: would it have fitted on the line above?
    line: float  # top of its printed line: a label and its value in another font are read label first
    mixed: bool  # bold and plain words: « Intitulé : description » with the title in bold


@dataclass
class _Paragraph:
    fragments: list[_Fragment]
    text: str

    @property
    def first(self) -> _Fragment:
        return self.fragments[0]

    @property
    def last(self) -> _Fragment:
        return self.fragments[-1]

    @property
    def line(self) -> float:
        return self.first.line

    @property
    def left(self) -> float:
        return min(f.x0 for f in self.fragments)

    @property
    def right(self) -> float:
        return max(f.x1 for f in self.fragments)

    @property
    def bottom(self) -> float:
        return max(f.bottom for f in self.fragments)


@dataclass(frozen=True)
class PageHints:
    """A scanned page as its image shows it (in points): its words made ready from the OCR text layer
    (tick boxes « ☒ » « ☐ » among them, bold faces named), and its table rules, which it does not draw."""

    words: tuple[dict[str, Any], ...]  # pdfplumber words: text, x0, x1, top, bottom, fontname, size
    rules: tuple[dict[str, Any], ...] = ()  # pdfplumber line objects: x0, x1, top, bottom


def read_pdf(path: Path, hints: Mapping[int, PageHints] | None = None) -> Contenu:
    """Return the content of a PDF, or raise `Illisible` (encrypted, damaged, scanned, too big).

    `hints`, by page number, come with an OCR'd scan (workflow/parsers/ocr.py)."""
    _check_content(path)
    controls = tuple(acroform_fields(path))
    try:
        with pdfplumber.open(path) as pdf:
            pages = pdf.pages[:MAX_PAGES]
            placed = list(_units(pages, hints or {}))
            body, running = _split_running_lines(placed, len(pages), scanned=bool(hints))
            units = [*_across_pages(body), *running]
    except PdfminerException as e:
        if isinstance(e.args[0] if e.args else None, PDFPasswordIncorrect) or "password" in str(e).lower():
            raise Illisible(Motif.CHIFFRE, "PDF protégé par un mot de passe") from e
        raise Illisible(Motif.CORROMPU, "PDF endommagé ou illisible") from e
    except RecursionError as e:
        raise trop_volumineux("structure du PDF imbriquée trop profondément") from e
    except MemoryError:
        raise
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise Illisible(Motif.CORROMPU, "PDF endommagé ou illisible") from e
    if not any(u.text.strip() for u in units) and not any(c.text or c.checked for c in controls):
        raise Illisible(Motif.SANS_TEXTE, "PDF sans texte (document scanné) : demander le document d'origine")
    return Contenu(tuple(units), controls)


def _check_content(path: Path) -> None:
    """Refuse a page whose drawing instructions, once inflated, exceed the limit (a text-layer bomb),
    inflating no more than the limit; a damaged file is left for pdfplumber to judge."""
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            return
        total = 0
        for number, page in enumerate(reader.pages[:MAX_PAGES], start=1):
            size = 0
            for stream in _content_streams(page):
                size += _inflated_size(stream, MAX_PAGE_CONTENT + 1 - size)
                if size > MAX_PAGE_CONTENT:
                    raise trop_volumineux(
                        f"la page {number} dépasse la limite de {MAX_PAGE_CONTENT >> 20} Mo d'instructions de dessin "
                        "par page, une fois décompressées"
                    )
            total += size
            if total > MAX_CONTENT:
                raise trop_volumineux(
                    f"ses pages dépassent la limite de {MAX_CONTENT >> 20} Mo d'instructions de dessin "
                    "une fois décompressées"
                )
    except Illisible:
        raise
    except MemoryError:
        raise
    except Exception:  # damaged: the reading below says so in its own words
        return


def _content_streams(page: Any) -> Iterator[Any]:
    """Yield the page's content streams and the form XObjects it draws (one level)."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    yield from (c.get_object() for c in contents) if isinstance(contents, list) else [contents] if contents else []
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for ref in xobjects.get_object().values() if xobjects is not None else []:
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield xobject


def _inflated_size(stream: Any, budget: int) -> int:
    """Return the stream's size once inflated, stopping past `budget` bytes."""
    raw = getattr(stream, "_data", b"") or b""
    filters = stream.get("/Filter")
    filters = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)] if filters else []
    if filters[:1] != ["/FlateDecode"]:
        return len(raw)
    inflater = zlib.decompressobj()
    size = 0
    chunk = inflater.decompress(raw, budget)
    while chunk and size <= budget:
        size += len(chunk)
        chunk = inflater.decompress(inflater.unconsumed_tail, budget) if inflater.unconsumed_tail else b""
    return size


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


Placed = tuple[int, float, Unit]  # page, height on the page, unit


def _units(pages: list[Any], hints: Mapping[int, PageHints]) -> Iterator[Placed]:
    table_no = 0
    overleaf = None
    for page_no, page in enumerate(pages, start=1):
        hint = hints.get(page_no)
        words = (
            pdf_notes.marked(_unstruck(_without_leaders(_ticked_by_hand(_words(page))), page))
            if hint is None
            else list(hint.words)
        )
        found = page.find_tables() if hint is None else _scanned_tables(page, hint)
        tables = [t for t in found if len(t.rows) >= 2 or len(t.columns) >= 2]
        items: list[tuple[Key, list[Unit]]] = []
        taken: set[int] = set()
        panels = _panels(words, tables)
        for table in tables:
            table_no += 1
            units, used = _table_units(words, table, table_no, page_no)
            top = table.bbox[1]
            band, column, caption = panels.get(id(table), (top, 0, []))
            taken |= used | set(caption)
            items.append(((band, column, top), _caption_units([words[i] for i in caption], page_no) + units))
        outside = [w for i, w in enumerate(words) if i not in taken]
        loose, table_no, overleaf = _paragraphs(outside, page_no, table_no, None if tables else overleaf)
        items.extend((key, [unit]) for key, unit in loose)
        ordered = [(key[2], unit) for key, group in sorted(items, key=lambda item: item[0]) for unit in group]
        for top, unit in pdf_notes.placed(ordered):
            yield page_no, top, unit


def _words(page: Any) -> list[dict]:
    """The page's words, upright and sideways read apart: grouped together, the letters of a band
    turned on its side fall on the lines beside them one by one."""
    options = {"keep_blank_chars": False, "use_text_flow": False, "extra_attrs": ["fontname", "size"]}
    sideways = [c for c in page.chars if not c.get("upright", True)]
    if not sideways:
        return page.extract_words(return_chars=True, **options)
    upright = page.filter(lambda o: o.get("object_type") != "char" or o.get("upright", True))
    turned = page.filter(lambda o: o.get("object_type") != "char" or not o.get("upright", True))
    rising = sum(1 if c["matrix"][1] > 0 else -1 for c in sideways) > 0  # read from the bottom up (Word's btLr)
    direction = "btt" if rising else "ttb"
    # a turned letter's « size » is its advance: grouped by it, a word would fall apart letter by letter
    turned_words = turned.extract_words(
        return_chars=True, char_dir_rotated=direction, **options | {"extra_attrs": ["fontname"]}
    )
    return [
        *upright.extract_words(return_chars=True, **options),
        *({**w, "size": w["x1"] - w["x0"]} for w in turned_words),
    ]


def _ticked_by_hand(words: list[dict]) -> list[dict]:
    """An « X » typed over an empty box (a form filled with a « fill and sign » tool) ticks it."""
    boxes = [n for n, w in enumerate(words) if w["text"] in UNCHECKED_GLYPHS]
    crossed: set[int] = set()
    out = list(words)
    for n, word in enumerate(words):
        if word["text"] not in ("X", "x"):
            continue
        for b in boxes:
            box = words[b]
            if box["x0"] - 1 <= word["x0"] and word["x1"] <= box["x1"] + 1 and abs(word["top"] - box["top"]) <= 4:
                out[b], crossed = {**box, "text": "☒"}, crossed | {n}
                break
    return [w for n, w in enumerate(out) if n not in crossed]


CAPTION_GAP = 18.0  # points: a title this close above a table, within its width, is its caption


def _panels(words: list[dict], tables: list[Any]) -> dict[int, tuple[float, int, list[int]]]:
    """Tables standing level with each other, side by side, each under its own title (a form's two
    panels « L'ASSOCIATION » and « CONTACT PROJET »): each one's band, column and caption words, so
    that a panel is read whole, title and cells, before the one on its right."""
    panels: dict[int, tuple[float, int, list[int]]] = {}
    for table in tables:
        level = [t for t in tables if abs(t.bbox[1] - table.bbox[1]) <= ALIGNED * 2]
        disjoint = all(a is b or a.bbox[2] <= b.bbox[0] or b.bbox[2] <= a.bbox[0] for a in level for b in level)
        if len(level) < 2 or not disjoint or id(table) in panels:
            continue
        captions = {id(t): _caption(words, t, tables) for t in level}
        if not any(captions.values()):
            continue
        band = min(words[i]["top"] for caption in captions.values() for i in caption)
        for column, panel in enumerate(sorted(level, key=lambda t: t.bbox[0])):
            panels[id(panel)] = (band, column, captions[id(panel)])
    return panels


def _caption(words: list[dict], table: Any, tables: list[Any]) -> list[int]:
    """The words just above a table and within its width, standing apart from the rest of their line."""
    x0, top, x1, _ = table.bbox
    band = [
        i
        for i, w in enumerate(words)
        if top - CAPTION_GAP <= w["bottom"] <= top + 1 and not any(_centre_in(w, t.bbox) for t in tables)
    ]
    mine = [i for i in band if x0 - 1 <= words[i]["x0"] and words[i]["x1"] <= x1 + 1]
    if not mine:
        return []
    left, right = min(words[i]["x0"] for i in mine), max(words[i]["x1"] for i in mine)
    beside = [words[i] for i in band if i not in mine]
    if any(w["x1"] > left - COLUMN_GAP and w["x0"] < right + COLUMN_GAP for w in beside):
        return []  # a line running over the table's edge: « Article 1 – L'association »
    return mine


def _line_where(page_no: int, top: float) -> str:
    return f"page {page_no}, ligne à {top:.0f} pt du haut"


def _caption_units(words: list[dict], page_no: int) -> list[Unit]:
    return [
        Unit(p.text, _line_where(page_no, p.first.top), bold=all(f.bold for f in p.fragments))
        for p in _build(_fragments(words))
    ]


_LEADER = re.compile(r"(?:[.…_]\s?){4,}$")  # « Sigle : ……………… », a tab's leader printed to the margin


def _without_leaders(words: list[dict]) -> list[dict]:
    """The words without the dots a tab's leader prints after a value (or in place of a missing
    one) to the end of its line: they would run the line to the margin, as a line too long to end
    there. A leader between a label and its value (« SIGLE ........ ADQ ») is kept: it parts them."""
    ends: dict[int, float] = {}  # each printed line's rightmost start of a word that is no leader
    for word in words:
        if not _LEADER.fullmatch(word["text"]):
            line = round(word["top"])
            ends[line] = max(ends.get(line, 0.0), word["x0"])
    out = []
    for word in words:
        found = _LEADER.search(word["text"])
        last = all(ends.get(round(word["top"]) + d, 0.0) <= word["x0"] for d in (-1, 0, 1))
        if found is None or not last:
            out.append(word)
        elif found.start() > 0:
            chars = word.get("chars", [])[: found.start()]
            trimmed = {"x1": chars[-1]["x1"], "chars": chars} if chars else {}
            out.append({**word, "text": word["text"][: found.start()], **trimmed})
    return out


def _unstruck(words: list[dict], page: Any) -> list[dict]:
    """Empty the words a line is drawn through (struck out: what the writer deleted), keeping their place
    so that the gap they leave splits no line; a line under a word (underlined) or a table rule at its
    edge is no strike."""
    strokes = [
        (min(s["x0"], s["x1"]), max(s["x0"], s["x1"]), (s["top"] + s["bottom"]) / 2)
        for s in (*page.lines, *(r for r in page.rects if r["bottom"] - r["top"] < 1.5))
        if abs(s["bottom"] - s["top"]) < 1.5 and abs(s["x1"] - s["x0"]) >= 3
    ]
    if not strokes:
        return words

    def struck(w: dict) -> bool:
        height, width = w["bottom"] - w["top"], w["x1"] - w["x0"]
        return any(
            w["top"] + 0.3 * height <= y <= w["bottom"] - 0.2 * height
            and min(x1, w["x1"]) - max(x0, w["x0"]) >= 0.6 * width
            for x0, x1, y in strokes
        )

    out = []
    for word in words:
        kept = [c for c in word.get("chars", ()) if not struck(c)]
        if struck(word) or not kept:
            out.append({**word, "text": ""})
        elif len(kept) < len(word["chars"]):  # « LEROYMme »: a tracked deletion glued to the insertion after it
            out.append({**word, "text": "".join(c["text"] for c in kept), "x0": kept[0]["x0"], "x1": kept[-1]["x1"]})
        else:
            out.append(word)
    return out


def _scanned_tables(page: Any, hint: PageHints) -> list[Any]:
    """Find a scanned page's tables from the rules seen on its image (its PDF draws none)."""
    vertical = [r for r in hint.rules if r["x0"] == r["x1"]]
    horizontal = [r for r in hint.rules if r["top"] == r["bottom"]]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    return list(page.find_tables(settings))


def _centre_in(word: dict, bbox: tuple[float, float, float, float]) -> bool:
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _table_units(words: list[dict], table: Any, number: int, page_no: int) -> tuple[list[Unit], set[int]]:
    """Return a table's cells as units (words placed by their centre) and the words used."""
    units: list[Unit] = []
    used: set[int] = set()
    for r, row in enumerate(table.rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            if cell is None:
                continue
            mine = [i for i, w in enumerate(words) if i not in used and _centre_in(w, cell)]
            used.update(mine)
            where = f"page {page_no}, tableau {number}, ligne {r}, colonne {c}"
            if mine and not any(words[i].get("upright", True) for i in mine):  # a band heading the rows
                units.append(Unit(" ".join(words[i]["text"] for i in mine), where, bold=True))
                continue
            paragraphs = _build(_fragments([words[i] for i in mine]), right_edge=cell[2] - 4)
            units.extend(
                Unit("\n".join(p.text for p in part), where, table=number, row=r, col=c)
                for part in _cell_parts(paragraphs)
            )
    return units, used


def _cell_parts(paragraphs: list[_Paragraph]) -> list[list[_Paragraph]]:
    """Cut a cell where Word's would hold separate paragraphs for sure: after a question, and where
    the type size changes (a box's title, its question in small italics, then the answer). Other
    breaks a PDF shows may be a wrapped line, or a nested table's label and value: they stay lines of
    one unit."""
    if len({round(p.first.line) for p in paragraphs}) < len(paragraphs):  # side by side: a grid inside the cell
        return [paragraphs]
    parts: list[list[_Paragraph]] = []
    for paragraph in paragraphs:
        if parts:
            last, first = parts[-1][-1].last, paragraph.first
            if not (last.text.rstrip().endswith("?") or abs(last.size - first.size) > 0.5):
                parts[-1].append(paragraph)
                continue
        parts.append([paragraph])
    return parts or [[]]


def _fragments(words: list[dict]) -> list[_Fragment]:
    """Group words into lines, then cut each line where a wide gap separates columns."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= 2.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    out = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        pieces = [[line[0]]]
        for word in line[1:]:
            lone_bullet = len(pieces[-1]) == 1 and pieces[-1][0]["text"].translate(PUA_BULLETS) in BULLETS
            gap = max(COLUMN_GAP, 0.9 * word["size"])  # a title in large type spaces its words widely
            if (
                _other_type(pieces[-1][-1], word)
                and not _NUMBER_MARK.match(pieces[-1][0]["text"])
                and pieces[-1][-1]["text"] not in _SEPARATORS
            ):  # « Organisme » in small italics, its answer beside it; not « 2.1 » before its title, nor « — Sigle : »
                gap = max(TYPE_CHANGE_GAP, 0.6 * word["size"])
            if word["x0"] - pieces[-1][-1]["x1"] >= gap and not lone_bullet:
                pieces.append([])
            pieces[-1].append(word)
        for piece in pieces:  # « Campagne : » in Arial and « 2024 » in Times on one baseline: one line
            level = [w for w in line if abs(w["bottom"] - piece[0]["bottom"]) <= BASELINE]
            out.append(_fragment(piece, min(w["top"] for w in level)))
        if _typed_beside(pieces):  # a value typed a little above its label's baseline: the label's line
            out[-1] = replace(out[-1], line=out[-2].line)
    return [f for f in out if f.text]  # a line all struck through is gone


TYPE_CHANGE_GAP = 7.0  # points between two words in different type that mean two columns
TYPED_RISE = 1.0  # points: how far above its label's baseline a « fill and sign » tool may set a value
MAX_TYPED_LABEL = 6  # words of the label such a value is typed beside


def _typed_beside(pieces: list[list[dict]]) -> bool:
    """A short label, then one value in other type whose baseline stands just above the label's."""
    if len(pieces) != 2 or len(pieces[0]) > MAX_TYPED_LABEL or not _other_type(pieces[0][-1], pieces[1][0]):
        return False
    if pieces[0][-1]["text"].endswith(".") or any(_is_bold(w) for w in pieces[1]):
        return False  # a sentence's end, a heading in the next column
    rise = pieces[0][-1]["bottom"] - pieces[1][0]["bottom"]
    return BASELINE < rise <= TYPED_RISE


_BOXES = CHECKED_GLYPHS | UNCHECKED_GLYPHS | {"▢"}
_SEPARATORS = {"—", "–", "-", "|", "·", "/", "•"}
_NUMBER_MARK = re.compile(r"^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)°]?|[a-zA-Z][.)]|[ivxIVX]+[.)])$")


def _other_type(left: dict, right: dict) -> bool:
    """Two words in different fonts or sizes, neither a box (☒ is in a symbol font)."""
    words = not any(c in _BOXES for c in left["text"] + right["text"])
    return words and (left["fontname"] != right["fontname"] or abs(left["size"] - right["size"]) > 0.5)


MAX_LABEL_WORDS = 3
BASELINE = 0.5  # points: words whose bottoms differ by less stand on the same printed line


_HEAVY = re.compile(r"bold|demi|heavy|black", re.IGNORECASE)  # weights a font's name gives


def _is_bold(word: dict) -> bool:
    """Bold by the font's name: « Arial-BoldMT », « URWBookmanDemiItalic »."""
    return bool(_HEAVY.search(word["fontname"]))


def _fragment(words: list[dict], line: float) -> _Fragment:
    text = " ".join(w["text"] for w in words if w["text"]).translate(PUA_BULLETS)
    heavy = sum(_is_bold(w) for w in words)
    bold = heavy > len(words) / 2
    return _Fragment(
        text,
        words[0]["x0"],
        words[-1]["x1"],
        min(w["top"] for w in words),
        max(w["bottom"] for w in words),
        bold,
        statistics.median(w["size"] for w in words),
        words[0]["x1"] - words[0]["x0"],
        line,
        0 < heavy < len(words),
    )


def _build(fragments: list[_Fragment], right_edge: float | None = None) -> list[_Paragraph]:
    """Join fragments into paragraphs, column by column, in reading order (top, then left).

    In a table cell (`right_edge` given) paragraphs usually have no spacing between them, so a
    line ending a sentence followed by a capital also starts a new paragraph there.
    """
    if not fragments:
        return []
    body = statistics.median(f.size for f in fragments)
    edges = _column_edges(fragments) if right_edge is None else None
    labels: dict[float, list[float]] = {}  # per line, where the « Label : » fragments end
    for f in fragments:
        if f.text.rstrip().endswith(":"):
            labels.setdefault(f.line, []).append(f.x1)
    beside: dict[float, list[float]] = {}  # per line, where its fragments start
    for f in fragments:
        beside.setdefault(f.line, []).append(f.x0)
    open_: list[_Paragraph] = []
    opened: dict[float, list[_Fragment]] = {}  # per line, the fragments that begin a paragraph
    for fragment in sorted(fragments, key=lambda f: (f.line, f.x0)):
        edge = right_edge if right_edge is not None else edges[id(fragment)]  # type: ignore[index]
        valued = any(x1 < fragment.x0 for x1 in labels.get(fragment.line, ()))  # a label's value beside it
        host = (
            None
            if valued
            else next((p for p in reversed(open_) if _continues(p, fragment, body, edge, right_edge is not None)), None)
        )
        if (
            host is not None
            and right_edge is None
            and (_next_row(host.last, fragment, beside) or _new_label_beside(host.last, fragment, opened))
        ):
            host = None
        if host is None:
            opened.setdefault(fragment.line, []).append(fragment)
            open_.append(_Paragraph([fragment], fragment.text))
        else:
            glue = "" if _cut_word(host.last, fragment, edge) else " "
            host.fragments.append(fragment)
            host.text += glue + fragment.text
    return sorted(open_, key=lambda p: (p.first.line, p.first.x0))


def _next_row(last: _Fragment, fragment: _Fragment, beside: dict[float, list[float]]) -> bool:
    """« Organisme signataire » then « Campagne », each with its value level with it on the right: two
    rows of a label column, not a wrapped line (which goes on in lower case, beside nothing new)."""
    if not fragment.text[:1].isupper() or fragment.x1 - fragment.x0 > LABEL_WIDTH:
        return False
    right = [x for x in beside.get(fragment.line, ()) if x > fragment.x1 + 4]
    before = [x for x in beside.get(last.line, ()) if x > last.x1 + 4]
    return bool(right) and (not before or abs(min(right) - min(before)) <= ALIGNED)


def _new_label_beside(last: _Fragment, fragment: _Fragment, opened: dict[float, list[_Fragment]]) -> bool:
    """A value's line level with a new label on its left (« Courriel » beside « martine.delcourt@… »)
    starts the next row's value, even in lower case, when the line before stood beside a label too."""
    label = [f for f in opened.get(fragment.line, ()) if f.x1 + 4 < fragment.x0 and f.x1 - f.x0 <= LABEL_WIDTH]
    before = [f for f in opened.get(last.line, ()) if f.x1 + 4 < last.x0]
    return bool(label and before)


LABEL_WIDTH = 200  # points: a label column is narrow; a line of running text is not


def _column_edges(fragments: list[_Fragment]) -> dict[int, float]:
    """Return, per fragment, the right edge of its column: the widest nearby line of the column,
    never beyond the next column on the same line."""
    edges = {}
    for fragment in fragments:
        near = [f.x1 for f in fragments if abs(f.x0 - fragment.x0) <= 30 and abs(f.top - fragment.top) <= 60]
        beside = [f.x0 for f in fragments if abs(f.top - fragment.top) <= 2.5 and f.x0 > fragment.x1]
        edges[id(fragment)] = min([max(near), *(x - 4 for x in beside)])
    return edges


_ASIDE = re.compile(r"\((?:\S+\s?){1,3}\)")
_OPEN_ENDED = re.compile(r"(?:^|\s)(?:du|de|des|d['’]|la|le|les|l['’]|et|à|au|aux|pour|en|sur|par|avec)\s*$", re.I)


def _continues(paragraph: _Paragraph, fragment: _Fragment, body: float, edge: float, in_cell: bool) -> bool:
    """Tell whether `fragment` is the next line of `paragraph` rather than a new paragraph."""
    last = paragraph.last
    gap = fragment.top - last.bottom
    flush_right = (  # a label column set right: « Nos actions phares dans les » ⏎ « quartiers de la CUA »
        abs(fragment.x1 - last.x1) <= 1.5
        and paragraph.first.x0 + 30 < fragment.x0 < last.x1
        and (fragment.text[:1].islower() or fragment.text[:1].isdigit())
    )
    pitch = fragment.top - last.top  # small type set on the body's line grid keeps the body's line pitch
    if not (gap >= -1 and (gap <= 0.45 * body or pitch <= 1.45 * body)) or not (
        paragraph.first.x0 - 6 <= fragment.x0 <= paragraph.first.x0 + 30 or flush_right
    ):
        return False
    label = last.text.rstrip().endswith(":") and len(last.text.split()) <= MAX_LABEL_WORDS and not in_cell
    typed_bullet = fragment.text[:2] == "* "  # an item typed with an asterisk, as Markdown does
    if (
        fragment.text[:1] in BULLETS
        or fragment.text[:1] in "☐☒☑□"
        or typed_bullet
        or last.text.rstrip().endswith("?")
        or label
    ):
        return False  # a question, a label (« Campagne : »): the next line is its answer
    wrapped = last.x1 + fragment.first_width + 4 >= edge - 6  # the word did not fit on the line above
    if last.mixed and fragment.text[:1].islower() and wrapped:
        return True  # « Intitulé : description » with the title in bold, wrapped: it goes on in lower case
    if fragment.bold != last.bold or abs(fragment.size - last.size) > 0.5 or pdf_notes.starts_note(fragment.text):
        return False
    if _next_record(paragraph, fragment, wrapped):
        return False  # « sigle;LBSM » ⏎ « siret;844… »: an export's records, one per line
    if in_cell and last.text.rstrip()[-1:] in ".!:;" and fragment.text[:1].isupper():
        return False
    if fragment.text[:1].islower() or _ASIDE.fullmatch(fragment.text):  # French: a wrapped line goes on in
        return True  # lower case, or with a short aside: « Objectif opérationnel » ⏎ « (code) »
    if _OPEN_ENDED.search(last.text):  # « Caisse d'Allocations Familiales du » / « Pas-de-Calais »
        return True
    return wrapped


def _next_record(paragraph: _Paragraph, fragment: _Fragment, wrapped: bool) -> bool:
    """A line of as many « ; » fields as the paragraph above starts the next record, unless that one
    was cut at the line's end and this goes on in the middle of a field (lower case, words)."""
    record = len(fields(paragraph.text))
    following = fields(fragment.text)
    if not record or len(following) != record:
        return False
    return not wrapped or " " not in following[0] or fragment.text[:1].isupper()


def _cut_word(last: _Fragment, fragment: _Fragment, edge: float) -> bool:
    """A word longer than its column is cut with no hyphen, a compound at its hyphen (« enfants- »
    « parents »), an address anywhere (« julien.morel@ass » « urance-maladie.fr »): glue them back."""
    tail = last.text.split()[-1] if last.text.split() else ""
    if not fragment.text[:1].isalnum():
        return False
    if "@" in tail or (tail.endswith("-") and len(tail) > 2 and tail[-2].isalnum()):  # « (2026- » « 2028) »
        return True
    return " " not in last.text and last.x1 >= edge - 3


@dataclass(frozen=True)
class _Overleaf:
    """A borderless table that ran to the page's end: its number, its last row, its answer edge."""

    table: int
    row: int
    edge: float


def _paragraphs(
    words: list[dict], page_no: int, tables: int, overleaf: _Overleaf | None
) -> tuple[list[tuple[Key, Unit]], int, _Overleaf | None]:
    """The page's text outside ruled tables, as paragraphs in reading order, and the rows of its
    borderless tables as cells numbered after the `tables` already met (the lines going on with
    the table `overleaf` the page before, as its last answer); the tables' count so far, and the
    table that runs to this page's end."""
    paragraphs = _build(_fragments(words))
    body = statistics.median(p.first.size for p in paragraphs) if paragraphs else 0
    ordered = _reading_order(paragraphs)
    keys = {id(p): key for key, p in ordered}
    shapes = paragraphs  # top to bottom: a table's rows are read across, whatever the page's columns
    units: list[tuple[Key, Unit]] = []
    continued, found = grids(shapes, overleaf.edge if overleaf else None)

    def cell(members: list[int], table: int, row: int, col: int) -> None:
        text = "\n".join(shapes[i].text for i in members)
        where = f"page {page_no}, tableau {table}, ligne {row}, colonne {col}"
        bold = all(f.bold for i in members for f in shapes[i].fragments)
        key = min(keys[id(shapes[i])] for i in members)
        units.append((key, Unit(text, where, table=table, row=row, col=col, bold=bold)))

    carry = None
    if overleaf and continued:
        cell(continued, overleaf.table, overleaf.row, 2)
        if runs_to_the_end(shapes, continued[-1]):  # the whole page goes on with it: so may the next
            carry = overleaf
    for grid in found:
        tables += 1
        for r, row in enumerate(grid.rows, start=1):
            for c, members in enumerate((row.labels, row.answers), start=1):
                if members:
                    cell(members, tables, r, c)
        carry = _Overleaf(tables, len(grid.rows), grid.edge) if ends_page(shapes, grid) else None
    taken = {*continued, *(i for grid in found for row in grid.rows for i in (*row.labels, *row.answers))}
    taken_ids = {id(shapes[i]) for i in taken}
    captions = _captions([p for _, p in ordered if id(p) not in taken_ids])
    captioned = {id(value): caption for caption, value in captions if value is not None}
    lone = {id(caption) for caption, value in captions if value is None}
    inner = {id(caption) for caption in captioned.values()}
    for key, paragraph in ordered:
        if id(paragraph) in taken_ids or id(paragraph) in inner:
            continue
        unit = _paragraph_unit(paragraph, page_no, body)
        if id(paragraph) in captioned or id(paragraph) in lone:
            table = CAPTIONED - page_no * 10_000 - len(units)  # see labels_below
            if id(paragraph) in captioned:
                units.append((key, replace(unit, table=table, row=1, col=1)))
                unit = _paragraph_unit(captioned[id(paragraph)], page_no, body)
            unit = replace(unit, style=CAPTION, table=table, row=1, col=1)
        units.append((key, unit))
    return units, tables, carry


CAPTIONED = -1  # a line and its caption stand in a cell numbered below zero, in no table of the page
CAPTION_RATIO = 0.9  # a caption's letters smaller than its line's
UNDER_GAP = 1.6  # a caption stands under its line within this many of the line's heights
CAPTION_INDENT = 6.0  # points: and starts where its line starts
CAPTION_WORDS = 12  # a caption names a field in a few words
MIN_CAPTIONS = 3  # a page with that many lines captioned underneath is printed so


def _captions(paragraphs: list[_Paragraph]) -> list[tuple[_Paragraph, _Paragraph | None]]:
    """A form printed with each label in small letters under its line (« Nadia KHELIF » over
    « Nom et prénom du représentant légal »): each caption and the line it captions (None: left
    empty), when the page is printed so."""
    found: list[tuple[_Paragraph, _Paragraph | None]] = []
    heading = 0  # small lines standing closer over a line than under one: labels over their values
    for caption in paragraphs:
        if len(caption.fragments) > 2 or len(caption.text.split()) > CAPTION_WORDS:
            continue
        above, below = _gap(caption, paragraphs, over=True), _gap(caption, paragraphs, over=False)
        if above and all(f.bold for f in above[1].fragments):
            above = None  # a title over its text
        if above:
            found.append((caption, above[1]))
        heading += bool(below and (not above or below[0] <= above[0]))
    if len(found) < MIN_CAPTIONS or len(found) <= 2 * heading:  # closer under their line than over the next
        return []
    sizes = {round(c.first.size, 1) for c, _ in found}
    top, bottom = min(c.first.top for c, _ in found), max(c.first.top for c, _ in found)
    found += [  # a caption under a line left empty: in the captions' letters, among them, under nothing
        (p, None)
        for p in paragraphs
        if round(p.first.size, 1) in sizes
        and top < p.first.top < bottom
        and all(p is not c for c, _ in found)
        and len(p.fragments) <= 2
    ]
    values = {id(value) for _, value in found if value is not None}
    return [(c, v) for c, v in found if v is not None or id(c) not in values]


def _gap(small: _Paragraph, paragraphs: list[_Paragraph], over: bool) -> tuple[float, _Paragraph] | None:
    """The nearest line in bigger letters starting where a small one starts, just over it (or just
    under it), and the gap between them."""
    size = small.first.size
    near = []
    for p in paragraphs:
        gap = small.first.top - p.bottom if over else p.first.top - small.bottom
        bigger = p is not small and size <= CAPTION_RATIO * p.last.size
        if bigger and 0 <= gap <= UNDER_GAP * p.last.size and abs(p.left - small.left) <= CAPTION_INDENT:
            near.append((gap, p))
    return min(near, key=lambda n: n[0]) if near else None


def _paragraph_unit(paragraph: _Paragraph, page_no: int, body: float) -> Unit:
    first, text = paragraph.first, paragraph.text
    is_list = text[:1] in BULLETS and len(text) > 1 and text[1] == " "
    style = "Heading" if first.bold and first.size > body + 0.5 else ""
    shown = text[2:].strip() if is_list else text
    where = _line_where(page_no, first.top)
    return Unit(shown, where, style, is_list, bold=all(f.bold for f in paragraph.fragments))


ALIGNED = 2.5  # points: two paragraphs starting this close in height stand on one line
LEVEL_SHARE = 0.3  # beyond this share of right-hand lines level with a left-hand one: a « label  value » form
Key = tuple[float, int, float]  # (top of the band, column, top): the order a page is read in


def _reading_order(paragraphs: list[_Paragraph]) -> list[tuple[Key, _Paragraph]]:
    """Order a page's paragraphs for reading: top to bottom, but when the page is laid out in two
    columns (a sidebar beside the text, their lines not level with each other) the left column is
    read before the right one, band by band between the lines that span both. A form's « label
    value » lines stand level: they are read across."""
    gutters = _gutters(paragraphs)
    keyed: list[tuple[Key, _Paragraph]] = []
    band = 0.0
    for p in sorted(paragraphs, key=lambda p: (p.first.line, p.first.x0)):
        bounds = [0.0, *gutters, float("inf")]
        side = next((n for n in range(len(bounds) - 1) if p.left >= bounds[n] and p.right <= bounds[n + 1]), None)
        if not gutters or side is None:  # spans both columns (a title, a footer): a new band starts under it
            band = p.first.line
            keyed.append(((p.first.line, 0, p.first.line), p))
        else:
            keyed.append(((band, side, p.first.line), p))
    return sorted(keyed, key=lambda k: k[0])


BESIDE_SHARE = 0.6  # beyond this share of left-hand lines level with right-hand ones: a label column
SPANNING_SHARE = 10  # at most one paragraph in ten across both columns among their lines


MAX_COLUMNS = 4
MIN_PANEL = 5  # paragraphs in a panel of a folded leaflet
PROSE_WORDS = 5  # a label column's lines are a few words; a panel's, sentences


def _prose(paragraphs: list[_Paragraph]) -> bool:
    return statistics.median(len(p.text.split()) for p in paragraphs) >= PROSE_WORDS


def _gutters(paragraphs: list[_Paragraph], depth: int = 1) -> list[float]:
    """The gutters between a page's columns, left to right: a leaflet folds in three."""
    gutter = _gutter(paragraphs) if depth < MAX_COLUMNS else None
    if gutter is None:
        return []
    left = [p for p in paragraphs if p.right <= gutter]
    right = [p for p in paragraphs if p.left >= gutter]
    return [*_gutters(left, depth + 1), gutter, *_gutters(right, depth + 1)]


def _gutter(paragraphs: list[_Paragraph]) -> float | None:
    """The x between two columns of text whose lines are not level with each other, or None."""
    best: tuple[int, float] | None = None
    for edge in sorted({p.right for p in paragraphs}):
        left = [p for p in paragraphs if p.right <= edge]
        right = [p for p in paragraphs if p.left >= edge + COLUMN_GAP / 2]
        if len(left) < 3 or len(right) < 3:
            continue
        sides = [p.first.top for p in (*left, *right)]
        placed = {id(p) for p in (*left, *right)}
        crossing = sum(  # across both, among them: a masthead above or a footer below opens a band of its own
            min(sides) < p.first.top < max(sides) for p in paragraphs if id(p) not in placed
        )
        if crossing > max(2, len(paragraphs) // SPANNING_SHARE):
            continue
        level = sum(any(abs(r.first.top - q.first.top) <= ALIGNED for q in left) for r in right)
        labels = sum(any(abs(q.first.top - r.first.top) <= ALIGNED for r in right) for q in left)
        columns = level < LEVEL_SHARE * len(right) and labels < BESIDE_SHARE * len(left)  # else labels beside values
        # lines on one grid in each column (a leaflet's panels): level, yet prose on both sides, none across
        columns = columns or (
            len(placed) == len(paragraphs) and min(len(left), len(right)) >= MIN_PANEL and _prose(left)
        )
        if columns and (best is None or min(len(left), len(right)) > best[0]):
            best = (min(len(left), len(right)), edge + COLUMN_GAP / 4)
    return best[1] if best else None


PAGE_HEAD = 72  # pt from the top: the page's header area, above the body's top margin
RUNNING_HEADER_BELOW = 300  # pt from the top: a running line above it is a page header, else a footer


def _split_running_lines(placed: list[Placed], pages: int, scanned: bool = False) -> tuple[list[Placed], list[Unit]]:
    """Set headers and footers apart: the same text at the same height, outside tables (but a page's
    head), on most pages.
    Each is kept once, as a Word document's header or footer is (« en-tête, … »): never part of an
    answer, but an association's SIRET or a signatory's name may be printed only there.

    On a scan the height varies by a few points from page to page and OCR misreads a character now
    and then: the neighbouring heights count too, and short words are left out of the text compared."""
    if pages < 2:
        return placed, []
    spots = Counter((_running_key(u.text, scanned), round(top / 6)) for _, top, u in placed if _may_run(u, top))
    reach = (-1, 0, 1) if scanned else (0,)
    running = {
        spot
        for spot in spots
        if sum(spots[(spot[0], spot[1] + d)] for d in reach) >= max(2, pages * 0.6)
        and (not scanned or len(spot[0]) > 3)
        and len(spot[0]) < 200  # a bare page number is « # »
    }
    tables: dict[int, bool] = {}  # a table at the page's head runs when every cell of it does (a cartouche)
    for _, top, unit in placed:
        if unit.table is not None and _may_run(unit, top):
            spot = (_running_key(unit.text, scanned), round(top / 6))
            tables[unit.table] = tables.get(unit.table, True) and (spot in running or not unit.text.strip())
    body, kept, seen = [], [], set()
    for page, top, unit in placed:
        spot = (_running_key(unit.text, scanned), round(top / 6))
        if not _may_run(unit, top) or spot not in running or (unit.table is not None and not tables[unit.table]):
            body.append((page, top, unit))
        elif spot[0] not in seen:
            seen.add(spot[0])
            part = "en-tête" if top < RUNNING_HEADER_BELOW else "pied de page"
            kept.append(replace(unit, where=f"{part}, {unit.where}", table=None, row=None, col=None))
    return body, kept


def _may_run(unit: Unit, top: float) -> bool:
    """A line outside tables, or a cell of a table at the top of the page (a quality document's
    cartouche, printed again on each page)."""
    return unit.table is None or (unit.table > 0 and top < PAGE_HEAD)


def _running_key(text: str, scanned: bool = False) -> str:
    """A footer is the same line on every page but for its page number."""
    key = re.sub(r"\d+", "#", text)
    return " ".join(w for w in key.split() if len(w) > 2) if scanned else key


def _across_pages(placed: list[Placed]) -> list[Unit]:
    """Join a paragraph that a page break cut: the next page opens on a lower-case line."""
    units: list[Unit] = []
    previous_page = 0
    for page, _, unit in placed:
        first_on_page = page != previous_page
        previous_page = page
        last = units[-1] if units else None
        if (
            first_on_page
            and last is not None
            and last.table is None
            and unit.table is None
            and unit.text[:1].islower()
            and last.text.rstrip()[-1:] not in ".!?:"
        ):
            units[-1] = replace(last, text=f"{last.text} {unit.text}")
        else:
            units.append(unit)
    return units
