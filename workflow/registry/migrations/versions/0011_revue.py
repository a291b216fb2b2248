"""Revue : statut de chaque soumission enregistrée, corrections, décisions sur les alertes, notes,
journal des actions et utilisateurs.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "utilisateurs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("identifiant", sa.String(100), nullable=False, unique=True),
        sa.Column("nom", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("actif", sa.Boolean(), nullable=False),
        sa.Column("mot_de_passe", sa.String(300)),
        sa.Column("cree_le", WHEN, nullable=False),
    )
    op.create_table(
        "revues",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("soumission_id", sa.Integer(), sa.ForeignKey("soumissions.id"), nullable=False, unique=True),
        sa.Column("statut", sa.String(20), nullable=False, index=True),
        sa.Column("par", sa.String(100), nullable=False),
        sa.Column("le", WHEN, nullable=False),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("soumission_id", sa.Integer(), sa.ForeignKey("soumissions.id"), nullable=False, index=True),
        sa.Column("champ", sa.String(200), nullable=False),
        sa.Column("valeur_lue", sa.Text(), nullable=False),
        sa.Column("valeur", sa.Text(), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
        sa.Column("par", sa.String(100), nullable=False),
        sa.Column("le", WHEN, nullable=False),
        sa.Column("reprise_de_id", sa.Integer(), sa.ForeignKey("corrections.id")),
    )
    op.create_table(
        "decisions_alertes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("soumission_id", sa.Integer(), sa.ForeignKey("soumissions.id"), nullable=False, index=True),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("champ", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
        sa.Column("par", sa.String(100), nullable=False),
        sa.Column("le", WHEN, nullable=False),
        sa.UniqueConstraint("soumission_id", "code", "champ"),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("soumission_id", sa.Integer(), sa.ForeignKey("soumissions.id"), nullable=False, index=True),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("par", sa.String(100), nullable=False),
        sa.Column("le", WHEN, nullable=False),
    )
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("le", WHEN, nullable=False, index=True),
        sa.Column("par", sa.String(100), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("soumission_id", sa.Integer(), sa.ForeignKey("soumissions.id"), index=True),
        sa.Column("organisme", sa.String(300), nullable=False),
        sa.Column("champ", sa.String(200), nullable=False),
        sa.Column("avant", sa.Text(), nullable=False),
        sa.Column("apres", sa.Text(), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
    )
    # Every form already recorded waits for a person, as a new one does.
    op.execute(
        "INSERT INTO revues (soumission_id, statut, par, le) "
        "SELECT id, 'a_verifier', '', recu_le FROM soumissions "
        "WHERE statut = 'enregistre' AND type_formulaire IN ('questionnaire', 'association')"
    )


def downgrade() -> None:
    for table in ("journal", "notes", "decisions_alertes", "corrections", "revues", "utilisateurs"):
        op.drop_table(table)
