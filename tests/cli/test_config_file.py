"""registry/config.toml has one reader: its sections, and a French error naming file and line."""

from __future__ import annotations

import pytest
from support import cdv

from workflow.copil import envoi
from workflow.errors import ConfigurationInvalide
from workflow.watch import mailbox
from workflow.workspace import Workspace

MALFORMED = '[registre]\nurl = "sqlite:///ailleurs.sqlite3"\n\n[envoi\nhote = "smtp.example.org"\n'


def write_config(workspace: Workspace, text: str) -> None:
    (workspace.registry / "config.toml").write_text(text, encoding="utf-8")


def test_a_section_is_read_and_a_missing_one_is_empty(workspace: Workspace) -> None:
    assert workspace.config("envoi") == {}
    write_config(workspace, '[envoi]\nhote = "smtp.example.org"\nport = 25\n')
    assert workspace.config("envoi") == {"hote": "smtp.example.org", "port": 25}
    assert workspace.config("messagerie") == {}
    assert envoi.configuration(workspace).hote == "smtp.example.org"
    assert mailbox.configuration(workspace) is None


def test_malformed_toml_names_the_file_and_the_line(workspace: Workspace) -> None:
    write_config(workspace, MALFORMED)
    with pytest.raises(ConfigurationInvalide) as caught:
        workspace.config("registre")
    message = str(caught.value)
    assert message.startswith(f"Configuration invalide ({workspace.registry / 'config.toml'}, ligne 4)")
    assert "syntaxe TOML incorrecte" in message and "« [envoi »" in message
    assert caught.value.line == 4


def test_every_reader_of_the_file_reports_it_the_same_way(workspace: Workspace) -> None:
    write_config(workspace, MALFORMED)
    for read in (
        workspace.database_url,
        lambda: envoi.configuration(workspace),
        lambda: mailbox.configuration(workspace),
    ):
        with pytest.raises(ConfigurationInvalide, match="ligne 4"):
            read()


def test_a_value_in_place_of_a_section_is_refused(workspace: Workspace) -> None:
    write_config(workspace, 'envoi = "smtp.example.org"\n')
    with pytest.raises(ConfigurationInvalide, match=r"« envoi » doit être une section \[envoi\]"):
        workspace.config("envoi")


def test_the_command_line_prints_it_and_exits_with_2(workspace: Workspace) -> None:
    write_config(workspace, MALFORMED)
    run = cdv("--racine", str(workspace.root), "registre", "export")
    assert run.returncode == 2
    assert run.stderr.startswith("Erreur : Configuration invalide (") and "config.toml, ligne 4)" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_section_name_in_a_message_is_printed_as_is(workspace: Workspace) -> None:
    run = cdv("--racine", str(workspace.root), "messagerie", "relever")
    assert run.returncode == 2
    assert "Aucune section [messagerie] dans registry/config.toml" in run.stderr
