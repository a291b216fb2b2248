"""The console over HTTP: no page without login, no POST without its CSRF token, no change by a reader,
and each action done by the library as the logged-in user, who is named in the journal."""

from __future__ import annotations

import time

import console_fixtures
import pytest
from console_fixtures import ADMIN, EQUIPE, FIELDS, LECTURE, MOT_DE_PASSE, filled_form, login, token
from sqlalchemy import select

from workflow.registry.db import Registry
from workflow.registry.models import EntreeJournal, Utilisateur
from workflow.web.app import create_app
from workflow.web.security import COOKIE, authenticate

client, flagged, workspace = console_fixtures.client, console_fixtures.flagged, console_fixtures.workspace  # fixtures
_model = console_fixtures._model


def shown(response) -> str:
    """Return the page as text, its French non-breaking spaces as plain ones."""
    return response.text.replace("\u00a0", " ").replace("&nbsp;", " ")


def _journal(workspace) -> list[tuple[str, str]]:
    registry = Registry(workspace.database_url())
    try:
        with registry.session() as session:
            return [(e.par, e.action) for e in session.scalars(select(EntreeJournal).order_by(EntreeJournal.id))]
    finally:
        registry.close()


def test_a_reader_sees_pages_without_any_form_that_changes_things(client, flagged):
    login(client, LECTURE)
    page = shown(client.get(f"/soumissions/{flagged}"))
    assert "Valider la soumission" not in page and "Corriger" not in page
    assert "nadia.leroy pdc-habitat.fr" in page
    assert "lecture certaine" in page  # read from the form's own controls
    assert client.get("/utilisateurs").status_code == 403


def test_pages_carry_the_security_headers_and_a_signed_httponly_lax_cookie(client):
    response = client.get("/connexion")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "<script>" not in shown(response) and "<style" not in shown(response) and " onclick" not in shown(response)


def test_a_forged_cookie_is_a_stranger(client):
    login(client)
    payload, stamp, _signature = client.cookies[COOKIE].split(".")
    client.cookies.clear()
    client.cookies.set(COOKIE, f"{payload}.{stamp}.{'A' * 27}")
    assert client.get("/tableau").status_code == 303


def test_a_wrong_password_is_refused_and_repeated_failures_are_throttled(client):
    for _ in range(5):
        response = client.post(
            "/connexion", data={"csrf": token(client), "identifiant": EQUIPE, "mot_de_passe": "mauvais mot de passe"}
        )
        assert response.status_code == 401
        assert "Identifiant ou mot de passe incorrect" in shown(response)
    right = client.post("/connexion", data={"csrf": token(client), "identifiant": EQUIPE, "mot_de_passe": MOT_DE_PASSE})
    assert right.status_code == 429
    assert "Trop d&#39;essais" in shown(right)


def test_the_session_ends_after_the_idle_delay(workspace, flagged, monkeypatch):
    from fastapi.testclient import TestClient

    with TestClient(create_app(workspace, idle_minutes=1), follow_redirects=False) as c:
        login(c)
        assert c.get("/tableau").status_code == 200
        later = time.time() + 61
        monkeypatch.setattr(time, "time", lambda: later)
        response = c.get("/tableau")
    assert response.status_code == 303 and response.headers["location"].startswith("/connexion")


def test_login_returns_to_the_page_asked_for_but_never_outside(client):
    data = {"csrf": token(client), "identifiant": EQUIPE, "mot_de_passe": MOT_DE_PASSE, "suite": "//evil.example"}
    assert client.post("/connexion", data=data).headers["location"] == "/"


def test_a_deactivated_user_is_logged_out_at_once(client, workspace):
    login(client, LECTURE)
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        session.scalar(select(Utilisateur).where(Utilisateur.identifiant == LECTURE)).actif = False
    registry.close()
    assert client.get("/tableau").status_code == 303


def test_correct_accept_validate_as_the_logged_in_user(client, flagged, workspace):
    csrf = login(client)
    n = flagged
    refused = client.post(f"/soumissions/{n}/valider", data={"csrf": csrf}, follow_redirects=True)
    assert "validation refusée" in shown(refused)
    corrected = client.post(
        f"/soumissions/{n}/corriger",
        data={"csrf": csrf, "champ": "referent_courriel", "valeur": "nadia.leroy@pdc-habitat.fr", "motif": "appel"},
        follow_redirects=True,
    )
    assert "« referent_courriel » corrigé" in shown(corrected)
    assert "lu « nadia.leroy pdc-habitat.fr », corrigé par sophie.marchand" in shown(corrected)
    bad = client.post(
        f"/soumissions/{n}/corriger",
        data={"csrf": csrf, "champ": "referent_telephone", "valeur": "12", "motif": "essai"},
        follow_redirects=True,
    )
    assert "Refusé" in shown(bad)
    accepted = client.post(
        f"/soumissions/{n}/accepter",
        data={"csrf": csrf, "code": "objectif_inconnu", "motif": "code voulu par le partenaire"},
        follow_redirects=True,
    )
    assert "Alerte « objectif_inconnu » : acceptée" in shown(accepted)
    client.post(f"/soumissions/{n}/note", data={"csrf": csrf, "texte": "Rappeler Mme Leroy"})
    validated = client.post(f"/soumissions/{n}/valider", data={"csrf": csrf}, follow_redirects=True)
    assert f"Soumission n° {n} validée" in shown(validated)
    assert {par for par, _ in _journal(workspace)} == {EQUIPE}
    assert [a for _, a in _journal(workspace)] == ["correction", "decision", "note", "validation"]
    journal = shown(client.get("/journal"))
    assert "sophie.marchand" in journal and "correction d&#39;une valeur" in journal


def test_send_back_needs_a_reason(client, flagged):
    csrf = login(client)
    empty = client.post(f"/soumissions/{flagged}/renvoyer", data={"csrf": csrf, "motif": " "}, follow_redirects=True)
    assert "Refusé" in shown(empty)
    done = client.post(
        f"/soumissions/{flagged}/renvoyer", data={"csrf": csrf, "motif": "objectifs"}, follow_redirects=True
    )
    assert "renvoyée au partenaire" in shown(done) and "à corriger" in shown(done)


def test_the_original_file_and_documents_download_as_attachments(client, flagged):
    csrf = login(client)
    original = client.get(f"/soumissions/{flagged}/original")
    assert original.status_code == 200
    assert original.headers["content-disposition"].startswith("attachment")
    assert original.content[:2] == b"PK"
    client.post("/documents/annexe-engagements/generer", data={"csrf": csrf, "projet": "1"})
    annexe = client.get("/documents/fichier/annexe_engagements_signataires.docx")
    assert annexe.status_code == 200 and annexe.headers["content-disposition"].startswith("attachment")
    for sneaky in ("../registry/registre.sqlite3", "..%2Fregistry%2Fregistre.sqlite3", "/etc/passwd"):
        assert client.get(f"/documents/fichier/{sneaky}").status_code == 404


def test_the_copil_pack_is_prepared_and_downloaded_as_one_zip(client, flagged):
    import io
    import zipfile

    csrf = login(client)
    client.post("/documents/copil", data={"csrf": csrf, "date": "14/03/2025"})
    assert "COPIL du 14/03/2025" in shown(client.get("/documents"))
    client.post("/documents/copil/2025-03-14/preparer", data={"csrf": csrf})
    pack = client.get("/documents/copil/2025-03-14.zip")
    assert pack.status_code == 200 and pack.headers["content-disposition"].startswith("attachment")
    names = zipfile.ZipFile(io.BytesIO(pack.content)).namelist()
    assert "copil_2025-03-14/annexe_engagements_signataires.docx" in names


def test_a_hostile_upload_ends_in_quarantine_with_its_reason_shown(client, workspace):
    csrf = login(client)
    files = [("fichiers", ("../../etc/facture.docx", b"MZ\x90\x00" + b"\x00" * 400, "application/octet-stream"))]
    response = client.post("/deposer", data={"csrf": csrf}, files=files)
    assert response.status_code == 200
    assert "quarantaine" in shown(response)
    assert [p.name for p in workspace.quarantine.iterdir() if not p.name.endswith(".txt")] == ["facture.docx"]
    page = shown(client.get("/quarantaine"))
    assert "facture.docx" in page
    registry = Registry(workspace.database_url())
    from workflow.intake.quarantine import entries

    motif = entries(workspace, registry)[0].motif
    registry.close()
    assert motif and motif.replace("'", "&#39;") in page
    assert (EQUIPE, "depot") in _journal(workspace)
    download = client.get("/quarantaine/facture.docx/telecharger")
    assert download.headers["content-disposition"].startswith("attachment")
    assert "Oui, supprimer" in shown(client.get("/quarantaine/facture.docx/supprimer"))
    client.post("/quarantaine/facture.docx/supprimer", data={"csrf": csrf})
    assert "La quarantaine est vide" in shown(client.get("/quarantaine"))


def test_an_upload_is_recorded_like_any_arrival_and_shows_on_the_dashboard(client, workspace, tmp_path):
    csrf = login(client)
    form = filled_form(workspace, tmp_path, "caf", organisme="Caisse d'Allocations Familiales du Pas-de-Calais",
                       referent_courriel="contact@caf.fr", objectifs=[])  # fmt: skip
    files = [("fichiers", ("réponse CAF.docx", form.read_bytes(), "application/octet-stream"))]
    response = client.post("/deposer", data={"csrf": csrf}, files=files, headers={"HX-Request": "true"})
    assert "enregistré" in shown(response) and 'id="depots"' in shown(response)
    table = shown(client.get("/tableau?campagne=2024"))
    assert "Caisse d&#39;Allocations Familiales du Pas-de-Calais</a>" in table


def test_an_oversized_upload_is_refused_before_reading(client, workspace):
    csrf = login(client)
    client.app.state.console.max_file = 1000
    files = [("fichiers", ("gros.docx", b"x" * 5000, "application/octet-stream"))]
    response = client.post("/deposer", data={"csrf": csrf}, files=files)
    assert "refusé" in shown(response) and "Mo" in shown(response)
    assert not any(workspace.quarantine.glob("gros*"))


def test_a_quarantined_file_is_retried_through_ingest(client, workspace, tmp_path):
    csrf = login(client)
    broken = workspace.quarantine / "reponse.docx"
    workspace.quarantine.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(filled_form(workspace, tmp_path, "retry", referent_nom="Reprise").read_bytes())
    response = client.post("/quarantaine/reponse.docx/reprendre", data={"csrf": csrf}, follow_redirects=True)
    assert "« reponse.docx » : enregistré" in shown(response)
    assert (EQUIPE, "reprise") in _journal(workspace)


def test_users_are_managed_by_an_administrator_and_a_new_password_lets_one_in(client, workspace):
    csrf = login(client, ADMIN)
    data = {"csrf": csrf, "identifiant": "paul.durand", "nom": "Paul Durand", "role": "lecture",
            "mot_de_passe": "court"}  # fmt: skip
    assert "Refusé" in shown(client.post("/utilisateurs", data=data, follow_redirects=True))
    data["mot_de_passe"] = "mot de passe de Paul"
    assert "ajouté" in shown(client.post("/utilisateurs", data=data, follow_redirects=True))
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        user = authenticate(session, "paul.durand", "mot de passe de Paul")
        assert user is not None and user.mot_de_passe.startswith("$argon2")
    registry.close()
    client.post("/utilisateurs/paul.durand/desactiver", data={"csrf": csrf})
    assert "non" in shown(client.get("/utilisateurs"))


def test_the_dashboard_says_when_nothing_was_received(client):
    login(client)
    page = shown(client.get("/tableau?campagne=2031"))
    assert "Aucune réponse reçue pour la campagne 2031" in page
    fragment = shown(client.get("/tableau?campagne=2024&etat=a_verifier", headers={"HX-Request": "true"}))
    assert fragment.startswith('<section id="tableau"') and "Pas-de-Calais Habitat" in fragment


def test_the_cli_sets_a_password_kept_only_as_its_argon2_hash(workspace, flagged):
    from click.testing import CliRunner

    from workflow.cli import app

    result = CliRunner().invoke(
        app,
        ["--racine", str(workspace.root), "utilisateurs", "mot-de-passe", LECTURE, "--mot-de-passe", "nouveau secret"],
    )
    assert result.exit_code == 0, result.output
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        assert authenticate(session, LECTURE, "nouveau secret") is not None
        assert authenticate(session, LECTURE, MOT_DE_PASSE) is None
    registry.close()


def test_two_versions_of_a_partner_are_compared_field_by_field(client, workspace, flagged, tmp_path):
    from workflow.intake.ingest import Arrivee, Source, ingest

    registry = Registry(workspace.database_url())
    form = filled_form(workspace, tmp_path, "pdc2", referent_nom="Nadia LEROY-MARTIN")
    second = ingest(workspace, registry, Arrivee(form, Source.COMMANDE)).soumission_id
    registry.close()
    login(client)
    assert f"/soumissions/{second}/comparer/{flagged}" in shown(client.get(f"/soumissions/{second}"))
    page = shown(client.get(f"/soumissions/{second}/comparer/{flagged}"))
    assert "1 valeur différente" in page
    assert '<td class="avant">Nadia LEROY</td>' in page and '<td class="apres">Nadia LEROY-MARTIN</td>' in page


def test_one_alert_code_is_accepted_on_the_whole_queue_with_one_reason(client, workspace, flagged):
    csrf = login(client)
    queue = shown(client.get("/a-verifier?code=courriel_invalide"))
    assert "Accepter partout" in queue and "Pas-de-Calais Habitat" in queue
    done = client.post(
        "/a-verifier/accepter", data={"csrf": csrf, "code": "courriel_invalide", "motif": "adresse du standard"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Alerte « courriel_invalide » acceptée sur 1 soumission(s)." in shown(done)
    assert "Rien à vérifier avec ces critères." in shown(done)
    assert (EQUIPE, "decision") in _journal(workspace)


def test_a_refusal_to_an_htmx_request_replaces_the_page_content_with_its_reason(client, flagged):
    login(client)
    response = client.post(f"/soumissions/{flagged}/valider", data={"csrf": "périmé"}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#contenu" and response.headers["HX-Reselect"] == "#contenu"
    assert 'id="contenu"' in response.text


@pytest.mark.parametrize(
    "path", ["/utilisateurs", *(f"/utilisateurs/{LECTURE}/{step}" for step in ("desactiver", "mot-de-passe", "role"))]
)
def test_the_team_reviews_but_only_an_administrator_manages_users(client, workspace, path):
    csrf = login(client, EQUIPE)
    assert client.get("/utilisateurs").status_code == 403
    assert 'href="/utilisateurs"' not in shown(client.get("/tableau"))
    before = _journal(workspace)
    response = client.post(path, data={**FIELDS, "csrf": csrf})
    assert response.status_code == 403 and "réservée aux administrateurs" in shown(response)
    assert _journal(workspace) == before


def test_an_administrator_changes_a_role_but_not_their_own(client, workspace):
    csrf = login(client, ADMIN)
    assert 'href="/utilisateurs"' in shown(client.get("/tableau"))
    done = client.post(f"/utilisateurs/{LECTURE}/role", data={"csrf": csrf, "role": "equipe"}, follow_redirects=True)
    assert f"Rôle de « {LECTURE} » : equipe." in shown(done)
    own = client.post(f"/utilisateurs/{ADMIN}/role", data={"csrf": csrf, "role": "lecture"}, follow_redirects=True)
    assert "vous ne pouvez pas changer votre propre rôle" in shown(own)
    unknown = client.post(f"/utilisateurs/{LECTURE}/role", data={"csrf": csrf, "role": "chef"}, follow_redirects=True)
    assert "rôle inconnu : « chef »" in shown(unknown)
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        roles = {u.identifiant: u.role for u in session.scalars(select(Utilisateur))}
    registry.close()
    assert roles == {EQUIPE: "equipe", LECTURE: "equipe", ADMIN: "admin"}
    assert (ADMIN, "utilisateur") in _journal(workspace)


def test_the_last_active_administrator_keeps_the_role_and_the_cli_gives_it(workspace, flagged):
    from click.testing import CliRunner

    from workflow.cli import app
    from workflow.errors import CdvError
    from workflow.review import users

    registry = Registry(workspace.database_url())
    with pytest.raises(CdvError, match="dernier administrateur actif"), registry.session() as session:
        users.set_role(session, ADMIN, users.Role.EQUIPE)
    registry.close()
    runner = CliRunner()
    base = ["--racine", str(workspace.root), "utilisateurs", "role"]
    result = runner.invoke(app, [*base, EQUIPE, "admin", "--auteur", ADMIN])
    assert result.exit_code == 0 and f"Rôle de « {EQUIPE} » : admin." in result.output, result.output
    assert runner.invoke(app, [*base, ADMIN, "equipe", "--auteur", ADMIN]).exit_code == 0  # another admin remains
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        assert users.find(session, ADMIN).role == "equipe" and users.find(session, EQUIPE).role == "admin"
    registry.close()


def test_cdv_web_serves_the_console_with_uvicorn_on_the_address_asked(workspace, flagged):
    import socket
    import subprocess
    import sys
    import urllib.error
    import urllib.request
    from pathlib import Path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [str(Path(sys.executable).with_name("cdv")), "--racine", str(workspace.root), "web", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion", timeout=2) as response:
                    page, headers = response.read().decode(), response.headers
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and server.poll() is None, "cdv web n'a pas démarré"
                time.sleep(0.2)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Se connecter" in page and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "server" not in {k.lower() for k in headers}  # no « uvicorn » banner
    assert f"http://127.0.0.1:{port}/" in output
