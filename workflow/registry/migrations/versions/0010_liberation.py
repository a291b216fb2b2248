"""Soumissions : date à laquelle l'original a quitté la boîte de dépôt (reprise après interruption).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("soumissions") as batch:
        batch.add_column(sa.Column("libere_le", sa.DateTime(timezone=True), nullable=True))
    # Files recorded before this column existed have long left the inbox.
    op.execute("UPDATE soumissions SET libere_le = recu_le")


def downgrade() -> None:
    with op.batch_alter_table("soumissions") as batch:
        batch.drop_column("libere_le")
