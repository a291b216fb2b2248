"""Commands around steering committees: schedule, prepare, remind; the mailbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.table import Table

from workflow.cli.base import (
    app,
    console,
    day_argument,
    opened,
    racine_option,
    workspace,
)
from workflow.errors import CdvError
from workflow.render.typographie import nombre


@app.group()
def copil() -> None:
    """Dates des comités de pilotage et préparation de leurs documents."""


@copil.command("ajouter")
@click.argument("date")
@click.option("--heure", default="09:00", show_default=True, help="Heure du COPIL (HH:MM).")
@click.option("--libelle", default="", help="Intitulé (défaut : « COPIL du JJ/MM/AAAA »).")
@racine_option
@click.pass_context
def copil_ajouter(ctx: click.Context, date: str, heure: str, libelle: str, racine: Path | None) -> None:
    """Ajouter un COPIL ; la surveillance en préparera les documents à l'avance.

    Exemple : cdv copil ajouter 2025-03-14 --libelle "COPIL de printemps"
    """
    from workflow.copil import preparation

    try:
        when = dt.datetime.combine(day_argument(date), dt.datetime.strptime(heure, "%H:%M").time())
    except ValueError as e:
        raise click.BadParameter(f"heure attendue au format HH:MM, reçu « {heure} »") from e
    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        added = preparation.ajouter(session, when, libelle)
        console.print(f"COPIL ajouté : {added.libelle}, le {when:%d/%m/%Y à %H:%M}.")


@copil.command("liste")
@racine_option
@click.pass_context
def copil_liste(ctx: click.Context, racine: Path | None) -> None:
    """Lister les COPIL prévus et la date de leur dernière préparation.

    Exemple : cdv copil liste
    """
    from workflow.copil import preparation
    from workflow.fr import datetime_fr

    with opened(ctx, racine) as (_ws, registry):
        table = Table("Date", "Intitulé", "Préparé le")
        with registry.session() as session:
            for item in preparation.liste(session):
                prepared = datetime_fr(preparation.local(item.prepare_le)) if item.prepare_le else "pas encore"
                table.add_row(f"{preparation.local(item.date):%d/%m/%Y à %H:%M}", item.libelle, prepared)
    console.print(table)


@copil.command("retirer")
@click.argument("date")
@racine_option
@click.pass_context
def copil_retirer(ctx: click.Context, date: str, racine: Path | None) -> None:
    """Retirer un COPIL prévu.

    Exemple : cdv copil retirer 2025-03-14
    """
    from workflow.copil import preparation

    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        session.delete(preparation.trouver(session, day_argument(date)))
    console.print(f"COPIL du {day_argument(date):%d/%m/%Y} retiré.")


@copil.command("preparer")
@click.argument("date")
@click.option("--campagne", type=int, default=None, help="Campagne suivie (défaut : la plus récente reçue).")
@racine_option
@click.pass_context
def copil_preparer(ctx: click.Context, date: str, campagne: int | None, racine: Path | None) -> None:
    """Préparer à la main les documents d'un COPIL : annexes, état des retours, relances.

    Exemple : cdv copil preparer 2025-03-14
    """
    from workflow.copil import preparation

    with opened(ctx, racine) as (ws, registry):
        folder = preparation.preparer(ws, registry, day_argument(date), campagne)
    console.print(f"Documents du COPIL préparés dans {folder}")


@copil.command("relancer")
@click.argument("date")
@click.option("--envoyer", is_flag=True, help="Envoyer vraiment par SMTP (section [envoi]) ; sinon, lister.")
@racine_option
@click.pass_context
def copil_relancer(ctx: click.Context, date: str, envoyer: bool, racine: Path | None) -> None:
    """Lister, ou envoyer avec --envoyer, les relances préparées pour un COPIL.

    Exemple : cdv copil relancer 2025-03-14 --envoyer
    """
    from workflow.copil import envoi, preparation

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        folder = preparation.dossier(ws, preparation.trouver(session, day_argument(date)))
    drafts = envoi.a_envoyer(folder)
    if not envoyer:
        for draft in drafts:
            console.print(f"À envoyer : {draft.name}")
        console.print(
            f"{nombre(len(drafts), 'relance', 'relances')} avec destinataire ; ajouter --envoyer pour les envoyer."
        )
        return
    sent = envoi.envoyer(envoi.configuration(ws), drafts)
    console.print(
        f"{nombre(len(sent), 'relance envoyée', 'relances envoyées')} ; copies dans {folder / 'relances' / 'envoyees'}."
    )


@app.group()
def messagerie() -> None:
    """Boîte aux lettres IMAP configurée dans registry/config.toml, section [messagerie]."""


@messagerie.command("relever")
@racine_option
@click.pass_context
def messagerie_relever(ctx: click.Context, racine: Path | None) -> None:
    """Relever une fois les messages non lus et enregistrer leurs formulaires joints.

    Exemple : CDV_IMAP_MOT_DE_PASSE=… cdv messagerie relever
    """
    from workflow.registry.db import Registry
    from workflow.watch.mailbox import configuration, relever

    ws = workspace(ctx, racine)
    config = configuration(ws)
    if config is None:
        raise CdvError("Aucune section [messagerie] dans registry/config.toml (voir docs/surveillance.md).")
    registry = Registry(ws.database_url())
    try:
        releve = relever(ws, registry, config)
    finally:
        registry.close()
    console.print(
        f"{nombre(releve.traites, 'message traité', 'messages traités')}, {releve.en_echec} en échec "
        "(repris au prochain relevé)."
    )
    if releve.en_echec:
        ctx.exit(1)
