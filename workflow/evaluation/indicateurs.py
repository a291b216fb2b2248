"""Observations: each quarter's latest value of every indicator against the CUA, with its
evolution since the first value known."""

from __future__ import annotations

from decimal import Decimal

from workflow.evaluation.tableaux import Colonne, Format, Tableau
from workflow.referentiel import Referentiel
from workflow.suivi.observations import Point, Series

FORMATS: dict[str, Format] = {"habitants": "entier", "euros": "euros", "pourcent": "pourcent", "nombre": "entier"}


def serie_du_quartier(series: Series, ref: Referentiel, quartier: str, indicateur: str) -> tuple[list[Point], str]:
    """The quarter's own points, else those of the former territory covering it (and its name)."""
    if series.get((quartier, indicateur)):
        return series[quartier, indicateur], ""
    for t in ref.observations.territoires:
        if quartier in t.couvre and series.get((t.id, indicateur)):
            return series[t.id, indicateur], t.nom
    return [], ""


def _nearest(points: list[Point], year: int) -> Point | None:
    """The comparison point of the same year, else the closest one (earlier first)."""
    return min(points, key=lambda p: (abs(p.annee - year), p.annee > year), default=None)


def comparaison(series: Series, ref: Referentiel, indicateur: str) -> Tableau | None:
    ind = ref.observations.indicateur(indicateur)
    fmt = FORMATS[ind.unite]
    gap: Format = "nombre" if ind.unite == "pourcent" else fmt
    cua = series.get((ref.observations.reference.id, indicateur), [])
    rows = []
    for q in ref.quartiers.quartiers:
        points, via = serie_du_quartier(series, ref, q.id, indicateur)
        if not points:
            continue
        last, first = points[-1], points[0]
        other = _nearest(cua, last.annee)
        rows.append(
            (
                q.nom + (f" — données {via}" if via else ""),
                last.annee,
                last.valeur,
                other.valeur if other else None,
                other.annee if other else None,
                last.valeur - other.valeur if other else None,
                f"{first.annee}-{last.annee}" if len(points) > 1 else None,
                last.valeur - first.valeur if len(points) > 1 else None,
            )
        )
    if not rows:
        return None
    unit = " (points)" if ind.unite == "pourcent" else ""
    return Tableau(
        ind.libelle,
        (
            Colonne("Quartier"),
            Colonne("Année", "annee"),
            Colonne("Valeur", fmt),
            Colonne(ref.observations.reference.nom, fmt),
            Colonne("Année CUA", "annee"),
            Colonne("Écart à la CUA" + unit, gap),
            Colonne("Période"),
            Colonne("Évolution" + unit, gap),
        ),
        rows,
        feuille=ind.feuille or ind.libelle,
    )


def sources(series: Series, ref: Referentiel) -> Tableau:
    """Every value used, with its source: where each figure of the report comes from."""
    names = {q.id: q.nom for q in ref.quartiers.quartiers} | {t.id: t.nom for t in ref.observations.territoires}
    labels = {i.id: i.libelle for i in ref.observations.indicateurs}
    rows = [
        (names.get(t, t), labels.get(i, i), p.annee, p.valeur, p.source + (f" — {p.note}" if p.note else ""))
        for (t, i), points in sorted(series.items())
        for p in points
    ]
    return Tableau(
        "Sources des observations",
        (
            Colonne("Territoire"),
            Colonne("Indicateur"),
            Colonne("Année", "annee"),
            Colonne("Valeur", "nombre"),
            Colonne("Source"),
        ),
        rows,
        feuille="Sources des observations",
    )


def revenus(series: Series, ref: Referentiel) -> dict[str, list[tuple[int, Decimal]]]:
    """Median income over the years per quarter (a former territory's once) and the CUA."""
    found: dict[str, list[tuple[int, Decimal]]] = {}
    for q in ref.quartiers.quartiers:
        points, via = serie_du_quartier(series, ref, q.id, "revenu_median")
        label = via or q.nom
        if points and label not in found:
            found[label] = [(p.annee, p.valeur) for p in points]
    cua = series.get((ref.observations.reference.id, "revenu_median"), [])
    if cua:
        found[ref.observations.reference.nom] = [(p.annee, p.valeur) for p in cua]
    return found
