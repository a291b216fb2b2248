"""Example evaluation data for the demo workspace: two years of programmation (about 90 actions,
about 1 M€ of P147 credits, about 50 operators), governance and participation meetings, and a
newer observation table — written as the spreadsheets staff would import."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd

from workflow.fr import date_fr
from workflow.referentiel import Referentiel

OTHER_OPERATORS = [
    ("Ville d'Arras", "Commune"),
    ("Ville d'Achicourt", "Commune"),
    ("Ville de Saint-Nicolas-lez-Arras", "Commune"),
    ("Ville de Saint-Laurent-Blangy", "Commune"),
    ("Ville de Beaurains", "Commune"),
    ("CCAS d'Arras", "Établissement public"),
    ("CCAS d'Achicourt", "Établissement public"),
    ("Pas-de-Calais Habitat", "Bailleur social"),
    ("Habitat Hauts-de-France", "Bailleur social"),
    ("Centre social Chanteclair", "Association"),
    ("Centre social Georges Brassens", "Association"),
    ("Centre social Jean Jaurès", "Association"),
    ("Association La Ruche", "Association"),
    ("ADIE Hauts-de-France", "Association"),
    ("BGE Hauts-de-France", "Association"),
    ("Croix-Rouge française, Arras", "Association"),
    ("Ligue de l'enseignement du Pas-de-Calais", "Association"),
    ("Francas du Pas-de-Calais", "Association"),
    ("Cinéma Le Casino", "Association"),
    ("École de musique des quartiers", "Association"),
    ("Ludothèque Arc-en-ciel", "Association"),
    ("Association des jeunes des Blancs Monts", "Association"),
    ("Club de boxe d'Arras", "Association"),
    ("Réussite éducative de l'Arrageois", "Établissement public"),
    ("Maison de santé des 4 As", "Association"),
    ("Collectif des habitants de Baudimont", "Association"),
    ("Atelier vélo solidaire", "Association"),
    ("Entreprise d'insertion Artois Services", "Structure d'insertion"),
    ("Chantier d'insertion Nature en ville", "Structure d'insertion"),
    ("Régie de quartier d'Arras", "Structure d'insertion"),
    ("Association Femmes relais", "Association"),
    ("Accueil des familles Goudemand", "Association"),
    ("Arras Basket Quartiers", "Association"),
    ("Média des quartiers", "Association"),
    ("Compagnie Hors Cadre", "Association"),
]
THEMES = {
    "apaise": ["Médiation de rue", "Ateliers parents", "Prévention des conduites à risques", "Sport santé"],
    "plein-emploi": [
        "Accompagnement vers l'emploi",
        "Mobilité vers l'emploi",
        "Création d'activité",
        "Savoirs de base",
    ],
    "emancipe": ["Accompagnement à la scolarité", "Éducation artistique", "Accès aux droits", "Égalité filles-garçons"],
    "transitions": ["Ateliers numériques", "Jardin partagé", "Économies d'énergie", "Réemploi et réparation"],
}
AMBITION_NAMES = {
    "apaise": "Quartier apaisé",
    "plein-emploi": "Plein emploi",
    "emancipe": "Émancipé",
    "transitions": "Transitions",
}


def _operators(associations: list[str]) -> list[tuple[str, str]]:
    return [(name, "Association") for name in associations] + OTHER_OPERATORS


def programmation(ref: Referentiel, associations: list[str], annee: int) -> pd.DataFrame:
    """About 90 actions of one year, as a spreadsheet with the portal's French headers."""
    rng = random.Random(annee)
    operators = _operators(associations)
    qpv = list(ref.qpv_ids())
    names = {q.id: q.nom for q in ref.quartiers.quartiers}
    codes = {
        a.id: [f"{os_.numero}{oo.code}" for os_ in a.objectifs_strategiques for oo in os_.objectifs_operationnels]
        for a in ref.ambitions
    }
    rows = []
    for i in range(90):
        operateur, kind = operators[i % len(operators)] if i < len(operators) else rng.choice(operators)
        ambition = rng.choices(list(THEMES), weights=(35, 25, 30, 10))[0]
        quarters = rng.sample(qpv, rng.choice((1, 1, 2, 3)))
        if i % 30 == 7:  # a few actions reach the vulnerability territories
            quarters = ["beaurains-territoires-vulnerabilite", *quarters[:1]]
        p147 = rng.choice((3000, 5000, 6000, 8000, 10000, 12000, 14000, 16000, 20000))
        planned = rng.choice((20, 30, 40, 60, 80, 120))
        reached = round(planned * rng.uniform(0.6, 1.15))
        women = round(reached * rng.uniform(0.4, 0.65))
        rows.append(
            {
                "Porteur de projet": operateur,
                "Statut juridique": kind,
                "Intitulé de l'action": f"{rng.choice(THEMES[ambition])} — {names[quarters[-1]]}",
                "Pilier": AMBITION_NAMES[ambition],
                "Objectifs opérationnels": " ; ".join(rng.sample(codes[ambition], 2)),
                "Quartiers concernés": ", ".join(names[q] for q in quarters),
                "P147": f"{p147} €",
                "CUA": f"{rng.choice((0, 0, 2000, 3000, 5000))} €",
                "Communes": f"{rng.choice((0, 1500, 2500, 4000))} €",
                "CAF": f"{rng.choice((0, 0, 0, 3000))} €",
                "Département": f"{rng.choice((0, 0, 0, 0, 2500))} €",
                "Autres financeurs": "",
                "CPO": "oui" if rng.random() < 0.55 else "non",
                "Action nouvelle": "oui" if rng.random() < 0.28 else "non",
                "Bénéficiaires prévus": planned,
                "Bénéficiaires atteints": reached,
                "Dont femmes": women,
                "Dont hommes": reached - women,
                "Dont moins de 25 ans": round(reached * rng.uniform(0.2, 0.7)),
            }
        )
    return pd.DataFrame(rows)


def reunions(ref: Referentiel, annees: list[int]) -> pd.DataFrame:
    """Meetings of every instance over the years, at each instance's usual rhythm."""
    rhythm = {
        "copil": 2,
        "comite-financeurs": 1,
        "comite-strategique": 1,
        "comite-technique": 3,
        "mous": 6,
        "tiers-lieu": 4,
    }
    rows = []
    for year in annees:
        rng = random.Random(year * 7)
        for instance in ref.gouvernance.instances:
            count = rhythm.get(instance.id, 2 if instance.categorie == "gouvernance" else 4)
            for k in range(count):
                day = dt.date(year, 1 + (12 * k) // count + rng.randint(0, 1), rng.randint(3, 26))
                participation = instance.categorie == "participation"
                rows.append(
                    {
                        "Instance": instance.nom,
                        "Date": date_fr(day),
                        "Nombre de participants": rng.randint(8, 45),
                        "Dont habitants": rng.randint(5, 20) if participation or rng.random() < 0.2 else 0,
                        "Institutions représentées": ", ".join(
                            rng.sample(
                                [
                                    "État",
                                    "CUA",
                                    "Ville d'Arras",
                                    "CAF",
                                    "Département",
                                    "France Travail",
                                    "Pas-de-Calais Habitat",
                                ],
                                3,
                            )
                        ),
                    }
                )
    return pd.DataFrame(rows)


def observations() -> pd.DataFrame:
    """Newer figures than the contract's portraits, as an observatory would send them."""
    return pd.DataFrame(
        [
            {
                "Territoire": "Saint-Michel Goudemand",
                "Indicateur": "Revenu médian",
                "Année": 2021,
                "Valeur": "8 340 €",
                "Source": "INSEE, Filosofi 2021 (exemple)",
            },
            {
                "Territoire": "Quatre As",
                "Indicateur": "Revenu médian",
                "Année": 2021,
                "Valeur": "8 910 €",
                "Source": "INSEE, Filosofi 2021 (exemple)",
            },
            {
                "Territoire": "Chanteclair - Cévennes",
                "Indicateur": "Revenu médian",
                "Année": 2021,
                "Valeur": "10 120 €",
                "Source": "INSEE, Filosofi 2021 (exemple)",
            },
        ]
    )


def write_examples(ref: Referentiel, associations: list[str], folder: Path, annees: list[int]) -> dict[str, Path]:
    """Write the example spreadsheets into `folder`; return them by kind."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for year in annees:
        paths[f"programmation_{year}"] = folder / f"programmation_{year}.xlsx"
        programmation(ref, associations, year).to_excel(paths[f"programmation_{year}"], index=False)
    paths["reunions"] = folder / "reunions.xlsx"
    reunions(ref, annees).to_excel(paths["reunions"], index=False)
    paths["observations"] = folder / "observations.csv"
    observations().to_csv(paths["observations"], sep=";", index=False, encoding="utf-8-sig")
    return paths
