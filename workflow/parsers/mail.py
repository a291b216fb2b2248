"""Read saved e-mails (.eml, Outlook .msg): sender, date, decoded subject, body, attachments.

Attachment names are sanitised here (no folder, no control character), once for every caller.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path, PureWindowsPath
from typing import Any

from workflow.parsers.base import Illisible, Motif

MAX_NAME = 150


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
    try:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if not isinstance(message, EmailMessage):
            raise TypeError("not an EmailMessage")
        return _from_message(message)
    except Exception as e:  # the email package raises many kinds on broken input
        raise Illisible(Motif.CORROMPU, "courriel illisible (structure MIME ou en-têtes mal formés)") from e


def _from_message(message: EmailMessage) -> CourrielLu:
    """Read what the e-mail says; a malformed header or an unknown charset degrades, never fails."""
    pieces = []
    for i, part in enumerate(message.iter_attachments(), start=1):
        name = _safe(part.get_filename)
        if part.get_content_type() == "message/rfc822":
            data = _embedded(part)
            name = name or f"message_{i}.eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
        pieces.append(PieceJointe(sanitise(name, i), data))
    return CourrielLu(
        expediteur=_header(message, "From"),
        destinataires=_header(message, "To"),
        date=_date(_header(message, "Date")),
        sujet=_header(message, "Subject"),
        message_id=_header(message, "Message-ID"),
        corps=_body(message),
        pieces=tuple(pieces),
    )


def _safe(read: Any) -> Any:
    try:
        return read()
    except Exception:  # a malformed parameter or header value
        return None


def _header(message: EmailMessage, name: str) -> str:
    """Return a header decoded, or as raw text when its syntax defeats the parser."""
    try:
        return str(message.get(name, ""))
    except Exception:
        raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
        return str(raw).strip()


def _body(message: EmailMessage) -> str:
    body = _safe(lambda: message.get_body(preferencelist=("plain", "html")))
    if body is None:
        return ""
    try:
        text = body.get_content()
    except (LookupError, UnicodeError, ValueError):  # unknown or lying charset: keep what decodes
        payload = body.get_payload(decode=True)
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
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
    """Parse an Outlook .msg file with extract-msg."""
    import extract_msg

    try:
        message: Any = extract_msg.openMsg(str(path))
    except Exception as e:  # extract-msg raises its own and OLE errors
        raise Illisible(Motif.CORROMPU, "message Outlook illisible (fichier .msg endommagé)") from e
    try:
        pieces = []
        for i, attachment in enumerate(message.attachments, start=1):
            data = attachment.data
            if isinstance(data, bytes):
                pieces.append(PieceJointe(sanitise(attachment.longFilename or attachment.shortFilename, i), data))
        date = message.date if isinstance(message.date, dt.datetime) else None
        return CourrielLu(
            str(message.sender or ""),
            str(message.to or ""),
            date,
            str(message.subject or ""),
            str(message.messageId or ""),
            str(message.body or ""),
            tuple(pieces),
        )
    finally:
        message.close()


def _date(value: str) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
