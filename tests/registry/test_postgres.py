"""The registry works on a real PostgreSQL server (started by `python3 run.py tests`)."""

from __future__ import annotations

import os

import pytest
from conftest import fill_form, requires
from sqlalchemy import text

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.db import Registry
from workflow.registry.export import export_data
from workflow.render.formulaire import questionnaire_form

URL = os.environ.get("CDV_TEST_PG_URL")
pytestmark = requires(bool(URL), "CDV_TEST_PG_URL absent : lancer par `python3 run.py tests`")


@pytest.fixture
def pg_registry():
    registry = Registry(URL)
    yield registry
    with registry.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    registry.close()


def test_ingest_versions_and_doublons_on_postgresql(workspace, pg_registry, tmp_path, monkeypatch):
    assert pg_registry.engine.dialect.name == "postgresql"
    monkeypatch.setenv("CDV_REGISTRE_URL", URL)
    assert workspace.database_url() == URL
    blank = questionnaire_form(workspace, "France Travail", 2024, tmp_path / "b.docx")
    first = fill_form(blank, {"organisme": "France Travail", "referent_nom": "A"}, workspace.inbox / "a.docx")
    copy = workspace.inbox / "copie.docx"
    copy.write_bytes(first.read_bytes())
    second = fill_form(blank, {"organisme": "Pôle emploi", "referent_nom": "B"}, workspace.inbox / "b.docx")
    statuses = [
        ingest(workspace, pg_registry, Arrivee(p, Source.DOSSIER, deplacer=True)).statut for p in (first, copy, second)
    ]
    assert statuses == [Statut.ENREGISTRE, Statut.DOUBLON, Statut.ENREGISTRE]
    with pg_registry.session() as session:
        history = export_data(session, historique=True)["questionnaires"]
    assert [(q["organisme"], q["version"], q["courant"], q["referent_nom"]) for q in history] == [
        ("France Travail", 1, False, "A"),
        ("France Travail", 2, True, "B"),
    ]


def test_only_one_current_version_is_allowed(pg_registry):
    with pg_registry.engine.connect() as connection:
        indexes = (
            connection.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_questionnaire_courant'"))
            .scalars()
            .all()
        )
    assert indexes and "WHERE courant" in indexes[0]
