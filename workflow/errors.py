"""Exception tree: every error a user can see carries a French message."""

from __future__ import annotations

import re
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


class EspaceIntrouvable(EspaceInvalide):
    """No workspace was named and none encloses the current folder: say how to choose one."""

    def __init__(self, start: Path) -> None:
        super().__init__(
            f"Aucun espace de travail trouvé dans {start} ni dans ses dossiers parents : lancez la commande "
            "dans un espace de travail, ou indiquez-le avec --racine DOSSIER ou la variable CDV_RACINE ; "
            "pour en créer un : cdv --racine DOSSIER init"
        )
        self.start = start


class ConfigurationInvalide(CdvError):
    """registry/config.toml cannot be read: names the file and, when known, the line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        where = f"{path}" + (f", ligne {line}" if line else "")
        super().__init__(f"Configuration invalide ({where}) : {message}")
        self.path = path
        self.line = line

    @classmethod
    def from_toml(cls, path: Path, text: str, error: ValueError) -> ConfigurationInvalide:
        """Turn tomllib's English message into the line number and the text of that line."""
        found = re.search(r"line (\d+), column (\d+)", str(error))
        if not found:
            return cls(path, "syntaxe TOML incorrecte (fin du fichier)")
        line, column = int(found[1]), int(found[2])
        lines = text.splitlines()
        shown = lines[line - 1].strip() if line <= len(lines) else ""
        return cls(path, f"syntaxe TOML incorrecte à la colonne {column} : « {shown} »", line)
