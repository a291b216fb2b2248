"""Row 4: from a file dropped in inbox/ to its submission recorded, with inotify and with polling."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

from table import Ligne

from workflow.workspace import init_workspace


def latency_rows(cdv: list[str], forms: list[Path], folder: Path) -> list[Ligne]:
    """Drop each form in turn (written then closed, as a local copy does) and wait until it left the inbox."""
    inotify = _latencies(cdv, forms, folder / "inotify")
    polling = _latencies(cdv, forms, folder / "sondage", "--sondage")
    p95 = _p95(inotify)
    return [
        Ligne("surveillance, dépôt → enregistré, p95 (inotify)", f"{p95:.2f} s", "≤ 0,5 s", p95 <= 0.5),
        Ligne("  même chose par sondage (délai de stabilité)", f"{_p95(polling):.2f} s", "délai gardé (2 s)", True),
    ]


def _latencies(cdv: list[str], forms: list[Path], root: Path, *extra: str) -> list[float]:
    workspace = init_workspace(root)
    env = {k: v for k, v in os.environ.items() if k not in ("CDV_RACINE", "CDV_REGISTRE_URL")}
    daemon = subprocess.Popen(
        [*cdv, "--racine", str(root), "surveiller", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        _wait(lambda: (workspace.registry / "etat.json").exists(), 60)
        time.sleep(2)  # the polling observer's first look, the worker started by a first file
        _drop(workspace.inbox / "premier.docx", forms[0])
        taken = []
        for i, form in enumerate(forms[1:]):
            target = workspace.inbox / f"reponse_{i:02}.docx"
            taken.append(_drop(target, form))
        return taken
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)


def _drop(target: Path, form: Path) -> float:
    start = time.perf_counter()
    target.write_bytes(form.read_bytes())
    _wait(lambda: not target.exists(), 60)
    return time.perf_counter() - start


def _wait(condition, limit: float) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("la surveillance n'a pas pris le fichier à temps")
        time.sleep(0.005)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
