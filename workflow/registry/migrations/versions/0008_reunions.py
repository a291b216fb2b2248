"""Réunions des instances de gouvernance (date, participants, institutions représentées).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reunions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance", sa.String(length=100), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("institutions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instance", "date"),
    )


def downgrade() -> None:
    op.drop_table("reunions")
