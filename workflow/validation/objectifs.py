"""Resolve declared objectives against the tree: by code and by label, ambition inferred."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.answers import Alerte, ObjectifDeclare
from workflow.referentiel import Ambition, ObjectifOperationnel, Referentiel
from workflow.text import likeness, normalise, similarity
from workflow.validation.alertes import CodeAlerte

SAME_LABEL = 82  # similarity above which a written label is the tree's label
CLOSE_LABEL = 62  # similarity above which a label is worth pointing to
_CODE = re.compile(r"^\s*(\d{1,2})\s*([A-Za-z])(?:\s*-\s*(\d))?(?![A-Za-z])\s*[-–:.)]*\s*(.*)$", re.S)
_OS = re.compile(
    r"^\s*(?:objectif\s+strat[ée]gique|o\.?s\.?)?\s*(?:n\s*°|n°|no)?\s*(\d{1,2})\b\s*[-–:.)]*\s*(.*)$", re.I | re.S
)


@dataclass(frozen=True)
class Saisie:
    """One objective as written: any of its parts may be empty."""

    ambition: str = ""
    os: str = ""
    os_libelle: str = ""
    oo: str = ""
    libelle: str = ""


def parse_code(text: str) -> tuple[int | None, str, str]:
    """Return (OS number, code, label written after it) from "2A", "2 a -", "2E-2 Lutter…"."""
    match = _CODE.match(text or "")
    if not match:
        return None, "", (text or "").strip()
    code = match.group(1) + match.group(2).upper() + (f"-{match.group(3)}" if match.group(3) else "")
    return int(match.group(1)), code, match.group(4).strip()


def parse_os(text: str) -> tuple[int | None, str]:
    match = _OS.match(text or "")
    return (int(match.group(1)), match.group(2).strip()) if match else (None, (text or "").strip())


def resolve_ambition(text: str, ref: Referentiel) -> Ambition | None:
    norm = normalise(text)
    if not norm:
        return None
    for ambition in ref.ambitions:
        names = {normalise(n) for n in (ambition.id, ambition.libelle, *ambition.alias)}
        if norm in names or any(n and f" {n} " in f" {norm} " for n in names if len(n) > 5):
            return ambition
    return None


def own_ambition(saisie: Saisie, ref: Referentiel) -> Ambition | None:
    """Return the ambition a row names or implies on its own, without its neighbours."""
    os_num, os_label = parse_os(saisie.os)
    code_os, code, label_after_code = parse_code(saisie.oo)
    label = saisie.libelle.strip() or label_after_code
    return resolve_ambition(saisie.ambition, ref) or _infer_ambition(
        ref, os_num or code_os, os_label or saisie.os_libelle, code, label
    )


def resolve(
    saisie: Saisie, ref: Referentiel, champ: str, contexte: Ambition | None = None
) -> tuple[ObjectifDeclare, list[Alerte]]:
    """Return the declared objective tied to the tree, and the alerts it raises.

    `contexte` is the ambition the partner's other rows point to, used when this row says none.
    """
    os_num, _ = parse_os(saisie.os)
    code_os, code, label_after_code = parse_code(saisie.oo)
    label = saisie.libelle.strip() or label_after_code
    os_num = os_num or code_os
    ambition = own_ambition(saisie, ref) or contexte
    written = _written(saisie, code)
    if ambition is None:
        alert = Alerte(
            CodeAlerte.OBJECTIF_INCONNU, f"Objectif {written} : ambition non précisée et impossible à déduire.", champ
        )
        return ObjectifDeclare(None, os_num, code, label, None), [alert]
    os_ = ambition.os(os_num) if os_num else None
    if os_num and os_ is None:
        alert = Alerte(
            CodeAlerte.OBJECTIF_INCONNU,
            f"Objectif {written} : « {ambition.libelle} » n'a pas d'objectif stratégique n° {os_num}.",
            champ,
        )
        return ObjectifDeclare(ambition.id, os_num, code, label, None), [alert]
    scope = [
        (o.numero, oo) for o in ambition.objectifs_strategiques if os_ in (None, o) for oo in o.objectifs_operationnels
    ]
    if not code:
        return _by_label(ambition, scope, os_num, label, written, champ)
    candidates = [(n, oo) for n, oo in scope if code in (oo.printed_code, oo.code)]
    if not candidates:
        hint = _hint(scope, label, ambition)
        alert = Alerte(
            CodeAlerte.OBJECTIF_INCONNU,
            f"Objectif {written} : le code {code} n'existe pas dans "
            f"« {ambition.libelle} », objectif stratégique {os_num}.{hint}",
            champ,
        )
        return ObjectifDeclare(ambition.id, os_num, code, label, None), [alert]
    number, oo = max(candidates, key=lambda c: similarity(label, c[1].libelle) if label else 0)
    declared = ObjectifDeclare(ambition.id, number, code, label, _key(ambition, number, oo))
    if label and similarity(label, oo.libelle) < SAME_LABEL:
        hint = _hint([c for c in scope if c[1] is not oo], label, ambition)
        alert = Alerte(
            CodeAlerte.OBJECTIF_LIBELLE_DIFFERENT,
            f"Objectif {code} ({ambition.libelle}, objectif "
            f"stratégique {number}) : le libellé saisi « {label} » ne correspond pas au libellé "
            f"du contrat « {oo.libelle} ».{hint}",
            champ,
        )
        return declared, [alert]
    return declared, []


def _by_label(
    ambition: Ambition,
    scope: list[tuple[int, ObjectifOperationnel]],
    os_num: int | None,
    label: str,
    written: str,
    champ: str,
) -> tuple[ObjectifDeclare, list[Alerte]]:
    if not label:
        return ObjectifDeclare(ambition.id, os_num, "", "", None), []
    best = max(scope, key=lambda c: similarity(label, c[1].libelle), default=None)
    if best and similarity(label, best[1].libelle) >= SAME_LABEL:
        number, oo = best
        return ObjectifDeclare(ambition.id, number, oo.printed_code, label, _key(ambition, number, oo)), []
    alert = Alerte(
        CodeAlerte.OBJECTIF_INCONNU,
        f"Objectif {written} : aucun objectif opérationnel de « {ambition.libelle} » ne correspond à ce libellé.",
        champ,
    )
    return ObjectifDeclare(ambition.id, os_num, "", label, None), [alert]


SAME_CODE_BONUS = 15  # a label close to the one under the code written outweighs a closer one elsewhere


def _infer_ambition(ref: Referentiel, os_num: int | None, os_label: str, code: str, label: str) -> Ambition | None:
    """Infer a missing ambition from the OS label, then the OO label, then a code found once."""
    if os_label:
        scored = [
            (similarity(os_label, o.libelle), a)
            for a in ref.ambitions
            for o in a.objectifs_strategiques
            if os_num in (None, o.numero)
        ]
        best = max(scored, key=lambda s: s[0], default=None)
        if best and best[0] >= SAME_LABEL:
            return best[1]
    if label:
        ranked = [
            (similarity(label, oo.libelle), SAME_CODE_BONUS if code in (oo.printed_code, oo.code) else 0, a)
            for a, o, oo in ref.iter_oo()
            if os_num in (None, o.numero)
        ]
        top = max(ranked, key=lambda s: s[0] + s[1], default=None)  # the code written breaks near ties
        if top and top[0] >= CLOSE_LABEL:
            return top[2]
    if code:
        owners = {
            a.id: a for a, o, oo in ref.iter_oo() if code in (oo.printed_code, oo.code) and os_num in (None, o.numero)
        }
        if len(owners) == 1:
            return next(iter(owners.values()))
    return None


def _hint(scope: list[tuple[int, ObjectifOperationnel]], label: str, ambition: Ambition) -> str:
    if not label:
        return ""
    best = max(scope, key=lambda c: likeness(label, c[1].libelle), default=None)
    if best and likeness(label, best[1].libelle) >= CLOSE_LABEL:
        return f" Ce libellé correspond à l'objectif {best[1].printed_code} « {best[1].libelle} »."
    return " Ce libellé ne figure pas dans l'arborescence du contrat."


def _written(saisie: Saisie, code: str) -> str:
    return code or (f"« {saisie.libelle[:60]} »" if saisie.libelle else "sans code")


def _key(ambition: Ambition, os_num: int, oo: ObjectifOperationnel) -> str:
    return f"{ambition.id}/{os_num}/{oo.code}"
