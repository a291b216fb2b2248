"""registre initial : soumissions et questionnaires versionnés

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nom", sa.String(length=300), nullable=False),
        sa.Column("cle", sa.String(length=300), nullable=False),
        sa.Column("signataire_id", sa.String(length=100), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cle"),
    )
    op.create_table(
        "soumissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fichier", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("taille", sa.Integer(), nullable=False),
        sa.Column("recu_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("type_fichier", sa.String(length=20), nullable=False),
        sa.Column("type_formulaire", sa.String(length=20), nullable=True),
        sa.Column("parseur", sa.String(length=50), nullable=True),
        sa.Column("statut", sa.String(length=20), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
        sa.Column("chemin", sa.String(length=500), nullable=False),
        sa.Column("doublon_de_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["doublon_de_id"],
            ["soumissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("soumissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_soumissions_sha256"), ["sha256"], unique=False)

    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campagne", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("courant", sa.Boolean(), nullable=False),
        sa.Column("soumission_id", sa.Integer(), nullable=False),
        sa.Column("referent_nom", sa.String(length=300), nullable=False),
        sa.Column("referent_fonction", sa.String(length=300), nullable=False),
        sa.Column("referent_courriel", sa.String(length=300), nullable=False),
        sa.Column("referent_telephone", sa.String(length=100), nullable=False),
        sa.Column("engagements", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["soumission_id"],
            ["soumissions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "campagne", "version"),
    )
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.create_index(
            "ix_questionnaire_courant",
            ["organisation_id", "campagne"],
            unique=True,
            sqlite_where=sa.text("courant"),
            postgresql_where=sa.text("courant"),
        )

    op.create_table(
        "agents_gouvernance",
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("nom", sa.String(length=300), nullable=False),
        sa.Column("fonction", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agents_gouvernance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agents_gouvernance_questionnaire_id"), ["questionnaire_id"], unique=False)

    op.create_table(
        "alertes",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("champ", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alertes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alertes_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_alertes_questionnaire_id"), ["questionnaire_id"], unique=False)

    op.create_table(
        "interventions",
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("intitule", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interventions_questionnaire_id"), ["questionnaire_id"], unique=False)

    op.create_table(
        "objectifs_declares",
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("ambition", sa.String(length=50), nullable=True),
        sa.Column("os", sa.Integer(), nullable=True),
        sa.Column("oo", sa.String(length=20), nullable=False),
        sa.Column("libelle_saisi", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("objectifs_declares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objectifs_declares_questionnaire_id"), ["questionnaire_id"], unique=False)

    op.create_table(
        "provenances",
        sa.Column("champ", sa.String(length=200), nullable=False),
        sa.Column("methode", sa.String(length=20), nullable=False),
        sa.Column("localisation", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provenances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provenances_questionnaire_id"), ["questionnaire_id"], unique=False)

    op.create_table(
        "quartiers_vises",
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("quartier_id", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["questionnaires.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quartiers_vises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quartiers_vises_questionnaire_id"), ["questionnaire_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quartiers_vises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quartiers_vises_questionnaire_id"))

    op.drop_table("quartiers_vises")
    with op.batch_alter_table("provenances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provenances_questionnaire_id"))

    op.drop_table("provenances")
    with op.batch_alter_table("objectifs_declares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objectifs_declares_questionnaire_id"))

    op.drop_table("objectifs_declares")
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interventions_questionnaire_id"))

    op.drop_table("interventions")
    with op.batch_alter_table("alertes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alertes_questionnaire_id"))
        batch_op.drop_index(batch_op.f("ix_alertes_code"))

    op.drop_table("alertes")
    with op.batch_alter_table("agents_gouvernance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agents_gouvernance_questionnaire_id"))

    op.drop_table("agents_gouvernance")
    with op.batch_alter_table("questionnaires", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_questionnaire_courant", sqlite_where=sa.text("courant"), postgresql_where=sa.text("courant")
        )

    op.drop_table("questionnaires")
    with op.batch_alter_table("soumissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_soumissions_sha256"))

    op.drop_table("soumissions")
    op.drop_table("organisations")
