"""`cdv quarantaine`: list what was refused and why, take a file again, or remove it."""

from __future__ import annotations

from pathlib import Path

import click

from workflow.cli.base import app, console, opened, racine_option
from workflow.cli.revue import auteur_option
from workflow.render.typographie import nombre


@app.group()
def quarantaine() -> None:
    """Fichiers mis en quarantaine : les lister, les reprendre, les supprimer."""


@quarantaine.command("liste")
@racine_option
@click.pass_context
def quarantaine_liste(ctx: click.Context, racine: Path | None) -> None:
    """Lister les fichiers en quarantaine, du plus récent au plus ancien, avec leur motif.

    Exemple : cdv quarantaine liste
    """
    from rich.table import Table

    from workflow.fr import datetime_fr
    from workflow.intake.quarantine import entries

    with opened(ctx, racine) as (ws, registry):
        found = entries(ws, registry)
    if not found:
        console.print("La quarantaine est vide.")
        return
    table = Table("Fichier", "Reçu le", "Motif", title=f"Quarantaine : {nombre(len(found), 'fichier', 'fichiers')}")
    for entry in found:
        table.add_row(entry.path.name, datetime_fr(entry.recu_le) if entry.recu_le else "?", entry.motif)
    console.print(table)


@quarantaine.command("reprendre")
@click.argument("fichier", required=False, metavar="FICHIER")
@click.option("--tout", is_flag=True, help="Reprendre tous les fichiers de la quarantaine.")
@auteur_option
@racine_option
@click.pass_context
def quarantaine_reprendre(
    ctx: click.Context, fichier: str | None, tout: bool, auteur: str | None, racine: Path | None
) -> None:
    """Faire repasser un fichier (ou tous) par la chaîne : lecture, vérification, enregistrement.

    Un fichier enregistré quitte la quarantaine ; un fichier encore illisible y reste, avec son
    nouveau motif.

    Exemple : cdv quarantaine reprendre "reponse CAF.docx"    ou    cdv quarantaine reprendre --tout
    """
    from workflow.cli.base import outcome
    from workflow.intake.quarantine import entries, find, retry
    from workflow.review.users import manager

    if bool(fichier) == tout:
        raise click.UsageError("indiquer un FICHIER de la quarantaine, ou --tout")
    with opened(ctx, racine) as (ws, registry):
        paths = [e.path for e in entries(ws, registry)] if tout else [find(ws, fichier or "")]
        for path in paths:
            result = retry(ws, registry, path, manager(ws, auteur))
            console.print(outcome(result.statut, result.statut.libelle, path.name, result.detail or result.motif))
    if not paths:
        console.print("La quarantaine est vide : rien à reprendre.")


@quarantaine.command("supprimer")
@click.argument("fichier", metavar="FICHIER")
@click.option("--oui", is_flag=True, help="Ne pas demander de confirmation.")
@auteur_option
@racine_option
@click.pass_context
def quarantaine_supprimer(ctx: click.Context, fichier: str, oui: bool, auteur: str | None, racine: Path | None) -> None:
    """Retirer un fichier de la quarantaine (sa copie reste dans les archives, sous son empreinte).

    Exemple : cdv quarantaine supprimer "publicite.pdf"
    """
    from workflow.intake.quarantine import find, remove
    from workflow.review.users import manager

    with opened(ctx, racine) as (ws, registry):
        path = find(ws, fichier)
        asked = f"Supprimer « {path.name} » de la quarantaine ? (o/n)"
        if not oui and click.prompt(asked, type=click.Choice(["o", "n"]), default="n", show_choices=False) != "o":
            console.print("Rien n'a été supprimé.")
            return
        kept = remove(ws, registry, path, manager(ws, auteur))
    console.print(f"« {path.name} » retiré de la quarantaine ; copie conservée : {kept.relative_to(ws.root)}")
