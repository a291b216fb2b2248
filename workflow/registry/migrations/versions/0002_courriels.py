"""Courriels et pièces jointes : chaque formulaire joint devient une soumission liée au courriel.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courriels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("soumission_id", sa.Integer(), nullable=False),
        sa.Column("expediteur", sa.String(length=500), nullable=False),
        sa.Column("destinataires", sa.Text(), nullable=False),
        sa.Column("date_envoi", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sujet", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=False),
        sa.Column("corps", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["soumission_id"],
            ["soumissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "pieces_jointes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("courriel_id", sa.Integer(), nullable=False),
        sa.Column("nom", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("taille", sa.Integer(), nullable=False),
        sa.Column("type_fichier", sa.String(length=20), nullable=False),
        sa.Column("chemin", sa.String(length=500), nullable=False),
        sa.Column("soumission_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["courriel_id"], ["courriels.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["soumission_id"],
            ["soumissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pieces_jointes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pieces_jointes_courriel_id"), ["courriel_id"], unique=False)

    with op.batch_alter_table("soumissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("courriel_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_soumissions_courriel", "courriels", ["courriel_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("soumissions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_soumissions_courriel", type_="foreignkey")
        batch_op.drop_column("courriel_id")

    with op.batch_alter_table("pieces_jointes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pieces_jointes_courriel_id"))

    op.drop_table("pieces_jointes")
    op.drop_table("courriels")
