"""Long-running and whole-chain commands: the watcher, its status, the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from click.core import ParameterSource

from workflow.cli.base import (
    app,
    console,
    racine_option,
    workspace,
)


@app.command()
@click.option(
    "--delai",
    type=float,
    default=2.0,
    show_default=True,
    help="Secondes sans changement de taille ni de date avant de prendre un fichier.",
)
@click.option(
    "--rescan",
    type=float,
    default=300.0,
    show_default=True,
    help="Secondes entre deux relectures complètes de inbox/ (événements manqués).",
)
@click.option("--sondage", is_flag=True, help="Observer par sondage (partages réseau où inotify est muet).")
@click.option("--file", "queue_size", type=int, default=100, show_default=True, help="Taille de la file d'attente.")
@click.option(
    "--avance",
    type=float,
    default=7.0,
    show_default=True,
    help="Jours avant chaque COPIL où ses documents sont préparés (décimales acceptées).",
)
@racine_option
@click.pass_context
def surveiller(
    ctx: click.Context,
    delai: float,
    rescan: float,
    sondage: bool,
    queue_size: int,
    avance: float,
    racine: Path | None,
) -> None:
    """Surveiller inbox/ en continu et enregistrer chaque fichier déposé (arrêt : Ctrl+C ou SIGTERM).

    Exemple : cdv surveiller --racine /srv/cdv --sondage
    """
    from workflow.watch.daemon import Surveillance

    Surveillance(workspace(ctx, racine), delai, rescan, sondage, queue_size, dt.timedelta(days=avance)).run()


@app.command()
@racine_option
@click.pass_context
def etat(ctx: click.Context, racine: Path | None) -> None:
    """Dire si la surveillance tourne, ce qu'elle attend, ses derniers fichiers et la quarantaine.

    Exemple : cdv etat
    """
    from workflow.watch.status import show_status

    show_status(workspace(ctx, racine, referentiel=False), console)


@app.command()
@click.option(
    "--racine",
    "racine",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier de l'espace de démonstration, recréé à chaque fois (défaut : demo/).",
)
@click.pass_context
def demo(ctx: click.Context, racine: Path | None) -> None:
    """Recréer l'espace de démonstration et y faire tourner toute la chaîne.

    Exemple : cdv demo --racine demo
    """
    from workflow.demo.run import run_demo

    root = ctx.find_root()
    typed = root.params.get("racine") if root.get_parameter_source("racine") == ParameterSource.COMMANDLINE else None
    ws = run_demo(Path(racine or typed or "demo").resolve(), console.print)  # never CDV_RACINE: a real workspace
    console.print(f"Démonstration terminée : voir {ws.outbox}")
