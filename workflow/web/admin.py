"""The users page: list, add, deactivate, set a password, change a role. Only an administrator (role
« admin ») manages users; the team (« equipe ») reviews, a reader (« lecture ») only consults, and
neither can even see the page."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.review import journal, users
from workflow.review.status import Action
from workflow.review.users import check_author
from workflow.web.app import Refus, back, console, flash, form, render, user
from workflow.web.security import set_password

router = APIRouter()


def _manager(request: Request) -> None:
    if not user(request).administre:
        raise Refus(403, "La gestion des utilisateurs est réservée aux administrateurs (rôle « admin »).")


@router.get("/utilisateurs")
def users_page(request: Request) -> Response:
    _manager(request)
    with console(request).registry.session() as session:
        return render(request, "utilisateurs.html", personnes=users.listing(session), roles=users.Role)


def _field(request: Request, name: str) -> str:
    value = form(request).get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _role(text: str) -> users.Role:
    if text not in users.Role._value2member_map_:
        raise CdvError(f"rôle inconnu : « {text} »")
    return users.Role(text)


def _manage(request: Request, done: str, step: Callable[[Session, str], None]) -> Response:
    """Run one change of the users as the logged-in administrator, in one transaction, and say what happened."""
    _manager(request)
    try:
        with console(request).registry.session() as session:
            step(session, check_author(session, user(request).identifiant).identifiant)
        flash(request, "ok", done)
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back("/utilisateurs")


@router.post("/utilisateurs")
def user_add(request: Request) -> Response:
    identifiant, nom, role = _field(request, "identifiant"), _field(request, "nom"), _field(request, "role")
    password = form(request).get("mot_de_passe", "")

    def step(session: Session, who: str) -> None:
        if not nom:
            raise CdvError("indiquer le prénom et le nom")
        added = users.add(session, identifiant, nom, _role(role))
        if isinstance(password, str) and password:
            set_password(session, added.identifiant, password)
        journal.log(session, who, Action.UTILISATEUR, apres=f"{added.identifiant} ({added.role})")

    return _manage(request, f"Utilisateur « {identifiant} » ajouté (rôle {role}).", step)


@router.post("/utilisateurs/{identifiant}/desactiver")
def user_deactivate(request: Request, identifiant: str) -> Response:
    def step(session: Session, who: str) -> None:
        if identifiant == who:
            raise CdvError("vous ne pouvez pas désactiver votre propre compte")
        users.deactivate(session, identifiant)
        journal.log(session, who, Action.UTILISATEUR, champ=identifiant, avant="actif", apres="désactivé")

    return _manage(request, f"Utilisateur « {identifiant} » désactivé.", step)


@router.post("/utilisateurs/{identifiant}/mot-de-passe")
def user_password(request: Request, identifiant: str) -> Response:
    password = form(request).get("mot_de_passe", "")

    def step(session: Session, who: str) -> None:
        set_password(session, identifiant, password if isinstance(password, str) else "")
        journal.log(session, who, Action.UTILISATEUR, champ=identifiant, apres="mot de passe défini")

    return _manage(request, f"Mot de passe de « {identifiant} » enregistré.", step)


@router.post("/utilisateurs/{identifiant}/role")
def user_role(request: Request, identifiant: str) -> Response:
    role = _field(request, "role")

    def step(session: Session, who: str) -> None:
        if identifiant == who:
            raise CdvError("vous ne pouvez pas changer votre propre rôle")
        before = users.find(session, identifiant).role
        users.set_role(session, identifiant, _role(role))
        journal.log(session, who, Action.UTILISATEUR, champ=identifiant, avant=before, apres=role)

    return _manage(request, f"Rôle de « {identifiant} » : {role}.", step)
