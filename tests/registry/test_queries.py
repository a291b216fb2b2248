"""Who answered a campaign is read in one place: signatories in reference order, others after; each
query loads the versions its readers print, and the provenance of values only when asked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select

from workflow.answers import Questionnaire
from workflow.intake.record import record_questionnaire
from workflow.registry.models import Revue, Soumission
from workflow.registry.queries import Selection, derniere_campagne, questionnaires, retours_campagne
from workflow.review.status import StatutRevue


def _answer(session, organisme: str, signataire_id: str | None, campagne: int, courriel: str = "") -> None:
    soumission = Soumission(
        fichier=f"{organisme}-{campagne}.docx",
        sha256=f"{organisme}{campagne}".ljust(64, "0")[:64],
        taille=1,
        recu_le=dt.datetime(campagne, 3, 1, tzinfo=dt.UTC),
        source="commande",
        type_fichier="docx",
        type_formulaire="questionnaire",
        statut="enregistre",
    )
    session.add(soumission)
    questionnaire = Questionnaire(organisme, signataire_id, campagne, "", "", courriel, "", (), (), (), "", (), (), ())
    record_questionnaire(session, soumission, questionnaire)


def test_it_splits_the_signatories_into_answered_and_missing_in_reference_order(registry, workspace):
    signataires = workspace.referentiel.signataires.signataires
    with registry.session() as session:
        _answer(session, "Ville d'Arras", "arras", 2026)
        _answer(session, "Association hors liste", None, 2026)
        _answer(session, "État", "etat", 2026)
        _answer(session, "CUA", "cua", 2025, courriel="referent@cu-arras.fr")
    with registry.session() as session:
        found = retours_campagne(session, signataires, 2026)
        assert [v.organisation.nom for v in found.repondu] == ["État", "Ville d'Arras", "Association hors liste"]
        assert [s.id for s in found.sans_reponse] == [s.id for s in signataires if s.id not in ("etat", "arras")]
        assert found.courriels == {"cua": "referent@cu-arras.fr"}  # an earlier campaign's referent, for reminders
        assert derniere_campagne(session) == 2026


def test_an_empty_registry_has_no_latest_campaign(registry):
    with registry.session() as session:
        assert derniere_campagne(session) is None


def _validated(session, organisme: str, versions: int, validated: set[int]) -> None:
    for number in range(1, versions + 1):
        _answer(session, organisme, None, 2026)
        session.flush()
        soumission = session.scalars(select(Soumission).order_by(Soumission.id.desc())).first()
        statut = StatutRevue.VALIDEE if number in validated else StatutRevue.A_VERIFIER
        session.add(Revue(soumission=soumission, statut=statut.value, par="", le=soumission.recu_le))


def test_documents_take_each_partners_newest_validated_version(registry):
    with registry.session() as session:
        _validated(session, "Bailleur A", 3, {1, 2})  # the third, newer, still waits for a person
        _validated(session, "Bailleur B", 1, set())
    with registry.session() as session:
        chosen = questionnaires(session, Selection.VALIDEES)
        assert [(v.organisation.nom, v.version) for v in chosen] == [("Bailleur A", 2)]
        assert [v.version for v in questionnaires(session, Selection.COURANTES)] == [3, 1]


def test_the_provenance_of_each_value_is_loaded_only_when_asked(registry):
    with registry.session() as session:
        _answer(session, "CAF", "caf", 2026)
    with registry.session() as session:
        (plain,) = questionnaires(session)
        assert "provenances" in inspect(plain).unloaded and "interventions" not in inspect(plain).unloaded
    with registry.session() as session:
        (traced,) = questionnaires(session, provenance=True)
        assert "provenances" not in inspect(traced).unloaded
