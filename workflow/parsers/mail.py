"""Read saved e-mails (.eml, Outlook .msg): sender, date, decoded subject, body, attachments.

Attachment names are sanitised here (no folder, no control character), once for every caller.
A signed mail is read through its signature, detached (multipart/signed) or opaque (pkcs7-mime);
an encrypted one is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.header import Header, decode_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path, PureWindowsPath
from typing import Any

from workflow.parsers import smime, tnef
from workflow.parsers.base import Illisible, Motif, trop_volumineux

MAX_NAME = 150
MAX_EMAIL = 64 << 20  # bytes of a saved e-mail
MAX_PIECES = 100  # attachments of one e-mail, TNEF contents included
MAX_NESTING = 10  # multipart containers inside one another
SIGNATURES = {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
PKCS7_MIME = {"application/pkcs7-mime", "application/x-pkcs7-mime"}  # opaque S/MIME: signed or encrypted
WINDOWS_SUPERSETS = {  # what mail clients label a charset and what they really write
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "iso-8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
}
_SURROGATES = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class PieceJointe:
    nom: str  # sanitised
    contenu: bytes


@dataclass(frozen=True)
class CourrielLu:
    expediteur: str
    destinataires: str
    date: dt.datetime | None
    sujet: str
    message_id: str
    corps: str
    pieces: tuple[PieceJointe, ...]
    signe: bool = False  # signed (S/MIME, PGP): the signature is no attachment
    chiffrees: int = 0  # attachments encrypted (S/MIME enveloped-data): kept, but unreadable


def sanitise(name: str | None, index: int) -> str:
    """Return a safe file name: last path component, printable, no leading dots, bounded length."""
    base = PureWindowsPath(Path(name or "").name).name if name else ""
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable() and c not in '<>:"/\\|?*')
    base = re.sub(r"\s+", " ", base).strip(" .")
    if not base:
        return f"piece_jointe_{index}"
    stem, dot, ext = base.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[: MAX_NAME - len(ext) - 1]}.{ext}"
    return base[:MAX_NAME]


def read_eml(path: Path) -> CourrielLu:
    """Parse a MIME message saved as .eml."""
    _check_size(path)
    try:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if not isinstance(message, EmailMessage):
            raise TypeError("not an EmailMessage")
        return _from_message(message)
    except (Illisible, MemoryError):
        raise
    except RecursionError as e:
        raise trop_volumineux("parties MIME imbriquées trop profondément") from e
    except Exception as e:  # the email package raises many kinds on broken input
        raise Illisible(Motif.CORROMPU, "courriel illisible (structure MIME ou en-têtes mal formés)") from e


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_EMAIL:
        raise trop_volumineux(f"courriel de {size >> 20} Mo (limite : {MAX_EMAIL >> 20} Mo)")


def _from_message(message: EmailMessage) -> CourrielLu:
    """Read what the e-mail says; a malformed header or an unknown charset degrades, never fails."""
    content, opaque = _opened(message)
    pieces, encrypted = _pieces(content)
    return CourrielLu(
        expediteur=_header(message, "From"),
        destinataires=_header(message, "To"),
        date=_date(_header(message, "Date")),
        sujet=_header(message, "Subject"),
        message_id=_header(message, "Message-ID"),
        corps=_body(content),
        pieces=_unwrapped(pieces),
        signe=opaque or message.get_content_type() == "multipart/signed" or any(True for _ in _signatures(message)),
        chiffrees=encrypted,
    )


def _pieces(content: EmailMessage) -> tuple[list[PieceJointe], int]:
    """Return the attachments of a MIME entity and how many of them are encrypted; refuse the
    entity when all of them are (signed, then encrypted: nothing else to read)."""
    pieces, encrypted = [], 0
    for i, part in enumerate(_attachments(content), start=1):
        name = _safe(part.get_filename)
        if part.get_content_type() == "message/rfc822":
            data = _embedded(part)
            name = name or f"message_{i}.eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
        if part.get_content_type() in PKCS7_MIME:  # left as it came: encrypted or unreadable
            encrypted += smime.open_pkcs7(data).chiffree
            name = name or "smime.p7m"
        pieces.append(PieceJointe(sanitise(name, i), data))
    if pieces and encrypted == len(pieces):
        raise smime.refus_chiffre()
    return pieces, encrypted


def _opened(message: EmailMessage) -> tuple[EmailMessage, bool]:
    """Return the entity to read, taken out of opaque S/MIME signatures, and whether there was one;
    a mail encrypted as a whole is refused."""
    content, opaque = message, False
    for _ in range(MAX_NESTING + 1):
        if content.get_content_type() not in PKCS7_MIME:
            return content, opaque
        payload = content.get_payload(decode=True)
        enveloppe = smime.open_pkcs7(payload if isinstance(payload, bytes) else b"")
        if enveloppe.chiffree:
            raise smime.refus_chiffre()
        inner = _entity(enveloppe.contenu)
        if inner is None:
            return content, opaque  # kept as an attachment: reported, never dropped
        content, opaque = inner, True
    raise trop_volumineux(f"signatures S/MIME imbriquées sur plus de {MAX_NESTING} niveaux")


def _entity(data: bytes | None) -> EmailMessage | None:
    """Parse the MIME entity signed inside an S/MIME structure."""
    if data is None:
        return None
    entity = BytesParser(policy=policy.default).parsebytes(data)
    return entity if isinstance(entity, EmailMessage) else None


def _attachments(message: EmailMessage, depth: int = 0) -> Iterator[EmailMessage]:
    """Yield the attachments, looking inside signed (S/MIME, PGP) and nested multipart containers;
    a signature itself is no attachment. A message that is a single file is that attachment."""
    if depth > MAX_NESTING:
        raise trop_volumineux(f"parties MIME imbriquées sur plus de {MAX_NESTING} niveaux")
    if not message.is_multipart():
        if _is_file(message):
            yield from _attachment(message, depth)
        return
    for part in message.iter_attachments():
        yield from _attachment(part, depth)


def _attachment(part: EmailMessage, depth: int) -> Iterator[EmailMessage]:
    kind = part.get_content_type()
    if kind in SIGNATURES:
        return
    if kind in PKCS7_MIME:
        yield from _inside_pkcs7(part, depth)
    elif part.is_multipart() and kind != "message/rfc822":
        yield from _attachments(part, depth + 1)
    else:
        yield part


def _inside_pkcs7(part: EmailMessage, depth: int) -> Iterator[EmailMessage]:
    """Yield the attachments an opaque signed part carries; an encrypted or unreadable part is kept as it is."""
    payload = part.get_payload(decode=True)
    inner = _entity(smime.open_pkcs7(payload if isinstance(payload, bytes) else b"").contenu)
    if inner is None:
        yield part
    else:
        yield from _attachments(inner, depth + 1)


def _is_file(part: EmailMessage) -> bool:
    """Whether a lone MIME entity is a file rather than a text body."""
    return bool(_safe(part.get_filename)) or part.get_content_maintype() not in ("text", "multipart")


def _signatures(message: EmailMessage) -> Iterator[EmailMessage]:
    return (part for part in message.walk() if part.get_content_type() in SIGNATURES)


def _unwrapped(pieces: list[PieceJointe]) -> tuple[PieceJointe, ...]:
    """Replace an Outlook TNEF wrapper (winmail.dat) by the files it carries; an unreadable one is kept."""
    out: list[PieceJointe] = []
    for piece in pieces:
        inside = tnef.unpack(piece.contenu) if tnef.is_tnef(piece.contenu) else None
        if inside:
            out.extend(PieceJointe(sanitise(name, len(out) + 1), data) for name, data in inside)
        else:
            out.append(piece)
    if len(out) > MAX_PIECES:
        raise trop_volumineux(f"{len(out)} pièces jointes (limite : {MAX_PIECES})")
    return tuple(out)


def _safe(read: Any) -> Any:
    try:
        return read()
    except Exception:  # a malformed parameter or header value
        return None


def _header(message: EmailMessage, name: str) -> str:
    """Return a header decoded, or decoded again from its raw text when the parser garbled it
    (an unknown charset, a Japanese subject labelled Shift_JIS but written in Windows' CP932)."""
    try:
        value = str(message.get(name, ""))
    except Exception:
        value = "\ufffd"
    if "\ufffd" not in value and not _SURROGATES.search(value):
        return value
    raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return _redecode(str(raw)).strip()


def _redecode(raw: str) -> str:
    """Decode encoded words and raw 8-bit text with the charset's Windows superset, else by guessing."""
    try:
        chunks = decode_header(raw)
    except Exception:
        chunks = [(raw, None)]
    text = []
    for chunk, charset in chunks:
        data = chunk.encode("ascii", "surrogateescape") if isinstance(chunk, str) else chunk
        text.append(_text(data, charset))
    return "".join(text)


def _text(data: bytes, charset: str | None) -> str:
    label = (charset or "").lower()
    for candidate in (WINDOWS_SUPERSETS.get(label, label), "utf-8", "cp932", "cp1252"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _body(message: EmailMessage) -> str:
    body = _safe(lambda: message.get_body(preferencelist=("plain", "html")))
    if body is None:
        return ""
    try:
        text = body.get_content()
    except (LookupError, UnicodeError, ValueError):  # unknown or lying charset: keep what decodes
        text = "\ufffd"
    if isinstance(text, str) and "\ufffd" in text:
        payload = body.get_payload(decode=True)
        text = _text(payload, body.get_content_charset()) if isinstance(payload, bytes) else ""
    return text if isinstance(text, str) else ""


def _embedded(part: EmailMessage) -> bytes:
    """Return a message attached inside this one, as bytes (its headers kept as they came)."""
    inner = _safe(part.get_content)
    if not isinstance(inner, EmailMessage):
        return b""
    for chosen in (policy.default, policy.compat32):
        try:
            return inner.as_bytes(policy=chosen)
        except (UnicodeError, LookupError, ValueError, IndexError):
            continue
    return b""


def read_msg(path: Path) -> CourrielLu:
    """Parse an Outlook .msg file with extract-msg; a message attached inside becomes an .eml piece."""
    import extract_msg

    _check_size(path)
    try:
        message: Any = extract_msg.openMsg(str(path))
    except Exception as e:  # extract-msg raises its own and OLE errors
        raise Illisible(Motif.CORROMPU, "message Outlook illisible (fichier .msg endommagé)") from e
    try:
        return _from_msg(message)
    except (Illisible, MemoryError):
        raise
    except Exception as e:
        raise Illisible(Motif.CORROMPU, "message Outlook illisible (contenu endommagé)") from e
    finally:
        message.close()


def _from_msg(message: Any, depth: int = 0) -> CourrielLu:
    pieces = []
    for i, attachment in enumerate(message.attachments, start=1):
        name, data = _msg_attachment(attachment, i, depth)
        pieces.append(PieceJointe(sanitise(name, i), data))
    body, signed = str(message.body or ""), hasattr(message, "rawAttachments")
    if signed and not pieces:
        pieces, body = _opaque_msg(message)
    date = message.date if isinstance(message.date, dt.datetime) else None
    return CourrielLu(
        str(message.sender or ""),
        str(message.to or ""),
        date,
        str(message.subject or ""),
        str(message.messageId or ""),
        body,
        _unwrapped(pieces),
        signe=signed,
    )


def _opaque_msg(message: Any) -> tuple[list[PieceJointe], str]:
    """Return the pieces and body of an Outlook message signed opaquely (IPM.Note.SMIME), whose one
    attachment extract-msg leaves unread (its body would be that structure's bytes read as text);
    an encrypted one is refused, an unreadable one kept."""
    raw = [_safe(lambda a=a: a.data) for a in _safe(lambda: message.rawAttachments) or []]
    pieces: list[PieceJointe] = []
    body = ""
    for blob in (b for b in raw if isinstance(b, bytes)):
        enveloppe = smime.open_pkcs7(blob)
        if enveloppe.chiffree:
            raise smime.refus_chiffre()
        inner = _entity(enveloppe.contenu)
        if inner is None:
            pieces.append(PieceJointe("smime.p7m", blob))
            continue
        pieces.extend(_pieces(inner)[0])
        body = body or _body(inner)
    return pieces, body


def _msg_attachment(attachment: Any, index: int, depth: int) -> tuple[str, bytes]:
    """Return an attachment's name and bytes; an embedded message is written out as an .eml."""
    name = str(_safe(lambda: attachment.longFilename or attachment.shortFilename) or "")
    data = _safe(lambda: attachment.data)
    if isinstance(data, bytes):
        return name, data
    if data is not None and hasattr(data, "attachments") and depth < MAX_NESTING:
        inner = _from_msg(data, depth + 1)
        subject = sanitise(inner.sujet, index) if inner.sujet else f"message_{index}"
        return f"{Path(name).stem or subject}.eml", as_eml(inner)
    return name or f"piece_jointe_{index}", b""  # kept and reported as unreadable, never dropped


def as_eml(courriel: CourrielLu) -> bytes:
    """Write a message read from Outlook as a MIME message, its attachments included."""
    message = EmailMessage(policy=policy.default)
    for header, value in (
        ("From", courriel.expediteur),
        ("To", courriel.destinataires),
        ("Subject", courriel.sujet),
        ("Message-ID", courriel.message_id),
    ):
        if value:
            _set_header(message, header, value)
    if courriel.date is not None:
        message["Date"] = format_datetime(courriel.date)
    message.set_content(courriel.corps or "")
    for piece in courriel.pieces:
        message.add_attachment(piece.contenu, maintype="application", subtype="octet-stream", filename=piece.nom)
    return message.as_bytes(policy=policy.SMTP)


def _set_header(message: EmailMessage, name: str, value: str) -> None:
    try:
        message[name] = value.replace("\r", " ").replace("\n", " ")
    except Exception:  # an address the header class refuses: kept as plain text
        message[name] = str(Header(value, "utf-8"))


def _date(value: str) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
