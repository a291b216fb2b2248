"""Certitude de lecture de chaque valeur (certaine, structurée, déduite).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provenances") as batch:
        batch.add_column(sa.Column("certitude", sa.String(20), nullable=False, server_default="deduite"))


def downgrade() -> None:
    with op.batch_alter_table("provenances") as batch:
        batch.drop_column("certitude")
