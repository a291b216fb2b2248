"""Load the reference-data YAML files, reporting errors with the file and line in French."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from workflow.errors import ReferentielInvalide
from workflow.referentiel.model import (
    FichierAssociation,
    FichierEvaluation,
    FichierGouvernance,
    FichierObjectifs,
    FichierObservations,
    FichierProgrammation,
    FichierQuartiers,
    FichierQuestionnaire,
    FichierSignataires,
    Referentiel,
)

FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "objectifs": ("objectifs.yaml", FichierObjectifs),
    "quartiers": ("quartiers.yaml", FichierQuartiers),
    "signataires": ("signataires.yaml", FichierSignataires),
    "gouvernance": ("gouvernance.yaml", FichierGouvernance),
    "questionnaire": ("questionnaire.yaml", FichierQuestionnaire),
    "association": ("association.yaml", FichierAssociation),
    "programmation": ("programmation.yaml", FichierProgrammation),
    "observations": ("observations.yaml", FichierObservations),
    "evaluation": ("evaluation.yaml", FichierEvaluation),
}

_PYDANTIC_FR = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "string_type": "texte attendu",
    "bool_parsing": "oui/non (true/false) attendu",
    "date_from_datetime_parsing": "date AAAA-MM-JJ attendue",
    "date_parsing": "date AAAA-MM-JJ attendue",
    "date_type": "date AAAA-MM-JJ attendue",
    "literal_error": "valeur non autorisée",
    "tuple_type": "liste attendue",
    "model_type": "bloc de champs attendu",
}

Path_ = tuple[str | int, ...]


def charger_referentiel(folder: Path) -> Referentiel:
    """Return the validated reference data read from `folder`."""
    parts = {key: _load(folder / name, model) for key, (name, model) in FILES.items()}
    try:
        return Referentiel.model_validate(parts)
    except ValidationError as e:  # a file names something another file does not hold
        first = e.errors()[0]
        message = str(first["ctx"]["error"]) if "ctx" in first else first["msg"]
        name, _, detail = message.partition(" : ")
        raise ReferentielInvalide(folder / name, detail) from e


def _load(path: Path, model: type[BaseModel]) -> BaseModel:
    if not path.is_file():
        raise ReferentielInvalide(path, "fichier introuvable")
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as e:
        raise ReferentielInvalide(path, "le fichier n'est pas encodé en UTF-8") from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise ReferentielInvalide(path, f"syntaxe YAML incorrecte ({e.problem})", line) from e
    if node is None:
        raise ReferentielInvalide(path, "fichier vide")
    lines: dict[Path_, int] = {}
    data = _to_python(node, (), lines)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = tuple(first["loc"])
        message = _PYDANTIC_FR.get(first["type"], "")
        if first["type"] == "value_error":
            message = str(first["ctx"]["error"]) if "ctx" in first else first["msg"]
        message = message or first["msg"]
        label = ".".join(str(p) for p in loc)
        raise ReferentielInvalide(path, f"{label} : {message}" if label else message, _line_of(loc, lines)) from e


def _to_python(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    """Build plain Python data from a YAML node, remembering the line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return {key.value: _to_python(value, (*path, key.value), lines) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return yaml.SafeLoader(stream="").construct_object(node)


def _line_of(loc: Path_, lines: dict[Path_, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None
