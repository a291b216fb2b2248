"""A malformed [messagerie] section is reported in French, naming each key and what it should hold."""

from __future__ import annotations

import pytest
from support import cdv

from workflow.errors import ConfigurationInvalide
from workflow.watch.mailbox import EXPECTED, configuration

GOOD = 'hote = "imap.cu-arras.fr"\nutilisateur = "contrat-de-ville@cu-arras.fr"\n'


def _config(workspace, body: str) -> None:
    (workspace.registry / "config.toml").write_text("[messagerie]\n" + body, encoding="utf-8")


def _fault(workspace, body: str) -> str:
    _config(workspace, body)
    with pytest.raises(ConfigurationInvalide) as caught:
        configuration(workspace)
    message = str(caught.value)
    assert message.startswith(f"Configuration invalide ({workspace.registry / 'config.toml'}) : section [messagerie]")
    assert not any(word in message for word in ("unexpected", "keyword", "argument", "TypeError", "__init__"))
    return message


def test_a_well_formed_section_is_read(workspace):
    _config(workspace, GOOD + 'port = 143\nsecurite = "starttls"\nintervalle_minutes = 0.5\n')
    config = configuration(workspace)
    assert config is not None and (config.port, config.securite, config.intervalle_minutes) == (143, "starttls", 0.5)


def test_a_misspelt_key_is_named_with_the_key_meant(workspace):
    message = _fault(workspace, GOOD + 'dossier_traite = "Traités"\n')
    assert "clé « dossier_traite » inconnue (vouliez-vous dire « dossier_traites » ?)" in message


def test_an_unknown_key_far_from_any_lists_the_possible_ones(workspace):
    message = _fault(workspace, GOOD + 'couleur = "bleu"\n')
    assert "clé « couleur » inconnue (clés possibles : hote, utilisateur, port," in message


def test_a_missing_server_says_what_to_write(workspace):
    message = _fault(workspace, 'utilisateur = "cdv"\n')
    assert "clé « hote » absente : attendu le nom ou l'adresse du serveur IMAP, entre guillemets" in message


@pytest.mark.parametrize(
    "line, expected",
    [
        ('port = "993"', 'port = "993" » : attendu un nombre entier de 1 à 65535'),
        ("port = 99999", "port = 99999 » : attendu un nombre entier"),
        ("port = true", "port = true » : attendu un nombre entier"),
        ('securite = "tls"', 'securite = "tls" » : attendu « ssl » ou « starttls »'),
        ("intervalle_minutes = 0", "intervalle_minutes = 0 » : attendu un nombre de minutes plus grand que 0"),
        ('intervalle_minutes = "5"', 'intervalle_minutes = "5" » : attendu un nombre de minutes'),
        ("dossier = 3", "dossier = 3 » : attendu le nom du dossier à relever"),
        ('utilisateur = ""', 'utilisateur = "" » : attendu l\'identifiant de connexion'),
    ],
)
def test_a_value_of_the_wrong_kind_is_shown_as_written_with_what_is_expected(workspace, line, expected):
    body = (
        GOOD.replace('utilisateur = "contrat-de-ville@cu-arras.fr"\n', "") if line.startswith("utilisateur") else GOOD
    )
    assert f"« {expected}" in _fault(workspace, body + line + "\n")


def test_every_fault_is_listed_at_once(workspace):
    message = _fault(workspace, 'hotte = "imap"\nport = "x"\n')
    assert message.count(" ; ") == 3  # hotte unknown, hote and utilisateur missing, port wrong


def test_every_key_of_the_settings_says_what_it_expects():
    from dataclasses import fields

    from workflow.watch.mailbox import Messagerie

    assert {f.name for f in fields(Messagerie)} == set(EXPECTED)


def test_the_command_prints_the_french_message_and_exits_with_2(workspace):
    _config(workspace, GOOD + "port = 99999\n")
    run = cdv("--racine", str(workspace.root), "messagerie", "relever")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "section [messagerie] : « port = 99999 » : attendu un nombre entier de 1 à 65535" in run.stderr
