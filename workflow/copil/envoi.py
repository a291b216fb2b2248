"""Send the reminder drafts of a COPIL by SMTP: an explicit step, never automatic.

The [envoi] section of registry/config.toml names the server; the password comes from an
environment variable. A sent draft moves to relances/envoyees/ so that it is never sent twice.
"""

from __future__ import annotations

import os
import shutil
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from workflow.errors import CdvError
from workflow.workspace import CONFIG_NAME, Workspace


@dataclass(frozen=True)
class Envoi:
    hote: str
    port: int = 587
    securite: str = "starttls"  # "starttls", "ssl" or "aucune" (relay inside the network)
    utilisateur: str = ""
    variable_mot_de_passe: str = "CDV_SMTP_MOT_DE_PASSE"
    expediteur: str = ""


def configuration(workspace: Workspace) -> Envoi:
    path = workspace.registry / CONFIG_NAME
    section = workspace.config("envoi")
    if not section:
        raise CdvError(
            "Envoi impossible : aucune section [envoi] dans registry/config.toml (voir docs/surveillance.md)."
        )
    try:
        return Envoi(**section)
    except TypeError as e:
        raise CdvError(f"Section [envoi] de {path} incorrecte : {e}") from e


def a_envoyer(folder: Path) -> list[Path]:
    """The drafts of a COPIL folder that have a recipient and were not sent yet."""
    drafts = sorted((folder / "relances").glob("*.eml"))
    return [d for d in drafts if BytesParser(policy=policy.default).parsebytes(d.read_bytes())["To"]]


def envoyer(config: Envoi, drafts: list[Path]) -> list[Path]:
    """Send each draft; move it to relances/envoyees/ once the server accepted it."""
    sent = []
    with _connect(config) as smtp:
        if config.utilisateur:
            smtp.login(config.utilisateur, os.environ.get(config.variable_mot_de_passe, ""))
        for draft in drafts:
            message = BytesParser(policy=policy.default).parsebytes(draft.read_bytes())
            del message["X-Unsent"]
            if config.expediteur:
                message.replace_header("From", config.expediteur)
            smtp.send_message(message)
            done = draft.parent / "envoyees"
            done.mkdir(exist_ok=True)
            shutil.move(str(draft), done / draft.name)
            sent.append(done / draft.name)
    return sent


def _connect(config: Envoi) -> smtplib.SMTP:
    if config.securite == "ssl":
        return smtplib.SMTP_SSL(config.hote, config.port, context=ssl.create_default_context(), timeout=60)
    smtp = smtplib.SMTP(config.hote, config.port, timeout=60)
    if config.securite == "starttls":
        smtp.starttls(context=ssl.create_default_context())
    return smtp
