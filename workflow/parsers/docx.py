"""Read a .docx into units and controls: the package opened as python-docx opens it
(`workflow.ooxml.package`), python-docx itself for what that loader leaves to it."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from lxml import etree

from workflow.ooxml.blocks import Block, Paragraph, Table, Texts, walk
from workflow.ooxml.controls import Control, content_controls, legacy_fields
from workflow.ooxml.frames import in_page_order
from workflow.ooxml.ns import qn
from workflow.ooxml.package import NOTE_PARTS, STORY_PARTS, XML_PARSER, open_package
from workflow.parsers.base import Contenu, Illisible, Motif, Unit, trop_volumineux

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_XML = 40 * 1024 * 1024  # the XML parts once inflated: a long form is a few hundred kilobytes
MAX_ELEMENTS = 50_000  # paragraphs and table cells of the body: a long form has a few thousand

Stories = Iterable[tuple[str, Any]]


def read_docx(path: Path) -> Contenu:
    """Return the content of a Word document, or raise `Illisible` with the reason."""
    with _checked_archive(path) as archive:
        package = open_package(archive)
    if package is None:
        body, named, targets, marker = _by_python_docx(path)
    else:
        body, named, targets = package.body, list(package.stories), package.targets
        marker = partial(_marker, package.identifier, package.subject)
    _check_size(body)
    headers = _section_headers(body, dict(named), targets)
    said = {"".join(h.itertext()).strip() for h in headers if h is not None}
    placed = {id(h) for h in headers} if len(said) >= MIN_OWN_HEADERS else set()
    stories = [(_story(name), element) for name, element in named if id(element) not in placed]
    try:
        return _contenu([("", body), *stories], marker, headers if placed else [])
    except RecursionError as e:
        raise trop_volumineux("tableaux imbriqués trop profondément les uns dans les autres") from e


def _by_python_docx(path: Path) -> tuple[Any, list[tuple[str, Any]], dict[str, str], Callable[[], str]]:
    """Open what the package loader left aside with python-docx, which refuses it or reads it
    (loaded only then: the readers start without it)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as e:
        raise Illisible(Motif.CORROMPU, "document Word illisible (archive incomplète ou chiffrée)") from e
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise Illisible(Motif.CORROMPU, "archive du document Word endommagée") from e
    except (NotImplementedError, RuntimeError) as e:
        raise Illisible(
            Motif.TYPE_NON_PRIS_EN_CHARGE,
            "document Word compressé d'une façon que l'outil ne lit pas (Deflate64 ou chiffrement AES) : "
            "l'enregistrer à nouveau depuis Word",
        ) from e
    except (KeyError, ValueError, TypeError, AttributeError) as e:
        raise _not_conforming(path) from e
    except MemoryError:
        raise
    except Exception as e:  # lxml.etree.XMLSyntaxError and friends
        raise Illisible(Motif.CORROMPU, "document Word mal formé (XML invalide)") from e
    body = getattr(document.element, "body", None)
    if body is None:  # a body in another namespace (Strict) is not found
        raise _not_conforming(path)

    def marker() -> str:  # read after the stories, as it always was: a part it lacks fails there
        props = document.core_properties
        return _marker(props.identifier, props.subject)

    targets = {rid: str(rel.target_part.partname) for rid, rel in document.part.rels.items() if not rel.is_external}
    return body, list(_other_stories(document)), targets, marker


def _marker(identifier: str, subject: str) -> str:
    """Our forms carry « cdv:<form>:v<n> » as identifier (once as subject)."""
    return next((v for v in (identifier, subject) if (v or "").startswith("cdv:")), "")


def _not_conforming(path: Path) -> Illisible:
    """Return the refusal of a package python-docx cannot take: Strict Open XML said as such."""
    if _is_strict(path):
        return Illisible(
            Motif.TYPE_NON_PRIS_EN_CHARGE,
            "document Word au format « Strict Open XML » : l'enregistrer au format Word standard (.docx)",
        )
    return Illisible(Motif.CORROMPU, "document Word non conforme (structure interne inattendue)")


def _check_size(body: Any) -> None:
    count = sum(1 for _ in body.iter(qn("w:p"), qn("w:tc")))
    if count > MAX_ELEMENTS:
        raise trop_volumineux(f"{_n(count)} paragraphes et cellules de tableau (limite : {_n(MAX_ELEMENTS)})")


def _n(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # French thousands separator


def _contenu(stories: Stories, marker: Callable[[], str], headers: list[Any | None]) -> Contenu:
    """`headers`: each body section's own header, read where its section starts (none: all read at the end)."""
    units: list[Unit] = []
    controls: list[Control] = []
    tables = [0]  # numbered in reading order across the body, headers and footers
    stories = list(stories)
    notes = _notes(element for name, element in stories if name == "notes")
    for name, element in stories:
        if name == "notes":
            continue
        texts: Texts = {}  # each paragraph read once, for the units and the controls
        blocks = list(walk(element, texts=texts))
        numbers = {id(b): n for n, b in enumerate((b for b in blocks if isinstance(b, Paragraph)), start=1)}
        ordered = in_page_order(blocks) if not name else blocks  # frames set on the page, read as the page shows
        units.extend(
            _units(iter(ordered), name, tables, notes=notes, headers=headers if not name else [], numbers=numbers)
        )
        controls.extend(content_controls(element, texts))
        controls.extend(legacy_fields(element))
    units.extend(Unit(text, f"note {number}") for number, texts in notes.items() for text in texts)
    return Contenu(tuple(units), tuple(controls), marker())


_NOTE_REFERENCE = (qn("w:footnoteReference"), qn("w:endnoteReference"))
_NOTE = (qn("w:footnote"), qn("w:endnote"))
MAX_LABEL_WORDS = 6


def _notes(parts: Iterable[Any]) -> dict[str, list[str]]:
    """The text of each footnote and endnote by its number (the separators hold none)."""
    notes: dict[str, list[str]] = {}
    for part in parts:
        for note in part:
            texts = [p.text.strip() for p in walk(note) if isinstance(p, Paragraph)] if note.tag in _NOTE else []
            if any(texts):
                notes[note.get(qn("w:id"), "")] = [t for t in texts if t]
    return notes


def _called_notes(paragraph: Paragraph, notes: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """The notes a label with nothing after it calls (« Affaire suivie par¹ »): the note is its value,
    read in its place and taken from the notes read at the end. Other notes comment the text: they
    stay at the end, for a person to read."""
    text = paragraph.text.strip()
    if len(text.split()) > MAX_LABEL_WORDS or text.rstrip(" :").endswith((".", ";", ",")):
        return []
    called = [r.get(qn("w:id"), "") for r in paragraph.element.iter(*_NOTE_REFERENCE)]
    return [(n, notes.pop(n)) for n in called if n in notes]


def _checked_archive(path: Path) -> zipfile.ZipFile:
    """Open the archive, refused if encrypted or over the limits; the caller closes it."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        if _is_ole(path):
            raise Illisible(Motif.CHIFFRE, "document Word protégé par un mot de passe") from e
        raise Illisible(Motif.CORROMPU, "fichier Word tronqué ou endommagé (archive ZIP illisible)") from e
    except (OSError, EOFError, NotImplementedError) as e:
        raise Illisible(Motif.CORROMPU, "archive du document Word illisible") from e
    try:
        _check_limits(archive.infolist())
    except BaseException:
        archive.close()
        raise
    return archive


def _check_limits(infos: list[zipfile.ZipInfo]) -> None:
    if any(i.flag_bits & 0x1 for i in infos):
        raise Illisible(Motif.CHIFFRE, "document protégé par un mot de passe")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    if total > MAX_UNCOMPRESSED or (total / packed > MAX_RATIO and total > 10_000_000):
        raise trop_volumineux(
            f"archive de {total >> 20} Mo une fois décompressée (limite : {MAX_UNCOMPRESSED >> 20} Mo, "
            f"et au plus {MAX_RATIO} fois sa taille compressée)"
        )
    if xml > MAX_XML:
        raise trop_volumineux(f"texte du document de {xml >> 20} Mo une fois décompressé (limite : {MAX_XML >> 20} Mo)")


def _is_strict(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
            return any(b"purl.oclc.org/ooxml" in _head(archive, n) for n in names)
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return False  # a damaged archive: said so by the caller


def _head(archive: zipfile.ZipFile, name: str, size: int = 4000) -> bytes:
    with archive.open(name) as entry:
        return entry.read(size)


def _is_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _other_stories(document: Any) -> Iterator[tuple[str, Any]]:
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if name.startswith(STORY_PARTS) and hasattr(part, "element"):
            yield name, part.element
        elif name.startswith(STORY_PARTS) and part.content_type in NOTE_PARTS:  # python-docx keeps notes as bytes
            yield name, etree.fromstring(part.blob, XML_PARSER)


MIN_OWN_HEADERS = 3  # a landscape page's header apart is no booklet; a question per section makes five
_HEADER_REFERENCE, _TYPE, _RID = qn("w:headerReference"), qn("w:type"), qn("r:id")


_SECTION_END = f"{qn('w:pPr')}/{qn('w:sectPr')}"


def _header_units(section: tuple[int, Any | None] | None, counter: list[int]) -> Iterator[Unit]:
    if section is not None and section[1] is not None:
        yield from _units(walk(section[1]), f"section {section[0]} (en-tête de page)", counter)


def _section_headers(body: Any, parts: dict[str, Any], targets: dict[str, str]) -> list[Any | None]:
    """The header each section of the body prints (a section without its own keeps the one before),
    in order: a booklet with one section per question prints each question there, its answer below."""
    found: list[Any | None] = []
    current = None
    for section in body.iter(qn("w:sectPr")):
        default = [r for r in section.iterfind(_HEADER_REFERENCE) if r.get(_TYPE, "default") == "default"]
        if default:
            current = parts.get(targets.get(default[0].get(_RID, ""), ""))
        found.append(current if current is not None and "".join(current.itertext()).strip() else None)
    return found


def _story(name: str) -> str:
    return "en-tête" if "header" in name else "pied de page" if "footer" in name else "notes"


def _units(
    blocks: Iterator[Block],
    story: str,
    counter: list[int],
    cell: tuple[int, int, int] | None = None,
    notes: dict[str, list[str]] | None = None,
    headers: list[Any | None] | None = None,
    numbers: dict[int, int] | None = None,
) -> Iterator[Unit]:
    """Flatten blocks into units, numbering tables in reading order; each section's own header
    (`headers`) where its section starts; `numbers`: each paragraph's rank in the file, when it is
    read elsewhere than it stands (frames put in the page's order)."""
    prefix = f"{story}, " if story else ""
    paragraph_no = 0
    sections = iter(enumerate(headers or [], start=1))
    yield from _header_units(next(sections, None), counter)
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph_no += 1
            if numbers and id(block) in numbers:  # a paragraph of the body, wherever it is read (a frame in a row)
                where = f"{prefix}paragraphe {numbers[id(block)]}"
            elif cell:
                where = f"{prefix}tableau {cell[0]}, ligne {cell[1]}, colonne {cell[2]}"
            else:
                where = f"{prefix}paragraphe {paragraph_no}"
            number, row_no, col_no = cell or (None, None, None)
            yield Unit(
                block.text, where, block.style, block.is_list, number, row_no, col_no, block.controls, block.bold
            )
            for note, texts in _called_notes(block, notes) if notes else ():
                yield from (Unit(text, f"note {note}", table=number, row=row_no, col=col_no) for text in texts)
            if headers and block.element.find(_SECTION_END) is not None:  # it ends a section: the next one's header
                yield from _header_units(next(sections, None), counter)
        elif isinstance(block, Table):
            counter[0] += 1
            number = counter[0]
            for r, row in enumerate(block.rows, start=1):
                for band in block.bands.get(r - 1, ()):  # a heading over the rows, not the first row's label
                    if isinstance(band, Paragraph) and band.text.strip():
                        yield Unit(band.text, f"{prefix}tableau {number}, ligne {r}, colonne 1", bold=True)
                for c, cell_blocks in enumerate(row, start=1):
                    yield from _units(iter(cell_blocks), story, counter, (number, r, c), notes, numbers=numbers)
