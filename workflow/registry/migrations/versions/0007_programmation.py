"""Programmation annuelle : actions financées importées d'un tableur.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annee", sa.Integer(), nullable=False),
        sa.Column("ligne", sa.Integer(), nullable=False),
        sa.Column("operateur", sa.String(length=300), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("ambition", sa.String(length=50), nullable=True),
        sa.Column("objectifs", sa.JSON(), nullable=False),
        sa.Column("quartiers", sa.JSON(), nullable=False),
        sa.Column("montants", sa.JSON(), nullable=False),
        sa.Column("cpo", sa.Boolean(), nullable=True),
        sa.Column("nouvelle", sa.Boolean(), nullable=True),
        sa.Column("beneficiaires", sa.JSON(), nullable=False),
        sa.Column("fichier", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("programmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programmation_annee"), ["annee"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("programmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programmation_annee"))
    op.drop_table("programmation")
