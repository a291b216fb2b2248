# ruff: noqa: F811  (the shared fixtures of test_campagne are imported by name)
"""Send back for correction (shaded fields, Word comments, the next version) and tracked reminders
(never twice a day, never to a flagged or missing address, associations included, real SMTP)."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import needs_libreoffice, pdf_text, to_pdf
from lxml import etree
from support import free_port
from test_campagne import ECHEANCE, YEAR, _edit, _form, _ingest, reg, ws  # noqa: F401  (fixtures)

from workflow.campagne import campagnes, jours, relances
from workflow.cli import app
from workflow.registry.models import QuestionnaireVersion, Relance, Revue, Soumission
from workflow.render.typographie import nombre
from workflow.review.status import StatutRevue

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _pdc(reg) -> int:
    with reg.session() as session:
        return session.query(Soumission).filter(Soumission.fichier.like("%pas_de_calais_habitat%")).one().id


def _renvoyer(ws, soumission: int, *options: str):
    return CliRunner().invoke(
        app,
        ["--racine", str(ws.root), "revue", "renvoyer", str(soumission), "--message", "adresse et téléphone à revoir",
         *options],
    )  # fmt: skip


def test_a_form_sent_back_has_its_flagged_fields_shaded_and_commented(ws, reg):
    soumission = _pdc(reg)
    result = _renvoyer(ws, soumission)
    assert result.exit_code == 0, result.output
    form = next((ws.outbox / "renvois").glob("a_corriger_*.docx"))
    with zipfile.ZipFile(form) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        comments = etree.fromstring(z.read("word/comments.xml"))
    messages = ["".join(c.itertext()) for c in comments.findall("w:comment", NS)]
    assert len(messages) == 3 and "3 champs signalés" in result.output  # address, phone, an objective row
    assert any("Adresse électronique invalide" in m for m in messages)
    assert any("téléphone" in m.lower() for m in messages)
    courriel = next(
        s for s in document.iter(f"{{{W}}}sdt") if s.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val") == "referent_courriel"
    )
    assert courriel.find(".//w:rPr/w:shd", NS).get(f"{{{W}}}fill") == "FFE699"
    assert courriel.getprevious().tag == f"{{{W}}}commentRangeStart"  # around the control, not inside
    with reg.session() as session:
        assert session.query(Revue).filter_by(soumission_id=soumission).one().statut == StatutRevue.A_CORRIGER
    mail = BytesParser(policy=policy.default).parsebytes(next((ws.outbox / "renvois").glob("*.eml")).read_bytes())
    assert mail["To"] is None  # the address read is the one flagged: never written to
    assert "adresse et téléphone à revoir" in mail.get_body(preferencelist=("plain",)).get_content()


def test_the_corrected_form_comes_back_as_the_next_version_with_its_alerts_recomputed(ws, reg):
    assert _renvoyer(ws, _pdc(reg)).exit_code == 0
    form = next((ws.outbox / "renvois").glob("a_corriger_*.docx"))
    fixed = _edit(
        form,
        ws.root / "pdc_corrige.docx",
        {"referent_courriel": "nadia.leroy@pdc-habitat.example.fr", "referent_telephone": "03 21 00 00 00"},
    )
    new_id = _ingest(ws, reg, fixed)
    with reg.session() as session:
        version = session.query(QuestionnaireVersion).filter_by(soumission_id=new_id).one()
        assert (version.version, version.referent_courriel) == (2, "nadia.leroy@pdc-habitat.example.fr")
        codes = {a.code for a in version.alertes}
        assert "courriel_invalide" not in codes and "telephone_invalide" not in codes
        assert session.query(Revue).filter_by(soumission_id=new_id).one().statut == StatutRevue.A_VERIFIER


def test_an_association_form_sent_back_has_its_flagged_fields_shaded_and_commented(ws, reg):
    wrong = {"siret": "123 456 789 00000", "montant": "beaucoup"}
    sent = _ingest(ws, reg, _edit(_form(ws, "AFEJI Artois", "fiche"), ws.root / "afeji.docx", wrong))
    result = _renvoyer(ws, sent)
    assert result.exit_code == 0, result.output
    assert "2 champs signalés" in result.output
    form = next((ws.outbox / "renvois").glob("a_corriger_afeji_artois_*.docx"))
    with zipfile.ZipFile(form) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        comments = etree.fromstring(z.read("word/comments.xml"))
    messages = sorted("".join(c.itertext()) for c in comments.findall("w:comment", NS))
    assert messages[0].startswith("Le SIRET « 123 456 789 00000 »") and "« beaucoup »" in messages[1]
    shaded = [
        (s.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val"), "".join(s.find("w:sdtContent", NS).itertext()))
        for s in document.iter(f"{{{W}}}sdt")
        if s.find("w:sdtContent//w:rPr/w:shd", NS) is not None and s.find(".//w:sdtContent//w:sdt", NS) is None
    ]
    # an amount that is no number is not kept as one: its field comes back empty, the comment quoting it
    assert [tag for tag, _ in shaded] == ["siret", "montant"] and shaded[0][1] == "123 456 789 00000"
    with reg.session() as session:
        assert session.query(Revue).filter_by(soumission_id=sent).one().statut == StatutRevue.A_CORRIGER


def _pdf_notes(pdf: Path) -> list[str]:
    """Return the text of the PDF's notes (text annotations), page after page."""
    import pypdf

    found = []
    for page in pypdf.PdfReader(pdf).pages:
        for ref in page.get("/Annots") or []:
            note = ref.get_object()
            if note.get("/Subtype") == "/Text":
                found.append(str(note.get("/Contents", "")))
    return found


@needs_libreoffice
def test_a_form_sent_back_keeps_its_values_and_comments_in_libreoffices_pdf(ws, reg, tmp_path):
    """The form sent back, converted to PDF by LibreOffice with its comments, shows the shaded values
    in the page text and each alert's French message in a PDF note.

    LibreOffice 7.4 (Debian 12, what `run.py` installs) exports Word comments as PDF notes
    (`ExportNotes`) and ignores `ExportNotesInMargin`, which later versions honour by printing the
    comments in the page margin: the messages are looked for in both places."""
    assert _renvoyer(ws, _pdc(reg), "--pdf").exit_code == 0
    form = next((ws.outbox / "renvois").glob("a_corriger_*.docx"))
    with zipfile.ZipFile(form) as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
    messages = ["".join(c.itertext()) for c in comments.findall("w:comment", NS)]
    pdf = form.with_suffix(".pdf")
    text = pdf_text(pdf)
    assert "Pas-de-Calais Habitat" in text
    assert "nadia.leroy(at)pdc-habitat.example.fr" in text and "12 34" in text  # the shaded values
    shown = " ".join(_pdf_notes(pdf)) + text
    assert messages and all(m in shown for m in messages), (messages, _pdf_notes(pdf))
    assert any("Adresse électronique invalide" in m for m in messages)
    assert _pdf_notes(to_pdf(form, tmp_path / "sans")) == []  # the plain PDF of a document keeps no comment


def test_reminders_go_to_signatories_and_associations_once_a_day_and_never_to_an_unusable_address(ws, reg):
    campagnes.ouvrir(ws, reg, YEAR + 1, ECHEANCE, ["AFEJI Artois"])  # an association listed by staff
    first = relances.preparer(ws, reg, YEAR + 1)
    names = {r.organisme for r in first.preparees}
    assert "Ville d'Arras" in names and "AFEJI Artois" in names
    assert all(r.destinataire and "@" in r.destinataire for r in first.preparees)
    missing = {s.partenaire.nom for s in first.sans_adresse}
    assert {"Pas-de-Calais Habitat", "BGE Hauts-de-France"} <= missing
    assert first.echeance > dt.date.today() and jours.ouvre(first.echeance)
    listed = (first.dossier / "sans_adresse_valide.txt").read_text(encoding="utf-8")
    assert "sans adresse valide" in listed and "Pas-de-Calais Habitat" in listed
    again = relances.preparer(ws, reg, YEAR + 1)
    assert again.preparees == () and len(again.deja_relances) == len(first.preparees)
    tomorrow = relances.preparer(ws, reg, YEAR + 1, dt.date.today() + dt.timedelta(days=1))
    assert {r.numero for r in tomorrow.preparees} == {2}
    with reg.session() as session:
        assert session.query(Relance).filter_by(campagne=YEAR + 1).count() == 2 * len(first.preparees)


def test_the_demo_opens_its_campaign_and_prepares_reminders_without_sending_any(ws, reg):
    folder = campagnes.dossier(ws, YEAR)
    assert len(list((folder / "formulaires").glob("*.docx"))) == len(list((folder / "courriels").glob("*.eml")))
    with reg.session() as session:
        sent = session.query(Relance).filter_by(campagne=YEAR).all()
        answered = {s.attendu.nom for s in campagnes.situations(session, YEAR) if s.soumission_id}
    assert sent and all(r.envoyee_le is None and Path(r.fichier).is_file() for r in sent)
    assert not answered & {r.organisme for r in sent}  # the two who sent their 2026 answers are not reminded
    assert "AFEJI Artois" in {r.organisme for r in sent}
    listed = (relances.dossier(ws, YEAR, dt.date.today()) / "sans_adresse_valide.txt").read_text(encoding="utf-8")
    assert "Pas-de-Calais Habitat" in listed
    assert relances.preparer(ws, reg, YEAR).preparees == ()  # the demo's were today's


def test_reminders_are_sent_by_smtp_only_when_asked_and_recorded(ws, reg):
    from aiosmtpd.controller import Controller

    class Box:
        def __init__(self) -> None:
            self.received: list = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append(envelope)
            return "250 OK"

    campagnes.ouvrir(ws, reg, YEAR + 1, ECHEANCE)  # the open campaign: the default of every command
    runner = CliRunner()
    root = ["--racine", str(ws.root)]
    prepared = runner.invoke(app, [*root, "relances", "preparer"])
    assert prepared.exit_code == 0, prepared.output
    assert "sans adresse valide" in prepared.output
    count = len(relances.a_envoyer(reg, YEAR + 1))
    box, port = Box(), free_port()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    try:
        (ws.registry / "config.toml").write_text(
            f'[envoi]\nhote = "127.0.0.1"\nport = {port}\nsecurite = "aucune"\n', encoding="utf-8"
        )
        listed = runner.invoke(app, [*root, "relances", "envoyer", "--campagne", str(YEAR + 1)])
        assert not box.received and nombre(count, "relance", "relances") + " à envoyer" in listed.output
        sent = runner.invoke(app, [*root, "relances", "envoyer", "--envoyer"])
        again = runner.invoke(app, [*root, "relances", "envoyer", "--envoyer"])
    finally:
        server.stop()
    assert sent.exit_code == 0, sent.output
    assert len(box.received) == count and "0 relance envoyée" in again.output
    recipients = {r for e in box.received for r in e.rcpt_tos}
    assert "jm.dupuis@ville-arras.example.fr" in recipients
    assert not [r for r in recipients if "pdc-habitat" in r]  # the flagged address is never written to
    message = BytesParser(policy=policy.default).parsebytes(box.received[0].content)
    assert message["X-Unsent"] is None and message["Subject"].startswith("Relance")
    history = runner.invoke(app, [*root, "relances", "liste"])
    assert history.exit_code == 0 and "Relances de la campagne" in history.output
    with reg.session() as session:
        assert all(r.envoyee_le is not None for r in session.query(Relance).filter_by(campagne=YEAR + 1))
        assert all(Path(r.fichier).is_file() for r in session.query(Relance))


@pytest.mark.parametrize("day", [dt.date(2026, 12, 25), dt.date(2027, 1, 1)])
def test_a_reminder_deadline_is_never_a_holiday(day):
    assert jours.ouvre(jours.echeance_relance(None, day - dt.timedelta(days=10), delai=10))


def test_no_reminder_before_a_campaign_is_opened(ws, reg):
    from workflow.errors import CdvError

    with pytest.raises(CdvError, match="aucune campagne"):
        relances.preparer(ws, reg, YEAR + 2)
    shutil.rmtree(ws.outbox, ignore_errors=True)
