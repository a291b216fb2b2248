"""Which workspace a command works in: --racine, CDV_RACINE, else the enclosing one; never a default."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support import CDV, cdv

from workflow.errors import EspaceIntrouvable
from workflow.workspace import Workspace, init_workspace

NO_WORKSPACE = "Aucun espace de travail trouvé"
OUTSIDE = [
    ["etat"],
    ["registre", "export"],
    ["referentiel", "verifier"],
    ["copil", "liste"],
    ["surveiller"],
    ["messagerie", "relever"],
    ["generer", "chartes"],
]


def everything_in(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.mark.parametrize("args", OUTSIDE, ids=" ".join)
def test_a_command_run_outside_a_workspace_stops_and_creates_nothing(tmp_path: Path, args: list[str]) -> None:
    run = cdv(*args, cwd=tmp_path)
    assert run.returncode == 2, run.stdout
    assert NO_WORKSPACE in run.stderr
    assert "--racine DOSSIER" in run.stderr and "CDV_RACINE" in run.stderr
    assert "cdv --racine DOSSIER init" in run.stderr
    assert everything_in(tmp_path) == []


def test_help_works_outside_a_workspace(tmp_path: Path) -> None:
    for args in (["--help"], ["etat", "--help"], ["registre", "--help"]):
        run = cdv(*args, cwd=tmp_path)
        assert run.returncode == 0 and run.stdout.startswith("Utilisation : cdv"), run.stderr
    assert everything_in(tmp_path) == []


def test_init_without_racine_makes_the_current_folder_a_workspace(tmp_path: Path) -> None:
    run = cdv("init", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert all((tmp_path / name).is_dir() for name in ("inbox", "outbox", "registry/referentiel", "gabarits"))
    assert cdv("etat", cwd=tmp_path).returncode == 0


def test_a_command_run_inside_a_workspace_finds_it_from_a_subfolder(tmp_path: Path) -> None:
    root = init_workspace(tmp_path / "espace").root
    run = cdv("etat", cwd=root / "inbox" / "quarantaine")
    assert run.returncode == 0, run.stderr
    assert "Fichiers dans inbox/ : 0." in run.stdout


def test_cdv_racine_names_the_workspace(tmp_path: Path) -> None:
    root = init_workspace(tmp_path / "espace").root
    (root / "inbox" / "a.docx").write_bytes(b"")
    env = {**os.environ, "CDV_RACINE": str(root)}
    run = subprocess.run([*CDV, "etat"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Fichiers dans inbox/ : 1." in run.stdout


def test_resolve_prefers_racine_then_the_nearest_enclosing_workspace(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CDV_RACINE", raising=False)
    outer = init_workspace(tmp_path / "espace").root
    assert Workspace.resolve(None, start=outer / "outbox" / "chartes").root == outer
    assert Workspace.resolve(tmp_path / "ailleurs", start=outer).root == tmp_path / "ailleurs"
    (tmp_path / "seul" / "inbox").mkdir(parents=True)  # one folder of four is not a workspace
    with pytest.raises(EspaceIntrouvable, match=NO_WORKSPACE):
        Workspace.resolve(None, start=tmp_path / "seul")
