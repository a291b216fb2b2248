"""Issue 17's table, each row measured side by side in this run and printed beside its goal.

  1. analysis of a .docx against a bare python-docx open and walk of the same files (CPU of every process);
  2. the whole ingest with SQLite against the same floor;
  3. forms per second of one `cdv ingerer`;
  4. the watcher's drop-to-recorded latency, inotify against polling;
  5. .odt/.doc/.rtf conversion, one LibreOffice start per file against the long-lived converter;
  6. the annex against a bare docxtpl render of the same gabarit and context;
  7-8. annex, JSON and xlsx exports, evaluation report: N/10 against N submissions (wall clock, peak memory);
  9. the evaluation report's share of chart drawing, with an empty chart cache and generated again.
Then the real-world corpus, the reading limits' margin and the command line's start-up.
Usage: python3 run.py bench [--repetitions N] [--demarrages N] [--taille N] [--formulaires N]
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
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from converting import conversion_row  # noqa: E402
from growth import build, charts_rows, growth_rows, render_row  # noqa: E402
from reading import batch_row, cdv_command, filled_forms, reading_rows  # noqa: E402
from table import imprimer, median_time  # noqa: E402
from watching import latency_rows  # noqa: E402

from workflow.intake import sandbox  # noqa: E402
from workflow.intake.ingest import Arrivee, analyse, ingest  # noqa: E402
from workflow.parsers import Illisible  # noqa: E402
from workflow.parsers.sniff import sniff  # noqa: E402
from workflow.registry.db import Registry  # noqa: E402
from workflow.workspace import init_workspace  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "realworld"
T = TypeVar("T")


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


def startup_timings(cdv: list[str], repetitions: int) -> None:
    """Start-up of the command line: each run of each command in turn, so that load hits them alike."""
    env = {k: v for k, v in os.environ.items() if k not in ("CDV_RACINE", "CDV_REGISTRE_URL")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "espace"
        subprocess.run([*cdv, "--racine", str(root), "init"], check=True, capture_output=True, env=env)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "cdv --help": [*cdv, "--help"],
            "cdv etat": [*cdv, "etat"],
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


def _step(label: str, action: Callable[[], T]) -> T:
    """Run one measure, saying on stderr how long it took (the table comes at the end)."""
    start = time.perf_counter()
    result = action()
    print(f"  · {label} : {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--demarrages", type=int, default=7, help="lancements de chaque commande mesurée")
    parser.add_argument("--taille", type=int, default=2000, help="soumissions du grand registre (le petit : 1/10)")
    parser.add_argument("--formulaires", type=int, default=100, help="formulaires d'un `cdv ingerer`")
    args = parser.parse_args()
    cdv = cdv_command(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workspace = init_workspace(folder / "espace")
        forms = filled_forms(workspace, folder / "formulaires", args.formulaires)
        print(f"Mesures côte à côte dans la même exécution ({args.repetitions} répétitions, médianes).", flush=True)
        rows = _step("lecture et enregistrement", lambda: reading_rows(workspace, forms[:30], args.repetitions))
        rows += _step("lot `cdv ingerer`", lambda: [batch_row(cdv, forms, folder / "lot")])
        rows += _step("surveillance", lambda: latency_rows(cdv, forms[:21], folder / "surveillance"))
        rows += _step("conversions", lambda: [conversion_row(forms[0], folder / "conversions", args.repetitions)])
        small = build(folder / "petit", args.taille // 10, forms[:6])
        large = _step(f"registre de {args.taille} soumissions", lambda: build(folder / "grand", args.taille, forms[:6]))
        rows += _step("annexe", lambda: [render_row(small, args.repetitions)])
        rows += _step("croissance", lambda: growth_rows(cdv, small, large, args.taille))
        rows += _step("graphiques", lambda: charts_rows(small))
        imprimer(rows)
        print()
        limits_margin(
            forms[:30] + (sorted(CORPUS.glob("*.docx")) + sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []),
            workspace.referentiel,
        )
        if CORPUS.is_dir():
            registry = Registry(workspace.database_url())
            corpus_timings(workspace, registry)
            registry.close()
    startup_timings(cdv, args.demarrages)
    import ocr_bench  # seconds per scanned page and fields read exactly, per resolution (bench/ocr_bench.py)

    ocr_bench.main()


if __name__ == "__main__":
    main()
