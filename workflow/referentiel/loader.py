"""Load the reference-data YAML files, reporting errors with the file and line in French.

Files are parsed once per process (C YAML parser when available), cached by their bytes: every
command, the watcher and the sandbox worker reuse the parsed reference data while the files are
unchanged, and a Referentiel travels to the worker as those bytes, not as a pickled model.
"""

from __future__ import annotations

import copyreg
import hashlib
import threading
import weakref
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
Sources = tuple[bytes, ...]  # the bytes of each file of FILES, in its order
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KEPT = 4  # parsed versions kept per process: the current one and a few edits back
_cache: dict[bytes, Referentiel] = {}
_sources: dict[int, tuple[weakref.ref[Referentiel], Sources]] = {}
_lock = threading.Lock()


def load_referentiel(folder: Path) -> Referentiel:
    """Return the validated reference data read from `folder` (parsed again only when its files changed)."""
    sources = tuple(_read(folder / name) for name, _ in FILES.values())
    return _parsed(folder, sources)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise ReferentielInvalide(path, "fichier introuvable")
    return path.read_bytes()


def _parsed(folder: Path, sources: Sources) -> Referentiel:
    """Return the reference data these bytes hold, from this process's cache when seen before."""
    digest = hashlib.sha256(b"\0".join(sources)).digest()
    with _lock:
        if (found := _cache.get(digest)) is not None:
            return found
    ref = _validated(folder, sources)
    with _lock:
        _cache[digest] = ref
        _sources[id(ref)] = (weakref.ref(ref), sources)
        while len(_cache) > _KEPT:
            _sources.pop(id(_cache.pop(next(iter(_cache)))), None)
    return ref


def _validated(folder: Path, sources: Sources) -> Referentiel:
    parts = {
        key: _load(folder / name, model, data)
        for (key, (name, model)), data in zip(FILES.items(), sources, strict=True)
    }
    try:
        return Referentiel.model_validate(parts)
    except ValidationError as e:  # a file names something another file does not hold
        first = e.errors()[0]
        message = str(first["ctx"]["error"]) if "ctx" in first else first["msg"]
        name, _, detail = message.partition(" : ")
        raise ReferentielInvalide(folder / name, detail) from e


def _from_sources(sources: Sources) -> Referentiel:
    """Rebuild a pickled Referentiel from its files' bytes (already validated by the sender)."""
    return _parsed(Path("referentiel"), sources)


def _reduce(ref: Referentiel) -> Any:
    """Pickle a loaded Referentiel as its files' bytes: the receiver parses them once and keeps them."""
    with _lock:
        known = _sources.get(id(ref))
    if known is not None and known[0]() is ref:
        return _from_sources, (known[1],)
    return ref.__reduce_ex__(2)


copyreg.pickle(Referentiel, _reduce)


def _load(path: Path, model: type[BaseModel], data: bytes) -> BaseModel:
    try:
        node = yaml.compose(data.decode("utf-8"), Loader=_LOADER)
    except UnicodeDecodeError as e:
        raise ReferentielInvalide(path, "le fichier n'est pas encodé en UTF-8") from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise ReferentielInvalide(path, f"syntaxe YAML incorrecte ({e.problem})", line) from e
    if node is None:
        raise ReferentielInvalide(path, "fichier vide")
    lines: dict[Path_, int] = {}
    tree = _to_python(node, (), lines, yaml.constructor.SafeConstructor())
    try:
        return model.model_validate(tree)
    except ValidationError as e:
        first = e.errors()[0]
        loc = tuple(first["loc"])
        message = _PYDANTIC_FR.get(first["type"], "")
        if first["type"] == "value_error":
            message = str(first["ctx"]["error"]) if "ctx" in first else first["msg"]
        message = message or first["msg"]
        label = ".".join(str(p) for p in loc)
        raise ReferentielInvalide(path, f"{label} : {message}" if label else message, _line_of(loc, lines)) from e


def _to_python(node: yaml.Node, path: Path_, lines: dict[Path_, int], scalars: yaml.constructor.SafeConstructor) -> Any:
    """Build plain Python data from a YAML node, remembering the line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return {key.value: _to_python(value, (*path, key.value), lines, scalars) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines, scalars) for i, item in enumerate(node.value)]
    return scalars.construct_object(node)


def _line_of(loc: Path_, lines: dict[Path_, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None
