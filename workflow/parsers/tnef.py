"""Unpack Outlook's TNEF wrapper (`winmail.dat`, `application/ms-tnef`) into the files it carries."""

from __future__ import annotations

import logging

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
logging.getLogger("tnefparse").setLevel(logging.ERROR)  # its English warnings say nothing to our users


def is_tnef(data: bytes) -> bool:
    return data[:4] == TNEF_SIGNATURE


def unpack(data: bytes) -> list[tuple[str, bytes]] | None:
    """Return (name, bytes) of each file inside a TNEF stream, or None when it cannot be read."""
    from tnefparse import TNEF

    try:
        files = [(_name(a), a.data) for a in TNEF(data, do_checksum=False).attachments]
    except Exception:  # tnefparse raises many kinds on damaged streams
        return None
    return [(name, content) for name, content in files if isinstance(content, bytes)]


def _name(attachment: object) -> str:
    try:
        name = attachment.long_filename()  # type: ignore[attr-defined]
    except Exception:
        name = ""
    if isinstance(name, bytes):
        name = name.decode("cp1252", errors="replace")
    return str(name or "").strip("\x00")
