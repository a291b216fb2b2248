"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from workflow.registry.db import Registry
from workflow.registry.models import Base


def test_migrations_match_the_models(tmp_path):
    registry = Registry(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    with registry.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    registry.close()
    assert diff == []
    assert mode == "wal"
