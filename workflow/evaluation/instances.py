"""Governance and citizen participation: meetings per year and instance, participants,
inhabitants present, institutions represented."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from workflow.evaluation.tableaux import Colonne, Tableau
from workflow.referentiel import Referentiel
from workflow.referentiel.model import Instance
from workflow.registry.models import Reunion


def _instances(ref: Referentiel, categorie: str) -> list[Instance]:
    return [i for i in ref.gouvernance.instances if i.categorie == categorie]


def par_instance(
    reunions: Sequence[Reunion], ref: Referentiel, categorie: str, annees: Sequence[int]
) -> tuple[Tableau, list[tuple[str, int]]]:
    """Meetings of each instance of `categorie` over `annees`, and (instance, meetings) for a chart."""
    instances = _instances(ref, categorie)
    ids = {i.id for i in instances}
    held = [r for r in reunions if r.instance in ids and r.date.year in annees]
    per_year = Counter((r.instance, r.date.year) for r in held)
    rows = []
    for i in instances:
        mine = [r for r in held if r.instance == i.id]
        participants = [r.participants for r in mine if r.participants is not None]
        rows.append(
            (
                i.nom,
                i.echelle,
                *(per_year[i.id, y] for y in annees),
                sum(participants) if participants else None,
                sum(r.habitants or 0 for r in mine) if any(r.habitants is not None for r in mine) else None,
                len({n for r in mine for n in r.institutions}) or None,
            )
        )
    title = (
        "Réunions des instances de gouvernance"
        if categorie == "gouvernance"
        else "Instances de participation citoyenne"
    )
    years = [Colonne(f"Réunions {y}" if len(annees) > 1 else "Réunions", "entier") for y in annees]
    table = Tableau(
        title,
        (
            Colonne("Instance"),
            Colonne("Échelle"),
            *years,
            Colonne("Participants", "entier"),
            Colonne("dont habitants", "entier"),
            Colonne("Institutions représentées", "entier"),
        ),
        rows,
        total=(
            "Total",
            "",
            *(sum(per_year[i.id, y] for i in instances) for y in annees),
            sum(r.participants or 0 for r in held),
            sum(r.habitants or 0 for r in held),
            len({n for r in held for n in r.institutions}),
        ),
        feuille="Gouvernance" if categorie == "gouvernance" else "Participation",
    )
    return table, [(i.nom, sum(per_year[i.id, y] for y in annees)) for i in instances]


def institutions(reunions: Sequence[Reunion], ref: Referentiel, annees: Sequence[int]) -> Tableau:
    """Institutions represented, with the number of governance meetings each attended."""
    ids = {i.id for i in _instances(ref, "gouvernance")}
    seen = Counter(n for r in reunions if r.instance in ids and r.date.year in annees for n in r.institutions)
    rows: list[tuple[str, int]] = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))
    return Tableau(
        "Institutions représentées aux instances de gouvernance",
        (Colonne("Institution"), Colonne("Réunions", "entier")),
        rows,
        feuille="Institutions",
    )


def habitants_en_gouvernance(reunions: Sequence[Reunion], ref: Referentiel, annees: Sequence[int]) -> tuple[int, int]:
    """(governance meetings with inhabitants present, governance meetings held)."""
    ids = {i.id for i in _instances(ref, "gouvernance")}
    held = [r for r in reunions if r.instance in ids and r.date.year in annees]
    return sum(1 for r in held if r.habitants), len(held)
