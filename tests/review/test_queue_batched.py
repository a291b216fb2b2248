"""The review queue and the journal are read in a constant number of SQL statements, in the order a
submission-by-submission reading gives, and the console asks them for one page only."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from workflow.registry import models as m
from workflow.registry.db import Registry
from workflow.review import journal
from workflow.review.dossier import alerts, load
from workflow.review.queue import deduced, load_lines, narrowed, queue, ranked
from workflow.review.status import Action, StatutRevue

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
# (code, field) of the alerts each kind of submission gets: blocking, to check, unknown (blocking)
ALERTS = [
    [("courriel_invalide", "referent_courriel"), ("objectif_inconnu", "objectifs[0]")],
    [("lecture_incertaine", "")],
    [],
    [("code_inconnu", "x"), ("lecture_incertaine", "")],
]


def _fill(registry: Registry, count: int) -> None:
    """Write `count` questionnaires and association forms under review, alerts, decisions and certitudes mixed."""
    ids = itertools.count(1)
    with registry.session() as session:
        orgs = [m.Organisation(nom=n, cle=f"o:{n}", type="signataire") for n in ("Ville d'Arras", "Établissement Été")]
        session.add_all(orgs)
        session.flush()
        for i in range(count):
            sid = next(ids)
            kind = "association" if i % 3 == 2 else "questionnaire"
            when = START + dt.timedelta(hours=i // 2)  # two by two at the same time: arrival order breaks ties
            session.add(m.Soumission(id=sid, fichier=f"r{i}.docx", sha256=f"{i:064x}", taille=1, recu_le=when,
                                     source="dossier", type_fichier="docx", type_formulaire=kind, parseur="docx",
                                     statut="enregistre", motif=""))  # fmt: skip
            session.flush()  # the submission first: the rows below point to it
            found = ALERTS[i % len(ALERTS)]
            certitudes = ["deduite"] * (i % 4) + ["certaine"]
            org = orgs[i % 2]
            if kind == "questionnaire":
                session.add(m.QuestionnaireVersion(
                    organisation_id=org.id, campagne=2024 + i % 2, version=i, courant=False, soumission_id=sid,
                    alertes=[m.AlerteRow(code=c, message=c, champ=f) for c, f in found],
                    provenances=[m.ProvenanceRow(champ=f"c{k}", methode="texte", localisation="", certitude=c)
                                 for k, c in enumerate(certitudes)],
                ))  # fmt: skip
            else:
                session.add(m.FicheAssociationVersion(
                    organisation_id=org.id, version=i, courant=False, soumission_id=sid, identite={}, quartiers=[],
                    ambitions=[], objectifs=[], engagements=[], autres_engagements="", demande_cpo=False,
                    duree_cpo_annees=None, indicateurs_suivi=[], signature={},
                    alertes=[{"code": c, "message": c, "champ": f} for c, f in found],
                    provenance={f"c{k}": {"certitude": c} for k, c in enumerate(certitudes)},
                ))  # fmt: skip
            statut = StatutRevue.A_CORRIGER if i % 7 == 6 else StatutRevue.A_VERIFIER
            session.add(m.Revue(soumission_id=sid, statut=statut.value, par="", le=when))
            if found and i % 5 == 0:
                code, champ = found[0]
                session.add(m.DecisionAlerte(soumission_id=sid, code=code, champ=champ, decision="acceptee",
                                             motif="vu", par="equipe", le=when))  # fmt: skip


def _one_by_one(session: Any, statut: StatutRevue | None) -> list[tuple[int, int, int, int]]:
    """The queue as it was read before: each submission loaded alone, then sorted."""
    query = select(m.Revue) if statut is None else select(m.Revue).where(m.Revue.statut == statut.value)
    lines = []
    for revue in session.scalars(query):
        dossier = load(session, revue.soumission_id)
        ouvertes = [a for a in alerts(session, dossier) if a.ouverte]
        bloquantes = sum(a.bloquante for a in ouvertes)
        lines.append((dossier.soumission.id, bloquantes, deduced(dossier.version), len(ouvertes), dossier))
    lines.sort(key=lambda x: (-x[1], -x[2], -x[3], x[4].soumission.recu_le))
    return [x[:4] for x in lines]


@contextmanager
def _counted(registry: Registry) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(registry.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(registry.engine, "before_cursor_execute", count)


def test_the_queue_comes_in_the_order_of_a_submission_by_submission_reading(registry):
    _fill(registry, 40)
    with registry.session() as session:
        for statut in (StatutRevue.A_VERIFIER, None):
            lines = queue(session, statut)
            got = [(x.dossier.soumission.id, len(x.bloquantes), x.deduites, len(x.ouvertes)) for x in lines]
            assert got == _one_by_one(session, statut)
        assert [len(x.alertes) for x in lines] == [len(alerts(session, x.dossier)) for x in lines]


def test_the_queue_is_filtered_as_before(registry):
    _fill(registry, 24)
    with registry.session() as session:
        everything = queue(session)
        for code, organisme, campagne in [("courriel_invalide", None, None), (None, "été", None), (None, None, 2025)]:
            expected = [
                x.dossier.soumission.id
                for x in everything
                if (not code or any(a.code == code for a in x.ouvertes))
                and (not organisme or organisme in x.dossier.organisme.lower())
                and (campagne is None or x.campagne == campagne)
            ]
            assert [x.dossier.soumission.id for x in queue(session, code=code, organisme=organisme,
                                                           campagne=campagne)] == expected  # fmt: skip
            assert expected


def test_the_queue_and_one_of_its_pages_take_as_many_statements_for_ten_or_a_hundred_submissions(workspace):
    counts = []
    for size in (10, 100):
        registry = Registry(f"sqlite:///{workspace.root / f'registre_{size}.sqlite'}")
        _fill(registry, size)
        with registry.session() as session, _counted(registry) as statements:
            queue(session)
            whole = len(statements)
            load_lines(session, narrowed(ranked(session))[:5])
            counts.append((whole, len(statements) - whole))
        registry.close()
    assert counts[0] == counts[1] and max(counts[0]) <= 8


def test_the_journal_gives_one_page_the_latest_first_and_counts_all_its_entries(registry):
    with registry.session() as session:
        for i in range(7):
            entry = journal.log(session, "equipe", Action.NOTE, organisme="CAF" if i % 2 else "Ville", motif=str(i))
            entry.le = START + dt.timedelta(days=i)
    with registry.session() as session:
        assert journal.count(session) == 7 and journal.count(session, organisme="caf") == 3
        assert [e.motif for e in journal.latest(session, offset=2, limit=3)] == ["4", "3", "2"]
        assert [e.motif for e in journal.latest(session, dt.date(2025, 3, 6), "caf")] == ["5", "3"]
        assert [e.motif for e in journal.entries(session)] == [str(i) for i in range(7)]  # the CLI's order
