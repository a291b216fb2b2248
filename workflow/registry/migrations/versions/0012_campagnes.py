"""Campagnes, partenaires attendus, annuaire des contacts et relances suivies.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "campagnes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("annee", sa.Integer(), nullable=False, unique=True),
        sa.Column("echeance", sa.Date(), nullable=False),
        sa.Column("ouverte_le", WHEN, nullable=False),
        sa.Column("par", sa.String(100), nullable=False),
        sa.Column("close_le", WHEN),
    )
    op.create_table(
        "campagne_attendus",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "campagne_id", sa.Integer(), sa.ForeignKey("campagnes.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("cle", sa.String(300), nullable=False),
        sa.Column("nom", sa.String(300), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("origine", sa.String(30), nullable=False),
        sa.UniqueConstraint("campagne_id", "cle"),
    )
    op.create_table(
        "annuaire",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cle", sa.String(300), nullable=False, index=True),
        sa.Column("organisme", sa.String(300), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("nom", sa.String(300), nullable=False),
        sa.Column("fonction", sa.String(300), nullable=False),
        sa.Column("courriel", sa.String(300), nullable=False),
        sa.Column("telephone", sa.String(100), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("soumission_id", sa.Integer(), sa.ForeignKey("soumissions.id")),
        sa.Column("par", sa.String(100), nullable=False),
        sa.Column("le", WHEN, nullable=False),
        sa.UniqueConstraint("cle", "rang"),
    )
    op.create_table(
        "relances",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campagne", sa.Integer(), nullable=False, index=True),
        sa.Column("cle", sa.String(300), nullable=False),
        sa.Column("organisme", sa.String(300), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.Column("destinataire", sa.String(300), nullable=False),
        sa.Column("echeance", sa.Date(), nullable=False),
        sa.Column("preparee_le", WHEN, nullable=False),
        sa.Column("fichier", sa.String(500), nullable=False),
        sa.Column("envoyee_le", WHEN),
    )


def downgrade() -> None:
    for table in ("relances", "annuaire", "campagne_attendus", "campagnes"):
        op.drop_table(table)
