"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from workflow.registry.db import HEAD, MIGRATIONS, Registry
from workflow.registry.models import Base


def test_migrations_match_the_models(tmp_path):
    registry = Registry(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    with registry.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    registry.close()
    assert diff == []
    assert mode == "wal"


def test_processes_opening_a_new_registry_together_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'registry' / 'registre.sqlite3'}"
    code = f"from workflow.registry.db import Registry; Registry({url!r}).close()"
    runs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(6)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0] * 6, errors
    registry = Registry(url)
    with registry.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    registry.close()


def test_the_newest_migration_is_the_one_a_registry_is_opened_at_without_alembic(tmp_path):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    Registry(url).close()
    reopened = Registry(url)  # at the head: opened by one query
    with reopened.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == [HEAD]
    reopened.close()
