"""Fixtures of the console tests: three people (one who reviews, one who reads, one who also manages the
users) and one flagged answer."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import fill_form
from fastapi.testclient import TestClient
from support import ANSWERS, PDC

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.db import Registry
from workflow.render.formulaire import questionnaire_form
from workflow.review import users
from workflow.web.app import create_app
from workflow.web.security import set_password
from workflow.workspace import Workspace, init_workspace

EQUIPE, LECTURE, ADMIN, MOT_DE_PASSE = "sophie.marchand", "lea.martin", "claire.admin", "un mot de passe assez long"
TOKEN = re.compile(r'name="csrf" value="([^"]+)"')
FIELDS = {"champ": "referent_courriel", "valeur": "x@y.fr", "motif": "essai", "code": "courriel_invalide",
          "texte": "note", "date": "14/03/2025", "identifiant": "intrus", "nom": "Intrus", "role": "equipe",
          "mot_de_passe": "un autre mot de passe", "cle": "signataire:pas-de-calais-habitat",
          "courriel": "intrus@exemple.fr"}  # fmt: skip  # every field a console form sends, filled


def filled_form(workspace: Workspace, folder: Path, name: str, **changes: object) -> Path:
    blank = questionnaire_form(workspace, PDC, 2024, folder / f"vierge_{name}.docx")
    return fill_form(blank, {**ANSWERS, **changes}, folder / f"{name}.docx")


@pytest.fixture(scope="session")
def _model(tmp_path_factory) -> tuple[Path, int]:
    """Build once: a workspace with its two readers and the flagged questionnaire (copied for each test)."""
    root = tmp_path_factory.mktemp("console_modele") / "espace"
    workspace = init_workspace(root)
    registry = Registry(workspace.database_url())
    try:
        with registry.session() as session:
            users.add(session, EQUIPE, "Sophie Marchand", users.Role.EQUIPE)
            users.add(session, LECTURE, "Léa Martin", users.Role.LECTURE)
            users.add(session, ADMIN, "Claire Admin", users.Role.ADMIN)
            for identifiant in (EQUIPE, LECTURE, ADMIN):
                set_password(session, identifiant, MOT_DE_PASSE)
        form = filled_form(workspace, root.parent, "pdc")
        result = ingest(workspace, registry, Arrivee(form, Source.COMMANDE))
    finally:
        registry.close()
    assert result.statut == Statut.ENREGISTRE and result.soumission_id is not None, result
    return root, result.soumission_id


@pytest.fixture
def workspace(_model: tuple[Path, int], tmp_path: Path) -> Workspace:
    """A fresh copy of the model workspace (the registry is closed while it is copied)."""
    shutil.copytree(_model[0], tmp_path / "espace")
    return Workspace(tmp_path / "espace")


@pytest.fixture
def flagged(workspace: Workspace, _model: tuple[Path, int]) -> int:
    """Return the number of the recorded questionnaire with two blocking alerts."""
    return _model[1]


@pytest.fixture
def client(workspace: Workspace, flagged: int):
    with TestClient(create_app(workspace), follow_redirects=False) as c:
        yield c


def token(client: TestClient, path: str = "/connexion") -> str:
    """Return the CSRF token of the session, read from a page as a browser would."""
    found = TOKEN.search(client.get(path).text)
    assert found, f"pas de jeton sur {path}"
    return found[1]


def login(client: TestClient, identifiant: str = EQUIPE) -> str:
    """Log in and return the new session's CSRF token."""
    response = client.post(
        "/connexion", data={"csrf": token(client), "identifiant": identifiant, "mot_de_passe": MOT_DE_PASSE}
    )
    assert response.status_code == 303, response.text
    return token(client, "/tableau")
