"""The demo's review: one person of the team validates the answers that need nothing more."""

from __future__ import annotations

from collections.abc import Callable

from workflow.registry.db import Registry
from workflow.render.typographie import nombre
from workflow.review import actions, users
from workflow.review.queue import queue
from workflow.web.security import set_password
from workflow.workspace import Workspace

AUTEUR = "equipe.demo"
MOT_DE_PASSE = "demo-coeur-de-quartier"  # demo only: printed at the end of `cdv demo`


def review_demo(workspace: Workspace, registry: Registry, say: Callable[[str], None]) -> None:
    """Create the demo's reviewer, name it in config.toml, validate what has no blocking alert."""
    config = workspace.registry / "config.toml"
    config.write_text(f'[revue]\nauteur = "{AUTEUR}"\n', encoding="utf-8")
    with registry.session() as session:
        users.add(session, AUTEUR, "Équipe Cohésion sociale (démonstration)", users.Role.ADMIN)
        set_password(session, AUTEUR, MOT_DE_PASSE)  # for the web console (`cdv web`)
        waiting = queue(session)
        clean = [line for line in waiting if not line.bloquantes]
        for line in clean:
            actions.validate(session, line.dossier, AUTEUR)
    left = len(waiting) - len(clean)
    say(
        f"Revue : {nombre(len(clean), 'soumission validée', 'soumissions validées')}"
        f" par « {AUTEUR} » ; {left} à vérifier "
        f"(alerte bloquante ouverte) : cdv --racine {workspace.root} revue liste"
    )
