"""Commands feeding the evaluation: programmation, governance meetings, observations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from workflow.cli.base import (
    app,
    console,
    day_argument,
    opened,
    racine_option,
)
from workflow.render.typographie import nombre

if TYPE_CHECKING:
    from workflow.suivi.tableur import Rejet


def report(count: int, what: tuple[str, str], rejets: Sequence[Rejet]) -> None:
    """Say what a spreadsheet import kept and which rows it refused, by their number."""
    console.print(f"{nombre(count, *what)}, {nombre(len(rejets), 'ligne rejetée', 'lignes rejetées')}.")
    for rejet in rejets:
        console.print(f"  ligne {rejet.ligne} : {rejet.motif}")


@app.group()
def programmation() -> None:
    """Programmation annuelle des actions financées (tableur du portail des subventions ou saisi)."""


@programmation.command("importer")
@click.argument("fichier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--annee", type=int, required=True, help="Année de la programmation (remplace celle déjà importée).")
@racine_option
@click.pass_context
def programmation_importer(ctx: click.Context, fichier: Path, annee: int, racine: Path | None) -> None:
    """Importer la programmation d'une année depuis un .xlsx ou un .csv ; les lignes fautives sont signalées.

    Exemple : cdv programmation importer programmation_2025.xlsx --annee 2025
    """
    from workflow.suivi.programmation import importer

    with opened(ctx, racine) as (ws, registry):
        done = importer(registry, ws.referentiel, fichier, annee)
    report(done.importees, (f"action importée pour {annee}", f"actions importées pour {annee}"), done.rejets)
    if done.ignorees:
        console.print("Colonnes non utilisées : " + ", ".join(done.ignorees))


@app.group()
def instances() -> None:
    """Réunions des instances de gouvernance (COPIL, comité des financeurs, MOUS, tiers-lieu…)."""


@instances.command("ajouter")
@click.argument("instance")
@click.argument("date")
@click.option("--participants", type=int, default=None, help="Nombre de participants.")
@click.option("--habitants", type=int, default=None, help="Dont habitants (participation citoyenne).")
@click.option("--institutions", default="", help="Institutions représentées, séparées par des virgules.")
@racine_option
@click.pass_context
def instances_ajouter(
    ctx: click.Context,
    instance: str,
    date: str,
    participants: int | None,
    habitants: int | None,
    institutions: str,
    racine: Path | None,
) -> None:
    """Enregistrer une réunion tenue (la même instance le même jour est mise à jour).

    Exemple : cdv instances ajouter copil 14/03/2025 --participants 32 --institutions "État, CUA, CAF"
    """
    from workflow.suivi import gouvernance

    presence = gouvernance.Presence(participants, habitants, gouvernance.institutions(institutions))
    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        meeting = gouvernance.enregistrer(session, ws.referentiel, instance, day_argument(date), presence)
        console.print(f"Réunion enregistrée : {meeting.instance} le {meeting.date:%d/%m/%Y}.")


@instances.command("liste")
@click.option("--annee", type=int, default=None, help="Seulement cette année.")
@racine_option
@click.pass_context
def instances_liste(ctx: click.Context, annee: int | None, racine: Path | None) -> None:
    """Lister les réunions tenues.

    Exemple : cdv instances liste --annee 2025
    """
    from workflow.suivi.gouvernance import reunions

    table = Table("Date", "Instance", "Participants", "Habitants", "Institutions représentées")
    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        for m in reunions(session, annee):
            table.add_row(
                f"{m.date:%d/%m/%Y}",
                m.instance,
                str(m.participants or ""),
                str(m.habitants or ""),
                ", ".join(m.institutions),
            )
    console.print(table)


@instances.command("importer")
@click.argument("fichier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@racine_option
@click.pass_context
def instances_importer(ctx: click.Context, fichier: Path, racine: Path | None) -> None:
    """Importer des réunions depuis un .xlsx ou un .csv (instance, date, participants, institutions).

    Exemple : cdv instances importer reunions_2025.xlsx
    """
    from workflow.suivi.gouvernance import importer

    with opened(ctx, racine) as (ws, registry):
        done = importer(registry, ws.referentiel, fichier)
    report(done.importees, ("réunion enregistrée", "réunions enregistrées"), done.rejets)


@app.group()
def observations() -> None:
    """Indicateurs des quartiers (portraits du contrat, valeurs plus récentes importées)."""


@observations.command("importer")
@click.argument("fichier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@racine_option
@click.pass_context
def observations_importer(ctx: click.Context, fichier: Path, racine: Path | None) -> None:
    """Importer des valeurs d'indicateurs (territoire, indicateur, année, valeur, source) d'un .csv ou .xlsx.

    Exemple : cdv observations importer insee_2021.csv
    """
    from workflow.suivi.observations import importer

    with opened(ctx, racine) as (ws, registry):
        done = importer(registry, ws.referentiel, fichier)
    report(done.importees, ("valeur enregistrée", "valeurs enregistrées"), done.rejets)


@observations.command("liste")
@click.option("--territoire", default=None, help="Seulement ce quartier ou territoire.")
@racine_option
@click.pass_context
def observations_liste(ctx: click.Context, territoire: str | None, racine: Path | None) -> None:
    """Lister les valeurs connues, avec leur source.

    Exemple : cdv observations liste --territoire "Quatre As"
    """
    from workflow.evaluation.tableaux import nombre_fr
    from workflow.suivi.observations import series
    from workflow.suivi.observations import territoire as find

    table = Table("Territoire", "Indicateur", "Année", "Valeur", "Source")
    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        ref = ws.referentiel
        chosen = find(ref, territoire) if territoire else None
        for (place, indicateur), points in sorted(series(session, ref).items()):
            if chosen in (None, place):
                for point in points:
                    table.add_row(place, indicateur, str(point.annee), nombre_fr(point.valeur), point.source)
    console.print(table)
