"""Fields of a recorded version addressed by their export path, read and written as text.

A path is the one staff see in exports and provenance: `referent_courriel`,
`interventions_structurantes[0].intitule`, `actions[1].cofinancements[0].montant`. Writing checks
the value the way the validate stage would and refuses, in French, what it would flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm.attributes import flag_modified

from workflow.answers import IDENTITE_ASSOCIATION
from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.registry.models import (
    ActionRow,
    CofinancementRow,
    FicheAssociationVersion,
    QuartierRow,
    QuestionnaireVersion,
)
from workflow.validation.contacts import email_problem, phone_problem
from workflow.validation.identifiants import montant, rna_problem, siret_problem
from workflow.validation.objectifs import Saisie, resolve
from workflow.validation.quartiers import resolve_text

Version = QuestionnaireVersion | FicheAssociationVersion
_STEP = re.compile(r"^([a-z_0-9]+)(?:\[(\d+)\])?$")


@dataclass(frozen=True)
class Champ:
    """One correctable value: how to read it as text, and how to write text into it."""

    get: Callable[[], str]
    set: Callable[[str], None]


def field(version: Version, path: str, ref: Referentiel) -> Champ:
    """Return the field at `path` of `version`, or say in French that there is none."""
    steps = [_step(part, path) for part in path.split(".")]
    found = _questionnaire(version, steps, ref) if isinstance(version, QuestionnaireVersion) else None
    if isinstance(version, FicheAssociationVersion):
        found = _association(version, steps, ref)
    if found is None:
        raise CdvError(f"champ « {path} » inconnu pour cette soumission (voir : cdv revue voir)")
    return found


def _step(part: str, path: str) -> tuple[str, int | None]:
    match = _STEP.match(part)
    if not match:
        raise CdvError(f"chemin de champ illisible : « {path} » (exemple : interventions_structurantes[0].intitule)")
    return match[1], int(match[2]) if match[2] is not None else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _attribute(row: Any, name: str, convert: Callable[[str], Any] = str) -> Champ:
    return Champ(lambda: _text(getattr(row, name)), lambda text: setattr(row, name, convert(text)))


def _item(rows: list[Any], index: int | None, path: str) -> Any:
    if index is None or not 0 <= index < len(rows):
        raise CdvError(f"élément absent : « {path} » (la liste en compte {len(rows)}, numérotés à partir de 0)")
    return rows[index]


# --- questionnaires -------------------------------------------------------------------------------

_QUESTIONNAIRE_SCALARS = {
    "referent_nom": "referent_nom",
    "referent_fonction": "referent_fonction",
    "referent_courriel": "referent_courriel",
    "referent_telephone": "referent_telephone",
    "engagements_2024_2030": "engagements",
}
_QUESTIONNAIRE_LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "interventions_structurantes": ("interventions", ("intitule", "description")),
    "agents_gouvernance": ("agents", ("nom", "fonction")),
}
_OBJECTIVE_KEYS = ("ambition", "os", "oo", "libelle_saisi")


def _questionnaire(v: QuestionnaireVersion, steps: list[tuple[str, int | None]], ref: Referentiel) -> Champ | None:
    (name, index), rest = steps[0], steps[1:]
    if name in _QUESTIONNAIRE_SCALARS and index is None and not rest:
        return _attribute(v, _QUESTIONNAIRE_SCALARS[name], _CHECKS.get(name, str))
    if name == "quartiers_vises" and index is None and not rest:
        return Champ(
            lambda: ", ".join(q.quartier_id for q in v.quartiers),
            lambda text: _set_quartiers(v, text, ref),
        )
    if name == "objectifs" and len(rest) == 1 and rest[0][0] in _OBJECTIVE_KEYS:
        row = _item(v.objectifs, index, name)
        return _objective(lambda k: getattr(row, k), lambda values: _assign(row, values), rest[0][0], ref)
    if name in _QUESTIONNAIRE_LISTS and len(rest) == 1 and rest[0][1] is None:
        relation, columns = _QUESTIONNAIRE_LISTS[name]
        if rest[0][0] in columns:
            return _attribute(_item(getattr(v, relation), index, name), rest[0][0])
    return None


def _assign(row: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(row, key, value)


def _objective(get: Callable[[str], Any], put: Callable[[dict[str, Any]], None], key: str, ref: Referentiel) -> Champ:
    """A part of a declared objective: writing it places the objective in the contract's tree again,
    and a corrected objective the tree does not hold is refused."""

    def write(text: str) -> None:
        values = {k: get(k) for k in _OBJECTIVE_KEYS}
        values[key] = _integer(text) if key == "os" else _ambition(ref)(text) if key == "ambition" else text.strip()
        saisie = Saisie(
            ambition=values["ambition"] or "",
            os=str(values["os"] or ""),
            oo=values["oo"] or "",
            libelle=values["libelle_saisi"] or "",
        )
        declared, problems = resolve(saisie, ref, "objectifs")
        if declared.reference is None:
            raise CdvError(f"valeur refusée : {problems[0].message if problems else 'objectif introuvable'}")
        put({**values, "ambition": declared.ambition, "os": declared.os, "reference": declared.reference})

    return Champ(lambda: _text(get(key)), write)


def _set_quartiers(v: QuestionnaireVersion, text: str, ref: Referentiel) -> None:
    ids = _quartier_ids(text, ref)
    v.quartiers[:] = [QuartierRow(rang=i, quartier_id=q) for i, q in enumerate(ids)]


def _quartier_ids(text: str, ref: Referentiel) -> list[str]:
    items = [t.strip() for t in re.split(r"[,;\n]", text) if t.strip()]
    ids: list[str] = []
    for item in items:
        found = [item] if ref.quartier(item) else list(resolve_text(item, ref, "quartiers").ids)
        if not found:
            raise CdvError(f"quartier non reconnu : « {item} » (voir : cdv referentiel verifier)")
        ids += [q for q in found if q not in ids]
    return ids


# --- association forms ------------------------------------------------------------------------------

_ASSOCIATION_JSON_LISTS = ("engagements", "indicateurs_suivi")
_ACTION_COLUMNS = ("intitule", "description", "public_vise", "beneficiaires_prevus", "periode")


def _association(v: FicheAssociationVersion, steps: list[tuple[str, int | None]], ref: Referentiel) -> Champ | None:
    (name, index), rest = steps[0], steps[1:]
    if not rest and index is None:
        return _association_scalar(v, name, ref)
    if name == "objectifs" and len(rest) == 1 and rest[0][0] in _OBJECTIVE_KEYS:
        item = _item(v.objectifs, index, name)
        return _objective(item.get, lambda values: _update_json(v, "objectifs", item, values), rest[0][0], ref)
    if name == "actions" and rest:
        action: ActionRow = _item(v.actions, index, name)
        if len(rest) == 1 and rest[0][0] in _ACTION_COLUMNS:
            return _attribute(action, rest[0][0], _integer if rest[0][0] == "beneficiaires_prevus" else str)
        if len(rest) == 2 and rest[0][0] == "cofinancements" and rest[1][0] in ("financeur", "montant"):
            row: CofinancementRow = _item(action.cofinancements, rest[0][1], "cofinancements")
            return _attribute(row, rest[1][0], _amount if rest[1][0] == "montant" else str)
    return None


def _association_scalar(v: FicheAssociationVersion, name: str, ref: Referentiel) -> Champ | None:
    if name in IDENTITE_ASSOCIATION:
        return _json_key(v, "identite", name, _CHECKS.get(name, str))
    if name == "quartiers_intervention":
        return Champ(lambda: ", ".join(v.quartiers), lambda text: setattr(v, "quartiers", _quartier_ids(text, ref)))
    if name == "ambitions":
        return Champ(lambda: ", ".join(v.ambitions), lambda text: setattr(v, "ambitions", _ambitions(text, ref)))
    if name in _ASSOCIATION_JSON_LISTS:
        return Champ(lambda: "; ".join(getattr(v, name)), lambda text: setattr(v, name, _list(text)))
    if name in ("fait_a", "date", "signataire_nom"):  # the signature block, flat as in exports
        return _json_key(v, "signature", name)
    if name == "autres_engagements":
        return _attribute(v, name)
    if name == "demande_cpo":
        return _attribute(v, name, _yes_no)
    if name == "duree_cpo_annees":
        return _attribute(v, name, _integer)
    return None


def _json_key(v: Any, column: str, key: str, convert: Callable[[str], Any] = str) -> Champ:
    def write(text: str) -> None:
        getattr(v, column)[key] = convert(text)
        flag_modified(v, column)

    return Champ(lambda: _text(getattr(v, column).get(key)), write)


def _update_json(v: Any, column: str, item: dict, values: dict[str, Any]) -> None:
    item.update(values)
    flag_modified(v, column)


# --- values checked as the validate stage would --------------------------------------------------------


def _checked(problem: Callable[[str], str | None]) -> Callable[[str], str]:
    def convert(text: str) -> str:
        text = text.strip()
        if text and (why := problem(text)):
            raise CdvError(f"valeur refusée : {why[:1].lower()}{why[1:]}")
        return text

    return convert


_CHECKS: dict[str, Callable[[str], Any]] = {
    "referent_courriel": _checked(email_problem),
    "referent_telephone": _checked(phone_problem),
    "siret": _checked(siret_problem),
    "rna": _checked(rna_problem),
}


def _integer(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise CdvError(f"valeur refusée : nombre entier attendu, reçu « {text} »")
    return int(text)


def _amount(text: str) -> Decimal | None:
    if not text.strip():
        return None
    value = montant(text)
    if value is None:
        raise CdvError(f"valeur refusée : montant illisible « {text} » (exemple : 1 500 €)")
    return value


def _yes_no(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value not in ("oui", "non"):
        raise CdvError(f"valeur refusée : « oui » ou « non » attendu, reçu « {text} »")
    return value == "oui"


def _list(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;\n]", text) if t.strip()]


def _ambition(ref: Referentiel) -> Callable[[str], str | None]:
    def convert(text: str) -> str | None:
        if not text.strip():
            return None
        found = ref.ambition(text.strip())
        if found is None:
            known = ", ".join(a.id for a in ref.ambitions)
            raise CdvError(f"valeur refusée : ambition « {text} » inconnue (ambitions : {known})")
        return found.id

    return convert


def _ambitions(text: str, ref: Referentiel) -> list[str]:
    convert = _ambition(ref)
    return [a for t in re.split(r"[,;\n]", text) if (a := convert(t))]
