"""Rows 6 to 9: documents against a bare docxtpl render, and their growth from a registry of N/10
submissions to one of N, both built through the project's own recording and review code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from table import Ligne, median_time

from workflow.demo.run import ANNEES_EVALUATION, associations_exemples
from workflow.demo.tableurs import write_examples
from workflow.errors import CdvError
from workflow.evaluation import graphiques, rapport
from workflow.intake.document import analyse_here
from workflow.intake.ingest import Arrivee, record
from workflow.intake.storage import sha256
from workflow.intake.types import Reception, Source
from workflow.parsers.sniff import sniff
from workflow.registry.db import Registry
from workflow.registry.queries import latest_per_organisation, selection
from workflow.render.annexe import GABARIT, TITRE, annexe_context, render_engagements_annex
from workflow.render.templating import render_docx
from workflow.review import actions, dossier, users
from workflow.suivi import gouvernance, observations, programmation
from workflow.workspace import Workspace, init_workspace

AUTEUR = "banc.essai"
CHARTS = ("barres", "barres_groupees", "courbes")  # the drawing functions the report calls
CAMPAGNES = (2024, 2025, 2026, 2027, 2028)  # each organisation answers each of them twice
OPERATIONS = {
    "annexe des engagements": ["generer", "annexe-engagements"],
    "export JSON": ["registre", "export", "--format", "json", "-o", "registre.json"],
    "export xlsx": ["registre", "export", "--format", "xlsx", "-o", "registre.xlsx"],
    "rapport d'évaluation": ["generer", "evaluation", "--annee", str(ANNEES_EVALUATION[-1])],
}


def build(root: Path, size: int, forms: list[Path]) -> Workspace:
    """Record `size` submissions (size/10 organisations, 5 campaigns, 2 versions each), validate
    those without a blocking alert, and import the demo's spreadsheets for the evaluation."""
    workspace = init_workspace(root)
    ref = workspace.referentiel
    now = dt.datetime.now(dt.UTC)
    read = [(path, analyse_here(path, sniff(path), ref, now)) for path in forms]
    registry = Registry(workspace.database_url())
    ids = []
    for number in range(size):
        organisation, rest = divmod(number, 2 * len(CAMPAGNES))
        path, analysed = read[organisation % len(read)]
        form = dataclasses.replace(
            analysed.formulaire,
            organisme=f"{analysed.formulaire.organisme} n° {organisation}",
            signataire_id=None,
            campagne=CAMPAGNES[rest // 2],
        )
        reception = Reception(path.name, sha256(path), path.stat().st_size, now, Source.COMMANDE, "", None)
        done = record(workspace, registry, Arrivee(path), reception, dataclasses.replace(analysed, formulaire=form))
        ids.append(done.soumission_id)
    _validate(registry, ids)
    _spreadsheets(workspace, registry)
    registry.close()
    return workspace


def _validate(registry: Registry, ids: list[int | None]) -> None:
    with registry.session() as session:
        users.add(session, AUTEUR, "Banc d'essai", users.Role.EQUIPE)
    for start in range(0, len(ids), 500):
        with registry.session() as session:
            for soumission_id in ids[start : start + 500]:
                try:
                    actions.validate(session, dossier.load(session, soumission_id or 0), AUTEUR)
                except CdvError:  # a blocking alert (Pas-de-Calais Habitat's answers): left « à vérifier »
                    continue


def _spreadsheets(workspace: Workspace, registry: Registry) -> None:
    ref = workspace.referentiel
    names = [a["association_nom"] for a in associations_exemples()]
    files = write_examples(ref, names, workspace.root / "donnees", list(ANNEES_EVALUATION))
    for year in ANNEES_EVALUATION:
        programmation.importer(registry, ref, files[f"programmation_{year}"], year)
    gouvernance.importer(registry, ref, files["reunions"])
    observations.importer(registry, ref, files["observations"])


def growth_rows(cdv: list[str], small: Workspace, large: Workspace, size: int) -> list[Ligne]:
    """Each command run once on each registry, as a person runs it: wall clock, and peak memory at `size`."""
    rows = []
    for label, arguments in OPERATIONS.items():
        before, _ = _run(cdv, small, arguments)
        after, peak = _run(cdv, large, arguments)
        ratio = after / before
        rows.append(
            Ligne(
                f"{size:,} / {size // 10:,} soumissions : {label}".replace(",", " "),
                f"{ratio:.1f}× ({before:.1f} → {after:.1f} s, {peak:.0f} Mo)",
                "≤ 10×, ≤ 400 Mo",
                ratio <= 10 and peak <= 400,
            )
        )
    return rows


def _run(cdv: list[str], workspace: Workspace, arguments: list[str]) -> tuple[float, float]:
    """Return the wall-clock seconds and the peak resident memory (MiB) of one command."""
    env = {k: v for k, v in os.environ.items() if k not in ("CDV_RACINE", "CDV_REGISTRE_URL")}
    start = time.perf_counter()
    process = subprocess.Popen(
        [*cdv, "--racine", str(workspace.root), *arguments],
        cwd=workspace.outbox,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(arguments)} : code {process.returncode}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def render_row(workspace: Workspace, repetitions: int) -> Ligne:
    """The annex as the command writes it against docxtpl alone on the same gabarit and context; beside
    the ratio, each of its two steps against the same floor: reading the registry into the context,
    then rendering and finishing the document."""
    registry = Registry(workspace.database_url())

    def context() -> dict[str, Any]:
        with registry.session() as session:
            versions = latest_per_organisation(session, selection(False))
            return annexe_context(versions, workspace.referentiel, dt.date.today())

    built, gabarit = context(), workspace.gabarit(GABARIT)

    def bare() -> None:
        document = DocxTemplate(str(gabarit))
        document.render(built, autoescape=True)
        document.save(str(workspace.outbox / "nu.docx"))

    whole = median_time(lambda: render_engagements_annex(workspace, registry), repetitions)
    floor = median_time(bare, repetitions)
    reading = median_time(context, repetitions)
    document = median_time(
        lambda: render_docx(gabarit, built, workspace.outbox / "rendu.docx", titre=TITRE), repetitions
    )
    registry.close()
    ratio = whole / floor
    return Ligne(
        "annexe / docxtpl seul, même gabarit et contexte",
        f"{ratio:.2f}× (registre {reading / floor:.2f}×, document {document / floor:.2f}×)",
        "≤ 1,3×",
        ratio <= 1.3,
    )


def charts_rows(workspace: Workspace) -> list[Ligne]:
    """The share of the evaluation report's wall clock spent drawing its charts (each chart
    function of the report timed where the report calls it; no profiler to slow the rest): first
    with an empty chart cache, then generated again with the same figures, as before each COPIL."""
    registry = Registry(workspace.database_url())
    spent = [0.0]

    def timed(draw: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return draw(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return run

    def share() -> tuple[float, float]:
        spent[0] = 0.0
        start = time.perf_counter()
        rapport.render_evaluation(workspace, registry, ANNEES_EVALUATION[-1], "annuel")
        total = time.perf_counter() - start
        return spent[0] / total, total

    saved = {name: getattr(rapport, name) for name in CHARTS}
    cache = graphiques.CACHE
    for name, draw in saved.items():
        setattr(rapport, name, timed(draw))
    try:
        with tempfile.TemporaryDirectory() as empty:
            graphiques.CACHE = Path(empty)
            (cold, cold_total), (warm, warm_total) = share(), share()
    finally:
        for name, draw in saved.items():
            setattr(rapport, name, draw)
        graphiques.CACHE = cache
        registry.close()
    return [
        Ligne(
            "rapport d'évaluation : part des graphiques", f"{cold:.0%} de {cold_total:.1f} s", "≤ 15 %", cold <= 0.15
        ),
        Ligne(
            "  même rapport régénéré, chiffres inchangés",
            f"{warm:.0%} de {warm_total:.1f} s",
            "≤ 15 %",
            warm <= 0.15,
        ),
    ]
