"""Every route of the console, read from the application's own route table, under the same three rules:
no page and no action without login, no POST without its CSRF token, no POST by a reader. A route added
tomorrow is taken at once: without a sample value for a new path parameter, or without the guard, these
tests fail."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import console_fixtures
from console_fixtures import EQUIPE, FIELDS, LECTURE, login, token
from fastapi.routing import APIRoute
from sqlalchemy import select
from starlette.routing import Mount

from workflow.registry.db import Registry
from workflow.registry.models import EntreeJournal

client, flagged, workspace = console_fixtures.client, console_fixtures.flagged, console_fixtures.workspace  # fixtures
_model = console_fixtures._model

SAMPLES = {  # a value for each path parameter of the console (a new one must be added here)
    "numero": "{n}",
    "autre": "{n}",
    "page": "1",
    "nom": "x.docx",
    "cle": "annexe-engagements",
    "jour": "2025-03-14",
    "identifiant": LECTURE,
    "chemin": "annexe_engagements_signataires.docx",
}
PUBLIC = {("GET", "/connexion"), ("POST", "/connexion")}  # the login page itself (its POST still needs the token)
A_READER_MAY = {"/deconnexion"}  # the one POST that changes nothing but the reader's own session
FILTERED = [  # pages again with their filters and a page number, as a person follows them
    "/tableau?campagne=2024&etat=a_verifier&genre=signataire&page=2",
    "/a-verifier?code=courriel_invalide&organisme=habitat&campagne=2024&lecture=deduites&page=3",
    "/journal?depuis=01/01/2024&organisme=habitat&page=2",
    "/quarantaine?page=9",
    "/recherche?q=gestion",
]


def routes(app) -> list[tuple[str, str]]:
    """Return every (method, path) the application serves, path parameters given their sample value."""
    return _walk(app.routes, "")


def _walk(table, prefix: str) -> list[tuple[str, str]]:
    found = []
    for route in table:
        if isinstance(route, APIRoute):
            found += [(method, _concrete(prefix + route.path)) for method in sorted(route.methods)]
        elif isinstance(route, Mount):
            found.append(("GET", f"{prefix}{route.path}/console.css"))
        elif hasattr(route, "original_router"):  # a router included as a whole (FastAPI ≥ 0.165)
            found += _walk(route.original_router.routes, prefix + getattr(route.include_context, "prefix", ""))
        else:  # a route of another kind would escape these tests
            found.append(("?", str(getattr(route, "path", route))))
    return found


def _concrete(path: str) -> str:
    def sample(match: re.Match[str]) -> str:
        name = match[1].split(":")[0]
        return SAMPLES.get(name, f"<{name} : ajouter une valeur d'essai à SAMPLES>")

    return re.sub(r"\{([^}]+)\}", sample, path)


def _served(client, n: int, method: str) -> list[str]:
    return [path.format(n=n) for m, path in routes(client.app) if m == method]


def _journal(workspace) -> list[tuple[str, str]]:
    registry = Registry(workspace.database_url())
    try:
        with registry.session() as session:
            return [(e.par, e.action) for e in session.scalars(select(EntreeJournal).order_by(EntreeJournal.id))]
    finally:
        registry.close()


def test_the_route_table_holds_only_gets_and_posts_each_with_a_sample_for_its_parameters(client):
    """The guard checks the CSRF token of every POST: a PUT, PATCH or DELETE would pass it, so there is none."""
    served = routes(client.app)
    assert {m for m, _ in served} == {"GET", "POST"}, served
    assert [p for _, p in served if "<" in p] == []
    assert len(served) > 35
    assert ("GET", "/soumissions/{n}/pages/1.png") in served  # the page images of a scan are in the table


def test_no_route_serves_anyone_not_logged_in(client, flagged, workspace):
    csrf = token(client)  # a stranger's session has a token too: it must not be enough
    before = _journal(workspace)
    wrong = []
    for method, path in routes(client.app):
        path = path.format(n=flagged)
        if (method, path) in PUBLIC or path.startswith("/static/"):
            continue
        if method == "GET":
            response = client.get(path)
            if response.status_code != 303 or not response.headers["location"].startswith("/connexion"):
                wrong.append((method, path, response.status_code))
        else:
            for data in ({"csrf": csrf, **FIELDS}, FIELDS):
                response = client.post(path, data=data)
                if response.status_code != 401 or "reconnectez-vous" not in response.text:
                    wrong.append((method, path, response.status_code))
    assert wrong == []
    assert _journal(workspace) == before
    assert client.get("/static/console.css").status_code == 200


def test_no_post_is_taken_without_its_csrf_token(client, flagged, workspace):
    login(client)
    before = _journal(workspace)
    wrong = []
    for path in _served(client, flagged, "POST"):
        for data in ({**FIELDS, "identifiant": EQUIPE}, {**FIELDS, "csrf": "forgé"}):
            response = client.post(path, data=data)
            if response.status_code != 403 or "Jeton de sécurité" not in response.text:
                wrong.append((path, data.get("csrf"), response.status_code))
    assert wrong == []
    assert _journal(workspace) == before
    assert client.get("/tableau").status_code == 200  # still logged in: a refused POST logs no one out


def test_a_reader_is_refused_every_post(client, flagged, workspace):
    csrf = login(client, LECTURE)
    before = _journal(workspace)
    wrong = []
    for path in _served(client, flagged, "POST"):
        if ("POST", path) in PUBLIC or path in A_READER_MAY:
            continue
        response = client.post(path, data={**FIELDS, "csrf": csrf})
        if response.status_code != 403 or "lecture seule" not in response.text:
            wrong.append((path, response.status_code))
    assert wrong == []
    assert _journal(workspace) == before


def test_a_reader_is_refused_the_pages_that_only_lead_to_a_change(client, flagged):
    login(client, LECTURE)
    for path in ("/quarantaine/x.docx/supprimer", "/annuaire/modifier?cle=signataire%3Apas-de-calais-habitat"):
        assert client.get(path).status_code == 403, path


def test_no_page_changes_anything_and_none_fails(client, flagged, workspace):
    """Every GET, logged in as the team: an answer (a page, a download, a refusal in French), never an error,
    and nothing in the journal."""
    login(client)
    before = _journal(workspace)
    failed = []
    for path in [*_served(client, flagged, "GET"), *FILTERED]:
        if path == "/deconnexion":
            continue
        response = client.get(path)
        if response.status_code >= 500 or response.status_code not in (200, 303, 400, 403, 404):
            failed.append((path, response.status_code))
    assert failed == []
    assert _journal(workspace) == before


class _Controls(HTMLParser):
    """Collect a page's form controls and labels, and the tables without header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.in_label = 0
        self.tables: list[int] = []  # header cells of each table open
        self.bare_tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if found.get("for"):
                self.labelled.add(str(found["for"]))
        elif tag in ("input", "select", "textarea") and found.get("type") not in ("hidden", "submit", "button"):
            self.controls.append({**found, "_inside_label": "1" if self.in_label else None})
        elif tag == "table":
            self.tables.append(0)
        elif tag == "th" and self.tables:
            self.tables[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1
        elif tag == "table" and self.tables and self.tables.pop() == 0:
            self.bare_tables += 1

    def unlabelled(self) -> list[str]:
        return [
            str(c.get("name") or c.get("id"))
            for c in self.controls
            if not c["_inside_label"] and not c.get("aria-label") and c.get("id") not in self.labelled
        ]


def test_every_field_of_every_page_has_a_label_and_every_table_its_headers(client, flagged):
    login(client, console_fixtures.ADMIN)
    wrong, seen = [], 0
    pages = [p for p in _served(client, flagged, "GET") if p != "/deconnexion" and not p.startswith("/static/")]
    for path in [*pages, *FILTERED]:
        response = client.get(path)
        if response.status_code != 200 or not response.headers["content-type"].startswith("text/html"):
            continue
        parsed = _Controls()
        parsed.feed(response.text)
        seen += len(parsed.controls)
        if parsed.unlabelled() or parsed.bare_tables:
            wrong.append((path, parsed.unlabelled(), parsed.bare_tables))
    assert wrong == []
    assert seen > 40  # the filters, the correction and note forms, the users page… were all looked at
