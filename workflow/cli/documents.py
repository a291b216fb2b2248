"""Commands that write documents: blank forms and everything in outbox/."""

from __future__ import annotations

from pathlib import Path

import click

from workflow.cli.base import (
    app,
    console,
    err,
    opened,
    racine_option,
    sortie_option,
    workspace,
)


@app.group()
def formulaire() -> None:
    """Générer les formulaires à envoyer aux partenaires."""


@app.group()
def generer() -> None:
    """Générer les documents du contrat dans outbox/, à partir des réponses validées."""


def pdf_options(command):
    command = click.option("--pdfa", is_flag=True, help="PDF au format PDF/A-2b, pour l'archivage (implique --pdf).")(
        command
    )
    return click.option("--pdf", is_flag=True, help="Produire aussi le PDF de chaque document (LibreOffice).")(command)


def ecrire_pdf(documents: list[Path], pdf: bool, pdfa: bool) -> None:
    """Convert the documents just written when asked, in one LibreOffice run."""
    if pdf or pdfa:
        from workflow.render.pdf import en_pdf

        written = en_pdf(documents, pdfa)
        console.print(f"PDF écrit : {written[0]}" if len(written) == 1 else f"{len(written)} PDF écrits")


def projet_option(command):
    return click.option(
        "--projet",
        is_flag=True,
        help="Projet : prendre les dernières réponses reçues, même non vérifiées (document marqué « PROJET »).",
    )(command)


@generer.command("chartes")
@pdf_options
@projet_option
@racine_option
@click.pass_context
def generer_chartes_cmd(ctx: click.Context, pdf: bool, pdfa: bool, projet: bool, racine: Path | None) -> None:
    """Générer une charte d'engagement par association (outbox/chartes/) et l'annexe qui les réunit.

    Exemple : cdv generer chartes --pdf
    """
    from workflow.render.chartes import render_charters

    with opened(ctx, racine) as (ws, registry):
        written, annex = render_charters(ws, registry, projet=projet)
    from workflow.render.typographie import pluriel

    console.print(f"{pluriel(len(written), 'charte')} dans {ws.outbox / 'chartes'} ; annexe : {annex}")
    if not written:
        err.print("Avertissement : aucune fiche association validée ; l'annexe le dit en une phrase.")
    ecrire_pdf([*written, annex], pdf, pdfa)


@generer.command("annexe-objectifs")
@sortie_option("Fichier .docx (défaut : outbox/).")
@pdf_options
@projet_option
@racine_option
@click.pass_context
def generer_annexe_objectifs_cmd(
    ctx: click.Context, output: Path | None, pdf: bool, pdfa: bool, projet: bool, racine: Path | None
) -> None:
    """Générer l'annexe des objectifs opérationnels et de qui les a déclarés (objectifs non couverts en évidence).

    Exemple : cdv generer annexe-objectifs
    """
    from workflow.render.objectifs import declarations, render_objectives_annex

    with opened(ctx, racine) as (ws, registry):
        path = render_objectives_annex(ws, registry, output, projet)
        declared = declarations(registry, projet)
    console.print(f"Annexe écrite : {path}")
    if not declared:
        err.print("Avertissement : aucun objectif n'est encore déclaré ; l'annexe les montre tous sans engagement.")
    ecrire_pdf([path], pdf, pdfa)


@formulaire.command("questionnaire")
@click.option("--organisme", required=True, help="Nom du signataire, imprimé sur le formulaire.")
@click.option(
    "--campagne",
    type=int,
    default=None,
    metavar="ANNÉE",
    help="Année de la campagne (défaut : la campagne ouverte, sinon l'année en cours).",
)
@sortie_option("Fichier .docx à écrire.", required=True)
@racine_option
@click.pass_context
def formulaire_questionnaire(
    ctx: click.Context, organisme: str, campagne: int | None, output: Path, racine: Path | None
) -> None:
    """Générer le questionnaire d'engagement vierge d'un signataire.

    Exemple : cdv formulaire questionnaire --organisme "CAF du Pas-de-Calais" -o caf.docx
    """
    from workflow.cli.campagne import campagne_choisie
    from workflow.render.formulaire import questionnaire_form

    with opened(ctx, racine) as (ws, registry):
        year = campagne_choisie(registry, campagne)
    path = questionnaire_form(ws, organisme, year, output)
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
    from workflow.render.formulaire import association_form

    path = association_form(workspace(ctx, racine), association, output)
    console.print(f"Fiche écrite : {path}")


@generer.command("annexe-engagements")
@sortie_option("Fichier .docx (défaut : outbox/).")
@pdf_options
@projet_option
@racine_option
@click.pass_context
def generer_annexe(
    ctx: click.Context, output: Path | None, pdf: bool, pdfa: bool, projet: bool, racine: Path | None
) -> None:
    """Générer l'annexe « Engagements des signataires » (dernière campagne de chacun).

    Exemple : cdv generer annexe-engagements --pdf
    """
    from workflow.render.annexe import partner_count, render_engagements_annex

    with opened(ctx, racine) as (ws, registry):
        path = render_engagements_annex(ws, registry, output, projet)
        partners = partner_count(registry, projet)
    console.print(f"Annexe écrite : {path}")
    if not partners:
        err.print("Avertissement : aucun questionnaire validé ; l'annexe le dit en une phrase.")
    ecrire_pdf([path], pdf, pdfa)


@generer.command("evaluation")
@click.option("--annee", type=int, required=True, help="Année évaluée (la dernière de la période).")
@click.option(
    "--type",
    "type_",
    type=click.Choice(["annuel", "mi-parcours", "final"]),
    default="annuel",
    show_default=True,
    help="Rapport de l'année, ou de toute la période depuis le début du contrat.",
)
@sortie_option("Fichier .docx (défaut : outbox/evaluation_ANNEE_TYPE/).")
@pdf_options
@racine_option
@click.pass_context
def generer_evaluation_cmd(
    ctx: click.Context, annee: int, type_: str, output: Path | None, pdf: bool, pdfa: bool, racine: Path | None
) -> None:
    """Générer le rapport d'évaluation (six objets de la Partie 5), son classeur .xlsx et ses graphiques.

    Exemple : cdv generer evaluation --annee 2025 --type annuel --pdf
    """
    from workflow.evaluation.rapport import render_evaluation
    from workflow.render.typographie import pluriel

    with opened(ctx, racine) as (ws, registry):
        rapport = render_evaluation(ws, registry, annee, type_, output)  # type: ignore[arg-type]
    console.print(f"Rapport écrit : {rapport.docx}")
    console.print(
        f"Tableaux : {rapport.xlsx} ; {pluriel(len(rapport.graphiques), 'graphique')} dans "
        f"{rapport.docx.parent / 'graphiques'}"
    )
    ecrire_pdf([rapport.docx], pdf, pdfa)
