"""Field-by-field comparison of what the reader gives back with a golden `.json` written by hand.

The golden files follow tests/fixtures/unseen/README.md: quarters by id, ambitions by their label,
objectives as (ambition, os, oo) with the label as written, amounts in euros, commitments by label.
Both forms flatten to {field name: comparable value}; a miss is a field whose value differs, a
misfile a value given back under a field that should be empty or absent.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workflow.answers import FicheAssociation, Questionnaire
from workflow.intake.document import analyse_here
from workflow.parsers import Illisible
from workflow.parsers.sniff import sniff
from workflow.referentiel import Referentiel
from workflow.text import clean_spaces, similarity
from workflow.validation.organisations import resolve_signataire

RECEIVED = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def comparable(value: object) -> object:
    """Strings compared without case and with spaces and typographic quotes folded."""
    if isinstance(value, str):
        text = clean_spaces(value).replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
        return text.strip(" .;").casefold()
    if isinstance(value, (list, tuple)):
        return tuple(comparable(v) for v in value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _ambition_ids(ref: Referentiel) -> dict[str, str]:
    return {comparable(a.libelle): a.id for a in ref.ambitions} | {a.id: a.id for a in ref.ambitions}  # type: ignore[misc]


def _objectives(items: list[dict], ref: Referentiel) -> dict[str, object]:
    ids = _ambition_ids(ref)
    out: dict[str, object] = {}
    for i, o in enumerate(items, start=1):
        ambition = ids.get(comparable(o.get("ambition") or ""), o.get("ambition"))  # type: ignore[call-overload]
        out[f"objectif {i}"] = (ambition or None, o.get("os"), comparable(o.get("oo") or ""))
        out[f"objectif {i} libellé"] = comparable(o.get("libelle_saisi") or "")
    return out


def expected_fields(golden: dict, ref: Referentiel) -> dict[str, object]:
    """The comparable fields of a golden `.json`."""
    _REF[:] = [ref]
    if golden["type"] == "questionnaire":
        return _questionnaire_fields(golden, ref)
    return _association_fields(golden, ref)


def _questionnaire_fields(g: dict, ref: Referentiel) -> dict[str, object]:
    out: dict[str, object] = {
        k: comparable(g[k])
        for k in ("organisme", "referent_nom", "referent_fonction", "referent_courriel", "referent_telephone")
    }
    out["campagne"] = g["campagne"]
    if signataire := resolve_signataire(g["organisme"], _REF[0]):  # « CPAM de l'Artois » is its alias
        out["organisme"] = signataire.id
    for i, item in enumerate(g["interventions_structurantes"], start=1):
        out[f"intervention {i} intitulé"] = comparable(item.get("intitule", ""))
        out[f"intervention {i} description"] = comparable(item.get("description", ""))
    out["quartiers"] = tuple(sorted(g["quartiers_vises"]))
    for i, item in enumerate(g["agents_gouvernance"], start=1):
        out[f"agent {i}"] = (comparable(item["nom"]), comparable(item["fonction"]))
    out["engagements"] = comparable(_lines(g["engagements_2024_2030"]))
    out.update(_objectives(g["objectifs"], ref))
    return out


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip().lstrip("-–•").strip() for line in text.splitlines() if line.strip())


def _association_fields(g: dict, ref: Referentiel) -> dict[str, object]:
    identity = [k for k in g if k not in _ASSOCIATION_LISTS and k != "type"]
    out: dict[str, object] = {k: comparable(g[k]) for k in identity}
    out["quartiers"] = tuple(sorted(g["quartiers_intervention"]))
    ids = _ambition_ids(ref)
    out["ambitions"] = tuple(sorted(ids.get(comparable(a), a) for a in g["ambitions"]))  # type: ignore[call-overload]
    out.update(_objectives(g["objectifs"], ref))
    for i, a in enumerate(g["actions"], start=1):
        for key in ("intitule", "description", "public_vise", "beneficiaires_prevus", "periode"):
            out[f"action {i} {key}"] = comparable(a.get(key, "") if a.get(key) is not None else None)
        out[f"action {i} cofinancements"] = tuple(
            (comparable(c["financeur"]), float(c["montant"]) if c.get("montant") is not None else None)
            for c in a.get("cofinancements", [])
        )
    out["engagements"] = tuple(sorted(_commitment_id(e, ref) for e in g["engagements"]))
    for key in ("siret", "rna"):  # an identifier's spacing is typography, not a reading
        if key in out:
            out[key] = str(out[key]).replace(" ", "")
    out["indicateurs"] = tuple(comparable(x) for x in g["indicateurs_suivi"])
    return out


def _commitment_id(written: str, ref: Referentiel) -> str:
    """A golden commitment by its id: the standard whose label it is, or close to (« égalité femmes-hommes »
    for « égalité entre les femmes et les hommes »), else the text as written."""
    standards = ref.association.engagements_standards
    if written in {e.id for e in standards}:
        return written
    best = max(standards, key=lambda e: similarity(written, e.libelle))
    return best.id if similarity(written, best.libelle) >= 80 else str(comparable(written))


_ASSOCIATION_LISTS = {"quartiers_intervention", "ambitions", "objectifs", "actions", "engagements", "indicateurs_suivi"}


def read_fields(form: Questionnaire | FicheAssociation) -> dict[str, object]:
    """The comparable fields of what the reader gave back."""
    if isinstance(form, Questionnaire):
        g = {
            "type": "questionnaire",
            "organisme": form.organisme,
            "campagne": form.campagne,
            "referent_nom": form.referent_nom,
            "referent_fonction": form.referent_fonction,
            "referent_courriel": form.referent_courriel,
            "referent_telephone": form.referent_telephone,
            "interventions_structurantes": [vars(i) for i in form.interventions],
            "quartiers_vises": list(form.quartiers),
            "agents_gouvernance": [vars(a) for a in form.agents],
            "engagements_2024_2030": form.engagements,
            "objectifs": [vars(o) for o in form.objectifs],
        }
        return _questionnaire_fields(g, _REF[0])
    identite = dict(form.identite)
    g = {
        "type": "association",
        **{f.id: identite.get(f.id, "") for f in _REF[0].association.entete},
        "quartiers_intervention": list(form.quartiers),
        "ambitions": list(form.ambitions),
        "objectifs": [vars(o) for o in form.objectifs],
        "actions": [{**vars(a), "cofinancements": [vars(c) for c in a.cofinancements]} for a in form.actions],
        "engagements": list(form.engagements),
        "autres_engagements": form.autres_engagements,
        "demande_cpo": {True: "oui", False: "non", None: ""}[form.demande_cpo],
        "duree_cpo_annees": form.duree_cpo_annees,
        "indicateurs_suivi": list(form.indicateurs_suivi),
        **{k: form.signature.get(k, "") for k in ("fait_a", "date", "signataire_nom")},
    }
    return _association_fields(g, _REF[0])


_REF: list[Referentiel] = []


@dataclass
class Score:
    """One document's comparison: fields expected, exact, missed and misfiled, with the details."""

    document: str
    expected: int = 0
    exact: int = 0
    misses: dict[str, str] = field(default_factory=dict)
    misfiled: dict[str, str] = field(default_factory=dict)
    refused: str = ""
    read: dict[str, object] | str = ""  # the fields read, or the French reason the document was refused


def _empty(value: object) -> bool:
    return value in ("", None, (), 0) or value == (None, None, "")


def score(path: Path, ref: Referentiel) -> Score:
    """Read `path` and compare it with the `.json` beside it (same stem)."""
    _REF[:] = [ref]
    golden = json.loads((path.parent / f"{path.stem}.json").read_text(encoding="utf-8"))
    want = expected_fields(golden, ref)
    result = Score(path.name, expected=len(want))
    try:
        form = analyse_here(path, sniff(path), ref, RECEIVED).formulaire
    except Illisible as e:
        result.refused = result.read = e.detail
        result.misses = {k: "document refusé" for k in want}
        return result
    have = result.read = read_fields(form)
    for key, value in want.items():
        if have.get(key) == value:
            result.exact += 1
        else:
            result.misses[key] = f"attendu {value!r}, lu {have.get(key)!r}"
            if not _empty(have.get(key)) and (_empty(value) or key.split(" ")[0] in _MISFILE_FIELDS):
                result.misfiled[key] = f"lu {have.get(key)!r} (attendu {value!r})"
    for key, value in have.items():
        if key not in want and not _empty(value):
            result.misfiled[key] = f"en trop {value!r}"
    return result


# fields where a wrong non-empty value means text was taken from elsewhere, not just read imperfectly
_MISFILE_FIELDS = {"referent_nom", "referent_fonction", "referent_courriel", "referent_telephone", "organisme"}
