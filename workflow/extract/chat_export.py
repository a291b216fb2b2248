"""A messaging app's discussion exported and pasted (WhatsApp, Signal, SMS): each message stamped
« 12/03/2025 18:41 - Samira HADJ : … » or « [12/03/2025 18:41:07] Samira HADJ : … ». The stamp and the
author are the app's, not the answer; the app's own notices (group created, member added, media left
out, message deleted) are nobody's answer at all."""

from __future__ import annotations

import re
from dataclasses import replace

from workflow.parsers.base import Contenu, Unit

_STAMP = re.compile(
    r"^\s*\[?\s*\d{1,2}/\d{1,2}/\d{2,4}\s*,?\s*(?:à\s*)?\d{1,2}[:h]\d{2}(?::\d{2})?\s*\]?\s*(?:[-–]\s*)?"
)
_AUTHOR = re.compile(r"^(?P<author>[^:]{1,60}?)\s?:\s+(?P<text>.*)$", re.S)
_NOTICE = re.compile(
    r"^\s*(?:<\s*m[ée]dias?\s+omis\s*>|<\s*media omitted\s*>|ce message a [ée]t[ée] supprim[ée]|"
    r"vous avez supprim[ée] ce message|message supprim[ée]|.{1,80}\((?:fichier joint|file attached)\)|"
    r"appel (?:vocal|vid[ée]o) manqu[ée])\s*$",
    re.I,
)
_NEXT_QUESTION = re.compile(r"(?<=[.!])\s+(?=\d{1,2}\)\s)")  # « Noté. 2) Adresse du siège ? »
MIN_MESSAGES = 5


def without_chat_stamps(contenu: Contenu) -> Contenu:
    """The messages' texts, one unit each (a question asked after an acknowledgement on its own line),
    when the document is such a discussion; the content unchanged otherwise."""
    stamped = [u for u in contenu.units if u.table is None and _STAMP.match(u.text)]
    if len(stamped) < MIN_MESSAGES:
        return contenu
    units: list[Unit] = []
    for unit in contenu.units:
        if unit.table is not None or not (stamp := _STAMP.match(unit.text)):
            units.append(unit)
            continue
        message = _AUTHOR.match(unit.text[stamp.end() :])
        if message is None or len(message.group("author").split()) > MAX_AUTHOR_WORDS:
            continue  # « … a créé le groupe », « … vous a ajouté »: the app's notice, no message
        text = message.group("text").strip()
        if not text or _NOTICE.match(text):
            continue
        units += [replace(unit, text=part) for part in _NEXT_QUESTION.split(text)]
    return replace(contenu, units=tuple(units))


MAX_AUTHOR_WORDS = 6  # « Claire DUFLOS CUA »; a longer run before a colon is a message's own words
