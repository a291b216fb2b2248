"""Registry tables: every file received, and the versioned answers with their provenance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from workflow.review.status import StatutRevue


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(300))
    cle: Mapped[str] = mapped_column(String(300), unique=True)  # normalised name, or signatory id
    signataire_id: Mapped[str | None] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(20))  # "signataire" or "association"


class Soumission(Base):
    """One file that entered the system, whatever became of it."""

    __tablename__ = "soumissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    fichier: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    taille: Mapped[int] = mapped_column(Integer)
    recu_le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(20))  # intake.types.Source
    type_fichier: Mapped[str] = mapped_column(String(20))  # detected from content
    type_formulaire: Mapped[str | None] = mapped_column(String(20))  # answers.TypeFormulaire
    parseur: Mapped[str | None] = mapped_column(String(50))
    statut: Mapped[str] = mapped_column(String(20))  # "enregistre", "doublon", "quarantaine"
    motif: Mapped[str] = mapped_column(Text, default="")
    chemin: Mapped[str] = mapped_column(String(500), default="")  # archive or quarantine path
    doublon_de_id: Mapped[int | None] = mapped_column(ForeignKey("soumissions.id"))
    origine: Mapped[str] = mapped_column(String(500), default="")  # inbox path it was taken from
    origine_mtime_ns: Mapped[int | None] = mapped_column(BigInteger)  # that file's mtime: tells a replay apart
    libere_le: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # when it left the inbox
    courriel_id: Mapped[int | None] = mapped_column(  # the e-mail it came attached to
        ForeignKey("courriels.id", name="fk_soumissions_courriel", use_alter=True)
    )
    revue: Mapped[Revue | None] = relationship(viewonly=True, uselist=False)
    corrections: Mapped[list[Correction]] = relationship(viewonly=True, order_by="Correction.id")
    notes: Mapped[list[Note]] = relationship(viewonly=True, order_by="Note.id")

    @property
    def validee(self) -> bool:
        """Whether a person validated what was read: only then may it reach a contract document."""
        return self.revue is not None and self.revue.statut == StatutRevue.VALIDEE


class FicheAssociationVersion(Base):
    """One version of an association form; the newest of an association is `courant`."""

    __tablename__ = "fiches_association"
    __table_args__ = (
        UniqueConstraint("organisation_id", "version"),
        Index(
            "ix_fiche_courante",
            "organisation_id",
            unique=True,
            sqlite_where=text("courant"),
            postgresql_where=text("courant"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    version: Mapped[int] = mapped_column(Integer)
    courant: Mapped[bool] = mapped_column(Boolean)
    soumission_id: Mapped[int] = mapped_column(ForeignKey("soumissions.id"))
    identite: Mapped[dict] = mapped_column(JSON)  # association_nom, sigle, siret, rna, … referent_telephone
    quartiers: Mapped[list] = mapped_column(JSON)
    ambitions: Mapped[list] = mapped_column(JSON)
    objectifs: Mapped[list] = mapped_column(JSON)  # [{ambition, os, oo, libelle_saisi, reference}]
    engagements: Mapped[list] = mapped_column(JSON)
    autres_engagements: Mapped[str] = mapped_column(Text, default="")
    demande_cpo: Mapped[bool | None] = mapped_column(Boolean)
    duree_cpo_annees: Mapped[int | None] = mapped_column(Integer)
    indicateurs_suivi: Mapped[list] = mapped_column(JSON)
    signature: Mapped[dict] = mapped_column(JSON)  # fait_a, date, signataire_nom
    alertes: Mapped[list] = mapped_column(JSON)  # [{code, message, champ}]
    provenance: Mapped[dict] = mapped_column(JSON)  # field path → {methode, localisation, certitude}

    organisation: Mapped[Organisation] = relationship()
    soumission: Mapped[Soumission] = relationship()
    actions: Mapped[list[ActionRow]] = relationship(order_by="ActionRow.rang", cascade="all, delete-orphan")


class ActionRow(Base):
    __tablename__ = "actions_association"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiche_id: Mapped[int] = mapped_column(ForeignKey("fiches_association.id", ondelete="CASCADE"), index=True)
    rang: Mapped[int] = mapped_column(Integer)
    intitule: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    public_vise: Mapped[str] = mapped_column(Text)
    beneficiaires_prevus: Mapped[int | None] = mapped_column(Integer)
    periode: Mapped[str] = mapped_column(String(300))
    cofinancements: Mapped[list[CofinancementRow]] = relationship(
        order_by="CofinancementRow.rang", cascade="all, delete-orphan"
    )


class CofinancementRow(Base):
    __tablename__ = "cofinancements"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions_association.id", ondelete="CASCADE"), index=True)
    rang: Mapped[int] = mapped_column(Integer)
    financeur: Mapped[str] = mapped_column(String(300))
    montant: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))


class ActionProgrammee(Base):
    """One funded action of a year's programmation, as imported from the spreadsheet."""

    __tablename__ = "programmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    annee: Mapped[int] = mapped_column(Integer, index=True)
    ligne: Mapped[int] = mapped_column(Integer)  # row number in the imported file
    operateur: Mapped[str] = mapped_column(String(300))
    type_operateur: Mapped[str] = mapped_column(String(100), default="")  # association, commune, bailleur…
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))  # a known association
    action: Mapped[str] = mapped_column(Text)
    ambition: Mapped[str | None] = mapped_column(String(50))
    objectifs: Mapped[list] = mapped_column(JSON)
    quartiers: Mapped[list] = mapped_column(JSON)
    montants: Mapped[dict] = mapped_column(JSON)  # funder → amount in euros, as a string of an exact decimal
    cpo: Mapped[bool | None] = mapped_column(Boolean)
    nouvelle: Mapped[bool | None] = mapped_column(Boolean)
    beneficiaires: Mapped[dict] = mapped_column(JSON)  # prevus, atteints, femmes, hommes, moins_25_ans
    fichier: Mapped[str] = mapped_column(String(500))


class Reunion(Base):
    """A governance meeting held: instance, date, participants, institutions represented."""

    __tablename__ = "reunions"
    __table_args__ = (UniqueConstraint("instance", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance: Mapped[str] = mapped_column(String(100))  # instance id of the reference data
    date: Mapped[dt.date] = mapped_column(Date)
    participants: Mapped[int | None] = mapped_column(Integer)
    habitants: Mapped[int | None] = mapped_column(Integer)  # inhabitants among the participants
    institutions: Mapped[list] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(Text, default="")  # "reunions.xlsx, ligne 4" or "saisie (commande)"


class Observation(Base):
    """A quarter indicator value newer than the contract's portraits, imported from a table."""

    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("territoire", "indicateur", "annee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territoire: Mapped[str] = mapped_column(String(100))  # quarter or territory id of the reference data
    indicateur: Mapped[str] = mapped_column(String(100))
    annee: Mapped[int] = mapped_column(Integer)
    valeur: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    source: Mapped[str] = mapped_column(Text, default="")
    fichier: Mapped[str] = mapped_column(String(500))
    ligne: Mapped[int] = mapped_column(Integer)  # row number in that file


class Copil(Base):
    """A steering committee: the annexes and the returns status are prepared before it."""

    __tablename__ = "copils"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), unique=True)
    libelle: Mapped[str] = mapped_column(String(300), default="")
    prepare_le: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MessageTraite(Base):
    """A mailbox message already handled, remembered by folder, UIDVALIDITY and UID."""

    __tablename__ = "messages_traites"
    __table_args__ = (UniqueConstraint("dossier", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str] = mapped_column(String(500), default="")
    statut: Mapped[str] = mapped_column(String(20))  # what became of the e-mail file
    traite_le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Courriel(Base):
    """An e-mail received as a file; its form attachments are submissions of their own."""

    __tablename__ = "courriels"

    id: Mapped[int] = mapped_column(primary_key=True)
    soumission_id: Mapped[int] = mapped_column(ForeignKey("soumissions.id"))
    expediteur: Mapped[str] = mapped_column(String(500))
    destinataires: Mapped[str] = mapped_column(Text)
    date_envoi: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sujet: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(500))
    corps: Mapped[str] = mapped_column(Text)
    pieces: Mapped[list[PieceJointeRow]] = relationship(order_by="PieceJointeRow.id", cascade="all, delete-orphan")


class PieceJointeRow(Base):
    """An attachment kept with its e-mail (archived by hash), processed or not as a form."""

    __tablename__ = "pieces_jointes"

    id: Mapped[int] = mapped_column(primary_key=True)
    courriel_id: Mapped[int] = mapped_column(ForeignKey("courriels.id", ondelete="CASCADE"), index=True)
    nom: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    taille: Mapped[int] = mapped_column(Integer)
    type_fichier: Mapped[str] = mapped_column(String(20))
    chemin: Mapped[str] = mapped_column(String(500))
    soumission_id: Mapped[int | None] = mapped_column(ForeignKey("soumissions.id"))


class QuestionnaireVersion(Base):
    """One version of a signatory's answers for a campaign; the newest is `courant`."""

    __tablename__ = "questionnaires"
    __table_args__ = (
        UniqueConstraint("organisation_id", "campagne", "version"),
        Index(
            "ix_questionnaire_courant",
            "organisation_id",
            "campagne",
            unique=True,
            sqlite_where=text("courant"),
            postgresql_where=text("courant"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    campagne: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    courant: Mapped[bool] = mapped_column(Boolean)
    soumission_id: Mapped[int] = mapped_column(ForeignKey("soumissions.id"))
    referent_nom: Mapped[str] = mapped_column(String(300), default="")
    referent_fonction: Mapped[str] = mapped_column(String(300), default="")
    referent_courriel: Mapped[str] = mapped_column(String(300), default="")
    referent_telephone: Mapped[str] = mapped_column(String(100), default="")
    engagements: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship()
    soumission: Mapped[Soumission] = relationship()
    interventions: Mapped[list[InterventionRow]] = relationship(
        order_by="InterventionRow.rang", cascade="all, delete-orphan"
    )
    agents: Mapped[list[AgentRow]] = relationship(order_by="AgentRow.rang", cascade="all, delete-orphan")
    quartiers: Mapped[list[QuartierRow]] = relationship(order_by="QuartierRow.rang", cascade="all, delete-orphan")
    objectifs: Mapped[list[ObjectifRow]] = relationship(order_by="ObjectifRow.rang", cascade="all, delete-orphan")
    alertes: Mapped[list[AlerteRow]] = relationship(order_by="AlerteRow.id", cascade="all, delete-orphan")
    provenances: Mapped[list[ProvenanceRow]] = relationship(order_by="ProvenanceRow.id", cascade="all, delete-orphan")


class _Child:
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)


class InterventionRow(_Child, Base):
    __tablename__ = "interventions"
    rang: Mapped[int] = mapped_column(Integer)
    intitule: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)


class AgentRow(_Child, Base):
    __tablename__ = "agents_gouvernance"
    rang: Mapped[int] = mapped_column(Integer)
    nom: Mapped[str] = mapped_column(String(300))
    fonction: Mapped[str] = mapped_column(String(300))


class QuartierRow(_Child, Base):
    __tablename__ = "quartiers_vises"
    rang: Mapped[int] = mapped_column(Integer)
    quartier_id: Mapped[str] = mapped_column(String(100))


class ObjectifRow(_Child, Base):
    __tablename__ = "objectifs_declares"
    rang: Mapped[int] = mapped_column(Integer)
    ambition: Mapped[str | None] = mapped_column(String(50))
    os: Mapped[int | None] = mapped_column(Integer)
    oo: Mapped[str] = mapped_column(String(20))
    libelle_saisi: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(100))  # "ambition/os/code" in the tree


class AlerteRow(_Child, Base):
    __tablename__ = "alertes"
    code: Mapped[str] = mapped_column(String(50), index=True)
    message: Mapped[str] = mapped_column(Text)
    champ: Mapped[str] = mapped_column(String(100), default="")


class ProvenanceRow(_Child, Base):
    """Where one value of a questionnaire version was read in its file."""

    __tablename__ = "provenances"
    champ: Mapped[str] = mapped_column(String(200))  # e.g. "interventions_structurantes[0].intitule"
    methode: Mapped[str] = mapped_column(String(20))
    localisation: Mapped[str] = mapped_column(Text)
    certitude: Mapped[str] = mapped_column(String(20), default="deduite")  # answers.Certitude


class Utilisateur(Base):
    """A member of staff who reviews answers (role `equipe`) or only reads them (role `lecture`)."""

    __tablename__ = "utilisateurs"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifiant: Mapped[str] = mapped_column(String(100), unique=True)
    nom: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # review.users.Role
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    mot_de_passe: Mapped[str | None] = mapped_column(String(300))  # argon2 hash, for the web console
    cree_le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Revue(Base):
    """The review of one recorded submission (its questionnaire or association version)."""

    __tablename__ = "revues"

    id: Mapped[int] = mapped_column(primary_key=True)
    soumission_id: Mapped[int] = mapped_column(ForeignKey("soumissions.id"), unique=True)
    statut: Mapped[str] = mapped_column(String(20), index=True)  # review.status.StatutRevue
    par: Mapped[str] = mapped_column(String(100), default="")  # who set the status, "" on arrival
    le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    soumission: Mapped[Soumission] = relationship()  # set on arrival, written with the submission in one flush


class Correction(Base):
    """A value corrected by a person; the value read stays here and its provenance stays too."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    soumission_id: Mapped[int] = mapped_column(ForeignKey("soumissions.id"), index=True)
    champ: Mapped[str] = mapped_column(String(200))  # export path, e.g. "interventions_structurantes[0].intitule"
    valeur_lue: Mapped[str] = mapped_column(Text)
    valeur: Mapped[str] = mapped_column(Text)
    motif: Mapped[str] = mapped_column(Text, default="")
    par: Mapped[str] = mapped_column(String(100))
    le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reprise_de_id: Mapped[int | None] = mapped_column(ForeignKey("corrections.id"))  # carried from a version before


class DecisionAlerte(Base):
    """What a person decided about one alert of a submission: accepted as read, or no longer relevant."""

    __tablename__ = "decisions_alertes"
    __table_args__ = (UniqueConstraint("soumission_id", "code", "champ"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    soumission_id: Mapped[int] = mapped_column(ForeignKey("soumissions.id"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    champ: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[str] = mapped_column(String(20))  # review.alerts.Decision
    motif: Mapped[str] = mapped_column(Text, default="")
    par: Mapped[str] = mapped_column(String(100))
    le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Note(Base):
    """A private note of the team on a submission: exported, never printed in a contract document."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    soumission_id: Mapped[int] = mapped_column(ForeignKey("soumissions.id"), index=True)
    texte: Mapped[str] = mapped_column(Text)
    par: Mapped[str] = mapped_column(String(100))
    le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class EntreeJournal(Base):
    """One human action on the registry, with its author, time, and the value before and after."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    par: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))  # review.journal.Action
    soumission_id: Mapped[int | None] = mapped_column(ForeignKey("soumissions.id"), index=True)
    organisme: Mapped[str] = mapped_column(String(300), default="")
    champ: Mapped[str] = mapped_column(String(200), default="")
    avant: Mapped[str] = mapped_column(Text, default="")
    apres: Mapped[str] = mapped_column(Text, default="")
    motif: Mapped[str] = mapped_column(Text, default="")


class Campagne(Base):
    """A yearly call for answers: when it opened, its deadline, and the partners expected to answer."""

    __tablename__ = "campagnes"

    id: Mapped[int] = mapped_column(primary_key=True)
    annee: Mapped[int] = mapped_column(Integer, unique=True)
    echeance: Mapped[dt.date] = mapped_column(Date)
    ouverte_le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    par: Mapped[str] = mapped_column(String(100), default="")
    close_le: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attendus: Mapped[list[PartenaireAttendu]] = relationship(
        order_by="PartenaireAttendu.id", cascade="all, delete-orphan"
    )


class PartenaireAttendu(Base):
    """A partner a campaign expects an answer from: a signatory, or an association."""

    __tablename__ = "campagne_attendus"
    __table_args__ = (UniqueConstraint("campagne_id", "cle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campagne_id: Mapped[int] = mapped_column(ForeignKey("campagnes.id", ondelete="CASCADE"), index=True)
    cle: Mapped[str] = mapped_column(String(300))  # Organisation.cle: "signataire:arras", "association:afeji artois"
    nom: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20))  # "signataire" or "association"
    origine: Mapped[str] = mapped_column(String(30))  # "signataires", "programmation", "liste"


class Contact(Base):
    """A partner's contact in the directory: read from its latest validated answer, or entered by staff."""

    __tablename__ = "annuaire"
    __table_args__ = (UniqueConstraint("cle", "rang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cle: Mapped[str] = mapped_column(String(300), index=True)  # Organisation.cle
    organisme: Mapped[str] = mapped_column(String(300))
    rang: Mapped[int] = mapped_column(Integer, default=0)  # 0: the referent, who is written to
    nom: Mapped[str] = mapped_column(String(300), default="")
    fonction: Mapped[str] = mapped_column(String(300), default="")
    courriel: Mapped[str] = mapped_column(String(300), default="")
    telephone: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(200), default="")  # "réponse n° 12" or "saisie"
    soumission_id: Mapped[int | None] = mapped_column(ForeignKey("soumissions.id"))
    par: Mapped[str] = mapped_column(String(100), default="")
    le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Relance(Base):
    """A reminder prepared for one partner of a campaign: when, to whom, which one, and whether it was sent."""

    __tablename__ = "relances"

    id: Mapped[int] = mapped_column(primary_key=True)
    campagne: Mapped[int] = mapped_column(Integer, index=True)
    cle: Mapped[str] = mapped_column(String(300))
    organisme: Mapped[str] = mapped_column(String(300))
    numero: Mapped[int] = mapped_column(Integer)  # 1 for the first reminder of this partner in this campaign
    destinataire: Mapped[str] = mapped_column(String(300))
    echeance: Mapped[dt.date] = mapped_column(Date)
    preparee_le: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    fichier: Mapped[str] = mapped_column(String(500))
    envoyee_le: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
