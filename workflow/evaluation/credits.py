"""Figures of a year's programmation: actions, amounts by funder / ambition / quarter, operators,
beneficiaries, and the contract's four targets. Pure functions over the imported rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from workflow.evaluation.tableaux import Colonne, Tableau, pourcent_fr
from workflow.fr import montant_fr
from workflow.referentiel import Referentiel
from workflow.registry.models import ActionProgrammee
from workflow.render.typographie import pluriel
from workflow.text import normalise

FINANCEURS = {
    "etat": "État (P147)",
    "cua": "Communauté Urbaine d'Arras",
    "communes": "Communes",
    "caf": "CAF",
    "departement": "Département",
    "autres": "Autres financeurs",
}
ZERO = Decimal(0)
CENT = Decimal(100)


def montant(action: ActionProgrammee, financeurs: Sequence[str] = tuple(FINANCEURS)) -> Decimal:
    """The action's funding from `financeurs` (all of them by default)."""
    return sum((Decimal(action.montants.get(f, "0")) for f in financeurs), ZERO)


def part(numerateur: Decimal | int, denominateur: Decimal | int) -> Decimal | None:
    """Percentage, unrounded; None when there is nothing to divide by."""
    return Decimal(numerateur) * CENT / Decimal(denominateur) if denominateur else None


@dataclass(frozen=True)
class Cible:
    libelle: str
    constate: Decimal | None  # percentage
    seuil: Decimal
    plafond: bool  # a cap not to exceed; otherwise a minimum to reach
    detail: str

    @property
    def respectee(self) -> bool | None:
        if self.constate is None:
            return None
        return self.constate <= self.seuil if self.plafond else self.constate >= self.seuil

    @property
    def appreciation(self) -> str:
        if self.respectee is None:
            return "Non calculable"
        if self.plafond:
            return "Plafond respecté" if self.respectee else "Plafond dépassé"
        return "Cible atteinte" if self.respectee else "En deçà de la cible"


@dataclass(frozen=True)
class Bilan:
    """What a year's programmation amounts to."""

    annee: int
    actions: int
    operateurs: int
    total: Decimal
    enveloppe: Decimal  # the funders `evaluation.yaml` calls the envelope (P147 by default)
    par_financeur: dict[str, Decimal]
    cibles: tuple[Cible, ...]
    beneficiaires: dict[str, int]


def bilan(annee: int, actions: Sequence[ActionProgrammee], ref: Referentiel) -> Bilan:
    conf = ref.evaluation
    total = sum((montant(a) for a in actions), ZERO)
    enveloppe = sum((montant(a, conf.enveloppe) for a in actions), ZERO)
    cpo = sum(1 for a in actions if a.cpo)
    nouvelles = sum(1 for a in actions if a.nouvelle)
    cohesion = sum((montant(a, conf.enveloppe) for a in actions if a.ambition in conf.pilier_cohesion_sociale), ZERO)
    p147 = sum((montant(a, ("etat",)) for a in actions), ZERO)
    vulnerable = _vulnerability_p147(actions, ref)
    n = len(actions)
    c = conf.cibles
    cibles = (
        Cible(
            "Actions conventionnées en CPO",
            part(cpo, n),
            _d(c.part_cpo_min),
            False,
            f"{pluriel(cpo, 'action')} sur {n}",
        ),
        Cible("Actions nouvelles", part(nouvelles, n), _d(c.part_nouvelles_min), False, f"{nouvelles} sur {n}"),
        Cible(
            "Pilier cohésion sociale dans l'enveloppe",
            part(cohesion, enveloppe),
            _d(c.part_cohesion_sociale_min),
            False,
            f"{montant_fr(cohesion)} sur {montant_fr(enveloppe)}",
        ),
        Cible(
            "Territoires de vulnérabilité dans les crédits P147",
            part(vulnerable, p147),
            _d(c.part_vulnerabilite_max),
            True,
            f"{montant_fr(vulnerable)} sur {montant_fr(p147)}",
        ),
    )
    counts: dict[str, int] = defaultdict(int)
    for a in actions:
        for key, value in a.beneficiaires.items():
            counts[key] += value
    return Bilan(
        annee,
        n,
        len({normalise(a.operateur) for a in actions}),
        total,
        enveloppe,
        {f: sum((montant(a, (f,)) for a in actions), ZERO) for f in FINANCEURS},
        cibles,
        dict(counts),
    )


def _vulnerability_p147(actions: Sequence[ActionProgrammee], ref: Referentiel) -> Decimal:
    """P147 credits going to vulnerability territories: an action's credits are shared equally
    among the quarters it names."""
    kinds = {q.id: q.type for q in ref.quartiers.quartiers}
    share = ZERO
    for a in actions:
        if a.quartiers:
            hits = sum(1 for q in a.quartiers if kinds.get(q) == "territoire-vulnerabilite")
            share += montant(a, ("etat",)) * hits / len(a.quartiers)
    return share


def _d(value: float) -> Decimal:
    return Decimal(str(value))


def methode(ref: Referentiel) -> str:
    """How the four target figures are computed, in the words the report prints under them."""
    conf = ref.evaluation
    funders = ", ".join(FINANCEURS[f] for f in conf.enveloppe)
    pillar = ", ".join(a.libelle for a in ref.ambitions if a.id in conf.pilier_cohesion_sociale)
    return (
        "Méthode : CPO et actions nouvelles en part du nombre d'actions ; pilier cohésion sociale "
        f"({pillar}) en part de l'enveloppe ({funders}) ; territoires de vulnérabilité en part des crédits "
        "P147, les crédits d'une action étant répartis à parts égales entre les quartiers qu'elle vise."
    )


def tableaux(b: Bilan, actions: Sequence[ActionProgrammee], ref: Referentiel) -> list[Tableau]:
    """The tables of the programmation part for one year."""
    return [
        _cibles(b, methode(ref)),
        _par_financeur(b),
        _par_ambition(b, actions, ref),
        _par_quartier(actions, ref),
        _profils(actions),
        _operateurs(actions),
        _beneficiaires(b),
    ]


def _cibles(b: Bilan, note: str) -> Tableau:
    return Tableau(
        f"Cibles du contrat — programmation {b.annee}",
        (
            Colonne("Indicateur"),
            Colonne("Constaté", "pourcent"),
            Colonne("Cible"),
            Colonne("Détail"),
            Colonne("Appréciation"),
        ),
        [
            (
                c.libelle,
                c.constate,
                ("au plus " if c.plafond else "au moins ") + pourcent_fr(c.seuil),
                c.detail,
                c.appreciation,
            )
            for c in b.cibles
        ],
        note=note,
        feuille=f"Cibles {b.annee}",
    )


def _par_financeur(b: Bilan) -> Tableau:
    return Tableau(
        f"Financements {b.annee} par financeur",
        (Colonne("Financeur"), Colonne("Montant", "euros"), Colonne("Part du total", "pourcent")),
        [(FINANCEURS[f], v, part(v, b.total)) for f, v in b.par_financeur.items() if v],
        total=("Total", b.total, part(b.total, b.total)),
        feuille="Par financeur",
    )


def _par_ambition(b: Bilan, actions: Sequence[ActionProgrammee], ref: Referentiel) -> Tableau:
    labels = {a.id: a.libelle for a in ref.ambitions}
    groups: dict[str | None, list[ActionProgrammee]] = defaultdict(list)
    for a in actions:
        groups[a.ambition if a.ambition in labels else None].append(a)
    order = [*labels, None]
    rows = []
    for key in order:
        if key in groups:
            amount = sum((montant(a) for a in groups[key]), ZERO)
            rows.append(
                (labels.get(key or "", "Ambition non renseignée"), len(groups[key]), amount, part(amount, b.total))
            )
    return Tableau(
        f"Actions {b.annee} par ambition",
        (Colonne("Ambition"), Colonne("Actions", "entier"), Colonne("Montant", "euros"), Colonne("Part", "pourcent")),
        rows,
        feuille="Par ambition",
    )


def par_quartier(actions: Sequence[ActionProgrammee], ref: Referentiel) -> list[tuple[str, int, Decimal]]:
    """(quarter name, actions naming it, amount shared equally among the quarters an action names)."""
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    for a in actions:
        names = a.quartiers or [""]
        for q in names:
            count[q] += 1
            amount[q] += montant(a) / len(names)
    order = [q.id for q in ref.quartiers.quartiers] + [""]
    names_of = {q.id: q.nom for q in ref.quartiers.quartiers} | {"": "Quartier non précisé"}
    return [(names_of[q], count[q], amount[q]) for q in order if q in count]


def _par_quartier(actions: Sequence[ActionProgrammee], ref: Referentiel) -> Tableau:
    return Tableau(
        "Actions par quartier",
        (Colonne("Quartier"), Colonne("Actions", "entier"), Colonne("Montant réparti", "euros")),
        [(name, n, amount.quantize(Decimal("0.01"))) for name, n, amount in par_quartier(actions, ref)],
        note="Une action qui vise plusieurs quartiers est comptée dans chacun ; son montant y est réparti à parts "
        "égales.",
        feuille="Par quartier",
    )


def _profils(actions: Sequence[ActionProgrammee]) -> Tableau:
    groups: dict[str, list[ActionProgrammee]] = defaultdict(list)
    for a in actions:
        groups[a.type_operateur or "Non renseigné"].append(a)
    rows = [
        (kind, len({normalise(a.operateur) for a in group}), len(group), sum((montant(a) for a in group), ZERO))
        for kind, group in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]
    return Tableau(
        "Profils des opérateurs",
        (
            Colonne("Type d'opérateur"),
            Colonne("Opérateurs", "entier"),
            Colonne("Actions", "entier"),
            Colonne("Montant", "euros"),
        ),
        rows,
        feuille="Profils des opérateurs",
    )


def _operateurs(actions: Sequence[ActionProgrammee]) -> Tableau:
    groups: dict[str, list[ActionProgrammee]] = defaultdict(list)
    for a in actions:
        groups[normalise(a.operateur)].append(a)
    rows = [
        (
            group[0].operateur,
            group[0].type_operateur or "—",
            len(group),
            sum((montant(a) for a in group), ZERO),
            "oui" if any(a.organisation_id for a in group) else "non",
        )
        for group in groups.values()
    ]
    rows.sort(key=lambda r: (-r[3], str(r[0])))
    return Tableau(
        "Opérateurs financés",
        (
            Colonne("Opérateur"),
            Colonne("Type"),
            Colonne("Actions", "entier"),
            Colonne("Montant", "euros"),
            Colonne("Fiche association reçue"),
        ),
        rows,
        feuille="Opérateurs",
    )


def _beneficiaires(b: Bilan) -> Tableau:
    labels = {
        "beneficiaires_prevus": "Bénéficiaires prévus",
        "beneficiaires_atteints": "Bénéficiaires atteints",
        "femmes": "dont femmes",
        "hommes": "dont hommes",
        "moins_25_ans": "dont moins de 25 ans",
    }
    reached = b.beneficiaires.get("beneficiaires_atteints", 0)
    rows = [
        (
            label,
            b.beneficiaires.get(key),
            None if key.startswith("beneficiaires") else part(b.beneficiaires.get(key, 0), reached),
        )
        for key, label in labels.items()
        if key in b.beneficiaires
    ]
    return Tableau(
        f"Bénéficiaires {b.annee}",
        (Colonne("Public"), Colonne("Nombre", "entier"), Colonne("Part des bénéficiaires atteints", "pourcent")),
        rows,
        note="Sommes des nombres déclarés par action ; une même personne suivie par deux actions compte deux fois.",
        feuille="Bénéficiaires",
    )


def evolution(bilans: Sequence[Bilan]) -> Tableau:
    """One line a year, for the mid-term and final reports."""
    return Tableau(
        "Programmations successives",
        (
            Colonne("Année", "annee"),
            Colonne("Actions", "entier"),
            Colonne("Opérateurs", "entier"),
            Colonne("Montant total", "euros"),
            Colonne("Enveloppe", "euros"),
            *(Colonne(c.libelle, "pourcent") for c in bilans[0].cibles),
        ),
        [(b.annee, b.actions, b.operateurs, b.total, b.enveloppe, *(c.constate for c in b.cibles)) for b in bilans],
        feuille="Évolution",
    )


def evaluees(actions: Sequence[ActionProgrammee], ref: Referentiel) -> list[ActionProgrammee]:
    """CPO and heavily funded actions, the most funded first: their impacts are evaluated apart."""
    seuil = _d(ref.evaluation.seuil_fort_financement)
    return sorted((a for a in actions if a.cpo or montant(a) >= seuil), key=lambda a: (-montant(a), a.operateur))


def impacts(actions: Sequence[ActionProgrammee], ref: Referentiel) -> Tableau:
    """CPO and heavily funded actions, with planned and reached beneficiaries."""
    rows = []
    for a in evaluees(actions, ref):
        planned, reached = a.beneficiaires.get("beneficiaires_prevus"), a.beneficiaires.get("beneficiaires_atteints")
        rows.append(
            (
                a.operateur,
                a.action,
                montant(a),
                "oui" if a.cpo else "non",
                planned,
                reached,
                part(reached, planned) if planned and reached is not None else None,
            )
        )
    return Tableau(
        "Actions en CPO ou à fort financement",
        (
            Colonne("Opérateur"),
            Colonne("Action"),
            Colonne("Montant", "euros"),
            Colonne("CPO"),
            Colonne("Prévus", "entier"),
            Colonne("Atteints", "entier"),
            Colonne("Réalisation", "pourcent"),
        ),
        rows,
        note=f"Actions conventionnées en CPO ou financées à hauteur d'au moins "
        f"{montant_fr(_d(ref.evaluation.seuil_fort_financement))} tous financeurs confondus.",
        feuille="Impacts",
    )
