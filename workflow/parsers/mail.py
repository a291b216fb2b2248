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
    except Exception as e:  # the email package raises many kinds on broken input
        raise Illisible(Motif.CORROMPU, f"courriel illisible ({type(e).__name__})") from e
    assert isinstance(message, EmailMessage)
    return _from_message(message)


def _from_message(message: EmailMessage) -> CourrielLu:
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    pieces = []
    for i, part in enumerate(message.iter_attachments(), start=1):
        name = part.get_filename()
        if part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            data = inner.as_bytes(policy=policy.default) if isinstance(inner, EmailMessage) else b""
            name = name or f"message_{i}.eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
        pieces.append(PieceJointe(sanitise(name, i), data))
    return CourrielLu(
        expediteur=str(message.get("From", "")),
        destinataires=str(message.get("To", "")),
        date=_date(str(message.get("Date", ""))),
        sujet=str(message.get("Subject", "")),
        message_id=str(message.get("Message-ID", "")),
        corps=text if isinstance(text, str) else "",
        pieces=tuple(pieces),
    )


def read_msg(path: Path) -> CourrielLu:
    """Parse an Outlook .msg file with extract-msg."""
    import extract_msg

    try:
        message: Any = extract_msg.openMsg(str(path))
    except Exception as e:  # extract-msg raises its own and OLE errors
        raise Illisible(Motif.CORROMPU, f"message Outlook illisible ({type(e).__name__})") from e
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
