"""The dashboard: a fixed number of queries whatever the registry holds, and the reminders of each partner."""

from __future__ import annotations

import datetime as dt

import console_fixtures
from console_fixtures import filled_form, login
from sqlalchemy import event

from workflow.campagne.annuaire import cle_association
from workflow.intake.ingest import Arrivee, Source, ingest
from workflow.registry.db import Registry
from workflow.registry.models import Campagne, PartenaireAttendu, Relance
from workflow.review import actions
from workflow.review.dossier import load
from workflow.web.tableau import tableau

client, flagged, workspace = console_fixtures.client, console_fixtures.flagged, console_fixtures.workspace  # fixtures
_model = console_fixtures._model
OTHERS = ("Caisse d'Allocations Familiales du Pas-de-Calais", "Ville d'Arras", "Maisons et Cités")


def shown(response) -> str:
    return response.text.replace("\u00a0", " ").replace("&nbsp;", " ")


def _queries(registry: Registry, workspace) -> tuple[int, int]:
    """Return (statements run, lines) of the 2024 dashboard."""
    counted: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        counted.append(statement)

    event.listen(registry.engine, "before_cursor_execute", count)
    try:
        with registry.session() as session:
            lines = tableau(session, workspace.referentiel, 2024).lignes
    finally:
        event.remove(registry.engine, "before_cursor_execute", count)
    return len(counted), sum(1 for line in lines if line.soumission_id)


def test_the_dashboard_runs_the_same_number_of_queries_for_one_answer_or_four(workspace, flagged, tmp_path):
    registry = Registry(workspace.database_url())
    try:
        alone, received = _queries(registry, workspace)
        assert received == 1
        for i, name in enumerate(OTHERS):
            form = filled_form(workspace, tmp_path, f"autre{i}", organisme=name, referent_courriel=f"c{i}@x.fr")
            ingest(workspace, registry, Arrivee(form, Source.COMMANDE))
        with registry.session() as session:
            actions.accept(session, load(session, flagged), "objectif_inconnu", "voulu", "sophie.marchand")
        four, received = _queries(registry, workspace)
    finally:
        registry.close()
    assert received == 4
    assert four == alone


def test_the_dashboard_counts_open_alerts_without_the_decided_ones(client, workspace, flagged):
    registry = Registry(workspace.database_url())

    def counts() -> tuple[int, int]:
        with registry.session() as session:
            lines = tableau(session, workspace.referentiel, 2024).lignes
            line = next(x for x in lines if x.soumission_id == flagged)
            return line.ouvertes, line.bloquantes

    before = counts()
    with registry.session() as session:
        actions.accept(session, load(session, flagged), "objectif_inconnu", "voulu", "sophie.marchand")
    after = counts()
    registry.close()
    assert before == (2, 2) and after == (1, 1)  # the e-mail without @ stays open


def test_the_reminders_of_each_partner_are_on_the_dashboard(client, workspace):
    registry = Registry(workspace.database_url())
    now = dt.datetime(2025, 2, 15, 10, 0, tzinfo=dt.UTC)
    with registry.session() as session:
        session.add(Campagne(annee=2024, echeance=dt.date(2025, 3, 14), ouverte_le=now, attendus=[
            PartenaireAttendu(cle="association:afeji artois", nom="AFEJI Artois", type="association", origine="liste"),
        ]))  # fmt: skip
        for numero, cle, organisme, sent in (
            (1, "signataire:arras", "Ville d'Arras", now),
            (2, "signataire:arras", "Ville d'Arras", None),
            (1, "association:afeji artois", "AFEJI Artois", now),
        ):
            session.add(Relance(
                campagne=2024, cle=cle, organisme=organisme, numero=numero, destinataire="x@arras.fr",
                echeance=dt.date(2025, 3, 14), preparee_le=now + dt.timedelta(days=numero), fichier="r.eml",
                envoyee_le=sent,
            ))  # fmt: skip
    registry.close()
    login(client)
    page = shown(client.get("/tableau?campagne=2024"))
    arras = page[page.index("Ville d&#39;Arras</th>") :].split("</tr>")[0]
    assert "2 relances</span>" in arras and "dont 1 envoyée" in arras and "dernière le 17/02/2025" in arras
    afeji = page[page.index("AFEJI Artois</th>") :].split("</tr>")[0]
    assert "sans réponse" in afeji and "1 relance</span>" in afeji and '"aide">envoyée<br>' in afeji
    assert "dernière le 16/02/2025" in afeji
    habitat = page[page.index("Pas-de-Calais Habitat</a>") :].split("</tr>")[0]
    assert '<td class="relances">—</td>' in habitat


def test_once_a_campaign_is_open_an_older_association_form_is_no_answer_to_it(client, workspace, tmp_path):
    from workflow.demo.remplir import fill_association_form
    from workflow.demo.run import associations_exemples
    from workflow.render.formulaire import association_form

    answers = associations_exemples()[0]
    blank = association_form(workspace, answers["association_nom"], tmp_path / "vierge.docx")
    registry = Registry(workspace.database_url())
    fiche = ingest(
        workspace, registry, Arrivee(fill_association_form(blank, answers, tmp_path / "f.docx"), Source.COMMANDE)
    )

    def line(year: int):
        with registry.session() as session:
            lines = tableau(session, workspace.referentiel, year).lignes
        return [x for x in lines if x.organisme == answers["association_nom"]]

    with registry.session() as session:
        expected = PartenaireAttendu(
            cle=cle_association(answers["association_nom"]), nom=answers["association_nom"], type="association",
            origine="liste",
        )  # fmt: skip
        session.add(Campagne(annee=2027, echeance=dt.date(2027, 3, 15), ouverte_le=dt.datetime.now(dt.UTC),
                             attendus=[expected]))  # fmt: skip
        session.add(
            Campagne(annee=2023, echeance=dt.date(2023, 3, 15), ouverte_le=dt.datetime(2023, 1, 9, tzinfo=dt.UTC))
        )
    try:
        assert [(x.soumission_id, x.statut) for x in line(2023)] == [(fiche.soumission_id, "a_verifier")]
        assert [(x.soumission_id, x.statut) for x in line(2027)] == [(None, "sans_reponse")]  # listed once
        assert [x.soumission_id for x in line(2024)] == [fiche.soumission_id]  # no campaign recorded: as before
    finally:
        registry.close()


def test_the_dashboard_opens_on_the_open_campaign_else_the_latest_answered(client, workspace):
    login(client)
    assert "Tableau de bord — campagne 2024" in shown(client.get("/tableau"))
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        session.add(Campagne(annee=2027, echeance=dt.date(2027, 3, 15), ouverte_le=dt.datetime.now(dt.UTC)))
    registry.close()
    page = shown(client.get("/tableau"))
    assert "Tableau de bord — campagne 2027" in page and '<option value="2024">2024</option>' in page
    assert "Aucune réponse reçue pour la campagne 2027" in page
