"""The users page: list, add, deactivate, set a password. The team role (« equipe ») manages users,
there being no separate administrator role; a reader (« lecture ») cannot even see the page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from workflow.errors import CdvError
from workflow.review import journal, users
from workflow.review.status import Action
from workflow.review.users import check_author
from workflow.web.app import Refus, back, console, flash, form, render, user
from workflow.web.security import set_password

router = APIRouter()


def _manager(request: Request) -> None:
    if not user(request).peut_agir:
        raise Refus(403, "La gestion des utilisateurs est réservée à l'équipe (rôle « equipe »).")


@router.get("/utilisateurs")
def users_page(request: Request) -> Response:
    _manager(request)
    with console(request).registry.session() as session:
        return render(request, "utilisateurs.html", personnes=users.listing(session), roles=users.Role)


def _field(request: Request, name: str) -> str:
    value = form(request).get(name, "")
    return value.strip() if isinstance(value, str) else ""


@router.post("/utilisateurs")
def user_add(request: Request) -> Response:
    identifiant, nom, role = _field(request, "identifiant"), _field(request, "nom"), _field(request, "role")
    password = form(request).get("mot_de_passe", "")
    try:
        with console(request).registry.session() as session:
            who = check_author(session, user(request).identifiant).identifiant
            if not nom:
                raise CdvError("indiquer le prénom et le nom")
            if role not in users.Role._value2member_map_:
                raise CdvError(f"rôle inconnu : « {role} »")
            added = users.add(session, identifiant, nom, users.Role(role))
            if isinstance(password, str) and password:
                set_password(session, added.identifiant, password)
            journal.log(session, who, Action.UTILISATEUR, apres=f"{added.identifiant} ({added.role})")
        flash(request, "ok", f"Utilisateur « {identifiant} » ajouté (rôle {role}).")
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back("/utilisateurs")


@router.post("/utilisateurs/{identifiant}/desactiver")
def user_deactivate(request: Request, identifiant: str) -> Response:
    try:
        with console(request).registry.session() as session:
            who = check_author(session, user(request).identifiant).identifiant
            if identifiant == who:
                raise CdvError("vous ne pouvez pas désactiver votre propre compte")
            users.deactivate(session, identifiant)
            journal.log(session, who, Action.UTILISATEUR, champ=identifiant, avant="actif", apres="désactivé")
        flash(request, "ok", f"Utilisateur « {identifiant} » désactivé.")
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back("/utilisateurs")


@router.post("/utilisateurs/{identifiant}/mot-de-passe")
def user_password(request: Request, identifiant: str) -> Response:
    password = form(request).get("mot_de_passe", "")
    try:
        with console(request).registry.session() as session:
            who = check_author(session, user(request).identifiant).identifiant
            set_password(session, identifiant, password if isinstance(password, str) else "")
            journal.log(session, who, Action.UTILISATEUR, champ=identifiant, apres="mot de passe défini")
        flash(request, "ok", f"Mot de passe de « {identifiant} » enregistré.")
    except CdvError as e:
        flash(request, "erreur", f"Refusé : {e}")
    return back("/utilisateurs")
