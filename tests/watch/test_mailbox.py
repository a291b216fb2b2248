"""The mailbox poller against a real IMAP server (Dovecot) started by the test on loopback."""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import fill_form, requires
from sqlalchemy import select
from support import free_port, rows, start, wait_until

from workflow.registry.export import export_data
from workflow.registry.models import MessageTraite
from workflow.render.formulaire import questionnaire_form
from workflow.watch.mailbox import Messagerie, _quote, relever

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
pytestmark = requires(DOVECOT is not None and os.geteuid() == 0, "Dovecot absent (installé par run.py) ou pas root")
PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def dovecot():
    """A throwaway Dovecot: IMAPS on a loopback port, one user, a self-signed certificate."""
    root = Path(tempfile.mkdtemp(prefix="cdv-dovecot-"))  # pytest's folders are closed to Dovecot's users
    root.chmod(0o755)
    for folder in ("run", "state", "home"):
        (root / folder).mkdir(parents=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(root / "key.pem"),
            "-out",
            str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    (root / "users").write_text(f"cdv:{{PLAIN}}{PASSWORD}::::::\n")
    (root / "users").chmod(0o644)
    shutil.chown(root / "home", "nobody", "nogroup")
    port = free_port()
    (root / "dovecot.conf").write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
first_valid_uid = 1
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
""")
    server = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("Dovecot n'a pas démarré : " + (root / "dovecot.log").read_text(errors="replace")[-2000:])
    yield Messagerie(hote="127.0.0.1", utilisateur="cdv", port=port, autorite_certification=str(root / "cert.pem"))
    server.terminate()
    server.communicate(timeout=20)
    shutil.rmtree(root, ignore_errors=True)


def _client(config: Messagerie) -> imaplib.IMAP4_SSL:
    imap = imaplib.IMAP4_SSL(
        config.hote, config.port, ssl_context=ssl.create_default_context(cafile=config.autorite_certification)
    )
    imap.login(config.utilisateur, PASSWORD)
    return imap


def _deliver(config: Messagerie, workspace, tmp_path, organisme: str) -> None:
    blank = questionnaire_form(workspace, organisme, 2025, tmp_path / f"v_{organisme}.docx")
    form = fill_form(blank, {"organisme": organisme, "referent_nom": "Agent"}, tmp_path / f"{organisme}.docx")
    message = EmailMessage()
    message["From"] = f"{organisme} <contact@{organisme.lower()}.example.fr>"
    message["To"] = "cohesion@cua.example.fr"
    message["Subject"] = f"Questionnaire d'engagement {organisme}"
    message.set_content("Bonjour, veuillez trouver notre questionnaire.")
    message.add_attachment(
        form.read_bytes(), maintype="application", subtype="octet-stream", filename=f"questionnaire_{organisme}.docx"
    )
    imap = _client(config)
    imap.append("INBOX", None, None, bytes(message))
    imap.logout()


def _count(config: Messagerie, folder: str) -> int:
    imap = _client(config)
    status, data = imap.select(_quote(folder))
    imap.logout()
    return int(data[0]) if status == "OK" else 0


def test_two_emails_are_fetched_recorded_then_moved(dovecot, workspace, registry, tmp_path, monkeypatch):
    monkeypatch.setenv("CDV_IMAP_MOT_DE_PASSE", PASSWORD)
    _deliver(dovecot, workspace, tmp_path, "CAF")
    _deliver(dovecot, workspace, tmp_path, "ARS")
    assert relever(workspace, registry, dovecot).traites == 2
    with registry.session() as session:
        data = export_data(session)
        handled = session.scalars(select(MessageTraite)).all()
    assert sorted(q["organisme"] for q in data["questionnaires"]) == [
        "Agence Régionale de Santé Hauts-de-France",
        "Caisse d'Allocations Familiales du Pas-de-Calais",
    ]
    assert sorted(s["statut"] for s in data["soumissions"]) == ["enregistre"] * 4  # 2 e-mails, 2 forms
    assert len(handled) == 2 and all(m.uidvalidity > 0 for m in handled)
    assert (_count(dovecot, "INBOX"), _count(dovecot, "Traités")) == (0, 2)
    assert relever(workspace, registry, dovecot).traites == 0  # nothing fetched twice


def test_a_message_whose_processing_fails_is_left_for_the_next_poll(
    dovecot, workspace, registry, tmp_path, monkeypatch
):
    monkeypatch.setenv("CDV_IMAP_MOT_DE_PASSE", PASSWORD)
    _deliver(dovecot, workspace, tmp_path, "CAF")

    def broken(*_args, **_kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr("workflow.watch.mailbox.ingest", broken)
    assert relever(workspace, registry, dovecot).en_echec == 1
    assert (_count(dovecot, "INBOX"), _count(dovecot, "Traités")) == (1, 0)
    imap = _client(dovecot)
    imap.select("INBOX")
    assert imap.uid("SEARCH", "UNSEEN")[1][0], "still unseen: it will be fetched again"
    imap.logout()
    monkeypatch.undo()
    monkeypatch.setenv("CDV_IMAP_MOT_DE_PASSE", PASSWORD)
    assert relever(workspace, registry, dovecot).traites == 1
    assert _count(dovecot, "Traités") == 1


def test_the_daemon_polls_the_configured_mailbox(dovecot, workspace, tmp_path, monkeypatch):
    import signal

    monkeypatch.setenv("CDV_IMAP_MOT_DE_PASSE", PASSWORD)
    (workspace.registry / "config.toml").write_text(
        "[messagerie]\n"
        f'hote = "{dovecot.hote}"\nport = {dovecot.port}\nutilisateur = "{dovecot.utilisateur}"\n'
        f'autorite_certification = "{dovecot.autorite_certification}"\nintervalle_minutes = 0.05\n',
        encoding="utf-8",
    )
    _deliver(dovecot, workspace, tmp_path, "CAF")
    daemon = start(workspace.root)
    try:
        wait_until(lambda: len(rows(workspace.root)) >= 2, 60)  # the e-mail and its form
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
    assert sorted(r.statut for r in rows(workspace.root)) == ["enregistre", "enregistre"]
    assert _count(dovecot, "Traités") == 1
