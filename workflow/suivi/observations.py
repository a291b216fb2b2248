"""Quarter indicators: the contract's portraits (reference data) and newer values imported from a
table, merged into one series per territory and indicator, each point with where it comes from."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import Observation
from workflow.suivi.tableur import Importation, Rejet, lire
from workflow.text import normalise
from workflow.validation.identifiants import montant
from workflow.validation.quartiers import resolve_text

COLONNES: dict[str, tuple[str, ...]] = {
    "territoire": ("Territoire", "Quartier", "QPV", "Zone"),
    "indicateur": ("Indicateur", "Donnée", "Variable"),
    "annee": ("Année", "Annee", "Millésime", "Année de la donnée"),
    "valeur": ("Valeur", "Valeur observée", "Taux", "Montant"),
    "source": ("Source", "Origine", "Producteur"),
}


@dataclass(frozen=True)
class Point:
    annee: int
    valeur: Decimal
    source: str  # the contract's portraits, or "file, ligne N"
    note: str = ""


Series = dict[tuple[str, str], list[Point]]  # (territoire, indicateur) → points by year


def territoire(ref: Referentiel, written: str) -> str:
    """Return the id of the quarter or territory named `written`, or a French error."""
    norm = normalise(written)
    for t in ref.observations.territoires:
        if norm in (normalise(t.id), normalise(t.nom)) or (t.reference and norm in ("cua", "epci")):
            return t.id
    ids = resolve_text(written, ref).ids
    if len(ids) == 1:
        return ids[0]
    raise CdvError(f"territoire inconnu « {written} »")


def indicateur(ref: Referentiel, written: str) -> str:
    """Return the id of the indicator named `written` (id, label or close to it)."""
    norm = normalise(written)
    choices = {i.id: normalise(i.libelle) for i in ref.observations.indicateurs}
    for key, label in choices.items():
        if norm in (normalise(key), label):
            return key
    best = max(choices, key=lambda k: fuzz.token_set_ratio(norm, choices[k]))
    if fuzz.token_set_ratio(norm, choices[best]) >= 90:
        return best
    raise CdvError(f"indicateur inconnu « {written} » (voir registry/referentiel/observations.yaml)")


def valeur(text: str) -> Decimal:
    """Read « 38,2 % », « 12 900 € » or « 348 »."""
    value = montant(re.sub(r"%|pts?\b|points?", "", text))
    if value is None:
        raise CdvError(f"valeur illisible « {text} »")
    return value


def importer(registry: Registry, ref: Referentiel, path: Path) -> Importation:
    """Record the values of a table; a value already known for the same territory, indicator and
    year is replaced. Bad rows are reported by number, the others kept."""
    done, rejets = 0, []
    with registry.session() as session:
        for number, cells in lire(path, COLONNES, ("territoire", "indicateur", "annee", "valeur")).lignes:
            try:
                year = cells["annee"].split(".")[0]
                if not re.fullmatch(r"(19|20)\d\d", year):
                    raise CdvError(f"année illisible « {cells['annee']} »")
                _upsert(
                    session,
                    Observation(
                        territoire=territoire(ref, cells["territoire"]),
                        indicateur=indicateur(ref, cells["indicateur"]),
                        annee=int(year),
                        valeur=valeur(cells["valeur"]),
                        source=cells.get("source", ""),
                        fichier=path.name,
                        ligne=number,
                    ),
                )
                done += 1
            except CdvError as e:
                rejets.append(Rejet(number, str(e)))
    return Importation(done, tuple(rejets))


def _upsert(session: Session, new: Observation) -> None:
    old = session.scalar(
        select(Observation).where(
            Observation.territoire == new.territoire,
            Observation.indicateur == new.indicateur,
            Observation.annee == new.annee,
        )
    )
    if old is not None:
        session.delete(old)
        session.flush()
    session.add(new)


def series(session: Session, ref: Referentiel) -> Series:
    """Return every series: the contract's values, replaced year by year by imported ones."""
    points: dict[tuple[str, str], dict[int, Point]] = defaultdict(dict)
    for v in ref.observations.valeurs:
        points[v.territoire, v.indicateur][v.annee] = Point(
            v.annee, Decimal(str(v.valeur)), ref.observations.source, v.note
        )
    for o in session.scalars(select(Observation)):
        where = f"{o.fichier}, ligne {o.ligne}"
        points[o.territoire, o.indicateur][o.annee] = Point(
            o.annee, o.valeur, f"{o.source} ({where})" if o.source else where
        )
    return {key: [by_year[y] for y in sorted(by_year)] for key, by_year in points.items()}
