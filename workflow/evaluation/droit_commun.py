"""Droit commun: each signatory's engagement questionnaire of the reference campaign (2024)
compared with its later campaigns — interventions, quarters, objectives and agents added,
removed or kept."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from workflow.evaluation.tableaux import Colonne, Tableau
from workflow.referentiel import Referentiel
from workflow.registry.models import AgentRow, QuestionnaireVersion
from workflow.text import normalise


@dataclass(frozen=True)
class Ecarts:
    ajoutes: tuple[str, ...]
    retires: tuple[str, ...]
    conserves: tuple[str, ...]


@dataclass(frozen=True)
class Comparaison:
    organisme: str
    reference: int
    campagne: int
    interventions: Ecarts
    quartiers: Ecarts
    objectifs: Ecarts
    agents: Ecarts
    modifications: tuple[str, ...]  # kept items whose content changed

    @property
    def changements(self) -> list[str]:
        """Every change, one French sentence each, in a stable order."""
        lines = []
        for (added, removed), ecarts in (
            (("Intervention ajoutée", "Intervention retirée"), self.interventions),
            (("Quartier ajouté", "Quartier retiré"), self.quartiers),
            (("Objectif ajouté", "Objectif retiré"), self.objectifs),
            (("Agent ajouté", "Agent retiré"), self.agents),
        ):
            lines += [f"{added} : {x}" for x in ecarts.ajoutes]
            lines += [f"{removed} : {x}" for x in ecarts.retires]
        return lines + list(self.modifications)


def _ecarts(before: dict[str, str], after: dict[str, str]) -> Ecarts:
    """Compare two {key: display} maps, keeping each side's order."""
    return Ecarts(
        tuple(v for k, v in after.items() if k not in before),
        tuple(v for k, v in before.items() if k not in after),
        tuple(v for k, v in after.items() if k in before),
    )


def comparer(avant: QuestionnaireVersion, apres: QuestionnaireVersion, ref: Referentiel) -> Comparaison:
    """What changed between two answers of the same signatory."""
    names = {q.id: q.nom for q in ref.quartiers.quartiers}
    before_i, after_i = ({normalise(i.intitule): i for i in v.interventions} for v in (avant, apres))
    before_a, after_a = ({normalise(a.nom): a for a in v.agents} for v in (avant, apres))
    modifications = [
        f"Description modifiée : {i.intitule}"
        for key, i in after_i.items()
        if key in before_i and normalise(before_i[key].description) != normalise(i.description)
    ] + [
        f"Fonction modifiée : {a.nom} ({before_a[key].fonction} → {a.fonction})"
        for key, a in after_a.items()
        if key in before_a and normalise(before_a[key].fonction) != normalise(a.fonction)
    ]
    return Comparaison(
        avant.organisation.nom,
        avant.campagne,
        apres.campagne,
        _ecarts({k: i.intitule for k, i in before_i.items()}, {k: i.intitule for k, i in after_i.items()}),
        _ecarts(
            *({q.quartier_id: names.get(q.quartier_id, q.quartier_id) for q in v.quartiers} for v in (avant, apres))
        ),
        _ecarts(_objectives(avant, ref), _objectives(apres, ref)),
        _ecarts({k: _agent(a) for k, a in before_a.items()}, {k: _agent(a) for k, a in after_a.items()}),
        tuple(modifications),
    )


def _agent(agent: AgentRow) -> str:
    return f"{agent.nom} ({agent.fonction})" if agent.fonction else agent.nom


def _objectives(version: QuestionnaireVersion, ref: Referentiel) -> dict[str, str]:
    """Declared objectives keyed by their place in the tree (or as written when unplaced)."""
    labels = {f"{a.id}/{os_.numero}/{oo.code}": (a.libelle, oo.libelle) for a, os_, oo in ref.iter_oo()}
    found = {}
    for o in version.objectifs:
        key = o.reference or f"{o.ambition or '?'}/{o.os or '?'}/{normalise(o.oo)}"
        ambition, label = labels.get(o.reference or "", (o.ambition or "ambition non précisée", o.libelle_saisi))
        found[key] = f"{o.oo} {label} ({ambition})"
    return found


@dataclass(frozen=True)
class DroitCommun:
    comparaisons: tuple[Comparaison, ...]
    sans_reference: tuple[str, ...]  # answered later campaigns only
    sans_suivi: tuple[str, ...]  # answered the reference campaign only


def droit_commun(versions: Sequence[QuestionnaireVersion], ref: Referentiel, jusqua: int) -> DroitCommun:
    """Compare each signatory's reference answer with each later campaign up to `jusqua`."""
    base = ref.evaluation.campagne_reference
    by_org: dict[int, dict[int, QuestionnaireVersion]] = defaultdict(dict)
    for v in versions:
        if v.campagne <= jusqua:
            by_org[v.organisation_id][v.campagne] = v
    comparaisons, sans_reference, sans_suivi = [], [], []
    for campaigns in sorted(by_org.values(), key=lambda c: next(iter(c.values())).organisation.nom):
        name = next(iter(campaigns.values())).organisation.nom
        later = sorted(c for c in campaigns if c > base)
        if base not in campaigns:
            sans_reference.append(name)
        elif not later:
            sans_suivi.append(name)
        comparaisons += [comparer(campaigns[base], campaigns[c], ref) for c in later if base in campaigns]
    return DroitCommun(tuple(comparaisons), tuple(sans_reference), tuple(sans_suivi))


def synthese(dc: DroitCommun) -> Tableau:
    def counts(e: Ecarts) -> str:
        return f"+{len(e.ajoutes)} / −{len(e.retires)} / ={len(e.conserves)}"

    return Tableau(
        "Évolution des engagements de droit commun",
        (
            Colonne("Signataire"),
            Colonne("Comparaison"),
            Colonne("Interventions"),
            Colonne("Quartiers"),
            Colonne("Objectifs"),
            Colonne("Agents"),
        ),
        [
            (
                c.organisme,
                f"{c.reference} → {c.campagne}",
                counts(c.interventions),
                counts(c.quartiers),
                counts(c.objectifs),
                counts(c.agents),
            )
            for c in dc.comparaisons
        ],
        note="+ ajoutés, − retirés, = conservés par rapport à la fiche d'engagement de référence.",
        feuille="Droit commun",
    )
