"""Exception tree: every error a user can see carries a French message."""

from __future__ import annotations

from pathlib import Path


class CdvError(Exception):
    """Base of the errors shown to users; `str(e)` is the French message."""


class ReferentielInvalide(CdvError):
    """A reference-data file is malformed: names the file and, when known, the line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        where = f"{path}" + (f", ligne {line}" if line else "")
        super().__init__(f"Référentiel invalide ({where}) : {message}")
        self.path = path
        self.line = line


class GabaritInvalide(CdvError):
    """A Word template cannot be rendered."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"Gabarit invalide ({path.name}) : {message}")
        self.path = path


class EspaceInvalide(CdvError):
    """The workspace folder is missing or incomplete."""
