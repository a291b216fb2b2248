"""An existing registry is upgraded in place: every form already recorded starts « à vérifier »."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from workflow.registry.db import MIGRATIONS, Registry, make_engine


def test_forms_recorded_before_the_review_existed_wait_for_a_person(tmp_path):
    url = f"sqlite:///{tmp_path / 'ancien.sqlite3'}"
    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0010")
        for i, (kind, statut) in enumerate([("questionnaire", "enregistre"), ("association", "enregistre"),
                                            ("courriel", "enregistre"), (None, "quarantaine")]):  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO soumissions (fichier, sha256, taille, recu_le, source, type_fichier, type_formulaire,"
                    " statut, motif, chemin, origine) VALUES (:f, :s, 1, :r, 'dossier', 'docx', :k, :st, '', '', '')"
                ),
                {
                    "f": f"f{i}.docx",
                    "s": f"{i:064}",
                    "r": dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
                    "k": kind,
                    "st": statut,
                },
            )
    engine.dispose()
    registry = Registry(url)  # opening brings the schema to the newest version
    with registry.engine.connect() as connection:
        rows = connection.execute(text("SELECT soumission_id, statut, par FROM revues ORDER BY soumission_id")).all()
    registry.close()
    assert [tuple(r) for r in rows] == [(1, "a_verifier", ""), (2, "a_verifier", "")]
