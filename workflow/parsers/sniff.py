"""Tell a file's real type from its bytes, never from its extension."""

from __future__ import annotations

import zipfile
import zlib
from enum import StrEnum
from pathlib import Path

import olefile

_EMAIL_HEADERS = (
    b"received:",
    b"from:",
    b"return-path:",
    b"mime-version:",
    b"message-id:",
    b"date:",
    b"subject:",
    b"delivered-to:",
    b"x-",
    b"to:",
    b"content-type:",
)


class FileKind(StrEnum):
    DOCX = "docx"
    DOCM = "docm"
    ODT = "odt"
    DOC = "doc"
    MSG = "msg"
    RTF = "rtf"
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    EML = "eml"
    ENCRYPTED = "chiffre"
    XML = "xml"
    EMPTY = "vide"
    ZIP = "zip"
    TEXT = "texte"
    UNKNOWN = "inconnu"


_IMAGES = (
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
)


def sniff(path: Path) -> FileKind:
    """Return the type of the file at `path`, read from its content."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        return FileKind.EMPTY
    if b"%PDF-" in head[:1024]:
        return FileKind.PDF
    if head.startswith(b"PK"):
        return _zip_kind(path)
    image = next((kind for magic, kind in _IMAGES if head.startswith(magic)), None)
    if image is not None:
        return image
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(path)
    if head.lstrip().startswith(b"{\\rtf"):
        return FileKind.RTF
    if b"\x00" in head:
        return FileKind.UNKNOWN
    if head.lstrip().startswith((b"<?xml", b"\xef\xbb\xbf<?xml")):
        return FileKind.XML
    first = head.lstrip().split(b"\n", 1)[0].lower()
    if first.startswith(_EMAIL_HEADERS) and b":" in first:
        return FileKind.EML
    return FileKind.TEXT


def _zip_kind(path: Path) -> FileKind:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if any(info.flag_bits & 0x1 for info in archive.infolist()):
                return FileKind.ENCRYPTED  # entries carry the encryption flag (ZipCrypto or AES)
            if "mimetype" in names:
                mime = _head(archive, "mimetype", 100)
                if b"opendocument.text" not in mime:
                    return FileKind.ZIP
                manifest = _head(archive, "META-INF/manifest.xml", 1 << 20) if "META-INF/manifest.xml" in names else b""
                return FileKind.ENCRYPTED if b"encryption-data" in manifest else FileKind.ODT
            if "[Content_Types].xml" in names:
                types = _head(archive, "[Content_Types].xml", 20000)
                if b"macroEnabled.main" in types and b"wordprocessingml" in types:
                    return FileKind.DOCM
                if b"wordprocessingml" in types or any(n.startswith("word/") for n in names):
                    return FileKind.DOCX
            return FileKind.ZIP
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError, NotImplementedError, RuntimeError):
        # NotImplementedError: a compression zipfile cannot undo (Deflate64, AES); RuntimeError: encrypted
        with path.open("rb") as fh:  # a damaged Word file still names its parts near the top
            head = fh.read(65536)
        return FileKind.DOCX if b"word/" in head or b"[Content_Types]" in head else FileKind.ZIP


def _head(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    """Return the first bytes of an entry, never inflating more (a bomb stays packed)."""
    with archive.open(name) as entry:
        return entry.read(size)


def _ole_kind(path: Path) -> FileKind:
    """Tell an Outlook message, an encrypted Office file and a Word 97-2003 document apart."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptedPackage"):
                return FileKind.ENCRYPTED  # an OOXML document protected by a password
            if any(entry[0].startswith("__substg1.0_") for entry in ole.listdir()):
                return FileKind.MSG
            if ole.exists("WordDocument"):
                fib = ole.openstream("WordDocument").read(12)
                encrypted = len(fib) >= 12 and int.from_bytes(fib[10:12], "little") & 0x0100
                return FileKind.ENCRYPTED if encrypted else FileKind.DOC
    except (OSError, ValueError, IndexError):
        return FileKind.DOC  # damaged: the conversion will say it cannot be read
    return FileKind.UNKNOWN
