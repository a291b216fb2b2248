"""The registry: SQLAlchemy models, Alembic migrations, sessions and exports."""
