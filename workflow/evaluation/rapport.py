"""The evaluation report (contract, Partie 5): the six evaluated objects gathered from the
registry, rendered with `gabarits/rapport_evaluation.docx`, every table also in an .xlsx beside it
and every chart kept as a PNG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from docx.shared import Cm
from docxtpl import DocxTemplate
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import CdvError
from workflow.evaluation import credits, droit_commun, indicateurs, instances
from workflow.evaluation.graphiques import Graphique, barres, barres_groupees, courbes
from workflow.evaluation.tableaux import Tableau, nombre_fr, pourcent_fr, write_xlsx
from workflow.fr import date_fr, montant_fr
from workflow.referentiel import Referentiel
from workflow.registry.db import Registry
from workflow.registry.models import ActionProgrammee
from workflow.registry.queries import Selection, questionnaires
from workflow.render.colonnes import fit_columns
from workflow.render.templating import Image, render_docx
from workflow.suivi.gouvernance import reunions
from workflow.suivi.observations import series
from workflow.workspace import Workspace

GABARIT = "rapport_evaluation.docx"
TypeRapport = Literal["annuel", "mi-parcours", "final"]
LIBELLES = {"annuel": "Rapport annuel", "mi-parcours": "Évaluation à mi-parcours", "final": "Évaluation finale"}
CIBLE_FOND = {True: "E2EFDA", False: "FCE4D6", None: "F2F2F2"}
OS_PARTICIPATION = ("apaise", "6")  # « Placer les habitants au coeur de leur quartier… »


class AnneeSansDonnees(CdvError):
    """The evaluated year holds no data at all: no report is written."""


@dataclass(frozen=True)
class Rapport:
    docx: Path
    xlsx: Path
    graphiques: tuple[Path, ...]
    tableaux: tuple[Tableau, ...]


def annees(ref: Referentiel, annee: int, type_: TypeRapport) -> list[int]:
    """The years a report covers: its own, or every year since the contract began."""
    return [annee] if type_ == "annuel" else list(range(ref.evaluation.debut_contrat, annee + 1))


def sur_la_periode(years: Sequence[int]) -> str:
    """Return how a sentence names the period: « en 2026 », or « de 2024 à 2026 »."""
    return f"en {years[0]}" if len(years) == 1 else f"de {years[0]} à {years[-1]}"


def _part(tableaux: list[Tableau], graphiques: list[Graphique], **figures: Any) -> dict[str, Any]:
    return {"tableaux": tableaux, "graphiques": graphiques, **figures}


def _euros(value: Decimal | int | float) -> str:
    return montant_fr(Decimal(str(value)).quantize(Decimal("1")))


def _programmation(
    session: Session, ref: Referentiel, years: Sequence[int], charts: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The programmation part and the impacts part, for the report's last year."""
    by_year = {
        y: list(
            session.scalars(
                select(ActionProgrammee).where(ActionProgrammee.annee == y).order_by(ActionProgrammee.ligne)
            )
        )
        for y in years
    }
    year = years[-1]
    actions = by_year[year]
    if not actions:
        empty = {"present": False, "annee": year}
        return _part([], [], **empty), _part([], [], **empty)
    b = credits.bilan(year, actions, ref)
    tables = credits.tableaux(b, actions, ref)
    bilans = [credits.bilan(y, by_year[y], ref) for y in years if by_year[y]]
    if len(bilans) > 1:
        tables.insert(1, credits.evolution(bilans))
    graphs = [
        barres(
            charts / "financeurs.png",
            f"Financements {year} par financeur",
            [(credits.FINANCEURS[f], v) for f, v in b.par_financeur.items() if v],
            _euros,
            unite="Montant (€)",
        ),
        barres(
            charts / "quartiers.png",
            f"Montants {year} répartis par quartier",
            [(name, amount) for name, _, amount in credits.par_quartier(actions, ref)],
            _euros,
            unite="Montant (€)",
        ),
    ]
    if len(bilans) > 1:
        graphs.append(
            courbes(
                charts / "evolution.png",
                "Montant total programmé par année",
                {"Montant total": [(x.annee, x.total) for x in bilans]},
                _euros,
                unite="Montant (€)",
            )
        )
    cibles = [
        {
            "libelle": c.libelle,
            "constate": pourcent_fr(c.constate),
            "cible": ("au\u00a0plus\u00a0" if c.plafond else "au\u00a0moins\u00a0") + pourcent_fr(c.seuil),
            "detail": c.detail,
            "appreciation": c.appreciation,
            "fond": CIBLE_FOND[c.respectee],
        }
        for c in b.cibles
    ]
    prog = _part(
        tables[1:],  # the targets have their own section at the head of the report
        graphs,
        tableaux_classeur=tables[:1],
        present=True,
        annee=year,
        actions=b.actions,
        operateurs=b.operateurs,
        total=_euros(b.total),
        enveloppe=_euros(b.enveloppe),
        beneficiaires_prevus=nombre_fr(b.beneficiaires.get("beneficiaires_prevus", 0), 0),
        beneficiaires_atteints=nombre_fr(b.beneficiaires.get("beneficiaires_atteints", 0), 0),
        cibles=cibles,
        methode=credits.methode(ref),
        alertes=[c.libelle + " : " + c.appreciation.lower() for c in b.cibles if c.respectee is False],
        participation_actions=sum(
            1
            for a in actions
            if a.ambition == OS_PARTICIPATION[0] and any(code.startswith(OS_PARTICIPATION[1]) for code in a.objectifs)
        ),
    )
    impact = credits.impacts(actions, ref)
    impact_graphs = []
    counted = ("beneficiaires_prevus", "beneficiaires_atteints")
    measured = [a for a in credits.evaluees(actions, ref) if all(k in a.beneficiaires for k in counted)][:15]
    if measured:
        impact_graphs.append(
            barres_groupees(
                charts / "impacts.png",
                "Bénéficiaires prévus et atteints (actions les plus financées)",
                [f"{a.operateur} — {a.action}" for a in measured],
                {
                    label: [a.beneficiaires[k] for a in measured]
                    for label, k in zip(("Prévus", "Atteints"), counted, strict=True)
                },
                lambda v: nombre_fr(v, 0),
                unite="Nombre de bénéficiaires",
            )
        )
    return prog, _part(
        [impact],
        impact_graphs,
        present=True,
        annee=year,
        nombre=len(impact.lignes),
    )


def _gouvernance(session: Session, ref: Referentiel, years: Sequence[int], charts: Path) -> tuple[dict, dict]:
    meetings = reunions(session)
    table, counts = instances.par_instance(meetings, ref, "gouvernance", years)
    graphs = []
    if any(n for _, n in counts):
        graphs.append(
            barres(
                charts / "gouvernance.png",
                "Réunions par instance de gouvernance",
                [(name, n) for name, n in counts if n],
                lambda v: nombre_fr(v, 0),
                unite="Nombre de réunions",
            )
        )
    with_inhabitants, held = instances.habitants_en_gouvernance(meetings, ref, years)
    gouvernance = _part(
        [table, instances.institutions(meetings, ref, years)], graphs, reunions=held, avec_habitants=with_inhabitants
    )
    table_p, counts_p = instances.par_instance(meetings, ref, "participation", years)
    participation = _part(
        [table_p],
        [],
        instances_actives=sum(1 for _, n in counts_p if n),
        instances=len(counts_p),
        reunions=sum(n for _, n in counts_p),
        avec_habitants=with_inhabitants,
        reunions_gouvernance=held,
    )
    return gouvernance, participation


def _droit_commun(session: Session, ref: Referentiel, annee: int) -> dict[str, Any]:
    dc = droit_commun.droit_commun(questionnaires(session, Selection.VALIDEES), ref, annee)
    return _part(
        [droit_commun.synthese(dc)] if dc.comparaisons else [],
        [],
        reference=ref.evaluation.campagne_reference,
        comparaisons=[
            {
                "organisme": c.organisme,
                "reference": c.reference,
                "campagne": c.campagne,
                "changements": c.changements,
                "conserves": len(c.interventions.conserves),
            }
            for c in dc.comparaisons
        ],
        sans_reference=", ".join(dc.sans_reference),
        sans_suivi=", ".join(dc.sans_suivi),
    )


def _observations(session: Session, ref: Referentiel, charts: Path) -> tuple[dict[str, Any], Tableau]:
    data = series(session, ref)
    tables = [t for i in ref.observations.indicateurs if (t := indicateurs.comparaison(data, ref, i.id))]
    graphs = []
    revenus = indicateurs.revenus(data, ref)
    if revenus:
        graphs.append(
            courbes(
                charts / "revenu_median.png", "Revenu médian par personne et par an", revenus, _euros, "Euros par an"
            )
        )
    latest = [
        (q.nom, points[-1].valeur)
        for q in ref.quartiers.quartiers
        if (points := indicateurs.serie_du_quartier(data, ref, q.id, "menages_bas_revenus")[0])
    ]
    cua = data.get((ref.observations.reference.id, "menages_bas_revenus"))
    if latest and cua:
        name = ref.observations.reference.nom
        graphs.append(
            barres(
                charts / "bas_revenus.png",
                "Part des ménages à bas revenus (dernière valeur connue)",
                [*latest, (name, cua[-1].valeur)],
                pourcent_fr,
                repere=name,
                unite="Part des ménages (%)",
            )
        )
    return _part(tables, graphs), indicateurs.sources(data, ref)


def _refuser_annee_vide(annee: int, years: Sequence[int], parts: dict[str, dict[str, Any]]) -> None:
    """A period without programmation, meetings or follow-up questionnaire has nothing to report."""
    suivis = [c for c in parts["droit_commun"]["comparaisons"] if c["campagne"] in years]
    reunions = parts["gouvernance"]["reunions"] + parts["participation"]["reunions"]
    if not parts["programmation"]["present"] and not reunions and not suivis:
        raise AnneeSansDonnees(
            f"Aucune donnée pour {annee} : ni programmation importée, ni réunion d'instance, ni fiche "
            "d'engagement de suivi. Le rapport n'a pas été produit (importer d'abord la programmation : "
            "cdv programmation importer)."
        )


def render_evaluation(
    workspace: Workspace, registry: Registry, annee: int, type_: TypeRapport = "annuel", output: Path | None = None
) -> Rapport:
    """Write the report, its workbook and its charts; return where they are."""
    ref = workspace.referentiel
    years = annees(ref, annee, type_)
    docx_path = output or workspace.outbox / f"evaluation_{annee}_{type_}" / f"rapport_evaluation_{annee}_{type_}.docx"
    charts = docx_path.parent / "graphiques"
    with registry.session() as session:
        prog, impacts = _programmation(session, ref, years, charts)
        gouvernance, participation = _gouvernance(session, ref, years, charts)
        dc = _droit_commun(session, ref, annee)
        found = {"programmation": prog, "gouvernance": gouvernance, "participation": participation, "droit_commun": dc}
        _refuser_annee_vide(annee, years, found)  # before any chart of the observations is drawn
        obs, obs_sources = _observations(session, ref, charts)
    parts = {
        "programmation": prog,
        "droit_commun": dc,
        "impacts": impacts,
        "participation": participation,
        "gouvernance": gouvernance,
        "observations": obs,
    }
    tables = [*prog.get("tableaux_classeur", []), *(t for part in parts.values() for t in part["tableaux"])]
    graphs = [g for part in parts.values() for g in part["graphiques"]]

    def context(tpl: DocxTemplate) -> dict[str, Any]:
        rendered = {
            key: {
                **part,
                "tableaux": [t.context() for t in part["tableaux"]],
                "graphiques": [
                    {"image": Image(tpl, g.chemin, g.alt, Cm(16)), "titre": g.titre, "alt": g.alt}
                    for g in part["graphiques"]
                ],
            }
            for key, part in parts.items()
        }
        return {
            **rendered,
            "type": LIBELLES[type_],
            "annee": annee,
            "periode": str(annee) if len(years) == 1 else f"{years[0]}-{years[-1]}",
            "sur_la_periode": sur_la_periode(years),
            "date_edition": date_fr(dt.date.today()),
            "classeur": docx_path.with_suffix(".xlsx").name,
        }

    titre = f"Contrat de ville « Cœur de Quartier » 2024-2030 — {LIBELLES[type_]} {annee}"
    render_docx(workspace.gabarit(GABARIT), context, docx_path, finish=fit_columns, titre=titre)
    xlsx = write_xlsx([*tables, obs_sources], docx_path.with_suffix(".xlsx"))
    return Rapport(docx_path, xlsx, tuple(g.chemin for g in graphs), tuple(tables))
