"""Rows 1 to 3: reading a .docx, recording it, and forms per second of one `cdv ingerer`."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import docx
from cpu import median_cpu, tree_cpu
from table import Ligne

from workflow.demo.remplir import fill_questionnaire_form
from workflow.demo.run import exemples
from workflow.intake.ingest import Arrivee, analyse, ingest
from workflow.parsers.sniff import sniff
from workflow.registry.db import Registry
from workflow.render.formulaire import questionnaire_form
from workflow.workspace import Workspace, init_workspace


def bare_walk(path: Path) -> int:
    """What any reader must do at least: open with python-docx and read all the text."""
    document = docx.Document(str(path))
    chars = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                chars += len(cell.text)
    return chars


def filled_forms(workspace: Workspace, folder: Path, count: int) -> list[Path]:
    """Return `count` distinct filled questionnaires, made from the demo's answers."""
    folder.mkdir(parents=True, exist_ok=True)
    answers = exemples()
    blanks = {}
    forms = []
    for i in range(count):
        example = answers[i % len(answers)]
        if example["organisme"] not in blanks:
            target = folder / f"vierge_{len(blanks)}.docx"
            blanks[example["organisme"]] = questionnaire_form(workspace, example["organisme"], 2024, target)
        filled = {**example, "referent_nom": f"Agent {i}"}
        forms.append(fill_questionnaire_form(blanks[example["organisme"]], filled, folder / f"rempli_{i:03}.docx"))
    return forms


def reading_rows(workspace: Workspace, forms: list[Path], repetitions: int) -> list[Ligne]:
    """Analysis and whole ingest (SQLite) against a bare python-docx walk, CPU of every process; the
    ingest is repeated into a fresh registry each time (a second time into the same one would only
    find duplicates), and its median taken."""
    ref = workspace.referentiel
    now = dt.datetime.now(dt.UTC)
    analyse(forms[0], sniff(forms[0]), ref, now)  # the worker started and warm, as in a batch
    bare = sum(median_cpu(lambda p=p: bare_walk(p), repetitions) for p in forms)
    ours = sum(median_cpu(lambda p=p: analyse(p, sniff(p), ref, now), repetitions) for p in forms)
    whole = statistics.median(_ingest_cpu(workspace.root.parent / f"ingestion_{i}", forms) for i in range(repetitions))
    return [
        Ligne("analyse d'un .docx / python-docx seul (CPU)", f"{ours / bare:.2f}×", "≤ 1,5×", ours / bare <= 1.5),
        Ligne(
            f"ingestion SQLite complète / python-docx seul (CPU, médiane de {repetitions})",
            f"{whole / bare:.2f}× ({(whole - ours) / len(forms) * 1000:.1f} ms d'enreg.)",
            "≤ 2×",
            whole / bare <= 2.0,
        ),
    ]


def _ingest_cpu(root: Path, forms: list[Path]) -> float:
    """CPU seconds of ingesting every form once, one after the other, into a new workspace's registry."""
    workspace = init_workspace(root)
    registry = Registry(workspace.database_url())
    workspace.referentiel  # noqa: B018  (loaded before the clock starts, as a running command has it)
    start = tree_cpu()
    for path in forms:
        ingest(workspace, registry, Arrivee(path))
    spent = tree_cpu() - start
    registry.close()
    return spent


def batch_row(cdv: list[str], forms: list[Path], root: Path, repetitions: int = 3) -> Ligne:
    """`cdv ingerer` of every form, as a person runs it, into a new workspace each time: medians of
    the wall clock and of the CPU of the whole command (its reading workers included)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CDV_RACINE", "CDV_REGISTRE_URL")}
    walls, spents = [], []
    for i in range(repetitions):
        workspace = init_workspace(root / f"lot_{i}")
        start, cpu = time.perf_counter(), tree_cpu()
        subprocess.run(
            [*cdv, "--racine", str(workspace.root), "ingerer", *map(str, forms)],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        walls.append(time.perf_counter() - start)
        spents.append(tree_cpu() - cpu)
    rate = len(forms) / statistics.median(walls)
    return Ligne(
        f"formulaires/s, un `cdv ingerer` de {len(forms)} ({os.cpu_count()} cœurs, médiane de {repetitions})",
        f"{rate:.0f} réel / {len(forms) / statistics.median(spents):.0f} CPU",
        "≥ 50 réel",
        rate >= 50,
    )


def cdv_command(root: Path) -> list[str]:
    """`cdv` as users start it, from the tree under measure (never another installed copy)."""
    return [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(root)!r}); from workflow.cli import main; main()",
    ]
