"""The contract documents take each partner's newest
validated answer, whatever its campaign, chosen in SQL, with no alerts, corrections or notes loaded."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, inspect, select

from workflow.answers import Questionnaire
from workflow.intake.record import record_questionnaire
from workflow.registry.models import Revue, Soumission
from workflow.registry.queries import Selection, latest_per_organisation
from workflow.review.status import StatutRevue


def _answer(session, organisme: str, campagne: int, statut: StatutRevue) -> None:
    number = session.scalar(select(Soumission.id).order_by(Soumission.id.desc()).limit(1)) or 0
    soumission = Soumission(
        fichier=f"{organisme}-{campagne}.docx",
        sha256=f"{number + 1}".ljust(64, "0"),
        taille=1,
        recu_le=dt.datetime(campagne, 3, 1, tzinfo=dt.UTC),
        source="commande",
        type_fichier="docx",
        type_formulaire="questionnaire",
        statut="enregistre",
    )
    session.add(soumission)
    record_questionnaire(
        session, soumission, Questionnaire(organisme, None, campagne, "", "", "", "", (), (), (), "", (), (), ())
    )
    session.flush()
    revue = session.scalar(select(Revue).where(Revue.soumission_id == soumission.id))
    if revue is None:
        session.add(Revue(soumission=soumission, statut=statut.value, par="", le=soumission.recu_le))
    else:
        revue.statut = statut.value


def test_each_partner_gets_its_newest_validated_answer_whatever_the_campaign(registry):
    valid, waiting = StatutRevue.VALIDEE, StatutRevue.A_VERIFIER
    with registry.session() as session:
        _answer(session, "Bailleur B", 2025, valid)
        _answer(session, "Bailleur B", 2025, valid)
        _answer(session, "Bailleur B", 2026, waiting)  # the newest campaign still waits for a person
        _answer(session, "Bailleur A", 2024, valid)
        _answer(session, "Bailleur A", 2026, valid)
        _answer(session, "Bailleur A", 2026, waiting)
        _answer(session, "Bailleur C", 2026, waiting)
    statements: list[str] = []
    event.listen(registry.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with registry.session() as session:
        chosen = latest_per_organisation(session, Selection.VALIDEES)
        assert [(v.organisation.nom, v.campagne, v.version) for v in chosen] == [
            ("Bailleur A", 2026, 1),
            ("Bailleur B", 2025, 2),
        ]
        assert all(v.soumission.validee for v in chosen)
        assert {"alertes", "provenances"} <= inspect(chosen[0]).unloaded
        assert {"corrections", "notes"} <= inspect(chosen[0].soumission).unloaded
        assert len(statements) == 5  # versions with organisation and review, then four kinds of rows
        current = latest_per_organisation(session, Selection.COURANTES)
        assert [(v.organisation.nom, v.campagne, v.version) for v in current] == [
            ("Bailleur A", 2026, 2),
            ("Bailleur B", 2026, 1),
            ("Bailleur C", 2026, 1),
        ]
