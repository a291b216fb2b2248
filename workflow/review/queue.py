"""What needs a person, most urgent first: blocking alerts, then the least sure readings, oldest first.

The queue is read in a constant number of SQL statements whatever the registry's size: first the narrow
columns that order and filter it (`ranked`), then the full review files of the lines shown (`load_lines`),
so that a page of the console loads only its own rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple, TypeAlias

from sqlalchemy import Select, Text, cast, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from workflow.answers import Certitude, TypeFormulaire
from workflow.registry.models import (
    AlerteRow,
    DecisionAlerte,
    FicheAssociationVersion,
    Organisation,
    ProvenanceRow,
    QuestionnaireVersion,
    Revue,
    Soumission,
)
from workflow.review.dossier import AlerteVue, Dossier
from workflow.review.status import StatutRevue

Query: TypeAlias = "Select[*tuple[Any, ...]]"
SEPARATOR = " "  # between the open alert codes of a questionnaire, aggregated in SQL


@dataclass(frozen=True)
class AVoir:
    """One line of the review queue."""

    dossier: Dossier
    alertes: tuple[AlerteVue, ...]
    campagne: int | None
    deduites: int = 0  # values read from prose, not from a control or a labelled line: to look at first

    @property
    def ouvertes(self) -> list[AlerteVue]:
        return [a for a in self.alertes if a.ouverte]

    @property
    def bloquantes(self) -> list[AlerteVue]:
        return [a for a in self.ouvertes if a.bloquante]

    @property
    def recu_le(self) -> dt.datetime:
        return self.dossier.soumission.recu_le


class Rang(NamedTuple):
    """A queue line as its ordering and filters see it, before its review file is loaded (one per submission
    under review: a tuple, light to build by the thousand)."""

    soumission_id: int
    organisme: str
    campagne: int | None
    recu_le: dt.datetime
    deduites: int
    ouvertes: tuple[str, ...]  # the codes of the open alerts, one per alert
    bloquantes: int
    version_id: int  # the row of its version, in `questionnaires` or (fiche) in `fiches_association`
    fiche: bool

    @property
    def urgence(self) -> tuple[int, int, int, dt.datetime, int]:
        """The sort key: blocking alerts, deduced values, open alerts, then the oldest (the first recorded)."""
        return (-self.bloquantes, -self.deduites, -len(self.ouvertes), self.recu_le, self.soumission_id)


def queue(
    session: Session,
    statut: StatutRevue | None = StatutRevue.A_VERIFIER,
    code: str | None = None,
    organisme: str | None = None,
    campagne: int | None = None,
) -> list[AVoir]:
    """Return the submissions under review matching the filters, most urgent first."""
    lines = narrowed(ranked(session, statut), code, organisme, campagne)
    return load_lines(session, lines, _scope(statut))


def ranked(session: Session, statut: StatutRevue | None = StatutRevue.A_VERIFIER) -> list[Rang]:
    """Return every submission under review with this status (any if None), most urgent first."""
    scope = _scope(statut)
    lines = [
        _rank(sid, vid, False, nom, year, recu_le, deduites, codes.split(SEPARATOR) if codes else [])
        for sid, vid, recu_le, nom, year, deduites, codes in session.execute(_questionnaires(scope))
    ]
    decided = _decided(session, scope)
    for sid, vid, recu_le, nom, found, provenance in session.execute(_fiches(scope)):
        codes = [a["code"] for a in _parsed(found) or [] if (sid, a["code"], a.get("champ", "")) not in decided]
        lines.append(_rank(sid, vid, True, nom, None, recu_le, _deduced_text(provenance), codes))
    return sorted(lines, key=lambda line: line.urgence)


def narrowed(
    lines: Iterable[Rang], code: str | None = None, organisme: str | None = None, campagne: int | None = None
) -> list[Rang]:
    """Keep the lines with this open alert code, this partner (name contains, any case) and this campaign."""
    wanted = organisme.lower() if organisme else ""
    return [
        line
        for line in lines
        if (campagne is None or line.campagne == campagne)
        and wanted in line.organisme.lower()
        and (not code or code in line.ouvertes)
    ]


def load_lines(session: Session, lines: Sequence[Rang], scope: Query | None = None) -> list[AVoir]:
    """Return the full queue lines of these ranked ones, in their order, in a constant number of statements.

    `scope` selects the submission ids to load when the lines are many (a whole queue rather than a page).
    """
    if not lines:
        return []
    ids: Query | list[int] = scope if scope is not None else [line.soumission_id for line in lines]
    revues = {
        r.soumission_id: r
        for r in session.scalars(
            select(Revue).options(joinedload(Revue.soumission)).where(Revue.soumission_id.in_(ids))
        )
    }
    versions = _versions(session, lines, scope)
    decisions: dict[int, dict[tuple[str, str], DecisionAlerte]] = defaultdict(dict)
    for d in session.scalars(select(DecisionAlerte).where(DecisionAlerte.soumission_id.in_(ids))):
        decisions[d.soumission_id][(d.code, d.champ)] = d
    out = []
    for line in lines:
        revue, version = revues[line.soumission_id], versions[line.soumission_id]
        dossier = Dossier(revue.soumission, version, revue)
        found = tuple(_views(version, decisions[line.soumission_id]))
        out.append(AVoir(dossier, found, line.campagne, line.deduites))
    return out


def deduced(version: QuestionnaireVersion | FicheAssociationVersion) -> int:
    """Count the values of a version whose reading was deduced (READING.md § 5)."""
    if isinstance(version, QuestionnaireVersion):
        return sum(p.certitude == Certitude.DEDUITE for p in version.provenances)
    return _deduced_json(version.provenance)


def kind_label(dossier: Dossier) -> str:
    return "fiche association" if isinstance(dossier.version, FicheAssociationVersion) else "questionnaire"


def _scope(statut: StatutRevue | None) -> Query:
    """Return the ids of the submissions under review with this status (all of them if None)."""
    query = select(Revue.soumission_id)
    return query if statut is None else query.where(Revue.statut == statut.value)


def _questionnaires(scope: Query) -> Query:
    """Each questionnaire in scope: submission, arrival, partner, campaign, deduced values, open alert codes."""
    q = QuestionnaireVersion
    deduites = select(func.count(ProvenanceRow.id)).where(
        ProvenanceRow.questionnaire_id == q.id, ProvenanceRow.certitude == Certitude.DEDUITE.value
    )
    decided = exists().where(
        DecisionAlerte.soumission_id == q.soumission_id,
        DecisionAlerte.code == AlerteRow.code,
        DecisionAlerte.champ == AlerteRow.champ,
    )
    codes = select(func.aggregate_strings(AlerteRow.code, SEPARATOR)).where(
        AlerteRow.questionnaire_id == q.id, ~decided.correlate_except(DecisionAlerte)
    )
    return _partner_rows(
        q, TypeFormulaire.QUESTIONNAIRE, scope, q.campagne, deduites.scalar_subquery(), codes.scalar_subquery()
    )


def _fiches(scope: Query) -> Query:
    """Each association form in scope: submission, arrival, partner, alerts and provenance (JSON text)."""
    f = FicheAssociationVersion
    return _partner_rows(f, TypeFormulaire.ASSOCIATION, scope, cast(f.alertes, Text), cast(f.provenance, Text))


def _partner_rows(
    version: type[QuestionnaireVersion] | type[FicheAssociationVersion],
    kind: TypeFormulaire,
    scope: Query,
    *columns: Any,
) -> Query:
    """Select the submissions in scope recorded as this kind of form: number, arrival, partner, then `columns`."""
    return (
        select(Soumission.id, version.id, Soumission.recu_le, Organisation.nom, *columns)
        .join(version, version.soumission_id == Soumission.id)
        .join(Organisation, Organisation.id == version.organisation_id)
        .where(Soumission.id.in_(scope), Soumission.type_formulaire == kind.value)
    )


def _decided(session: Session, scope: Query) -> set[tuple[int, str, str]]:
    """Return the (submission, code, field) of every alert decided on an association form in scope."""
    query = (
        select(DecisionAlerte.soumission_id, DecisionAlerte.code, DecisionAlerte.champ)
        .join(FicheAssociationVersion, FicheAssociationVersion.soumission_id == DecisionAlerte.soumission_id)
        .where(DecisionAlerte.soumission_id.in_(scope))
    )
    return {(sid, code, champ) for sid, code, champ in session.execute(query)}


def _rank(
    sid: int, vid: int, fiche: bool, nom: str, year: int | None, recu_le: dt.datetime, deduites: int, codes: list[str]
) -> Rang:
    return Rang(sid, nom, year, recu_le, deduites, tuple(codes), sum(map(_blocking, codes)), vid, fiche)


@cache
def _blocking(code: str) -> bool:
    return AlerteVue(code, "", "", None).bloquante


def _parsed(text: str | None) -> Any:
    return json.loads(text) if text else None


def _deduced_text(provenance: str | None) -> int:
    """Count the deduced values of a provenance read as JSON text, parsed only if one may be deduced."""
    if not provenance or Certitude.DEDUITE.value not in provenance:
        return 0
    return _deduced_json(_parsed(provenance))


def _deduced_json(provenance: dict[str, Any] | None) -> int:
    return sum((p or {}).get("certitude") == Certitude.DEDUITE for p in (provenance or {}).values())


def _versions(
    session: Session, lines: Sequence[Rang], scope: Query | None
) -> dict[int, QuestionnaireVersion | FicheAssociationVersion]:
    """Return the version of each line, by submission, with its partner and (questionnaires) its alerts.

    A page's versions are read by their own ids; a whole queue's by the submissions in `scope`."""
    q, f = QuestionnaireVersion, FicheAssociationVersion
    if scope is None:
        wanted_q = q.id.in_([line.version_id for line in lines if not line.fiche])
        wanted_f = f.id.in_([line.version_id for line in lines if line.fiche])
    else:
        wanted_q, wanted_f = q.soumission_id.in_(scope), f.soumission_id.in_(scope)
    questionnaires = select(q).options(joinedload(q.organisation), selectinload(q.alertes)).where(wanted_q)
    fiches = select(f).options(joinedload(f.organisation)).where(wanted_f)
    found: dict[int, QuestionnaireVersion | FicheAssociationVersion] = {}
    for version in session.scalars(questionnaires).unique():
        found[version.soumission_id] = version
    for fiche in session.scalars(fiches):
        found[fiche.soumission_id] = fiche
    return found


def _views(
    version: QuestionnaireVersion | FicheAssociationVersion, decisions: dict[tuple[str, str], DecisionAlerte]
) -> list[AlerteVue]:
    """Return the version's alerts with their decisions, as `dossier.alerts` does, from decisions at hand."""
    if isinstance(version, QuestionnaireVersion):
        rows = [(a.code, a.message, a.champ) for a in version.alertes]
    else:
        rows = [(a["code"], a["message"], a.get("champ", "")) for a in version.alertes]
    return [AlerteVue(code, message, champ, decisions.get((code, champ))) for code, message, champ in rows]
