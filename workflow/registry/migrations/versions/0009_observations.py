"""Observations importées, habitants présents aux réunions et provenance de chaque réunion, type
d'opérateur de la programmation.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territoire", sa.String(length=100), nullable=False),
        sa.Column("indicateur", sa.String(length=100), nullable=False),
        sa.Column("annee", sa.Integer(), nullable=False),
        sa.Column("valeur", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("fichier", sa.String(length=500), nullable=False),
        sa.Column("ligne", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("territoire", "indicateur", "annee"),
    )
    with op.batch_alter_table("reunions") as batch:
        batch.add_column(sa.Column("habitants", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("programmation") as batch:
        batch.add_column(sa.Column("type_operateur", sa.String(length=100), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("programmation") as batch:
        batch.drop_column("type_operateur")
    with op.batch_alter_table("reunions") as batch:
        batch.drop_column("source")
        batch.drop_column("habitants")
    op.drop_table("observations")
