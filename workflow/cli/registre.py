"""Commands on the workspace and the registry: init, ingest, export, reference data."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from workflow.cli.base import (
    app,
    console,
    opened,
    outcome,
    racine_option,
    sortie_option,
    workspace,
)
from workflow.workspace import init_workspace

if TYPE_CHECKING:
    from workflow.intake.ingest import Resultat


@app.group()
def registre() -> None:
    """Consulter et exporter le registre."""


@app.group()
def referentiel() -> None:
    """Vérifier le référentiel (objectifs, quartiers, signataires)."""


@app.command()
@racine_option
@click.pass_context
def init(ctx: click.Context, racine: Path | None) -> None:
    """Créer un espace de travail (le dossier courant, ou --racine) avec les gabarits et le référentiel par défaut.

    Exemple : cdv --racine /srv/cdv init
    """
    from workflow.registry.db import Registry

    ws = init_workspace(racine or ctx.find_root().params.get("racine") or Path.cwd())
    Registry(ws.database_url()).close()
    console.print(f"Espace de travail prêt : {ws.root}")


@app.command()
@click.argument("fichiers", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@racine_option
@click.pass_context
def ingerer(ctx: click.Context, fichiers: tuple[Path, ...], racine: Path | None) -> None:
    """Reconnaître, lire, valider et enregistrer des fichiers reçus (une ligne par fichier).

    Les fichiers pris dans inbox/ en sont retirés une fois enregistrés ou mis en quarantaine ;
    les autres restent en place. Exemple : cdv ingerer inbox/reponse_caf.docx
    """
    from workflow.intake import batch, sandbox
    from workflow.intake.types import Arrivee, Source

    sandbox.start(len(fichiers))  # the readers load while this process goes on
    ws = workspace(ctx, racine)
    arrivees = []
    for path in fichiers:
        full = path.parent.resolve() / path.name  # a link in the inbox is judged where it lies
        inside = full.is_relative_to(ws.inbox) and not full.is_relative_to(ws.quarantine)
        arrivees.append(Arrivee(path, Source.DOSSIER if inside else Source.COMMANDE, deplacer=inside))
    results: list[Resultat] = []
    # the files are read while the recording side is imported and the registry opened
    with batch.Lectures(arrivees, ws.referentiel) as lectures, opened(ctx, racine, ws) as (ws, registry):
        for arrivee, result in zip(arrivees, batch.record_all(ws, registry, lectures), strict=True):
            results.append(result)
            what = result.detail or result.motif
            console.print(outcome(result.statut, result.statut.libelle, arrivee.path.name, what))
    counts = Counter(r.statut.libelle for r in results)
    console.print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    if any(r.erreur_interne for r in results):
        ctx.exit(1)


@registre.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True)
@sortie_option("Fichier à écrire (défaut : sortie standard en json, outbox/ sinon).")
@click.option("--historique", is_flag=True, help="Inclure les versions antérieures.")
@click.option("--provenance", is_flag=True, help="Indiquer d'où vient chaque valeur.")
@click.option(
    "--table",
    help="En csv : la table à écrire (questionnaires par défaut, associations, actions, cofinancements, "
    "programmation…) ; un fichier .zip reçoit toutes les tables.",
)
@click.option("--colonnes", help="Colonnes à garder, séparées par des virgules (nom ou intitulé français).")
@racine_option
@click.pass_context
def registre_export(
    ctx: click.Context,
    fmt: str,
    output: Path | None,
    historique: bool,
    provenance: bool,
    table: str | None,
    colonnes: str | None,
    racine: Path | None,
) -> None:
    """Exporter le registre : réponses courantes par organisme et campagne, fichiers reçus.

    Exemple : cdv registre export --format csv --table associations -o associations.csv
    """
    from workflow.registry.export import export_data, write_export

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        data = export_data(session, historique, provenance)
    if output is None and fmt == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    chosen = [c.strip() for c in (colonnes or "").split(",") if c.strip()]
    path = write_export(data, fmt, output or ws.outbox / f"registre.{fmt}", ws.referentiel, table, chosen)
    console.print(f"Export écrit : {path}")


@registre.command("soumissions")
@racine_option
@click.pass_context
def registre_soumissions(ctx: click.Context, racine: Path | None) -> None:
    """Lister les fichiers reçus et ce qu'ils sont devenus.

    Exemple : cdv registre soumissions
    """
    from workflow.fr import datetime_fr
    from workflow.registry.queries import soumissions

    with opened(ctx, racine) as (_ws, registry):
        table = Table("Reçu le", "Fichier", "Statut", "Type", "Motif")
        with registry.session() as session:
            for s in soumissions(session):
                table.add_row(
                    datetime_fr(s.recu_le.astimezone()),
                    s.fichier,
                    s.statut,
                    s.type_formulaire or s.type_fichier,
                    s.motif,
                )
    console.print(table)


@referentiel.command("verifier")
@racine_option
@click.pass_context
def referentiel_verifier(ctx: click.Context, racine: Path | None) -> None:
    """Charger et vérifier le référentiel, puis en afficher les comptes.

    Exemple : cdv referentiel verifier
    """
    ref = workspace(ctx, racine).referentiel
    table = Table("Ambition", "Objectifs stratégiques", "Objectifs opérationnels")
    for ambition in ref.ambitions:
        table.add_row(
            ambition.libelle,
            str(len(ambition.objectifs_strategiques)),
            str(sum(len(o.objectifs_operationnels) for o in ambition.objectifs_strategiques)),
        )
    console.print(table)
    console.print(
        f"{len(ref.quartiers.quartiers)} quartiers, {len(ref.signataires.signataires)} signataires, "
        f"{len(ref.gouvernance.instances)} instances de gouvernance : référentiel valide."
    )
