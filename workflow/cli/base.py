"""What every `cdv` command shares: the consoles, the workspace options, the root group and `main`."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from workflow.cli import french  # noqa: F401  (French messages of click)
from workflow.errors import CdvError
from workflow.intake.ingest import Statut
from workflow.registry.db import Registry
from workflow.workspace import Workspace

console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
RACINE_HELP = "Dossier de l'espace de travail (défaut : CDV_RACINE, sinon le dépôt)."
COLOURS = {Statut.ENREGISTRE: "green", Statut.DOUBLON: "yellow", Statut.QUARANTAINE: "red"}


def sortie_option(help_text: str, required: bool = False):
    return click.option(
        "-o", "--sortie", "output", type=click.Path(dir_okay=False, path_type=Path), required=required, help=help_text
    )


def racine_option(command):
    """Let every command take --racine too, after its name."""
    return click.option(
        "--racine",
        "racine",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=RACINE_HELP,
        metavar="DOSSIER",
    )(command)


@contextmanager
def opened(ctx: click.Context, racine: Path | None) -> Iterator[tuple[Workspace, Registry]]:
    """The checked workspace and its registry, closed afterwards."""
    ws = workspace(ctx, racine)
    registry = Registry(ws.database_url())
    try:
        yield ws, registry
    finally:
        registry.close()


def workspace(ctx: click.Context, racine: Path | None, check: bool = True) -> Workspace:
    chosen = racine or ctx.find_root().params.get("racine")
    ws = Workspace.resolve(chosen)
    if check:
        ws.check()
        _ = ws.referentiel  # loaded and validated at start
    return ws


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[OPTIONS]",
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.option(
    "--racine",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CDV_RACINE",
    help=RACINE_HELP,
    metavar="DOSSIER",
)
def app(racine: Path | None) -> None:
    """Chaîne documentaire du contrat de ville « Cœur de Quartier » (CU d'Arras)."""


def day_argument(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(f"date attendue au format 2025-03-14 ou 14/03/2025, reçu « {value} »")


def main() -> None:
    try:
        app(prog_name="cdv")
    except (CdvError, FileExistsError) as e:
        err.print(f"Erreur : {e}")
        sys.exit(2)
