"""Read a .docx into units and controls, via python-docx's package and its oxml layer."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError

from workflow.ooxml.blocks import Block, Paragraph, Table, walk
from workflow.ooxml.controls import Control, content_controls, legacy_fields
from workflow.parsers.base import Contenu, Illisible, Motif, Unit

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
_STORY_PARTS = ("/word/header", "/word/footer", "/word/footnotes", "/word/endnotes")


def read_docx(path: Path) -> Contenu:
    """Return the content of a Word document, or raise `Illisible` with the reason."""
    _check_archive(path)
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
        if _is_strict(path):
            raise Illisible(
                Motif.TYPE_NON_PRIS_EN_CHARGE,
                "document Word au format « Strict Open XML » : l'enregistrer au format Word standard (.docx)",
            ) from e
        raise Illisible(Motif.CORROMPU, "document Word non conforme (structure interne inattendue)") from e
    except Exception as e:  # lxml.etree.XMLSyntaxError and friends
        raise Illisible(Motif.CORROMPU, "document Word mal formé (XML invalide)") from e
    stories = [("", document.element.body), *_other_stories(document)]
    units: list[Unit] = []
    controls: list[Control] = []
    tables = [0]  # numbered in reading order across the body, headers and footers
    for name, element in stories:
        units.extend(_units(walk(element), name, tables))
        controls.extend(content_controls(element))
        controls.extend(legacy_fields(element))
    return Contenu(tuple(units), tuple(controls), document.core_properties.subject or "")


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if any(i.flag_bits & 0x1 for i in infos):
                raise Illisible(Motif.CHIFFRE, "document protégé par un mot de passe")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNCOMPRESSED or (total / packed > MAX_RATIO and total > 10_000_000):
                raise Illisible(Motif.TROP_VOLUMINEUX, "archive anormalement volumineuse une fois décompressée")
    except zipfile.BadZipFile as e:
        if _is_ole(path):
            raise Illisible(Motif.CHIFFRE, "document Word protégé par un mot de passe") from e
        raise Illisible(Motif.CORROMPU, "fichier Word tronqué ou endommagé (archive ZIP illisible)") from e
    except (OSError, EOFError, NotImplementedError) as e:
        raise Illisible(Motif.CORROMPU, f"archive illisible ({e})") from e


def _is_strict(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        return any(b"purl.oclc.org/ooxml" in archive.read(n)[:4000] for n in archive.namelist() if n.endswith(".xml"))


def _is_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _other_stories(document: Any) -> Iterator[tuple[str, Any]]:
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if name.startswith(_STORY_PARTS) and hasattr(part, "element"):
            label = "en-tête" if "header" in name else "pied de page" if "footer" in name else "notes"
            yield label, part.element


def _units(
    blocks: Iterator[Block],
    story: str,
    counter: list[int],
    cell: tuple[int, int, int] | None = None,
) -> Iterator[Unit]:
    """Flatten blocks into units, numbering tables in reading order."""
    prefix = f"{story}, " if story else ""
    paragraph_no = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph_no += 1
            if cell:
                where = f"{prefix}tableau {cell[0]}, ligne {cell[1]}, colonne {cell[2]}"
            else:
                where = f"{prefix}paragraphe {paragraph_no}"
            number, row_no, col_no = cell or (None, None, None)
            yield Unit(block.text, where, block.style, block.is_list, number, row_no, col_no, block.controls)
        elif isinstance(block, Table):
            counter[0] += 1
            number = counter[0]
            for r, row in enumerate(block.rows, start=1):
                for c, cell_blocks in enumerate(row, start=1):
                    yield from _units(iter(cell_blocks), story, counter, (number, r, c))
