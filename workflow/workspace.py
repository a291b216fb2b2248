"""A workspace: the folder holding inbox/, outbox/, registry/ and gabarits/."""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.errors import ConfigurationInvalide, EspaceIntrouvable, EspaceInvalide

if TYPE_CHECKING:
    from workflow.referentiel import Referentiel

ENV_ROOT = "CDV_RACINE"
ENV_DB_URL = "CDV_REGISTRE_URL"
CONFIG_NAME = "config.toml"
FOLDERS = ("inbox", "outbox", "registry", "gabarits")


def repository_root() -> Path:
    """Return the checkout holding the package, whose gabarits and reference data are the defaults."""
    return Path(__file__).resolve().parents[1]


def default_sources() -> tuple[Path, Path]:
    """Return the folders of the default gabarits and reference data (wheel or checkout)."""
    bundled = Path(__file__).resolve().parent / "_defaults"
    if bundled.is_dir():
        return bundled / "gabarits", bundled / "referentiel"
    root = repository_root()
    return root / "gabarits", root / "registry" / "referentiel"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def resolve(cls, racine: Path | None, start: Path | None = None) -> Workspace:
        """Return the workspace named by `racine` or CDV_RACINE, else the nearest one from `start` up.

        Never a default folder: a command run elsewhere must not create a registry anywhere.
        """
        chosen = racine or (Path(os.environ[ENV_ROOT]) if os.environ.get(ENV_ROOT) else None)
        if chosen:
            return cls(chosen.resolve())
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if all((folder / name).is_dir() for name in FOLDERS):
                return cls(folder)
        raise EspaceIntrouvable(here)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def registry(self) -> Path:
        return self.root / "registry"

    @property
    def gabarits(self) -> Path:
        return self.root / "gabarits"

    @property
    def quarantine(self) -> Path:
        return self.inbox / "quarantaine"

    @property
    def archive(self) -> Path:
        return self.registry / "archives"

    @property
    def referentiel_dir(self) -> Path:
        return self.registry / "referentiel"

    def check(self) -> None:
        """Raise a French error when the folder is not a workspace."""
        missing = [p.name for p in (self.inbox, self.outbox, self.registry, self.gabarits) if not p.is_dir()]
        if missing or not self.referentiel_dir.is_dir():
            raise EspaceInvalide(
                f"{self.root} n'est pas un espace de travail complet (manque : "
                f"{', '.join(missing) or 'registry/referentiel'}). "
                f"Créez-le avec : cdv --racine {self.root} init"
            )

    @cached_property
    def referentiel(self) -> Referentiel:
        from workflow.referentiel import load_referentiel  # pydantic and YAML: only when needed

        return load_referentiel(self.referentiel_dir)

    def config(self, section: str) -> dict[str, Any]:
        """Return one section of registry/config.toml, empty when the file or the section is absent.

        The only reader of that file, so that a typo in it is reported the same way everywhere.
        """
        path = self.registry / CONFIG_NAME
        if not path.is_file():
            return {}
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ConfigurationInvalide.from_toml(path, text, e) from e
        value = data.get(section, {})
        if not isinstance(value, dict):
            raise ConfigurationInvalide(path, f"« {section} » doit être une section [{section}]")
        return value

    def database_url(self) -> str:
        """Return the registry URL: CDV_REGISTRE_URL, config.toml, or SQLite in registry/."""
        if os.environ.get(ENV_DB_URL):
            return os.environ[ENV_DB_URL]
        url = self.config("registre").get("url")
        return str(url) if url else f"sqlite:///{self.registry / 'registre.sqlite3'}"

    def gabarit(self, name: str) -> Path:
        path = self.gabarits / name
        if not path.is_file():
            raise EspaceInvalide(f"Gabarit introuvable : {path}")
        return path


def init_workspace(root: Path) -> Workspace:
    """Create a workspace with the default gabarits and reference data (never overwrites)."""
    workspace = Workspace(root.resolve())
    gabarits, referentiel = default_sources()
    for folder in (workspace.inbox, workspace.outbox, workspace.quarantine, workspace.archive):
        folder.mkdir(parents=True, exist_ok=True)
    for source, target in ((gabarits, workspace.gabarits), (referentiel, workspace.referentiel_dir)):
        target.mkdir(parents=True, exist_ok=True)
        if source.resolve() == target.resolve():
            continue
        for item in source.iterdir():
            if item.is_file() and not (target / item.name).exists():
                shutil.copy2(item, target / item.name)
    return workspace
