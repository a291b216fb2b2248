"""The evaluation report: figures checked against values worked out by hand on a small fixture
programmation, the droit commun comparison, observations and governance, and the report itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import docx
import openpyxl
import pandas as pd
import pytest
from conftest import fill_form, needs_libreoffice, pdf_text, to_pdf
from sqlalchemy import select
from support import cdv, validate_all

from workflow.evaluation import credits as figures
from workflow.evaluation import droit_commun
from workflow.evaluation.indicateurs import comparaison
from workflow.evaluation.instances import habitants_en_gouvernance, par_instance
from workflow.evaluation.rapport import render_evaluation
from workflow.intake.ingest import Arrivee, Source, ingest
from workflow.registry.models import ActionProgrammee
from workflow.registry.queries import questionnaires
from workflow.render.formulaire import questionnaire_form
from workflow.suivi import gouvernance, observations, programmation

HEADERS = ["Opérateur", "Type de structure", "Intitulé", "Ambition", "Quartiers", "P147", "CUA", "Communes", "CAF"]
HEADERS += ["CPO", "Action nouvelle", "Bénéficiaires prévus", "Bénéficiaires atteints", "Femmes", "Hommes"]
# Worked out by hand below: P147 42 000 €, all funders 50 500 €.
ROWS = [
    [
        "Centre social A",
        "Association",
        "Parents",
        "apaisé",
        "Quatre As",
        "10 000",
        "2 000",
        "",
        "",
        "oui",
        "non",
        "40",
        "30",
        "20",
        "10",
    ],
    [
        "Centre social A",
        "Association",
        "Médiation",
        "apaisé",
        "Beaurains, Quatre As",
        "4 000",
        "",
        "",
        "",
        "oui",
        "oui",
        "",
        "",
        "",
        "",
    ],
    [
        "Mission B",
        "Association",
        "Emploi",
        "plein emploi",
        "Bonnettes",
        "20 000",
        "",
        "5 000",
        "",
        "non",
        "non",
        "100",
        "80",
        "30",
        "50",
    ],
    [
        "Ville C",
        "Commune",
        "Lecture",
        "émancipé",
        "Chanteclair",
        "6 000",
        "",
        "",
        "1 500",
        "non",
        "oui",
        "",
        "",
        "",
        "",
    ],
    [
        "Assoc D",
        "",
        "Jardin",
        "transitions",
        "territoire de vulnérabilité",
        "2 000",
        "",
        "",
        "",
        "non",
        "non",
        "",
        "",
        "",
        "",
    ],
    ["Assoc E", "", "Illisible", "apaisé", "Quatre As", "beaucoup", "", "", "", "oui", "oui", "", "", "", ""],
]


@pytest.fixture
def prog(workspace, registry, tmp_path):
    path = tmp_path / "programmation_2025.xlsx"
    pd.DataFrame(ROWS, columns=HEADERS).to_excel(path, index=False)
    done = programmation.importer(registry, workspace.referentiel, path, 2025)
    assert done.importees == 5 and [r.ligne for r in done.rejets] == [7]
    with registry.session() as session:
        actions = list(session.scalars(select(ActionProgrammee).order_by(ActionProgrammee.ligne)))
        session.expunge_all()
    return actions


def test_programmation_figures_match_the_hand_computation(workspace, prog):
    b = figures.bilan(2025, prog, workspace.referentiel)
    assert (b.actions, b.operateurs) == (5, 4)
    assert b.total == Decimal("50500") and b.enveloppe == Decimal("42000")
    assert b.par_financeur == {
        "etat": Decimal("42000"),
        "cua": Decimal("2000"),
        "communes": Decimal("5000"),
        "caf": Decimal("1500"),
        "departement": Decimal("0"),
        "autres": Decimal("0"),
    }
    cpo, nouvelles, cohesion, vulnerabilite = b.cibles
    # CPO: A1, A2 → 2 of 5 = 40 %, under the 50 % target.
    assert cpo.constate == Decimal(40) and cpo.appreciation == "En deçà de la cible"
    # New: A2, A4 → 40 %, over 30 %.
    assert nouvelles.constate == Decimal(40) and nouvelles.appreciation == "Cible atteinte"
    # Cohésion sociale (apaisé + émancipé) in the P147 envelope: 10 000 + 4 000 + 6 000 = 20 000 / 42 000.
    assert round(cohesion.constate, 2) == Decimal("47.62") and cohesion.respectee is False
    # Vulnerability: half of A2's 4 000 (two quarters) + all of A5's 2 000 = 4 000 / 42 000 = 9.52 % > 2.5 %.
    assert round(vulnerabilite.constate, 2) == Decimal("9.52")
    assert vulnerabilite.appreciation == "Plafond dépassé"
    assert vulnerabilite.detail == "4\u202f000\u00a0€ sur 42\u202f000\u00a0€"  # never broken across lines
    assert b.beneficiaires == {"beneficiaires_prevus": 140, "beneficiaires_atteints": 110, "femmes": 50, "hommes": 60}


def test_amounts_by_quarter_share_an_action_equally(workspace, prog):
    rows = {name: (n, amount) for name, n, amount in figures.par_quartier(prog, workspace.referentiel)}
    assert rows == {
        "Bonnettes - St Pol - Baudimont": (1, Decimal("25000")),
        "Quatre As": (2, Decimal("14000")),  # A1 12 000 + half of A2
        "Chanteclair - Cévennes": (1, Decimal("7500")),
        "Territoires de vulnérabilité de Beaurains": (2, Decimal("4000")),
    }
    assert sum(amount for _, amount in rows.values()) == Decimal("50500")


def test_impacts_keep_cpo_and_heavily_funded_actions(workspace, prog):
    table = figures.impacts(prog, workspace.referentiel)
    # Threshold 20 000 €: Mission B (25 000 €); CPO: both actions of Centre social A.
    assert [(r[0], r[1], r[2]) for r in table.lignes] == [
        ("Mission B", "Emploi", Decimal("25000")),
        ("Centre social A", "Parents", Decimal("12000")),
        ("Centre social A", "Médiation", Decimal("4000")),
    ]
    assert table.lignes[0][6] == Decimal(80) and table.lignes[1][6] == Decimal(75)


def _answer(workspace, registry, tmp_path, campagne: int, answers: dict) -> None:
    blank = questionnaire_form(workspace, answers["organisme"], campagne, tmp_path / f"b{campagne}.docx")
    filled = fill_form(blank, {**answers, "campagne": campagne}, workspace.inbox / f"r{campagne}.docx")
    ingest(workspace, registry, Arrivee(filled, Source.DOSSIER, deplacer=True))


CAF_2024 = {
    "organisme": "CAF du Pas-de-Calais",
    "referent_nom": "Sophie MARCHAND",
    "interventions_structurantes": [
        {"intitule": "Centres sociaux", "description": "Agrément des centres sociaux."},
        {"intitule": "Bus des droits", "description": "Permanences itinérantes."},
    ],
    "quartiers_vises": ["quatre-as", "chanteclair-cevennes"],
    "agents_gouvernance": [{"nom": "Sophie MARCHAND", "fonction": "Conseillère territoriale"}],
    "objectifs": [{"ambition": "émancipé", "os": "1", "oo": "1C", "libelle_saisi": "Soutenir la parentalité"}],
}
CAF_2026 = {
    **CAF_2024,
    "interventions_structurantes": [
        {"intitule": "Centres sociaux", "description": "Agrément des centres sociaux."},
        {"intitule": "Fonds jeunesse", "description": "Projets des jeunes des QPV."},
    ],
    "quartiers_vises": ["quatre-as", "saint-michel-goudemand"],
    "agents_gouvernance": [
        {"nom": "Sophie MARCHAND", "fonction": "Responsable territoriale"},
        {"nom": "Karim BENALI", "fonction": "Chargé de mission"},
    ],
    "objectifs": [
        {"ambition": "émancipé", "os": "1", "oo": "1C", "libelle_saisi": "Soutenir la parentalité"},
        {"ambition": "apaisé", "os": "6", "oo": "6A", "libelle_saisi": "Instances de participation"},
    ],
}


@pytest.fixture
def caf(workspace, registry, tmp_path):
    _answer(workspace, registry, tmp_path, 2024, CAF_2024)
    _answer(workspace, registry, tmp_path, 2026, CAF_2026)
    validate_all(registry)  # the report's droit commun reads validated answers only


def test_droit_commun_lists_exactly_the_changes_between_2024_and_2026(workspace, registry, caf):
    with registry.session() as session:
        dc = droit_commun.droit_commun(questionnaires(session), workspace.referentiel, 2026)
        assert [c.organisme for c in dc.comparaisons] == ["Caisse d'Allocations Familiales du Pas-de-Calais"]
        c = dc.comparaisons[0]
        assert (c.reference, c.campagne) == (2024, 2026)
        assert c.changements == [
            "Intervention ajoutée : Fonds jeunesse",
            "Intervention retirée : Bus des droits",
            "Quartier ajouté : Saint-Michel Goudemand",
            "Quartier retiré : Chanteclair - Cévennes",
            "Objectif ajouté : 6A Mettre en place les instances de participation des habitants (Quartier apaisé)",
            "Agent ajouté : Karim BENALI (Chargé de mission)",
            "Fonction modifiée : Sophie MARCHAND (Conseillère territoriale → Responsable territoriale)",
        ]
        assert c.interventions.conserves == ("Centres sociaux",) and c.quartiers.conserves == ("Quatre As",)
        # A report of 2025 sees no later campaign yet.
        early = droit_commun.droit_commun(questionnaires(session), workspace.referentiel, 2025)
        assert early.comparaisons == () and early.sans_suivi == ("Caisse d'Allocations Familiales du Pas-de-Calais",)


def test_observations_import_overrides_the_contract_and_former_quarters_stand_in(workspace, registry, tmp_path):
    csv = tmp_path / "obs.csv"
    csv.write_text(
        "Territoire;Indicateur;Année;Valeur;Source\n"
        "Les 4 As;Part des ménages à bas revenus;2018;65,0 %;INSEE 2018 révisé\n"
        "Saint-Michel;Revenu médian;2021;8 340 €;Filosofi 2021\n"
        "Lune;Revenu médian;2021;1;?\n"
        "Quatre As;Revenu médian;deux mille;1;?\n",
        encoding="cp1252",
    )
    done = observations.importer(registry, workspace.referentiel, csv)
    assert done.importees == 2
    assert [(r.ligne, r.motif) for r in done.rejets] == [
        (4, "territoire inconnu « Lune »"),
        (5, "année illisible « deux mille »"),
    ]
    with registry.session() as session:
        data = observations.series(session, workspace.referentiel)
    quatre_as = data["quatre-as", "menages_bas_revenus"]
    assert [(p.annee, p.valeur) for p in quatre_as] == [(2018, Decimal("65.00"))]
    assert quatre_as[0].source == "INSEE 2018 révisé (obs.csv, ligne 2)"
    table = comparaison(data, workspace.referentiel, "menages_bas_revenus")
    rows = {r[0]: r for r in table.lignes}
    # Quatre As 2018: 65 % against the CUA's 22,9 % of 2018 → 42,1 points.
    assert rows["Quatre As"][2:6] == (Decimal("65.00"), Decimal("22.9"), 2018, Decimal("42.10"))  # years as numbers
    # Bonnettes has no figure of its own: the former Arras Ouest's 70 % (2017) stands in, against the CUA's 28 %.
    bonnettes = rows["Bonnettes - St Pol - Baudimont — données Arras Ouest (ancien périmètre)"]
    assert bonnettes[1:6] == (2017, Decimal("70"), Decimal("28"), 2017, Decimal("42"))
    revenus = comparaison(data, workspace.referentiel, "revenu_median")
    st_michel = next(r for r in revenus.lignes if r[0] == "Saint-Michel Goudemand")
    assert st_michel[6:] == ("2010-2021", Decimal("8340.00") - Decimal("10700"))


def test_governance_counts_meetings_participants_and_inhabitants(workspace, registry):
    ref = workspace.referentiel
    with registry.session() as session:
        for instance, day, presence in (
            ("copil", dt.date(2025, 3, 14), gouvernance.Presence(30, 2, ("État", "CUA"))),
            ("copil", dt.date(2025, 11, 21), gouvernance.Presence(25, None, ("État", "CAF"))),
            ("mous", dt.date(2025, 5, 2), gouvernance.Presence(8, None, ("CUA",))),
            ("copil", dt.date(2024, 11, 2), gouvernance.Presence(40, None, ("État",))),
            ("conseils-quartier-arras", dt.date(2025, 6, 1), gouvernance.Presence(20, 18, ())),
        ):
            gouvernance.enregistrer(session, ref, instance, day, presence)
    with registry.session() as session:
        meetings = gouvernance.reunions(session)
        table, _ = par_instance(meetings, ref, "gouvernance", [2025])
        rows = {r[0]: r for r in table.lignes}
        copil = rows["Comité de pilotage « Cœur de Quartier »"]
        assert copil[2:] == (2, 55, 2, 3)  # meetings, participants, inhabitants, institutions (État, CUA, CAF)
        assert table.total == ("Total", "", 3, 63, 2, 3)
        assert habitants_en_gouvernance(meetings, ref, [2025]) == (1, 3)
        both, _ = par_instance(meetings, ref, "gouvernance", [2024, 2025])
        assert {r[0]: r[2:4] for r in both.lignes}["Comité de pilotage « Cœur de Quartier »"] == (1, 2)
        participation, _ = par_instance(meetings, ref, "participation", [2025])
        assert participation.total[2:5] == (1, 20, 18)


@needs_libreoffice
def test_the_report_holds_six_parts_charts_targets_and_its_workbook(workspace, registry, prog, caf, tmp_path):
    with registry.session() as session:
        gouvernance.enregistrer(
            session, workspace.referentiel, "copil", dt.date(2025, 3, 14), gouvernance.Presence(30, 0, ("État",))
        )
    rapport = render_evaluation(workspace, registry, 2026, "mi-parcours")
    document = docx.Document(str(rapport.docx))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Les cibles du contrat",
        "1. Programmations annuelles",
        "2. Droit commun",
        "3. Impacts d’actions",
        "4. Participation citoyenne",
        "5. Gouvernance",
        "6. Observations",
    ]
    # No programmation in 2026: the targets say so instead of inventing figures.
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Aucune programmation n’a été enregistrée pour 2026" in text
    assert "cdv " not in text and ".yaml" not in text and "registry/" not in text, "no technical reference"
    assert "Intervention ajoutée\u00a0: Fonds jeunesse" in text
    logo, *pictures = document.element.body.findall(".//{*}docPr")  # the cover's logo, then the charts
    assert logo.get("descr") == "Communauté Urbaine d’Arras"
    assert len(pictures) == len(rapport.graphiques) >= 2
    assert all(p.get("descr") for p in pictures)
    assert any("Communauté Urbaine d'Arras" in p.get("descr") for p in pictures)  # alt text kept as written
    book = openpyxl.load_workbook(rapport.xlsx)
    assert {"Droit commun", "Gouvernance", "Sources des observations"} <= set(book.sheetnames)
    pdf = to_pdf(rapport.docx, tmp_path / "pdf")
    content = pdf_text(pdf)
    for title in ("Droit commun", "Impacts d’actions", "Participation citoyenne", "Gouvernance", "Observations"):
        assert title in content


@needs_libreoffice
def test_a_year_with_a_programmation_shows_the_targets_and_the_flag(workspace, registry, prog, tmp_path):
    rapport = render_evaluation(workspace, registry, 2025)
    document = docx.Document(str(rapport.docx))
    targets = document.tables[0]
    rows = [[c.text for c in row.cells] for row in targets.rows]
    assert rows[0] == ["Indicateur", "Constaté", "Cible", "Détail", "Appréciation"]
    assert rows[1][1:] == [
        "40,0\u00a0%",
        "au\u00a0moins\u00a050,0\u00a0%",
        "2\u00a0actions sur 5",
        "En deçà de la cible",
    ]
    assert rows[4][1:] == [
        "9,5\u00a0%",
        "au\u00a0plus\u00a02,5\u00a0%",
        "4\u202f000\u00a0€ sur 42\u202f000\u00a0€",
        "Plafond dépassé",
    ]
    assert "Point d’attention — Territoires de vulnérabilité dans les crédits P147\u00a0: plafond dépassé." in [
        p.text for p in document.paragraphs
    ]
    method = next(p.text for p in document.paragraphs if p.text.startswith("Méthode"))
    assert "(Quartier apaisé, Quartier émancipé) en part de l’enveloppe (État (P147))" in method
    sheet = openpyxl.load_workbook(rapport.xlsx)["Par financeur"]
    values = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(3, sheet.max_row + 1)}
    assert values == {
        "État (P147)": 42000,
        "Communauté Urbaine d'Arras": 2000,
        "Communes": 5000,
        "CAF": 1500,
        "Total": 50500,
    }
    content = " ".join(pdf_text(to_pdf(rapport.docx, tmp_path / "pdf")).split())
    assert "dépassé" in content and "50 500 €" in content  # the amount on one line (a cell may wrap its words)


def test_the_registry_export_carries_the_evaluation_data_with_its_source(workspace, registry, prog):
    from workflow.registry.export import export_data, write_export

    with registry.session() as session:
        data = export_data(session)
    first = data["programmation"][0]
    assert (first["operateur"], first["montants"], first["source"]) == (
        "Centre social A",
        {"etat": 10000.0, "cua": 2000.0},
        "programmation_2025.xlsx, ligne 2",
    )
    assert len(data["programmation"]) == 5 and data["reunions"] == [] and data["observations"] == []
    book = openpyxl.load_workbook(write_export(data, "xlsx", workspace.outbox / "registre.xlsx"))
    headers = [c.value for c in book["Programmation"][1]]
    assert book["Programmation"].max_row == 6 and "Montant État (P147)" in headers and "Année" in headers


def test_the_command_writes_the_report(workspace, prog):
    done = cdv("generer", "evaluation", "--annee", "2025", "--racine", str(workspace.root))
    assert done.returncode == 0, done.stderr
    assert "Rapport écrit" in done.stdout
    assert (workspace.outbox / "evaluation_2025_annuel" / "rapport_evaluation_2025_annuel.xlsx").is_file()
    bad = cdv("generer", "evaluation", "--annee", "2025", "--type", "trimestriel", "--racine", str(workspace.root))
    assert bad.returncode == 2 and "trimestriel" in bad.stderr
