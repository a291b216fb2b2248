"""Origine des soumissions : chemin et date de modification du fichier pris dans la boîte de dépôt.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("soumissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origine", sa.String(length=500), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("origine_mtime_ns", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("soumissions", schema=None) as batch_op:
        batch_op.drop_column("origine_mtime_ns")
        batch_op.drop_column("origine")
