"""Messages de la boîte aux lettres déjà traités (dossier, UIDVALIDITY, UID).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages_traites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier", sa.String(length=200), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=False),
        sa.Column("statut", sa.String(length=20), nullable=False),
        sa.Column("traite_le", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier", "uidvalidity", "uid"),
    )


def downgrade() -> None:
    op.drop_table("messages_traites")
