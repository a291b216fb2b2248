"""`cdv web` and `cdv utilisateurs mot-de-passe`: the staff web console and the passwords it checks."""

from __future__ import annotations

from pathlib import Path

import click

from workflow.cli.base import app, console, opened, racine_option, workspace
from workflow.cli.revue import auteur_option, utilisateurs


@app.command("web")
@click.option("--hote", default="127.0.0.1", show_default=True, help="Adresse d'écoute (127.0.0.1 derrière un proxy).")
@click.option("--port", type=int, default=8000, show_default=True, help="Port d'écoute.")
@click.option("--https", "secure", is_flag=True, help="Servie en HTTPS par un proxy : cookies « Secure ».")
@click.option(
    "--inactivite", type=int, default=30, show_default=True, metavar="MINUTES", help="Déconnexion après inactivité."
)
@racine_option
@click.pass_context
def web(ctx: click.Context, hote: str, port: int, secure: bool, inactivite: int, racine: Path | None) -> None:
    """Lancer la console web de l'équipe (tableau de bord, revue, quarantaine, dépôt, documents).

    Exemple : cdv --racine demo web --port 8000    puis ouvrir http://127.0.0.1:8000/
    """
    import uvicorn

    from workflow.web.app import create_app

    ws = workspace(ctx, racine)
    application = create_app(ws, secure=secure, idle_minutes=inactivite)
    console.print(f"Console web de {ws.root} : http://{hote}:{port}/  (Ctrl+C pour arrêter)")
    uvicorn.run(application, host=hote, port=port, proxy_headers=True, server_header=False, log_level="warning")


@utilisateurs.command("role")
@click.argument("identifiant", metavar="IDENTIFIANT")
@click.argument("role", type=click.Choice(["equipe", "lecture", "admin"]), metavar="equipe|lecture|admin")
@auteur_option
@racine_option
@click.pass_context
def utilisateurs_role(ctx: click.Context, identifiant: str, role: str, auteur: str | None, racine: Path | None) -> None:
    """Changer le rôle d'une personne ; seul un « admin » gère les comptes dans la console web.

    Exemple : cdv utilisateurs role sophie.marchand admin
    """
    from workflow.review import journal, users
    from workflow.review.status import Action

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        before = users.find(session, identifiant).role
        users.set_role(session, identifiant, users.Role(role))
        journal.log(session, users.manager(ws, auteur), Action.UTILISATEUR, champ=identifiant, avant=before, apres=role)
    console.print(f"Rôle de « {identifiant} » : {role}.")


@utilisateurs.command("mot-de-passe")
@click.argument("identifiant", metavar="IDENTIFIANT")
@click.password_option("--mot-de-passe", prompt="Mot de passe", confirmation_prompt="Confirmer", help="Sinon demandé.")
@auteur_option
@racine_option
@click.pass_context
def utilisateurs_mot_de_passe(
    ctx: click.Context, identifiant: str, mot_de_passe: str, auteur: str | None, racine: Path | None
) -> None:
    """Définir le mot de passe d'une personne pour la console web (seule son empreinte argon2 est gardée).

    Exemple : cdv utilisateurs mot-de-passe sophie.marchand
    """
    from workflow.review import journal, users
    from workflow.review.status import Action
    from workflow.web.security import set_password

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        set_password(session, identifiant, mot_de_passe)
        journal.log(
            session, users.manager(ws, auteur), Action.UTILISATEUR, champ=identifiant, apres="mot de passe défini"
        )
    console.print(f"Mot de passe de « {identifiant} » enregistré.")
