"""Who answered a campaign is read in one place: signatories in reference order, others after."""

from __future__ import annotations

import datetime as dt

from workflow.answers import Questionnaire
from workflow.intake.record import record_questionnaire
from workflow.registry.models import Soumission
from workflow.registry.queries import derniere_campagne, retours_campagne


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
