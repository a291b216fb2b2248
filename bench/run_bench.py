"""Ingest speed, measured side by side with a bare python-docx open-and-walk of the same files.

Prints, for filled questionnaires and for the real-world .docx corpus, the median time of
  - `bare`: python-docx opens the file and reads every paragraph and table cell,
  - `analyse`: our sniff → parse → recognise → extract → validate (no database),
and the ratio analyse / bare (goal: ≤ 2×); then whole-pipeline forms per second (with SQLite);
then the peak memory and time of the largest accepted file against the reading limits (sandbox);
then the start-up of `cdv --help` and `cdv etat` against a bare `python -c pass` (goal: < 500 ms).
Usage: python3 run.py bench [--repetitions N] [--demarrages N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflow.demo.remplir import remplir_questionnaire  # noqa: E402
from workflow.demo.run import exemples  # noqa: E402
from workflow.intake import sandbox  # noqa: E402
from workflow.intake.ingest import Arrivee, analyse, ingest  # noqa: E402
from workflow.parsers import Illisible  # noqa: E402
from workflow.parsers.sniff import sniff  # noqa: E402
from workflow.registry.db import Registry  # noqa: E402
from workflow.render.formulaire import generer_formulaire_questionnaire  # noqa: E402
from workflow.workspace import init_workspace  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "realworld"


def bare_walk(path: Path) -> int:
    """What any reader must do at least: open with python-docx and read all the text."""
    document = docx.Document(str(path))
    chars = sum(len(p.text) for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                chars += len(cell.text)
    return chars


def median_time(action: Callable[[], object], repetitions: int) -> float:
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(label: str, files: list[Path], repetitions: int, ref) -> None:
    now = dt.datetime.now(dt.UTC)
    bare_total = ours_total = 0.0
    measured = 0
    for path in files:
        try:
            bare_walk(path)
        except Exception:  # python-docx cannot open it: nothing to compare against
            continue

        def ours(path: Path = path) -> None:
            with contextlib.suppress(Illisible):
                analyse(path, sniff(path), ref, now)

        bare_total += median_time(lambda path=path: bare_walk(path), repetitions)
        ours_total += median_time(ours, repetitions)
        measured += 1
    print(
        f"{label:42} {measured:3} fichiers  python-docx seul {bare_total * 1000:8.1f} ms   "
        f"notre analyse {ours_total * 1000:8.1f} ms   rapport {ours_total / bare_total:4.2f}×"
    )


def corpus_timings(workspace, registry: Registry) -> None:
    """Whole-pipeline time of every real-world file, conversions included (budget: 10 s each)."""
    timings = []
    for path in sorted(p for p in CORPUS.iterdir() if p.suffix not in (".csv", ".md")):
        start = time.perf_counter()
        ingest(workspace, registry, Arrivee(path))
        timings.append((time.perf_counter() - start, path.name))
    slowest = max(timings)
    print(
        f"corpus réel, {len(timings)} fichiers de tous types (conversions LibreOffice comprises) : "
        f"{sum(t for t, _ in timings):.1f} s en tout, le plus lent {slowest[0]:.1f} s ({slowest[1]}), "
        "objectif < 10 s par fichier"
    )


def limits_margin(files: list[Path], ref) -> None:
    """Peak memory and time of the largest accepted file, read by a fresh worker, against the limits."""
    now = dt.datetime.now(dt.UTC)
    accepted = []
    for path in files:
        with contextlib.suppress(Illisible):
            analyse(path, sniff(path), ref, now)
            accepted.append(path)
    if not accepted:
        return
    largest = max(accepted, key=lambda p: p.stat().st_size)
    sandbox.reset()  # a fresh worker: its peak memory is this file's (and the worker's own imports)
    analyse(largest, sniff(largest), ref, now)
    peak = sandbox.derniere_mesure.pic_memoire_kib / 1024
    elapsed = median_time(lambda: analyse(largest, sniff(largest), ref, now), 3)  # the worker kept warm
    print(
        f"plus gros fichier accepté : {largest.name} ({largest.stat().st_size / 1024:.0f} Ko) : pic mémoire du "
        f"lecteur {peak:.0f} Mo sur {sandbox.MEMORY_LIMIT >> 20} Mo permis ; lecture en {elapsed:.2f} s pour "
        f"une limite de {sandbox.TIME_LIMIT:.0f} s (marge : {sandbox.TIME_LIMIT / elapsed:.0f}×)"
    )


def cdv_command() -> list[str]:
    """The installed `cdv` script beside this interpreter, as users start it; else the same entry point."""
    script = Path(sys.executable).with_name("cdv")
    return [str(script)] if script.is_file() else [sys.executable, "-c", "from workflow.cli import main; main()"]


def startup_timings(repetitions: int) -> None:
    """Start-up of the command line: each run of each command in turn, so that load hits them alike."""
    env = {k: v for k, v in os.environ.items() if k not in ("CDV_RACINE", "CDV_REGISTRE_URL")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "espace"
        subprocess.run([*cdv_command(), "--racine", str(root), "init"], check=True, capture_output=True, env=env)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "cdv --help": [*cdv_command(), "--help"],
            "cdv etat": [*cdv_command(), "etat"],
        }
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(repetitions):
            for label, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=root, env=env)
                times[label].append(time.perf_counter() - start)
    bare = statistics.median(times["python -c pass"])
    print(f"démarrage de la ligne de commande, médianes de {repetitions} lancements alternés (objectif < 500 ms) :")
    print(f"  {'python -c pass':16} {bare * 1000:6.0f} ms")
    for label in ("cdv --help", "cdv etat"):
        median = statistics.median(times[label])
        print(f"  {label:16} {median * 1000:6.0f} ms   rapport {median / bare:5.1f}× python -c pass")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--demarrages", type=int, default=7, help="lancements de chaque commande mesurée")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = init_workspace(Path(tmp) / "espace")
        forms = []
        for i, answers in enumerate(exemples() * 3):
            blank = generer_formulaire_questionnaire(workspace, answers["organisme"], 2024, Path(tmp) / f"v{i}.docx")
            forms.append(
                remplir_questionnaire(blank, {**answers, "referent_nom": f"Agent {i}"}, Path(tmp) / f"r{i}.docx")
            )
        ref = workspace.referentiel
        print(f"Mesures médianes sur {args.repetitions} répétitions, côte à côte dans la même exécution.")
        compare("questionnaires remplis (nos formulaires)", forms, args.repetitions, ref)
        corpus = sorted(CORPUS.glob("*.docx")) if CORPUS.is_dir() else []
        if corpus:
            compare("corpus réel .docx (ouvrables par python-docx)", corpus, args.repetitions, ref)
        limits_margin(forms + corpus + (sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []), ref)
        registry = Registry(workspace.database_url())
        start = time.perf_counter()
        for form in forms:
            ingest(workspace, registry, Arrivee(form))
        elapsed = time.perf_counter() - start
        print(
            f"chaîne complète avec registre SQLite : {len(forms) / elapsed:5.1f} formulaires/s "
            f"({elapsed / len(forms) * 1000:.0f} ms par formulaire)"
        )
        if CORPUS.is_dir():
            corpus_timings(workspace, registry)
        registry.close()
    startup_timings(args.demarrages)


if __name__ == "__main__":
    main()
