"""Open a .docx package as python-docx opens it, keeping only what the reader walks.

python-docx makes an object of every part and parses every XML part it knows, the styles included
(a third of a megabyte in our forms): most of the time of a read. This loader follows the same
relationships in the same order, reads every part python-docx reads (a damaged archive fails alike)
and parses with python-docx's parser settings, but keeps plain lxml trees of the stories and the core
properties only. The other parts need only read without error, and be well-formed where python-docx
parses them (styles, settings, numbering…): a part stored exactly as one already found so in this
process (same directory record, header and compressed bytes: the same template) is not inflated again.

Whatever this loader cannot take exactly as python-docx would (a missing part, a duplicate
relationship id, an unexpected root element…) is left to python-docx (`open_package` returns None),
which then refuses the file with its own reason, or reads it.
"""

from __future__ import annotations

import hashlib
import posixpath
import struct
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from workflow.ooxml.ns import qn

# python-docx's own parser settings (docx.oxml.parser), without its element classes
XML_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_IMAGE = _RT + "image"
RT_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CT_DOCUMENT = _WML + "document.main+xml"
CT_CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
# the content types python-docx loads as XML parts (its `PartFactory.part_type_for`; a test compares)
XML_PARTS = frozenset(
    {
        CT_CORE_PROPERTIES,
        CT_DOCUMENT,
        _WML + "comments+xml",
        _WML + "footer+xml",
        _WML + "header+xml",
        _WML + "numbering+xml",
        _WML + "settings+xml",
        _WML + "styles+xml",
    }
)
STORY_PARTS = ("/word/header", "/word/footer", "/word/footnotes", "/word/endnotes")
NOTE_PARTS = frozenset({_WML + "footnotes+xml", _WML + "endnotes+xml"})  # stories python-docx leaves unparsed
_W_DOCUMENT, _W_BODY = qn("w:document"), qn("w:body")
_CHECKED_LIMIT = 1024  # stored parts remembered as read without error: a few templates' worth


@dataclass(frozen=True)
class Paquet:
    """What the reader takes from a .docx: the body, the other stories in python-docx's order (part
    name, root element), and the identifier and subject of the core properties."""

    body: Any
    stories: tuple[tuple[str, Any], ...]
    identifier: str
    subject: str
    targets: dict[str, str]  # the body's relationship ids → part names (its sections' headers)


class _Ecart(Exception):
    """The package departs from what this loader takes exactly as python-docx does."""


@dataclass
class _Part:
    content_type: str
    reltype: str

    @property
    def xml(self) -> bool:
        """Whether python-docx parses this part (an image relationship makes any part an image)."""
        return self.reltype != RT_IMAGE and self.content_type in XML_PARTS


_Rel = tuple[str, str, str | None]  # relationship id, type, target part name (None: external)
_checked: set[bytes] = set()  # digests of stored parts read (and parsed) without error in this process


def open_package(archive: zipfile.ZipFile) -> Paquet | None:
    """Return the stories and markers of a .docx, or None for python-docx to decide."""
    try:
        return _open(archive)
    except MemoryError:
        raise
    except Exception:  # any failure here is python-docx's to report, in its own words
        return None


def _open(archive: zipfile.ZipFile) -> Paquet:
    overrides, defaults = _content_types(archive)
    package_rels = _rels(archive, "/")
    parts: dict[str, _Part] = {}
    linked: dict[str, list[_Rel]] = {}  # each part walked → its own relationships
    _walk(archive, package_rels, parts, linked, overrides, defaults)
    document = _single(package_rels, RT_OFFICE_DOCUMENT)
    if document is None or parts[document].content_type != CT_DOCUMENT or not parts[document].xml:
        raise _Ecart
    core = _single(package_rels, RT_CORE_PROPERTIES)
    trees: dict[str, Any] = {}  # the parts walked, parsed; the others only checked
    for name, part in parts.items():
        story = name.startswith(STORY_PARTS) and (part.xml or part.content_type in NOTE_PARTS)
        if (part.xml and name in (document, core)) or story:
            trees[name] = etree.fromstring(archive.read(name[1:]), XML_PARSER)
        else:
            _check(archive, name[1:], part.xml)
    root = trees[document]
    body = root.find(_W_BODY) if root.tag == _W_DOCUMENT else None
    if body is None:
        raise _Ecart
    stories = tuple((name, tree) for name, tree in trees.items() if name.startswith(STORY_PARTS))
    identifier, subject = _core_properties(core, parts, trees)
    targets = {rid: target for rid, _, target in linked.get(document, []) if target is not None}
    return Paquet(body, stories, identifier, subject, targets)


def _check(archive: zipfile.ZipFile, member: str, xml: bool) -> None:
    """Read a part the reader does not walk (and parse it where python-docx does), unless it is stored
    exactly as one already read so: the same bytes inflate and parse the same."""
    digest = _stored(archive, member, xml)
    if digest in _checked:
        return
    blob = archive.read(member)
    if xml:
        etree.fromstring(blob, XML_PARSER)
    if digest is not None and len(_checked) < _CHECKED_LIMIT:
        _checked.add(digest)


def _stored(archive: zipfile.ZipFile, member: str, xml: bool) -> bytes | None:
    """Return a digest of all `archive.read(member)` depends on (its directory record, its local header
    and its compressed bytes, read as stored), or None when they cannot be had so simply."""
    info = archive.getinfo(member)
    if archive.fp is None:
        return None
    archive.fp.seek(info.header_offset)
    head = archive.fp.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", head[26:30])
    record = (info.orig_filename, info.flag_bits, info.compress_type, info.CRC, info.file_size, info.compress_size)
    digest = hashlib.sha256(repr((record, xml)).encode())
    digest.update(head)
    digest.update(archive.fp.read(name_length + extra_length + info.compress_size))
    return digest.digest()


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """Return the overrides by lower-cased part name and the defaults by lower-cased extension."""
    types = etree.fromstring(archive.read("[Content_Types].xml"), XML_PARSER)
    if types.tag != f"{_CT}Types":
        raise _Ecart
    overrides, defaults = {}, {}
    for override in types.iterfind(f"{_CT}Override"):
        overrides[_present(override.get("PartName")).lower()] = _present(override.get("ContentType"))
    for default in types.iterfind(f"{_CT}Default"):
        defaults[_present(default.get("Extension")).lower()] = _present(default.get("ContentType"))
    return overrides, defaults


def _present(value: str | None) -> str:
    if value is None:
        raise _Ecart
    return value


def _rels(archive: zipfile.ZipFile, source: str) -> list[_Rel]:
    """Return the relationships of a part (of the package for "/"), in their order, none if it has none."""
    base, filename = posixpath.split(source)
    try:
        data = archive.read(posixpath.join(base, "_rels", f"{filename}.rels")[1:])
    except KeyError:
        return []
    root = etree.fromstring(data, XML_PARSER)
    if root.tag != f"{_PR}Relationships":
        raise _Ecart
    found: list[_Rel] = []
    ids: set[str] = set()
    for rel in root.iterfind(f"{_PR}Relationship"):
        rid, reltype, target = _present(rel.get("Id")), _present(rel.get("Type")), _present(rel.get("Target"))
        if rid in ids:  # python-docx keeps the last one in the first one's place
            raise _Ecart
        ids.add(rid)
        external = rel.get("TargetMode", "Internal") == "External"
        found.append((rid, reltype, None if external else posixpath.abspath(posixpath.join(base, target))))
    return found


def _walk(
    archive: zipfile.ZipFile,
    rels: list[_Rel],
    parts: dict[str, _Part],
    linked: dict[str, list[_Rel]],
    overrides: dict[str, str],
    defaults: dict[str, str],
) -> None:
    """Find every part the relationships reach, depth first, as python-docx's package reader does."""
    for _, reltype, name in rels:
        if name is None or name in parts:
            continue
        own = linked[name] = _rels(archive, name)
        archive.getinfo(name[1:])  # a part named but absent
        extension = posixpath.splitext(name)[1].removeprefix(".").lower()
        content_type = overrides[name.lower()] if name.lower() in overrides else defaults.get(extension)
        if content_type is None:
            raise _Ecart
        parts[name] = _Part(content_type, reltype)
        _walk(archive, own, parts, linked, overrides, defaults)


def _single(rels: list[_Rel], reltype: str) -> str | None:
    """Return the part of the one relationship of this type (None if there is none)."""
    matching = [target for _, kind, target in rels if kind == reltype]
    if len(matching) > 1 or (matching and matching[0] is None):
        raise _Ecart
    return matching[0] if matching else None


def _core_properties(name: str | None, parts: dict[str, _Part], trees: dict[str, Any]) -> tuple[str, str]:
    """Return the identifier and subject python-docx's core properties give ("" without the part)."""
    if name is None:
        return "", ""
    if parts[name].content_type != CT_CORE_PROPERTIES or not parts[name].xml:
        raise _Ecart
    root = trees[name]
    if root.tag != f"{_CP}coreProperties":
        raise _Ecart
    return _text(root, f"{_DC}identifier"), _text(root, f"{_DC}subject")


def _text(root: Any, tag: str) -> str:
    element = root.find(tag)
    return "" if element is None or element.text is None else str(element.text)
