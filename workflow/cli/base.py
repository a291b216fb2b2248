"""What every `cdv` command shares: the consoles, the workspace options, the root group and `main`.

Only click, rich and light workflow modules are imported here and in the command modules: the
library (pandas, SQLAlchemy, pdfplumber…) is imported inside each command, so that `cdv --help`
and `cdv etat` start at once.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from workflow.cli import french  # noqa: F401  (French messages of click)
from workflow.errors import CdvError
from workflow.workspace import Workspace

if TYPE_CHECKING:
    from workflow.registry.db import Registry

console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
RACINE_HELP = (
    "Dossier de l'espace de travail (défaut : CDV_RACINE, sinon le dossier courant ou le premier de ses parents "
    "qui en est un)."
)
COLOURS = {"enregistre": "green", "doublon": "yellow", "quarantaine": "red"}  # by Statut value


def outcome(statut_value: str, libelle: str, name: str, detail: str) -> str:
    """Return one coloured line saying what became of a file; names and reasons are never markup."""
    from rich.markup import escape

    colour = COLOURS[statut_value]
    return f"[{colour}]{libelle:11}[/{colour}] {escape(name)} — {escape(detail)}"


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
def opened(
    ctx: click.Context, racine: Path | None, ws: Workspace | None = None
) -> Iterator[tuple[Workspace, Registry]]:
    """The checked workspace (`ws` when the command has it already) and its registry, closed afterwards."""
    from workflow.registry.db import Registry

    ws = ws or workspace(ctx, racine)
    registry = Registry(ws.database_url())
    try:
        yield ws, registry
    finally:
        registry.close()


def workspace(ctx: click.Context, racine: Path | None, referentiel: bool = True) -> Workspace:
    """Return the workspace chosen by --racine, CDV_RACINE or the current folder, checked.

    The reference data is loaded and validated at start unless the command never reads it.
    """
    ws = Workspace.resolve(racine or ctx.find_root().params.get("racine"))
    ws.check()
    if referentiel:
        _ = ws.referentiel
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
        err.print(f"Erreur : {e}", markup=False)  # messages name sections: « [envoi] » is not rich markup
        sys.exit(2)
