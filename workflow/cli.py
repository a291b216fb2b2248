"""The `cdv` command: a thin click shell over the library; it parses arguments and prints, in French."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from workflow import cli_fr  # noqa: F401  (French messages of click)
from workflow.errors import CdvError
from workflow.fr import datetime_fr
from workflow.intake import Arrivee, Resultat, Statut, ingest
from workflow.registry.db import Registry
from workflow.workspace import Workspace, init_workspace

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


@app.group()
def formulaire() -> None:
    """Générer les formulaires à envoyer aux partenaires."""


@app.group()
def registre() -> None:
    """Consulter et exporter le registre."""


@app.group()
def generer() -> None:
    """Générer les documents du contrat dans outbox/."""


@generer.command("chartes")
@racine_option
@click.pass_context
def generer_chartes_cmd(ctx: click.Context, racine: Path | None) -> None:
    """Générer une charte d'engagement par association (outbox/chartes/) et l'annexe qui les réunit.

    Exemple : cdv generer chartes
    """
    from workflow.render.chartes import generer_chartes

    with opened(ctx, racine) as (ws, registry):
        written, annex = generer_chartes(ws, registry)
    console.print(f"{len(written)} charte(s) écrite(s) dans {ws.outbox / 'chartes'} ; annexe : {annex}")


@generer.command("annexe-objectifs")
@sortie_option("Fichier .docx (défaut : outbox/).")
@racine_option
@click.pass_context
def generer_annexe_objectifs_cmd(ctx: click.Context, output: Path | None, racine: Path | None) -> None:
    """Générer l'annexe des objectifs opérationnels et de qui les a déclarés (objectifs non couverts en évidence).

    Exemple : cdv generer annexe-objectifs
    """
    from workflow.render.objectifs import generer_annexe_objectifs

    with opened(ctx, racine) as (ws, registry):
        path = generer_annexe_objectifs(ws, registry, output)
    console.print(f"Annexe écrite : {path}")


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
    from workflow.programmation import importer

    with opened(ctx, racine) as (ws, registry):
        done = importer(registry, ws.referentiel, fichier, annee)
    console.print(
        f"Programmation {annee} : {done.importees} action(s) importée(s), {len(done.rejets)} ligne(s) rejetée(s)."
    )
    for rejet in done.rejets:
        console.print(f"  ligne {rejet.ligne} : {rejet.motif}")
    if done.ignorees:
        console.print("Colonnes non utilisées : " + ", ".join(done.ignorees))


@app.group()
def instances() -> None:
    """Réunions des instances de gouvernance (COPIL, comité des financeurs, MOUS, tiers-lieu…)."""


@instances.command("ajouter")
@click.argument("instance")
@click.argument("date")
@click.option("--participants", type=int, default=None, help="Nombre de participants.")
@click.option("--institutions", default="", help="Institutions représentées, séparées par des virgules.")
@racine_option
@click.pass_context
def instances_ajouter(
    ctx: click.Context, instance: str, date: str, participants: int | None, institutions: str, racine: Path | None
) -> None:
    """Enregistrer une réunion tenue (la même instance le même jour est mise à jour).

    Exemple : cdv instances ajouter copil 14/03/2025 --participants 32 --institutions "État, CUA, CAF"
    """
    from workflow.gouvernance import enregistrer

    names = [x.strip() for x in institutions.split(",") if x.strip()]
    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        meeting = enregistrer(session, ws.referentiel, instance, _day(date), participants, names)
        console.print(f"Réunion enregistrée : {meeting.instance} le {meeting.date:%d/%m/%Y}.")


@instances.command("liste")
@click.option("--annee", type=int, default=None, help="Seulement cette année.")
@racine_option
@click.pass_context
def instances_liste(ctx: click.Context, annee: int | None, racine: Path | None) -> None:
    """Lister les réunions tenues.

    Exemple : cdv instances liste --annee 2025
    """
    from workflow.gouvernance import reunions

    table = Table("Date", "Instance", "Participants", "Institutions représentées")
    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        for m in reunions(session, annee):
            table.add_row(f"{m.date:%d/%m/%Y}", m.instance, str(m.participants or ""), ", ".join(m.institutions))
    console.print(table)


@instances.command("importer")
@click.argument("fichier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@racine_option
@click.pass_context
def instances_importer(ctx: click.Context, fichier: Path, racine: Path | None) -> None:
    """Importer des réunions depuis un .xlsx ou un .csv (instance, date, participants, institutions).

    Exemple : cdv instances importer reunions_2025.xlsx
    """
    from workflow.gouvernance import importer

    with opened(ctx, racine) as (ws, registry):
        done = importer(registry, ws.referentiel, fichier)
    console.print(f"{done.importees} réunion(s) enregistrée(s), {len(done.rejets)} ligne(s) rejetée(s).")
    for rejet in done.rejets:
        console.print(f"  ligne {rejet.ligne} : {rejet.motif}")


@app.group()
def copil() -> None:
    """Dates des comités de pilotage et préparation de leurs documents."""


def _day(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(f"date attendue au format 2025-03-14 ou 14/03/2025, reçu « {value} »")


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
    from workflow import copil as copils

    try:
        when = dt.datetime.combine(_day(date), dt.datetime.strptime(heure, "%H:%M").time())
    except ValueError as e:
        raise click.BadParameter(f"heure attendue au format HH:MM, reçu « {heure} »") from e
    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        added = copils.ajouter(session, when, libelle)
        console.print(f"COPIL ajouté : {added.libelle}, le {when:%d/%m/%Y à %H:%M}.")


@copil.command("liste")
@racine_option
@click.pass_context
def copil_liste(ctx: click.Context, racine: Path | None) -> None:
    """Lister les COPIL prévus et la date de leur dernière préparation.

    Exemple : cdv copil liste
    """
    from workflow import copil as copils
    from workflow.fr import datetime_fr

    with opened(ctx, racine) as (_ws, registry):
        table = Table("Date", "Intitulé", "Préparé le")
        with registry.session() as session:
            for item in copils.liste(session):
                prepared = datetime_fr(copils.local(item.prepare_le)) if item.prepare_le else "pas encore"
                table.add_row(f"{copils.local(item.date):%d/%m/%Y à %H:%M}", item.libelle, prepared)
    console.print(table)


@copil.command("retirer")
@click.argument("date")
@racine_option
@click.pass_context
def copil_retirer(ctx: click.Context, date: str, racine: Path | None) -> None:
    """Retirer un COPIL prévu.

    Exemple : cdv copil retirer 2025-03-14
    """
    from workflow import copil as copils

    with opened(ctx, racine) as (_ws, registry), registry.session() as session:
        session.delete(copils.trouver(session, _day(date)))
    console.print(f"COPIL du {_day(date):%d/%m/%Y} retiré.")


@copil.command("preparer")
@click.argument("date")
@click.option("--campagne", type=int, default=None, help="Campagne suivie (défaut : la plus récente reçue).")
@racine_option
@click.pass_context
def copil_preparer(ctx: click.Context, date: str, campagne: int | None, racine: Path | None) -> None:
    """Préparer à la main les documents d'un COPIL : annexes, état des retours, relances.

    Exemple : cdv copil preparer 2025-03-14
    """
    from workflow import copil as copils

    with opened(ctx, racine) as (ws, registry):
        folder = copils.preparer(ws, registry, _day(date), campagne)
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
    from workflow import copil as copils
    from workflow import envoi

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        folder = copils.dossier(ws, copils.trouver(session, _day(date)))
    drafts = envoi.a_envoyer(folder)
    if not envoyer:
        for draft in drafts:
            console.print(f"À envoyer : {draft.name}")
        console.print(f"{len(drafts)} relance(s) avec destinataire ; ajouter --envoyer pour les envoyer.")
        return
    sent = envoi.envoyer(envoi.configuration(ws), drafts)
    console.print(f"{len(sent)} relance(s) envoyée(s) ; copies dans {folder / 'relances' / 'envoyees'}.")


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
    from workflow.mailbox import configuration, relever

    ws = workspace(ctx, racine)
    config = configuration(ws)
    if config is None:
        raise CdvError("Aucune section [messagerie] dans registry/config.toml (voir docs/surveillance.md).")
    registry = Registry(ws.database_url())
    try:
        releve = relever(ws, registry, config)
    finally:
        registry.close()
    console.print(f"{releve.traites} message(s) traité(s), {releve.en_echec} en échec (repris au prochain relevé).")
    if releve.en_echec:
        ctx.exit(1)


@app.group()
def referentiel() -> None:
    """Vérifier le référentiel (objectifs, quartiers, signataires)."""


@app.command()
@racine_option
@click.pass_context
def init(ctx: click.Context, racine: Path | None) -> None:
    """Créer un espace de travail avec les gabarits et le référentiel par défaut.

    Exemple : cdv --racine /srv/cdv init
    """
    ws = init_workspace(workspace(ctx, racine, check=False).root)
    Registry(ws.database_url()).close()
    console.print(f"Espace de travail prêt : {ws.root}")


@formulaire.command("questionnaire")
@click.option("--organisme", required=True, help="Nom du signataire, imprimé sur le formulaire.")
@click.option("--campagne", type=int, default=2024, show_default=True, help="Année de la campagne.")
@sortie_option("Fichier .docx à écrire.", required=True)
@racine_option
@click.pass_context
def formulaire_questionnaire(
    ctx: click.Context, organisme: str, campagne: int, output: Path, racine: Path | None
) -> None:
    """Générer le questionnaire d'engagement vierge d'un signataire.

    Exemple : cdv formulaire questionnaire --organisme "CAF du Pas-de-Calais" -o caf.docx
    """
    from workflow.render.formulaire import generer_formulaire_questionnaire

    path = generer_formulaire_questionnaire(workspace(ctx, racine), organisme, campagne, output)
    console.print(f"Formulaire écrit : {path}")


@formulaire.command("association")
@click.option("--association", required=True, help="Nom de l'association, imprimé sur la fiche.")
@sortie_option("Fichier .docx à écrire.", required=True)
@racine_option
@click.pass_context
def formulaire_association(ctx: click.Context, association: str, output: Path, racine: Path | None) -> None:
    """Générer la fiche association vierge (identification, actions, engagements) d'une association.

    Exemple : cdv formulaire association --association "Centre social Léo Lagrange" -o leo.docx
    """
    from workflow.render.formulaire import generer_formulaire_association

    path = generer_formulaire_association(workspace(ctx, racine), association, output)
    console.print(f"Fiche écrite : {path}")


@app.command()
@click.argument("fichiers", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@racine_option
@click.pass_context
def ingerer(ctx: click.Context, fichiers: tuple[Path, ...], racine: Path | None) -> None:
    """Reconnaître, lire, valider et enregistrer des fichiers reçus (une ligne par fichier).

    Les fichiers pris dans inbox/ en sont retirés une fois enregistrés ou mis en quarantaine ;
    les autres restent en place. Exemple : cdv ingerer inbox/reponse_caf.docx
    """
    with opened(ctx, racine) as (ws, registry):
        results: list[Resultat] = []
        for path in fichiers:
            full = path.resolve()
            inside = full.is_relative_to(ws.inbox) and not full.is_relative_to(ws.quarantine)
            results.append(ingest(ws, registry, Arrivee(path, "dossier" if inside else "commande", deplacer=inside)))
            result = results[-1]
            colour = COLOURS[result.statut]
            line = f"{result.statut.libelle:11}[/{colour}] {path.name} — {result.detail or result.motif}"
            console.print(f"[{colour}]{line}")
    counts = Counter(r.statut.libelle for r in results)
    console.print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    if any(r.erreur_interne for r in results):
        ctx.exit(1)


@registre.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True)
@sortie_option("Fichier à écrire (défaut : sortie standard en json, outbox/ sinon).")
@click.option("--historique", is_flag=True, help="Inclure les versions antérieures.")
@click.option("--provenance", is_flag=True, help="Indiquer d'où vient chaque valeur.")
@racine_option
@click.pass_context
def registre_export(
    ctx: click.Context, fmt: str, output: Path | None, historique: bool, provenance: bool, racine: Path | None
) -> None:
    """Exporter le registre : réponses courantes par organisme et campagne, fichiers reçus.

    Exemple : cdv registre export --format xlsx -o registre.xlsx
    """
    from workflow.registry.export import export_data, write_export

    with opened(ctx, racine) as (ws, registry), registry.session() as session:
        data = export_data(session, historique, provenance)
    if output is None and fmt == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    console.print(f"Export écrit : {write_export(data, fmt, output or ws.outbox / f'registre.{fmt}')}")


@registre.command("soumissions")
@racine_option
@click.pass_context
def registre_soumissions(ctx: click.Context, racine: Path | None) -> None:
    """Lister les fichiers reçus et ce qu'ils sont devenus.

    Exemple : cdv registre soumissions
    """
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


@generer.command("annexe-engagements")
@sortie_option("Fichier .docx (défaut : outbox/).")
@click.option("--pdf", is_flag=True, help="Produire aussi le PDF (LibreOffice).")
@racine_option
@click.pass_context
def generer_annexe(ctx: click.Context, output: Path | None, pdf: bool, racine: Path | None) -> None:
    """Générer l'annexe « Engagements des signataires » (dernière campagne de chacun).

    Exemple : cdv generer annexe-engagements --pdf
    """
    from workflow.render.annexe import generer_annexe_engagements

    with opened(ctx, racine) as (ws, registry):
        path = generer_annexe_engagements(ws, registry, output)
    console.print(f"Annexe écrite : {path}")
    if pdf:
        from workflow.convert import convert

        console.print(f"PDF écrit : {convert(path, 'pdf', path.parent)}")


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

    show_status(workspace(ctx, racine), console)


@app.command()
@click.option(
    "--racine",
    "racine",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo"),
    show_default=True,
    help="Dossier de l'espace de démonstration (recréé à chaque fois).",
)
def demo(racine: Path) -> None:
    """Recréer l'espace de démonstration et y faire tourner toute la chaîne.

    Exemple : cdv demo --racine demo
    """
    from workflow.demo.run import run_demo

    ws = run_demo(racine.resolve(), console.print)
    console.print(f"Démonstration terminée : voir {ws.outbox}")


def main() -> None:
    try:
        app(prog_name="cdv")
    except (CdvError, FileExistsError) as e:
        err.print(f"Erreur : {e}")
        sys.exit(2)
