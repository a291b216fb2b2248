"""The console application: one workspace and its registry, the session and security rules every request
goes through, and the French error pages. The pages themselves are in `pages`, `files` and `admin`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import select

from workflow.fr import montant_fr
from workflow.registry.db import Registry
from workflow.registry.models import Utilisateur
from workflow.review.users import ACTING, Role
from workflow.validation.alertes import CodeAlerte
from workflow.web.security import (
    COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    HEADERS,
    Cookies,
    Throttle,
    csrf_ok,
    secret_key,
)
from workflow.workspace import Workspace

HERE = Path(__file__).parent
PUBLIC = ("/connexion", "/static/")
IDLE_MINUTES = 30
MAX_FILE = 20 * 1024 * 1024  # per uploaded file
MAX_FILES = 20
MAX_MESSAGE = 700  # characters of a message kept in the cookie until the next page


@dataclass(frozen=True)
class Personne:
    """The logged-in user, as the pages need them."""

    identifiant: str
    nom: str
    role: str

    @property
    def peut_agir(self) -> bool:
        return self.role in ACTING

    @property
    def administre(self) -> bool:
        return self.role == Role.ADMIN


class Refus(Exception):
    """A request refused with a status and a French message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Connexion(Exception):
    """The page needs a logged-in user: go to the login page, then come back."""


@dataclass
class Console:
    """What every request shares: the workspace, its registry, the signer, the throttle, the templates."""

    workspace: Workspace
    registry: Registry
    cookies: Cookies
    throttle: Throttle
    templates: Environment
    secure: bool
    max_file: int = MAX_FILE


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Return a stored UTC time in the server's time zone (SQLite gives it back naive)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone()


def _date(value: dt.date | dt.datetime | None) -> str:
    """Return `15/02/2025` (a stored time in the server's zone), or an empty string."""
    shown = local(value) if isinstance(value, dt.datetime) else value
    return shown.strftime("%d/%m/%Y") if shown else ""


def _datetime(value: dt.datetime | None) -> str:
    """Return `15/02/2025 à 14:05` in the server's zone, or an empty string."""
    shown = local(value)
    return shown.strftime("%d/%m/%Y à %H:%M") if shown else ""


def typography(text: str) -> str:
    """Return French text with its non-breaking spaces: « x », before : ; ? ! (messages come from the library)."""
    text = re.sub(r"«\s+", "«\u00a0", str(text))
    text = re.sub(r"\s+»", "\u00a0»", text)
    return re.sub(r"\s+([:;?!])(?=\s|$)", "\u00a0\\1", text)


def _breakable(path: str) -> Markup:
    """Return a field path that may wrap after each dot (`interventions_structurantes[0].<wbr>intitule`)."""
    return Markup("<wbr>.").join(escape(part) for part in str(path).split("."))


def _anchor(champ: str) -> str:
    """Return the id of a value's row on the submission page (`champ-interventions_structurantes-0--intitule`)."""
    return "champ-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(champ))


def _alert_label(code: str) -> str:
    """Return an alert code's French label (`courriel_invalide` → « Adresse électronique du référent invalide »)."""
    found = CodeAlerte._value2member_map_.get(code)
    return typography(found.libelle) if isinstance(found, CodeAlerte) else code


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = _date
    env.filters["dateheure"] = _datetime
    env.filters["montant"] = montant_fr
    env.filters["coupable"] = _breakable
    env.filters["typo"] = typography
    env.filters["ancre"] = _anchor
    env.filters["url"] = lambda v: quote(str(v), safe="")
    env.filters["alerte"] = _alert_label
    return env


def console(request: Request) -> Console:
    return request.app.state.console


def user(request: Request) -> Personne:
    """Return the logged-in user (the guard has already sent everyone else to the login page)."""
    found = request.state.user
    if found is None:
        raise Connexion()
    return found


def form(request: Request) -> Any:
    return request.state.form


def parse_day(text: str) -> dt.date | None:
    """Return the day written 14/03/2025 or 2025-03-14, or None when it cannot be read."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def flash(request: Request, kind: str, text: str) -> None:
    """Keep a message for the next page shown (« ok » or « erreur »), short enough for the cookie."""
    kept = request.state.session.setdefault("flash", [])
    kept.append([kind, text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"])
    del kept[:-3]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the user, the CSRF token, the messages waiting and the active menu entry."""
    session = request.state.session
    messages = session.pop("flash", [])
    template = console(request).templates.get_template(name)
    html = template.render(
        utilisateur=request.state.user,
        csrf=session.get(CSRF_FIELD, ""),
        messages=messages,
        chemin=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def back(path: str) -> RedirectResponse:
    """Post, then redirect, then get: a reload never repeats an action."""
    return RedirectResponse(path, status_code=303)


async def guard(request: Request) -> AsyncIterator[None]:
    """Refuse what must be refused before any page runs: no login, no CSRF token, a reader's POST;
    close the uploaded files' temporary copies once the page has run."""
    request.state.form = None
    try:
        await _refuse(request)
        yield
    finally:
        if request.state.form is not None:
            await request.state.form.close()


async def _refuse(request: Request) -> None:
    path = request.url.path
    if path.startswith(PUBLIC):
        if request.method == "POST":
            await _checked_form(request)
        return
    if request.state.user is None:
        if request.method == "POST":
            raise Refus(401, "Votre session a expiré : reconnectez-vous, puis recommencez.")
        raise Connexion()
    if request.method == "POST":
        await _checked_form(request)
        if path != "/deconnexion" and not request.state.user.peut_agir:
            raise Refus(403, "Votre compte est en lecture seule : vous pouvez consulter, pas modifier.")


async def _checked_form(request: Request) -> None:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise Refus(411, "Requête refusée : longueur du contenu absente.")
    if int(length) > console(request).max_file * MAX_FILES + 65536:
        raise Refus(413, f"Envoi trop volumineux : {MAX_FILES} fichiers de 20 Mo au plus.")
    request.state.form = await request.form(max_files=MAX_FILES, max_fields=200)
    given = request.state.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not csrf_ok(request.state.session.get(CSRF_FIELD), given if isinstance(given, str) else None):
        raise Refus(403, "Jeton de sécurité absent ou périmé : rechargez la page, puis recommencez.")


def create_app(workspace: Workspace, secure: bool = False, idle_minutes: int = IDLE_MINUTES) -> FastAPI:
    """Return the console for one workspace (`secure`: cookies only over HTTPS, behind a TLS proxy)."""
    from workflow.web import admin, annuaire, files, pages, recherche

    state = Console(
        workspace,
        Registry(workspace.database_url()),
        Cookies(secret_key(workspace), idle_minutes * 60),
        Throttle(),
        _templates(),
        secure,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.registry.close()

    app = FastAPI(
        title="Cœur de Quartier — console", docs_url=None, redoc_url=None, openapi_url=None,
        dependencies=[Depends(guard)], lifespan=lifespan,
    )  # fmt: skip
    app.state.console = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (pages, files, admin, recherche, annuaire):
        app.include_router(module.router)
    app.middleware("http")(_session_middleware)
    app.add_exception_handler(Refus, _refused)  # type: ignore[arg-type]
    app.add_exception_handler(Connexion, _to_login)  # type: ignore[arg-type]
    return app


async def _session_middleware(request: Request, call_next: Any) -> Response:
    """Read the signed cookie, find its user, and write the cookie back (the idle delay starts again)."""
    state = console(request)
    session = state.cookies.load(request.cookies.get(COOKIE))
    request.state.session = session
    request.state.user = _user(state, str(session["u"])) if session.get("u") else None
    if request.state.user is None:
        session.pop("u", None)
    response: Response = await call_next(request)
    if not request.url.path.startswith("/static/"):
        response.set_cookie(
            COOKIE, state.cookies.dump(session), max_age=state.cookies.idle_seconds, httponly=True,
            samesite="lax", secure=state.secure, path="/",
        )  # fmt: skip
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _user(state: Console, identifiant: str) -> Personne | None:
    """Return the user of a session, or None once they were deactivated or their password removed."""
    with state.registry.session() as session:
        found = session.scalar(select(Utilisateur).where(Utilisateur.identifiant == identifiant))
        if found is None or not found.actif or not found.mot_de_passe:
            return None
        return Personne(found.identifiant, found.nom, found.role)


def _refused(request: Request, error: Refus) -> Response:
    if request.headers.get("hx-request") and error.status == 401:
        return Response(status_code=401, headers={"HX-Redirect": "/connexion"})
    response = render(request, "erreur.html", status=error.status, message=error.message)
    if request.headers.get("hx-request"):  # show the refusal in place of the page, whatever the form aimed at
        response.headers.update({"HX-Retarget": "#contenu", "HX-Reselect": "#contenu", "HX-Reswap": "outerHTML"})
    return response


def _to_login(request: Request, _error: Connexion) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = RedirectResponse(f"/connexion?suite={quote(target, safe='')}", status_code=303)
    if request.headers.get("hx-request"):
        response.headers["HX-Redirect"] = "/connexion"
    return response
