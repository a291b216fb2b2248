"""`cdv gabarits verifier`: check the Word templates staff edit before a document fails to render."""

from __future__ import annotations

from pathlib import Path

import click

from workflow.cli.base import app, console, racine_option, workspace
from workflow.render.typographie import nombre


@app.group()
def gabarits() -> None:
    """Gabarits Word de gabarits/ : les vérifier après les avoir modifiés dans Word ou LibreOffice."""


@gabarits.command("verifier")
@click.argument("fichier", required=False, type=click.Path(dir_okay=False, path_type=Path), metavar="[FICHIER]")
@racine_option
@click.pass_context
def gabarits_verifier(ctx: click.Context, fichier: Path | None, racine: Path | None) -> None:
    """Vérifier un gabarit (ou tous ceux de gabarits/) : balises Jinja, variables fournies par le
    document, balises des contrôles de contenu des formulaires. Code de sortie 1 en cas d'anomalie.

    FICHIER est un chemin, ou le nom d'un fichier de gabarits/.

    Exemple : cdv gabarits verifier charte_engagement.docx
    """
    from rich.markup import escape

    from workflow.render.verification import gabarit_files, verify_file

    ws = workspace(ctx, racine)
    paths = [_chosen(fichier, ws.gabarits)] if fichier else gabarit_files(ws.gabarits)
    faulty = 0
    findings = 0
    for path in paths:
        found = verify_file(path, ws.referentiel)
        faulty += bool(found)
        findings += len(found)
        if not found:
            console.print(f"[green]{escape(path.name)} : conforme[/green]")
        for finding in found:
            console.print(f"[red]{escape(str(finding))}[/red]")
    if findings:
        console.print(
            f"{nombre(len(paths), 'gabarit vérifié', 'gabarits vérifiés')} : "
            f"{nombre(findings, 'anomalie', 'anomalies')} dans {nombre(faulty, 'gabarit', 'gabarits')}."
        )
        ctx.exit(1)
    console.print(f"{nombre(len(paths), 'gabarit vérifié', 'gabarits vérifiés')} : aucune anomalie.")


def _chosen(fichier: Path, folder: Path) -> Path:
    """A path as given, else the file of that name in the workspace's gabarits/."""
    for path in (fichier, folder / fichier):
        if path.is_file():
            return path
    raise click.BadParameter(f"gabarit introuvable : « {fichier} » (ni ici, ni dans {folder})", param_hint="FICHIER")
