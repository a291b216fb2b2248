"""The `cdv` command: a thin click shell over the library; it parses arguments and prints, in French.

Each module adds its command groups to `app`; importing them here registers them all.
"""

from workflow.cli import campagne, copil, documents, gabarits, quarantaine, registre, revue, service, suivi, web  # noqa: F401  (registration)
from workflow.cli.base import app, main

__all__ = ["app", "main"]
