"""Helpers shared by tests in several folders: the `cdv` command, the watcher, free ports, waiting."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from workflow.registry.db import Registry
from workflow.registry.models import Soumission

CDV = [sys.executable, "-c", "from workflow.cli import main; main()"]


def _env() -> dict[str, str]:
    """The environment of a child `cdv`, without the variables that would point it elsewhere."""
    return {k: v for k, v in os.environ.items() if k not in ("CDV_RACINE", "CDV_REGISTRE_URL")}


def cdv(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `cdv` as a user would and return what it printed and its exit status."""
    return subprocess.run([*CDV, *args], capture_output=True, text=True, cwd=cwd, env=_env(), timeout=300)


def start(root: Path, *extra: str) -> subprocess.Popen:
    """Start `cdv surveiller` on the workspace `root` (1 s quiet delay, rescan every 3 s)."""
    return subprocess.Popen(
        [*CDV, "--racine", str(root), "surveiller", "--delai", "1", "--rescan", "3", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )


def rows(root: Path) -> list[Soumission]:
    """Return the submissions recorded in the SQLite registry of the workspace `root`."""
    registry = Registry(f"sqlite:///{root / 'registry' / 'registre.sqlite3'}")
    try:
        with registry.session() as session:
            return list(session.scalars(select(Soumission)))
    finally:
        registry.close()


def wait_until(condition: Callable[[], bool], limit: float, every: float = 0.5) -> None:
    """Poll `condition` every `every` seconds; fail once `limit` seconds have passed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError("délai dépassé")


def free_port() -> int:
    """Return a TCP port free on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


REVIEWER = "relecteur.tests"


def validate_all(registry: Registry) -> int:
    """Do what the team does before documents are produced: accept what is flagged, validate all.

    Return how many submissions were validated. Tests of the review itself do this step by step.
    """
    from workflow.review import actions, users
    from workflow.review.queue import queue

    with registry.session() as session:
        if not any(u.identifiant == REVIEWER for u in users.listing(session)):
            users.add(session, REVIEWER, "Relecteur des tests", users.Role.EQUIPE)
        waiting = queue(session)
        for line in waiting:
            for code in sorted({a.code for a in line.bloquantes}):
                actions.accept(session, line.dossier, code, "vérifié (test)", REVIEWER)
            actions.validate(session, line.dossier, REVIEWER)
    return len(waiting)


# A real-looking answer with two flagged values (an e-mail without @, an objective code not in the tree),
# shared by the review tests and the web console tests.
PDC = "Pas-de-Calais Habitat"
ANSWERS = {
    "organisme": PDC,
    "campagne": 2024,
    "referent_nom": "Nadia LEROY",
    "referent_fonction": "Chargée de mission",
    "referent_courriel": "nadia.leroy pdc-habitat.fr",
    "referent_telephone": "03 21 00 00 00",
    "quartiers_vises": ["chanteclair-cevennes"],
    "interventions_structurantes": [{"intitule": "Gestion urbaine de proximité", "description": "Halls"}],
    "agents_gouvernance": [{"nom": "Nadia LEROY", "fonction": "Chargée de mission"}],
    "engagements_2024_2030": "Poursuivre la GUP.",
    "objectifs": [{"ambition": "Quartier de plein emploi", "os": "4", "oo": "4Z", "libelle_saisi": ""}],
}
