"""Build the demo workspace: blank forms → filled → ingested → annex and export in outbox/."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from workflow.demo.boucle import partner_loop
from workflow.demo.remplir import fill_association_form, fill_questionnaire_form
from workflow.demo.revue import AUTEUR, MOT_DE_PASSE, review_demo
from workflow.demo.tableurs import write_examples
from workflow.evaluation.rapport import Rapport, render_evaluation
from workflow.intake.ingest import Arrivee, Resultat, Source, ingest
from workflow.libreoffice import ConversionImpossible, convert
from workflow.registry.db import Registry
from workflow.registry.export import export_data, write_export
from workflow.render.annexe import render_engagements_annex
from workflow.render.chartes import render_charters
from workflow.render.formulaire import association_form, questionnaire_form
from workflow.render.objectifs import render_objectives_annex
from workflow.render.typographie import nombre
from workflow.suivi import gouvernance, observations, programmation
from workflow.text import normalise
from workflow.workspace import Workspace, init_workspace

MARKER = ".espace-demo"
ANSWERS = Path(__file__).with_name("reponses.yaml")
ASSOCIATIONS = Path(__file__).with_name("associations.yaml")
ANNEES_EVALUATION = (2025, 2026)


def exemples() -> list[dict[str, Any]]:
    """Return the example answers shipped with the demo."""
    return list(yaml.safe_load(ANSWERS.read_text(encoding="utf-8")))


def associations_exemples() -> list[dict[str, Any]]:
    """Return the 15 example association forms shipped with the demo."""
    return list(yaml.safe_load(ASSOCIATIONS.read_text(encoding="utf-8")))


def run_demo(root: Path, say: Callable[[str], None]) -> Workspace:
    """Recreate the demo workspace at `root` and run the whole chain in it."""
    if root.exists():
        if not (root / MARKER).exists():
            raise FileExistsError(f"{root} existe et n'est pas un espace de démonstration : rien n'a été effacé.")
        shutil.rmtree(root)
    workspace = init_workspace(root)
    (root / MARKER).write_text("Espace recréé à chaque `cdv demo`.\n", encoding="utf-8")
    blanks = workspace.outbox / "formulaires_vierges"
    for answers in exemples():
        slug = normalise(answers["organisme"]).replace(" ", "_") + f"_{answers['campagne']}"
        blank = questionnaire_form(
            workspace, answers["organisme"], int(answers["campagne"]), blanks / f"questionnaire_{slug}.docx"
        )
        fill_questionnaire_form(blank, answers, workspace.inbox / f"reponse_{slug}.docx")
    for answers in associations_exemples():
        slug = normalise(answers["association_nom"]).replace(" ", "_")
        blank = association_form(workspace, answers["association_nom"], blanks / f"fiche_{slug}.docx")
        fill_association_form(blank, answers, workspace.inbox / f"fiche_{slug}.docx")
    say(
        f"{len(exemples())} questionnaires et {len(associations_exemples())} fiches association vierges générés "
        f"dans {blanks.relative_to(root)}/, remplis, déposés dans inbox/"
    )
    registry = Registry(workspace.database_url())
    try:
        results: list[Resultat] = [
            ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
            for path in sorted(workspace.inbox.glob("*.docx"))
        ]
        for result in results:
            say(f"{result.statut.libelle:12} {result.fichier} — {result.detail or result.motif}")
        review_demo(workspace, registry, say)
        annexe = render_engagements_annex(workspace, registry)
        pdf = _pdf(annexe, say)
        chartes, annexe_chartes = render_charters(workspace, registry)
        objectifs = render_objectives_annex(workspace, registry)
        say(
            f"{len(chartes)} chartes d'engagement dans outbox/chartes/, annexe : {annexe_chartes.name} ; "
            f"annexe des objectifs : {objectifs.name}"
        )
        rapport = _evaluation(workspace, registry, say)
        partner_loop(workspace, registry, [a["association_nom"] for a in associations_exemples()], say)
        with registry.session() as session:
            data = export_data(session)
        for fmt in ("json", "xlsx"):
            write_export(data, fmt, workspace.outbox / f"registre.{fmt}", workspace.referentiel)
    finally:
        registry.close()
    say(
        f"Annexe générée : {annexe.relative_to(root)}{' et ' + pdf.name if pdf else ''} ; "
        f"rapport d'évaluation : {rapport.docx.relative_to(root)} ; export du registre : outbox/registre.json et .xlsx"
    )
    say(
        f"Console web : .venv/bin/cdv --racine {root} web   puis http://127.0.0.1:8000/ "
        f"(identifiant « {AUTEUR} », mot de passe « {MOT_DE_PASSE} »)"
    )
    return workspace


def _evaluation(workspace: Workspace, registry: Registry, say: Callable[[str], None]) -> Rapport:
    """Import the example programmation, meetings and observations, then write the report."""
    ref = workspace.referentiel
    names = [a["association_nom"] for a in associations_exemples()]
    files = write_examples(ref, names, workspace.root / "donnees", list(ANNEES_EVALUATION))
    for year in ANNEES_EVALUATION:
        done = programmation.importer(registry, ref, files[f"programmation_{year}"], year)
        rejected = nombre(len(done.rejets), "ligne rejetée", "lignes rejetées")
        say(f"Programmation {year} importée : {done.importees} actions ({rejected})")
    meetings = gouvernance.importer(registry, ref, files["reunions"])
    values = observations.importer(registry, ref, files["observations"])
    say(f"{meetings.importees} réunions et {values.importees} observations importées depuis donnees/")
    rapport = render_evaluation(workspace, registry, ANNEES_EVALUATION[-1], "annuel")
    say(f"Rapport d'évaluation : {len(rapport.tableaux)} tableaux, {len(rapport.graphiques)} graphiques")
    return rapport


def _pdf(document: Path, say: Callable[[str], None]) -> Path | None:
    """Add the PDF of a generated document when LibreOffice is there."""
    try:
        return convert(document, "pdf", document.parent)
    except ConversionImpossible as e:
        say(f"PDF non produit : {e}")
        return None
