"""Pages added to the console over HTTP: search, the contact directory, the documents' sources."""

from __future__ import annotations

import console_fixtures
from console_fixtures import filled_form, login

from workflow.intake.ingest import Arrivee, Source, ingest
from workflow.registry.db import Registry

client, flagged, workspace = console_fixtures.client, console_fixtures.flagged, console_fixtures.workspace  # fixtures
_model = console_fixtures._model


def shown(response) -> str:
    return response.text.replace("\u00a0", " ").replace("&nbsp;", " ")


def test_search_links_each_match_to_its_submission_and_field_with_the_words_marked(client, flagged):
    login(client)
    page = shown(client.get("/recherche", params={"q": "gestion URBAINE"}))
    assert "1 résultat pour « gestion URBAINE »" in page
    assert f'href="/soumissions/{flagged}#champ-interventions_structurantes-0--intitule"' in page
    assert "<mark>Gestion</mark> <mark>urbaine</mark> de proximité" in page
    target = shown(client.get(f"/soumissions/{flagged}"))
    assert 'id="champ-interventions_structurantes-0--intitule"' in target
    assert "Aucun résultat pour « introuvable »" in shown(client.get("/recherche?q=introuvable"))
    assert "mots trop courants" in shown(client.get("/recherche?q=de+la"))
    assert 'id="recherche-rapide"' in shown(client.get("/tableau"))


def test_search_shows_what_a_partner_wrote_escaped(client, workspace, tmp_path):
    registry = Registry(workspace.database_url())
    hostile = filled_form(workspace, tmp_path, "xss", referent_nom="<script>alert(1)</script> Mallory")
    ingest(workspace, registry, Arrivee(hostile, Source.COMMANDE))
    registry.close()
    login(client)
    page = client.get("/recherche?q=mallory").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Mallory</mark>" in page


def _validate(workspace, flagged) -> None:
    from workflow.review import actions
    from workflow.review.dossier import load

    registry = Registry(workspace.database_url())
    with registry.session() as session:
        dossier = load(session, flagged)
        for code in ("courriel_invalide", "objectif_inconnu"):
            actions.accept(session, dossier, code, "vérifié", "sophie.marchand")
        actions.validate(session, dossier, "sophie.marchand")
    registry.close()


def test_the_documents_page_names_the_versions_each_document_was_generated_from(client, workspace, flagged):
    import docx

    from workflow.render.annexe import render_engagements_annex

    csrf = login(client)
    client.post("/documents/annexe-engagements/generer", data={"csrf": csrf, "projet": "1"})
    page = shown(client.get("/documents"))
    assert "Tiré, en projet, de 1 version (par sophie.marchand) :" in page
    assert f'<a href="/soumissions/{flagged}">Pas-de-Calais Habitat</a> (version 1, campagne 2024)' in page
    _validate(workspace, flagged)
    client.post("/documents/annexe-engagements/generer", data={"csrf": csrf})
    page = shown(client.get("/documents"))
    assert "Tiré de 1 version validée (par sophie.marchand) :" in page
    annexe = docx.Document(str(workspace.outbox / "annexe_engagements_signataires.docx"))
    text = "\n".join(p.text for p in annexe.paragraphs) + "".join(
        c.text for t in annexe.tables for r in t.rows for c in r.cells
    )
    assert "Pas-de-Calais Habitat" in text.replace("\u00a0", " ") or "PAS-DE-CALAIS HABITAT" in text
    assert "version 1" not in text and "soumission" not in text.lower() and "sophie.marchand" not in text
    registry = Registry(workspace.database_url())
    render_engagements_annex(workspace, registry)  # the command line rewrites it
    registry.close()
    assert "Versions d'origine inconnues" in shown(client.get("/documents")).replace("&#39;", "'")


def _journal(workspace) -> list[tuple[str, str, str, str, str]]:
    from sqlalchemy import select

    from workflow.registry.models import EntreeJournal

    registry = Registry(workspace.database_url())
    with registry.session() as session:
        found = [(e.par, e.action, e.champ, e.avant, e.apres) for e in session.scalars(select(EntreeJournal))]
    registry.close()
    return found


PDC_KEY = "signataire%3Apas-de-calais-habitat"


def test_the_directory_shows_an_unreadable_address_as_unusable_and_an_edit_is_journaled(client, workspace, flagged):
    _validate(workspace, flagged)  # the malformed address was accepted as read: kept, never written to
    csrf = login(client)
    page = shown(client.get("/annuaire"))
    row = page[page.index("Pas-de-Calais Habitat<br>") :].split("</tr>")[0]
    assert "nadia.leroy pdc-habitat.fr" in row and "inutilisable" in row and "adresse illisible" in row
    assert f'href="/soumissions/{flagged}">réponse n° {flagged}</a>' in row
    assert "cdv annuaire" not in row
    before = _journal(workspace)
    data = {"csrf": csrf, "cle": "signataire:pas-de-calais-habitat", "nom": "Nadia LEROY",
            "fonction": "Chargée de mission", "telephone": "03 21 00 00 00"}  # fmt: skip
    refused = client.post("/annuaire/modifier", data={**data, "courriel": "nadia.leroy@"}, follow_redirects=True)
    assert "Refusé : valeur refusée" in shown(refused) and _journal(workspace) == before
    same = client.post(
        "/annuaire/modifier", data={**data, "courriel": "nadia.leroy pdc-habitat.fr"}, follow_redirects=True
    )
    assert "aucune valeur n&#39;a changé" in shown(same)
    unknown = client.get("/annuaire/modifier?cle=association%3Ainconnue")
    assert unknown.status_code == 404 and "Partenaire inconnu de l&#39;annuaire" in unknown.text
    done = client.post(
        "/annuaire/modifier", data={**data, "courriel": "nadia.leroy@pdc-habitat.fr"}, follow_redirects=True
    )
    assert "Contact de Pas-de-Calais Habitat enregistré." in shown(done)
    row = shown(done)[shown(done).index("Pas-de-Calais Habitat<br>") :].split("</tr>")[0]
    assert "inutilisable" not in row and "saisie par sophie.marchand" in row
    assert _journal(workspace)[len(before) :] == [
        ("sophie.marchand", "contact", "courriel", "nadia.leroy pdc-habitat.fr", "nadia.leroy@pdc-habitat.fr")
    ]
    assert "contact de l&#39;annuaire modifié" in shown(client.get("/journal"))


def test_an_address_flagged_by_an_open_alert_is_shown_unusable(client, workspace, flagged):
    import datetime as dt

    from workflow.registry.models import Contact

    registry = Registry(workspace.database_url())
    with registry.session() as session:
        session.add(Contact(cle="signataire:pas-de-calais-habitat", organisme="Pas-de-Calais Habitat", rang=0,
                            nom="Nadia LEROY", courriel="nadia.leroy@pdc-habitat.fr", source=f"réponse n° {flagged}",
                            soumission_id=flagged, par="cdv", le=dt.datetime.now(dt.UTC)))  # fmt: skip
    registry.close()
    login(client)
    page = shown(client.get("/annuaire"))
    row = page[page.index("Pas-de-Calais Habitat<br>") :].split("</tr>")[0]
    assert f"signalée invalide (réponse n° {flagged})" in row and "inutilisable" in row
    form = shown(client.get(f"/annuaire/modifier?cle={PDC_KEY}"))
    assert 'value="nadia.leroy@pdc-habitat.fr"' in form and "Adresse inutilisable" in form


def test_a_reader_sees_the_directory_but_not_the_edit_form(client, flagged):
    login(client, console_fixtures.LECTURE)
    page = shown(client.get("/annuaire"))
    assert "Ville d&#39;Arras" in page and "/annuaire/modifier" not in page
    assert client.get(f"/annuaire/modifier?cle={PDC_KEY}").status_code == 403
    assert client.get("/annuaire/modifier?cle=association%3Ainconnue").status_code == 403


def test_an_association_a_campaign_expects_is_in_the_directory_and_its_contact_can_be_entered(client, workspace):
    import datetime as dt

    from workflow.registry.models import Campagne, PartenaireAttendu

    registry = Registry(workspace.database_url())
    with registry.session() as session:
        session.add(Campagne(annee=2027, echeance=dt.date(2027, 3, 15), ouverte_le=dt.datetime.now(dt.UTC), attendus=[
            PartenaireAttendu(cle="association:atelier velo solidaire", nom="Atelier vélo solidaire",
                              type="association", origine="programmation"),
        ]))  # fmt: skip
    registry.close()
    csrf = login(client)
    page = shown(client.get("/annuaire"))
    row = page[page.index("Atelier vélo solidaire<br>") :].split("</tr>")[0]
    assert "aucune adresse" in row and "association%3Aatelier%20velo%20solidaire" in row
    data = {"csrf": csrf, "cle": "association:atelier velo solidaire", "nom": "Hugo Lefebvre", "fonction": "",
            "courriel": "hugo@atelier-velo.fr", "telephone": ""}  # fmt: skip
    done = shown(client.post("/annuaire/modifier", data=data, follow_redirects=True))
    assert "Contact de l&#39;association Atelier vélo solidaire enregistré." in done
    row = done[done.index("Atelier vélo solidaire<br>") :].split("</tr>")[0]
    assert "hugo@atelier-velo.fr" in row and "aucune adresse" not in row


def test_long_lists_are_cut_into_pages_whose_links_keep_the_filters(client, monkeypatch):
    from workflow.web import pagination

    monkeypatch.setattr(pagination, "PER_PAGE", 5)
    login(client)
    first = shown(client.get("/tableau?campagne=2024&genre=signataire"))
    total = int(first.split("1 à 5 sur ", 1)[1].split(" ", 1)[0])
    assert total > 10 and first.count('<th scope="row">') == 5
    assert "page 1 sur" in first and '<span class="inactif">‹ Page précédente</span>' in first
    assert 'href="/tableau?campagne=2024&amp;genre=signataire&amp;page=2" rel="next">Page suivante ›</a>' in first
    second = shown(client.get("/tableau?campagne=2024&genre=signataire&page=2"))
    assert f"6 à 10 sur {total}" in second
    assert 'href="/tableau?campagne=2024&amp;genre=signataire" rel="prev">‹ Page précédente</a>' in second
    assert '<span aria-current="page">2</span>' in second
    beyond = shown(client.get("/tableau?campagne=2024&genre=signataire&page=999"))
    last = -(-total // 5)
    assert f"page {last} sur {last}" in beyond and "Page suivante ›</span>" in beyond
    assert "page 1 sur" in shown(client.get("/tableau?campagne=2024&genre=signataire&page=abc"))
    assert 'class="pages"' not in shown(client.get("/tableau?campagne=2024&etat=a_verifier"))  # one page: no links


def test_the_quarantine_and_the_journal_are_cut_into_pages_too(client, workspace, flagged, monkeypatch):
    from workflow.web import pagination

    monkeypatch.setattr(pagination, "PER_PAGE", 2)
    csrf = login(client)
    files = [("fichiers", (f"facture {i}.docx", b"MZ\x90\x00" + bytes(300 + i), "application/octet-stream"))
             for i in range(3)]  # fmt: skip
    client.post("/deposer", data={"csrf": csrf}, files=files)
    page = shown(client.get("/quarantaine"))
    assert "3 fichiers en quarantaine" in page and "1 à 2 sur 3" in page
    assert "3 à 3 sur 3" in shown(client.get("/quarantaine?page=2"))
    for texte in ("un", "deux"):
        client.post(f"/soumissions/{flagged}/note", data={"csrf": csrf, "texte": f"note {texte}"})
    journal = shown(client.get("/journal"))
    assert "5 actions, la plus récente d" in journal and "1 à 2 sur 5" in journal and "page 1 sur 3" in journal
    assert 'href="/journal?page=2"' in journal
    assert "note deux" in journal and "note un" in journal and "facture" not in journal  # the latest first
    assert "facture 0.docx" in shown(client.get("/journal?page=3"))


def test_the_queue_filters_and_sorts_on_reading_certainty(client, workspace, flagged):
    from pathlib import Path

    letter = Path(__file__).parents[1] / "fixtures" / "unseen" / "q1_lettre_prose.docx"
    registry = Registry(workspace.database_url())
    prose = ingest(workspace, registry, Arrivee(letter, Source.COMMANDE)).soumission_id
    registry.close()
    login(client)

    def order(query: str) -> list[int]:
        page = shown(client.get(f"/a-verifier{query}"))
        rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
        return [int(r.split('href="/soumissions/', 1)[1].split('"', 1)[0]) for r in rows.split("<tr>")[1:]]

    assert sorted(order("")) == sorted([flagged, prose])
    assert order("?lecture=deduites") == [prose]
    assert order("?lecture=deduites_d_abord") == [prose, flagged]
    page = shown(client.get("/a-verifier?lecture=deduites"))
    assert '<option value="deduites" selected>lectures déduites seulement</option>' in page
    assert "Lectures déduites" in page and '<span class="lecture-déduite">' in page
    assert order("?lecture=inconnue") == order("")


def test_any_two_versions_of_a_partner_are_compared_from_the_submission_page(client, workspace, flagged, tmp_path):
    registry = Registry(workspace.database_url())
    form = filled_form(workspace, tmp_path, "pdc2", referent_nom="Nadia LEROY-MARTIN")
    second = ingest(workspace, registry, Arrivee(form, Source.COMMANDE)).soumission_id
    registry.close()
    login(client)
    page = shown(client.get(f"/soumissions/{flagged}"))
    assert '<label for="de">Comparer la version</label>' in page and '<label for="a">avec la version</label>' in page
    chosen = client.get(f"/soumissions/{flagged}/comparer?de={flagged}&a={second}")
    assert chosen.status_code == 303 and chosen.headers["location"] == f"/soumissions/{second}/comparer/{flagged}"
    assert client.get(f"/soumissions/{flagged}/comparer").headers["location"] == f"/soumissions/{flagged}#versions"
    assert "1 valeur différente" in shown(client.get(chosen.headers["location"]))


def test_the_queue_names_each_alert_code_in_french(client, flagged):
    login(client)
    page = shown(client.get("/a-verifier"))
    assert '<option value="courriel_invalide">Adresse électronique du référent invalide</option>' in page
    assert '<code title="Adresse électronique du référent invalide">courriel_invalide</code>' in page


def test_the_queue_is_filtered_by_alert_code_partner_and_campaign(client, flagged):
    login(client)
    link = f'<a href="/soumissions/{flagged}">Pas-de-Calais Habitat</a>'
    for query in ("code=courriel_invalide", "organisme=HABITAT", "campagne=2024", "statut=toutes"):
        assert link in shown(client.get(f"/a-verifier?{query}")), query
    for query in ("code=section_vide", "organisme=Arras", "campagne=2031", "statut=validee"):
        page = shown(client.get(f"/a-verifier?{query}"))
        assert link not in page and "Rien à vérifier avec ces critères." in page, query
