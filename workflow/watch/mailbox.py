"""Fetch forms from an IMAP mailbox: unseen messages become .eml files for the pipeline.

A message is moved to the "Traités" folder (or flagged) only once it and its attachments are
recorded or quarantined; one whose processing failed stays unseen for the next poll and is
reported (paperless-ngx #8329). Handled messages are remembered by UIDVALIDITY + UID.
The password comes from an environment variable, never from a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import imaplib
import logging
import os
import re
import ssl
from dataclasses import dataclass

from sqlalchemy import select

from workflow.errors import CdvError, ConfigurationInvalide
from workflow.intake.attachments import work_folder
from workflow.intake.ingest import Arrivee, Resultat, Source, ingest
from workflow.registry.db import Registry
from workflow.registry.models import MessageTraite
from workflow.workspace import CONFIG_NAME, Workspace

log = logging.getLogger("workflow.messagerie")


@dataclass(frozen=True)
class Messagerie:
    hote: str
    utilisateur: str
    port: int = 993
    securite: str = "ssl"  # "ssl" (IMAPS) or "starttls"
    dossier: str = "INBOX"
    dossier_traites: str = "Traités"
    variable_mot_de_passe: str = "CDV_IMAP_MOT_DE_PASSE"
    autorite_certification: str = ""  # CA file of a private server; the system's otherwise
    intervalle_minutes: float = 5.0


EXPECTED = {  # what each key of [messagerie] holds, said in French
    "hote": "le nom ou l'adresse du serveur IMAP, entre guillemets",
    "utilisateur": "l'identifiant de connexion à la boîte, entre guillemets",
    "port": "un nombre entier de 1 à 65535 (993 en IMAPS, 143 avec starttls)",
    "securite": "« ssl » ou « starttls », entre guillemets",
    "dossier": "le nom du dossier à relever, entre guillemets",
    "dossier_traites": "le nom du dossier où ranger les messages traités, entre guillemets",
    "variable_mot_de_passe": "le nom de la variable d'environnement qui contient le mot de passe, entre guillemets",
    "autorite_certification": "le chemin du fichier de l'autorité de certification, entre guillemets",
    "intervalle_minutes": "un nombre de minutes plus grand que 0 (par exemple 5)",
}
REQUIRED = ("hote", "utilisateur")


def configuration(workspace: Workspace) -> Messagerie | None:
    """Return the [messagerie] section of registry/config.toml, or None when there is none."""
    section = workspace.config("messagerie")
    if not section:
        return None
    faults = _faults(section)
    if faults:
        raise ConfigurationInvalide(workspace.registry / CONFIG_NAME, "section [messagerie] : " + " ; ".join(faults))
    return Messagerie(**section)


def _faults(section: dict[str, object]) -> list[str]:
    """Return in French what is wrong with each key of the section: unknown, missing or of the wrong kind."""
    faults = [_unknown(key) for key in section if key not in EXPECTED]
    faults += [f"clé « {key} » absente : attendu {EXPECTED[key]}" for key in REQUIRED if key not in section]
    for key, value in section.items():
        if key in EXPECTED and not _valid(key, value):
            faults.append(f"« {key} = {_shown(value)} » : attendu {EXPECTED[key]}")
    return faults


def _unknown(key: str) -> str:
    close = difflib.get_close_matches(key, list(EXPECTED), n=1)
    hint = f"vouliez-vous dire « {close[0]} » ?" if close else "clés possibles : " + ", ".join(EXPECTED)
    return f"clé « {key} » inconnue ({hint})"


def _valid(key: str, value: object) -> bool:
    if key == "port":
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535
    if key == "intervalle_minutes":
        return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    if key == "securite":
        return value in ("ssl", "starttls")
    if key == "autorite_certification":
        return isinstance(value, str)
    return isinstance(value, str) and bool(value.strip())


def _shown(value: object) -> str:
    """Write a value back the way it is written in config.toml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "{…}"
    return str(value)


@dataclass(frozen=True)
class Releve:
    traites: int
    en_echec: int


def relever(workspace: Workspace, registry: Registry, config: Messagerie) -> Releve:
    """Fetch the unseen messages once; return how many were handled and how many failed."""
    password = os.environ.get(config.variable_mot_de_passe)
    if not password:
        raise CdvError(f"Mot de passe de la messagerie absent : définir la variable {config.variable_mot_de_passe}.")
    with _connect(config) as imap:
        imap.login(config.utilisateur, password)
        _ok(imap.select(_quote(config.dossier)), f"ouvrir le dossier {config.dossier}")
        validity = int(_untagged(imap, "UIDVALIDITY") or 0)
        _, data = imap.uid("SEARCH", "UNSEEN")
        uids = [int(u) for u in (data[0] or b"").split()]
        handled = failed = 0
        for uid in uids:
            if _known(registry, config.dossier, validity, uid):
                _done(imap, config, uid)
                continue
            try:
                result = _take(workspace, registry, imap, uid)
            except Exception:  # a broken message or a pipeline error: leave it for the next poll
                log.exception(
                    "Message %s de %s : échec du traitement, il sera repris au prochain relevé.", uid, config.dossier
                )
                failed += 1
                continue
            if result.erreur_interne:
                log.error("Message %s : erreur interne, il sera repris au prochain relevé.", uid)
                failed += 1
                continue
            _remember(registry, config.dossier, validity, uid, result)
            _done(imap, config, uid)
            log.info("Message %s : %s — %s", uid, result.statut.libelle, result.detail or result.motif)
            handled += 1
        imap.logout()
    return Releve(handled, failed)


def _connect(config: Messagerie) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=config.autorite_certification or None)
    if config.securite == "ssl":
        return imaplib.IMAP4_SSL(config.hote, config.port, ssl_context=context, timeout=60)
    imap = imaplib.IMAP4(config.hote, config.port, timeout=60)
    imap.starttls(ssl_context=context)
    return imap


def _take(workspace: Workspace, registry: Registry, imap: imaplib.IMAP4, uid: int) -> Resultat:
    _, data = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")  # PEEK: not marked seen before it is recorded
    raw = next((part[1] for part in data if isinstance(part, tuple)), None)
    if not raw:
        raise CdvError(f"message {uid} vide ou introuvable")
    with work_folder(workspace, "imap") as tmp:
        path = tmp / f"courriel_{uid}.eml"
        path.write_bytes(raw)
        return ingest(workspace, registry, Arrivee(path, Source.MESSAGERIE))


def _done(imap: imaplib.IMAP4, config: Messagerie, uid: int) -> None:
    """Move to the "Traités" folder (created if needed); flag as seen when moving is refused."""
    target = _quote(config.dossier_traites)
    imap.create(target)  # an existing folder only gives a "NO" answer
    status, _ = imap.uid("COPY", str(uid), target)
    if status == "OK":
        imap.uid("STORE", str(uid), "+FLAGS", r"(\Deleted)")
        imap.expunge()
    else:
        imap.uid("STORE", str(uid), "+FLAGS", r"(\Seen)")


def _known(registry: Registry, folder: str, validity: int, uid: int) -> bool:
    with registry.session() as session:
        found = session.scalar(
            select(MessageTraite.id).where(
                MessageTraite.dossier == folder, MessageTraite.uidvalidity == validity, MessageTraite.uid == uid
            )
        )
        return found is not None


def _remember(registry: Registry, folder: str, validity: int, uid: int, result: Resultat) -> None:
    with registry.session() as session:
        session.add(
            MessageTraite(
                dossier=folder,
                uidvalidity=validity,
                uid=uid,
                statut=result.statut.value,
                traite_le=dt.datetime.now(dt.UTC),
            )
        )


def _untagged(imap: imaplib.IMAP4, name: str) -> str | None:
    _, data = imap.response(name)
    return data[0].decode() if data and data[0] else None


def _ok(answer: tuple[str, list], what: str) -> None:
    if answer[0] != "OK":
        raise CdvError(f"Messagerie : impossible de {what}.")


def _quote(folder: str) -> str:
    """Quote a folder name for IMAP, in modified UTF-7 (RFC 3501) when it has accents."""
    encoded = re.sub(r"&", "&-", folder)
    encoded = re.sub(r"[^\x20-\x7e]+", lambda m: "&" + _b64(m.group(0)) + "-", encoded)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
