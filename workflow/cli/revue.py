"""`cdv revue`, `cdv journal`, `cdv utilisateurs`: review what was read, correct it once, validate it."""

from __future__ import annotations

from pathlib import Path

import click

from workflow.cli.base import app, console, day_argument, opened, racine_option
from workflow.render.typographie import nombre

AUTEUR_HELP = "Identifiant de la personne qui agit (défaut : CDV_AUTEUR, ou [revue] auteur de config.toml)."
STATUTS = ("a_verifier", "validee", "a_corriger", "toutes")


def auteur_option(command):
    return click.option("--auteur", default=None, metavar="IDENTIFIANT", help=AUTEUR_HELP)(command)


def motif_option(required: bool):
    return click.option("--motif", default="", required=required, metavar="TEXTE", help="Pourquoi (gardé au journal).")


@app.group()
def revue() -> None:
    """Vérifier ce qui a été lu, le corriger une fois, le valider avant qu'il n'entre dans un document."""


@revue.command("liste")
@click.option("--statut", type=click.Choice(STATUTS), default="a_verifier", show_default=True, help="Statut de revue.")
@click.option("--code", default=None, metavar="ALERTE", help="Seulement les soumissions ayant cette alerte ouverte.")
@click.option("--organisme", default=None, metavar="TEXTE", help="Nom de l'organisme (ou une partie).")
@click.option("--campagne", type=int, default=None, metavar="ANNÉE", help="Campagne des questionnaires.")
@racine_option
@click.pass_context
def revue_liste(
    ctx: click.Context, statut: str, code: str | None, organisme: str | None, campagne: int | None, racine: Path | None
) -> None:
    """Lister ce qui attend une personne, le plus urgent d'abord (alertes bloquantes, puis les lectures les
    moins sûres : valeurs déduites d'un texte libre, puis les autres alertes).

    Exemple : cdv revue liste --code courriel_invalide
    """
    from rich.table import Table

    from workflow.fr import date_fr
    from workflow.review.queue import kind_label, queue
    from workflow.review.status import StatutRevue

    chosen = None if statut == "toutes" else StatutRevue(statut)
    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        lines = queue(session, chosen, code, organisme, campagne)
        table = Table(
            "N°", "Organisme", "Formulaire", "Reçu le", "Statut", "Bloquantes", "Valeurs déduites", "Ouvertes", "Codes"
        )
        for line in lines:
            d = line.dossier
            table.add_row(
                str(d.soumission.id),
                d.organisme,
                f"{kind_label(d)} {line.campagne or ''}".strip(),
                date_fr(line.recu_le),
                d.statut.libelle,
                str(len(line.bloquantes)),
                str(line.deduites),
                str(len(line.ouvertes)),
                ", ".join(sorted({a.code for a in line.ouvertes})),
            )
    if not lines:
        console.print("Rien à vérifier avec ces critères.")
        return
    console.print(table)
    console.print(f"{nombre(len(lines), 'soumission', 'soumissions')}. Détail : cdv revue voir N°")


@revue.command("voir")
@click.argument("soumission", type=int, metavar="N°")
@racine_option
@click.pass_context
def revue_voir(ctx: click.Context, soumission: int, racine: Path | None) -> None:
    """Montrer chaque valeur lue avec sa provenance, les alertes, corrections et notes d'une soumission.

    Exemple : cdv revue voir 12
    """
    from workflow.cli.revue_view import show

    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        show(session, soumission, console)


@revue.command("corriger")
@click.argument("soumission", type=int, metavar="N°")
@click.argument("champ", metavar="CHAMP")
@click.argument("valeur", metavar="VALEUR")
@motif_option(required=True)
@auteur_option
@racine_option
@click.pass_context
def revue_corriger(
    ctx: click.Context, soumission: int, champ: str, valeur: str, motif: str, auteur: str | None, racine: Path | None
) -> None:
    """Corriger une valeur lue (la valeur lue et sa provenance restent) ; les alertes du champ sont closes.

    Exemple : cdv revue corriger 12 referent_courriel nadia.leroy@pdc-habitat.fr --motif "appel du 03/03"
    """
    from workflow.review.actions import correct

    with acting(ctx, racine, auteur, soumission) as (ws, session, dossier, who):
        row = correct(session, ws.referentiel, dossier, champ, valeur, motif, who)
    console.print(f"Corrigé : {champ} = « {row.valeur} » (valeur lue : « {row.valeur_lue} »), par {who}.")


@revue.command("accepter")
@click.argument("soumission", type=int, metavar="N°")
@click.argument("code", metavar="ALERTE")
@click.option(
    "--champ", default=None, metavar="CHAMP", help="Le champ de l'alerte, quand le code revient plusieurs fois."
)
@click.option("--sans-objet", is_flag=True, help="L'alerte n'a plus lieu d'être (plutôt que : la valeur est juste).")
@motif_option(required=True)
@auteur_option
@racine_option
@click.pass_context
def revue_accepter(
    ctx: click.Context,
    soumission: int,
    code: str,
    champ: str | None,
    sans_objet: bool,
    motif: str,
    auteur: str | None,
    racine: Path | None,
) -> None:
    """Accepter une alerte : la valeur est juste telle qu'elle a été lue (ou l'alerte est sans objet).

    Exemple : cdv revue accepter 12 objectif_libelle_different --motif "libellé voulu par le partenaire"
    """
    from workflow.review.actions import accept
    from workflow.review.status import Decision

    decision = Decision.SANS_OBJET if sans_objet else Decision.ACCEPTEE
    with acting(ctx, racine, auteur, soumission) as (_ws, session, dossier, who):
        accept(session, dossier, code, motif, who, champ, decision)
    console.print(f"Alerte « {code} » : {decision.libelle} ({who}).")


@revue.command("valider")
@click.argument("soumission", type=int, metavar="N°")
@auteur_option
@racine_option
@click.pass_context
def revue_valider(ctx: click.Context, soumission: int, auteur: str | None, racine: Path | None) -> None:
    """Valider une soumission : ses valeurs (corrigées) entrent dans les documents du contrat.

    Exemple : cdv revue valider 12
    """
    from workflow.review.actions import validate

    with acting(ctx, racine, auteur, soumission) as (_ws, session, dossier, who):
        validate(session, dossier, who)
        name = dossier.organisme
    console.print(f"Soumission n° {soumission} ({name}) validée par {who}.")


@revue.command("renvoyer")
@click.argument("soumission", type=int, metavar="N°")
@click.option(
    "--motif", "--message", "motif", required=True, metavar="TEXTE", help="Ce que le partenaire doit corriger."
)
@click.option("--pdf", is_flag=True, help="Écrire aussi son PDF (LibreOffice), chaque commentaire en note PDF.")
@auteur_option
@racine_option
@click.pass_context
def revue_renvoyer(
    ctx: click.Context, soumission: int, motif: str, pdf: bool, auteur: str | None, racine: Path | None
) -> None:
    """Demander au partenaire de corriger sa réponse (statut « à corriger ») : son formulaire est régénéré
    de ses réponses, les champs signalés surlignés et commentés, avec un projet de courriel ; les
    documents gardent sa dernière version validée.

    Exemple : cdv revue renvoyer 12 --motif "objectifs à préciser" --pdf
    """
    from workflow.campagne.renvoi import renvoyer
    from workflow.libreoffice import convert

    with acting(ctx, racine, auteur, soumission) as (ws, session, dossier, who):
        done = renvoyer(ws, session, dossier, motif, who)
    console.print(f"Soumission n° {soumission} renvoyée au partenaire pour correction.")
    console.print(
        f"Formulaire à corriger : {done.formulaire} ({nombre(len(done.signales), 'champ signalé', 'champs signalés')})"
    )
    if pdf:
        console.print(
            f"PDF, commentaires en notes : {convert(done.formulaire, 'pdf-commentaires', done.formulaire.parent)}"
        )
    console.print(f"Projet de courriel : {done.courriel}")
    if not done.adresse.courriel:
        console.print(f"Sans adresse valide : {done.adresse.motif}", markup=False)


@revue.command("note")
@click.argument("soumission", type=int, metavar="N°")
@click.argument("texte", metavar="TEXTE")
@auteur_option
@racine_option
@click.pass_context
def revue_note(ctx: click.Context, soumission: int, texte: str, auteur: str | None, racine: Path | None) -> None:
    """Ajouter une note interne (jamais imprimée dans un document du contrat, reprise dans les exports).

    Exemple : cdv revue note 12 "Rappeler Mme Leroy pour le quartier Chanteclair"
    """
    from workflow.review.actions import add_note

    with acting(ctx, racine, auteur, soumission) as (_ws, session, dossier, who):
        add_note(session, dossier, texte, who)
    console.print("Note enregistrée.")


def acting(ctx: click.Context, racine: Path | None, auteur: str | None, soumission: int):
    """Open the registry as the acting user, on one submission, in one transaction."""
    from contextlib import contextmanager

    from workflow.review.dossier import load
    from workflow.review.users import author_name, check_author

    @contextmanager
    def _opened():
        with opened(ctx, racine) as (ws, registry), registry.session() as session:
            who = check_author(session, author_name(ws, auteur)).identifiant
            yield ws, session, load(session, soumission), who

    return _opened()


@app.command("journal")
@click.option("--depuis", default=None, metavar="DATE", help="À partir de ce jour (14/03/2025).")
@click.option("--organisme", default=None, metavar="TEXTE", help="Nom de l'organisme (ou une partie).")
@racine_option
@click.pass_context
def journal_liste(ctx: click.Context, depuis: str | None, organisme: str | None, racine: Path | None) -> None:
    """Lister les actions des personnes sur le registre : qui, quand, avant, après, pourquoi.

    Exemple : cdv journal --depuis 01/03/2025 --organisme CAF
    """
    from rich.table import Table

    from workflow.fr import datetime_fr
    from workflow.review.journal import entries
    from workflow.review.status import Action

    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        found = entries(session, day_argument(depuis) if depuis else None, organisme)
        table = Table("Le", "Par", "Action", "N°", "Organisme", "Champ", "Avant", "Après", "Motif")
        for e in found:
            table.add_row(
                datetime_fr(e.le), e.par, Action(e.action).libelle, str(e.soumission_id or ""), e.organisme,
                e.champ, e.avant, e.apres, e.motif,
            )  # fmt: skip
    console.print(table if found else "Aucune action enregistrée avec ces critères.")


@app.group()
def utilisateurs() -> None:
    """Personnes de l'équipe qui vérifient et valident (rôle « equipe ») ou consultent (« lecture »)."""


@utilisateurs.command("ajouter")
@click.argument("identifiant", metavar="IDENTIFIANT")
@click.option("--nom", required=True, metavar="TEXTE", help="Prénom et nom.")
@click.option("--role", type=click.Choice(["equipe", "lecture", "admin"]), default="equipe", show_default=True)
@auteur_option
@racine_option
@click.pass_context
def utilisateurs_ajouter(
    ctx: click.Context, identifiant: str, nom: str, role: str, auteur: str | None, racine: Path | None
) -> None:
    """Ajouter une personne.

    Exemple : cdv utilisateurs ajouter sophie.marchand --nom "Sophie Marchand"
    """
    from workflow.review import journal, users
    from workflow.review.status import Action

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        user = users.add(session, identifiant, nom, users.Role(role))
        journal.log(session, users.manager(ws, auteur), Action.UTILISATEUR, apres=f"{user.identifiant} ({user.role})")
    console.print(f"Utilisateur « {identifiant} » ajouté (rôle {role}).")


@utilisateurs.command("liste")
@racine_option
@click.pass_context
def utilisateurs_liste(ctx: click.Context, racine: Path | None) -> None:
    """Lister les personnes.

    Exemple : cdv utilisateurs liste
    """
    from rich.table import Table

    from workflow.review import users

    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        table = Table("Identifiant", "Nom", "Rôle", "Actif")
        for user in users.listing(session):
            table.add_row(user.identifiant, user.nom, user.role, "oui" if user.actif else "non")
    console.print(table)


@utilisateurs.command("desactiver")
@click.argument("identifiant", metavar="IDENTIFIANT")
@auteur_option
@racine_option
@click.pass_context
def utilisateurs_desactiver(ctx: click.Context, identifiant: str, auteur: str | None, racine: Path | None) -> None:
    """Désactiver une personne (son nom reste attaché à ce qu'elle a fait).

    Exemple : cdv utilisateurs desactiver sophie.marchand
    """
    from workflow.review import journal, users
    from workflow.review.status import Action

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        users.deactivate(session, identifiant)
        journal.log(
            session, users.manager(ws, auteur), Action.UTILISATEUR, champ=identifiant, avant="actif", apres="désactivé"
        )
    console.print(f"Utilisateur « {identifiant} » désactivé.")
