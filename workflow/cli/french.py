"""French for the messages click prints itself (usage, errors, help headings, value names).

click marks most such messages with gettext's `_`; rebinding `_` in click's modules to this
small catalogue makes the whole command line speak French, whatever the import order. The rest
is not translatable text in click: the names of value types (`TEXT`, `INTEGER`), shown as
metavars, the heading colon and the `COMMAND [ARGS]...` of groups; they are set here too.
"""

from __future__ import annotations

import re

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

_FR = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Voir « {command} {option} » pour l'aide.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing command.": "Commande manquante.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir {filename!r} : {message}",
    "unknown error": "erreur inconnue",
    "Aborted!": "Interrompu.",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas compris dans {range}.",
    "Choose from:\n\t{choices}": "Valeurs possibles :\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} n'est pas parmi {choices}.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas modifiable.",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    "Option {name!r} requires an argument.": "L'option {name!r} attend une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L'option {name!r} attend {nargs} valeurs.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name!r} attend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère initial invalide pour l'option ({option})",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l'une de ces options : {possibilities} ?)",
    "required": "obligatoire",
    "(dynamic)": "(calculé)",
    "deprecated": "obsolète",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Attention : la commande {name!r} est obsolète.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Attention : le paramètre {name!r} est obsolète.{extra_message}"
    ),
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Takes {nargs} values but 1 was given.": "Attend {nargs} valeurs, 1 seule reçue.",
    "Takes {nargs} values but {len} were given.": "Attend {nargs} valeurs, {len} reçues.",
    "{len_type} values are required, but {len_value} was given.": "{len_type} valeurs attendues, {len_value} reçue.",
    "{len_type} values are required, but {len_value} were given.": "{len_type} valeurs attendues, {len_value} reçues.",
    "{value!r} does not match the format {format}.": "{value!r} ne suit pas le format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} ne suit aucun des formats {formats}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} n'est pas une valeur booléenne. Valeurs reconnues : {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un UUID valide.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} n'est pas exécutable.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Do you want to continue?": "Continuer ?",
    "Confirm the action without prompting.": "Confirmer sans poser la question.",
    "Repeat for confirmation": "Répéter pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyer sur une touche pour continuer…",
}

# Value types name the metavar of an option (`--annee ENTIER`) and appear in their errors.
_TYPE_NAMES: dict[type[click.types.ParamType], str] = {
    click.types.StringParamType: "texte",
    click.types.UnprocessedParamType: "texte",
    click.types.IntParamType: "entier",
    click.types.IntRange: "entier",
    click.types.FloatParamType: "nombre",
    click.types.FloatRange: "nombre",
    click.types.BoolParamType: "booléen",
    click.types.DateTime: "date",
    click.types.UUIDParameterType: "uuid",
    click.types.File: "fichier",
}
_USAGE_WORDS = {"COMMAND": "COMMANDE", "COMMAND1": "COMMANDE1", "COMMAND2": "COMMANDE2", "ARGS": "ARGUMENTS"}


def _gettext(message: str) -> str:
    return _FR.get(message, message)


def _ngettext(msgid1: str, msgid2: str, n: int) -> str:
    message = msgid1 if n == 1 else msgid2
    return _FR.get(message, message)


class FrenchHelpFormatter(click.formatting.HelpFormatter):
    """French typography of headings (`Options :`) and French words in group usage lines."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = re.sub(r"\b(COMMAND[12]?|ARGS)\b", lambda m: _USAGE_WORDS[m[1]], args)
        super().write_usage(prog, args, prefix)


for _module in (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
):
    if hasattr(_module, "_"):
        _module._ = _gettext  # type: ignore[attr-defined]
    if hasattr(_module, "ngettext"):
        _module.ngettext = _ngettext  # type: ignore[attr-defined]
for _type, _name in _TYPE_NAMES.items():
    _type.name = _name
click.core.Context.formatter_class = FrenchHelpFormatter
