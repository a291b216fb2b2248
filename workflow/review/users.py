"""The staff who act on the registry: who they are, their role, and who acts for a command."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.registry.models import Utilisateur
from workflow.workspace import Workspace

ENV_AUTHOR = "CDV_AUTEUR"
IDENTIFIANT = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")


class Role(StrEnum):
    EQUIPE = "equipe"  # reviews, corrects, validates
    LECTURE = "lecture"  # reads only
    ADMIN = "admin"  # reviews like the team, and alone manages the users of the web console


ACTING = (Role.EQUIPE, Role.ADMIN)  # the roles that may change the registry


def add(session: Session, identifiant: str, nom: str, role: Role) -> Utilisateur:
    """Create a user, refusing a malformed or taken identifier."""
    if not IDENTIFIANT.match(identifiant):
        raise CdvError(
            f"identifiant « {identifiant} » refusé : lettres minuscules sans accent, chiffres, point, tiret "
            "ou souligné, de 2 à 100 caractères"
        )
    if session.scalar(select(Utilisateur).where(Utilisateur.identifiant == identifiant)):
        raise CdvError(f"l'identifiant « {identifiant} » existe déjà")
    user = Utilisateur(identifiant=identifiant, nom=nom, role=role.value, actif=True, cree_le=dt.datetime.now(dt.UTC))
    session.add(user)
    session.flush()
    return user


def listing(session: Session) -> list[Utilisateur]:
    return list(session.scalars(select(Utilisateur).order_by(Utilisateur.identifiant)))


def find(session: Session, identifiant: str) -> Utilisateur:
    user = session.scalar(select(Utilisateur).where(Utilisateur.identifiant == identifiant))
    if user is None:
        raise CdvError(f"utilisateur « {identifiant} » inconnu (voir : cdv utilisateurs liste)")
    return user


def deactivate(session: Session, identifiant: str) -> Utilisateur:
    user = find(session, identifiant)
    user.actif = False
    return user


def set_role(session: Session, identifiant: str, role: Role) -> Utilisateur:
    """Give a user another role, never leaving the console without an active administrator."""
    user = find(session, identifiant)
    if user.role == Role.ADMIN and role != Role.ADMIN:
        others = session.scalar(
            select(Utilisateur.id).where(
                Utilisateur.role == Role.ADMIN.value, Utilisateur.actif, Utilisateur.identifiant != identifiant
            )
        )
        if others is None:
            raise CdvError(f"« {identifiant} » est le dernier administrateur actif : nommer d'abord un autre")
    user.role = role.value
    return user


def author_name(workspace: Workspace, given: str | None) -> str:
    """Return who acts: `--auteur`, else CDV_AUTEUR, else `[revue] auteur` of config.toml."""
    chosen = given or os.environ.get(ENV_AUTHOR) or workspace.config("revue").get("auteur")
    if not chosen:
        raise CdvError(
            "indiquer qui agit : --auteur IDENTIFIANT, la variable CDV_AUTEUR, ou « auteur = … » dans la section "
            "[revue] de registry/config.toml"
        )
    return str(chosen)


def check_author(session: Session, identifiant: str) -> Utilisateur:
    """Return the acting user, refusing one who is unknown, inactive, or may only read."""
    user = find(session, identifiant)
    if not user.actif:
        raise CdvError(f"l'utilisateur « {identifiant} » est désactivé")
    if user.role not in ACTING:
        raise CdvError(f"l'utilisateur « {identifiant} » n'a qu'un accès en lecture")
    return user


def manager(workspace: Workspace, given: str | None) -> str:
    """Return who manages users: the configured author, else the system account (the first user
    is created before anyone can be named)."""
    try:
        return author_name(workspace, given)
    except CdvError:
        return getpass.getuser()
