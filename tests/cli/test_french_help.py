"""Every help page and every usage error of `cdv` is French: no English left over from click."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support import cdv

from workflow.cli import app
from workflow.cli.french import _FR

ENGLISH_WORDS = ["TEXT", "INTEGER", "FLOAT", "BOOLEAN", "PATH", "FILE", "FILENAME", "DIRECTORY", "COMMAND", "ARGS"]
ENGLISH_PHRASES = [
    "[required]",
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Show this message and exit.",
    "Error:",
    "Missing argument",
    "Missing option",
    "No such option",
    "No such command",
    "Invalid value",
    "Got unexpected extra argument",
    "is not one of",
    "is not a valid",
    "Did you mean",
    "Try '",
    "for help.",
    "default:",
    "env var:",
    "required",
]
# click's own messages for programming mistakes in a command's definition: never shown to users.
DEVELOPER_MESSAGES = {
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Unknown color {colour!r}",
    "Choice({choices})",
    "%(prog)s, version %(version)s",  # the same in French
}
PATCHED_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def english_in(text: str) -> list[str]:
    """Return the English words and phrases of click found in `text`."""
    words = [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", text)]
    return words + [p for p in ENGLISH_PHRASES if p in text]


def every_command(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Yield the path and the command of every group and command under `group`, itself included."""
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = dict(every_command(app))


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(("cdv", *p)))
def test_every_help_page_is_french(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="cdv")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Utilisation : cdv")
    assert "Options :" in result.output
    assert english_in(result.output) == []


def test_every_command_has_an_example() -> None:
    leaves = {p: c for p, c in COMMANDS.items() if not isinstance(c, click.Group)}
    assert {("ingerer",), ("etat",), ("registre", "export")} <= set(leaves)
    assert [" ".join(p) for p, c in leaves.items() if "Exemple" not in (c.help or "")] == []


def test_click_messages_all_have_a_french_translation() -> None:
    """A click upgrade that adds a message fails here rather than printing English to users."""
    untranslated = set()
    for module in PATCHED_MODULES:
        tree = ast.parse((Path(click.__file__).parent / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = node.args[: 1 if node.func.id == "_" else 2]
                untranslated |= {a.value for a in texts if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    assert untranslated - set(_FR) - DEVELOPER_MESSAGES == set()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ingerer"], "Argument manquant 'FICHIERS...'"),
        (["formulaire", "questionnaire"], "Option manquante '--organisme'"),
        (["registre", "export", "--formt", "csv"], "Option inconnue : '--formt'. (Vouliez-vous dire"),
        (["registre", "export", "--format", "pdf"], "'pdf' n'est pas parmi 'json', 'csv', 'xlsx'"),
        (["instances", "liste", "--annee", "deux"], "'deux' n'est pas un entier valide"),
        (["etat", "en-trop"], "Argument en trop : en-trop"),
        (["registr"], "Commande inconnue : 'registr'"),
    ],
)
def test_usage_errors_are_french(args: list[str], expected: str, tmp_path: Path) -> None:
    run = cdv(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert expected in run.stderr
    assert "Utilisation : cdv" in run.stderr and "Erreur : " in run.stderr and "pour l'aide" in run.stderr
    assert english_in(run.stderr) == []
