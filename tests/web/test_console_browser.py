"""The console in a real browser (Debian's Chromium driven by Playwright) on the demo workspace: a person
logs in, corrects and validates the flagged answer, regenerates the annex and finds the correction in it,
uploads a filled form and sees it on the dashboard, retries a quarantined file."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from conftest import demo_copy, fill_form, requires

from workflow.demo.revue import AUTEUR, MOT_DE_PASSE
from workflow.libreoffice import soffice
from workflow.render.formulaire import questionnaire_form
from workflow.workspace import Workspace

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
pytestmark = [
    requires(CHROMIUM.exists(), "Chromium absent (paquet Debian chromium, installé par run.py)"),
    requires(soffice() is not None, "LibreOffice absent (installé par run.py)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo(demo_model, tmp_path_factory) -> Workspace:
    return demo_copy(demo_model, tmp_path_factory.mktemp("console"))


@pytest.fixture(scope="module")
def base_url(demo: Workspace) -> Iterator[str]:
    """Serve the console on the demo with uvicorn, as `cdv web` does, in a thread of the test process."""
    import uvicorn

    from workflow.web.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(demo), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "le serveur de la console n'a pas démarré"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(base_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True, base_url=base_url
        )
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.goto("/tableau")
        tab.fill("#identifiant", AUTEUR)
        tab.fill("#mot_de_passe", MOT_DE_PASSE)
        tab.click("text=Se connecter")
        tab.wait_for_url("**/tableau")
        yield tab
        browser.close()
    assert errors == [], f"erreurs dans la console du navigateur (CSP ?) : {errors}"


def _menu(page, entry: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=entry, exact=True).click()


def _row(page, champ: str):
    return page.locator("table.valeurs tr", has=page.locator(f"th code:text-is('{champ}')"))


def _correct(page, champ: str, valeur: str, motif: str) -> None:
    row = _row(page, champ)
    row.locator("summary").click()
    row.get_by_label("Nouvelle valeur").fill(valeur)
    row.get_by_label("Motif").fill(motif)
    row.get_by_role("button", name="Enregistrer").click()
    page.get_by_text(f"« {champ} » corrigé.").wait_for()


def test_correct_validate_regenerate_and_find_the_correction_in_the_annex(page, demo, tmp_path):
    page.get_by_role("heading", name="Tableau de bord — campagne 2026").wait_for()
    assert "Caisse d'Allocations Familiales du Pas-de-Calais" in page.inner_text("#tableau")
    _menu(page, "À vérifier")
    page.get_by_role("link", name="Pas-de-Calais Habitat").click()
    page.get_by_role("heading", name="Pas-de-Calais Habitat").wait_for()
    assert page.get_by_role("button", name="Valider la soumission").is_disabled()

    _correct(page, "referent_courriel", "nadia.leroy@pdc-habitat.fr", "courriel du 03/03")
    _correct(page, "referent_telephone", "03 21 00 00 00", "standard")
    _correct(page, "referent_fonction", "Responsable du secteur Est", "appel du 03/03")
    alert = page.locator("table.alertes tr", has=page.locator("code:text-is('objectif_inconnu')"))
    alert.locator("summary").click()
    alert.get_by_label("Pourquoi la valeur est juste").fill("objectif propre au bailleur, vu en COPIL")
    alert.get_by_role("button", name="Accepter").click()
    page.get_by_text("Alerte « objectif_inconnu » : acceptée.").wait_for()
    page.get_by_role("button", name="Valider la soumission").click()
    page.get_by_text("validée.").first.wait_for()
    summary = page.inner_text(".fiche")
    assert "validée" in summary and "par equipe.demo" in summary

    _menu(page, "Documents")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Annexe « Engagements des signataires »"))
    row.get_by_role("button", name="Générer").click()
    page.get_by_text("générée : annexe_engagements_signataires.docx, annexe_engagements_signataires.pdf").wait_for(
        timeout=120_000
    )
    with page.expect_download() as info:
        row.get_by_role("link", name="annexe_engagements_signataires.docx").click()
    saved = tmp_path / "annexe.docx"
    info.value.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    text += "\n".join(c.text for t in docx.Document(str(saved)).tables for r in t.rows for c in r.cells)
    assert "Responsable du secteur Est" in text
    assert "ENGAGEMENTS DE PAS-DE-CALAIS HABITAT" in text.upper()

    _menu(page, "Journal")
    assert "Responsable du secteur Est" in page.inner_text("table.journal")


def test_upload_a_filled_form_and_see_it_on_the_dashboard(page, demo, tmp_path):
    name = "Ville d'Achicourt"
    blank = questionnaire_form(demo, name, 2026, tmp_path / "vierge.docx")
    answers = {"organisme": name, "campagne": 2026, "referent_nom": "Claire DUBOIS",
               "referent_courriel": "c.dubois@achicourt.fr", "quartiers_vises": ["quatre-as"]}  # fmt: skip
    filled = fill_form(blank, answers, tmp_path / "reponse Achicourt 2026.docx")
    _menu(page, "Déposer")
    page.set_input_files("#fichiers", [str(filled)])
    page.get_by_role("button", name="Envoyer").click()
    result = page.locator("#depots tr", has=page.get_by_text("reponse Achicourt 2026.docx"))
    result.get_by_text("enregistré").wait_for()
    _menu(page, "Tableau de bord")
    page.select_option("#etat", "a_verifier")
    page.locator("#tableau").get_by_role("link", name=name).wait_for()
    line = page.locator("#tableau tr", has=page.get_by_role("link", name=name))
    assert "à vérifier" in line.inner_text()


def test_a_hostile_upload_is_shown_in_quarantine_and_a_quarantined_form_is_retried(page, demo, tmp_path):
    _menu(page, "Déposer")
    hostile = tmp_path / "facture.docx"
    hostile.write_bytes(b"MZ\x90\x00" + bytes(600))
    page.set_input_files("#fichiers", [str(hostile)])
    page.get_by_role("button", name="Envoyer").click()
    page.locator("#depots").get_by_text("quarantaine", exact=True).wait_for()
    _menu(page, "Quarantaine")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="facture.docx"))
    assert row.locator(".motif").inner_text().strip() not in ("", "motif non enregistré")

    blank = questionnaire_form(demo, "Ville de Beaurains", 2026, tmp_path / "vierge.docx")
    form = fill_form(blank, {"organisme": "Ville de Beaurains", "campagne": 2026, "referent_nom": "Marc PETIT"},
                     tmp_path / "beaurains.docx")  # fmt: skip
    shutil.copy(form, demo.quarantine / "reponse Beaurains.docx")
    page.reload()
    retried = page.locator("tr", has=page.get_by_role("rowheader", name="reponse Beaurains.docx"))
    retried.get_by_role("button", name="Reprendre").click()
    page.get_by_text("« reponse Beaurains.docx » : enregistré").wait_for()
    assert page.get_by_role("rowheader", name="reponse Beaurains.docx").count() == 0

    page.locator("tr", has=page.get_by_role("rowheader", name="facture.docx")).get_by_role(
        "link", name="Supprimer"
    ).click()
    page.get_by_role("button", name="Oui, supprimer").click()
    page.get_by_text("« facture.docx » retiré de la quarantaine").wait_for()


def test_search_from_the_banner_leads_to_the_field_and_a_contact_is_entered_in_the_directory(page, demo):
    page.get_by_role("search").get_by_label("Rechercher dans les réponses").fill("accompagnement renforcé")
    page.get_by_role("search").get_by_role("button", name="Chercher").click()
    page.get_by_role("heading", name="Recherche dans les réponses").wait_for()
    result = page.locator("table.recherche tbody tr", has=page.get_by_role("rowheader", name="France Travail")).first
    assert "Accompagnement" in result.locator("mark").first.inner_text()
    result.get_by_role("link", name="interventions_structurantes[0].description").click()
    page.get_by_role("heading", name="France Travail").wait_for()
    assert page.url.endswith("#champ-interventions_structurantes-0--description")
    target = page.locator("tr:target")
    target.wait_for()  # set once the page has loaded and scrolled to the field
    assert "Accompagnement" in target.inner_text()

    _menu(page, "Annuaire")
    row = page.locator("table.annuaire tr", has=page.get_by_role("rowheader", name="Maisons et Cités"))
    assert "aucune adresse" in row.inner_text()  # a signatory that never answered
    row.get_by_role("link", name="Modifier").click()
    page.get_by_label("Nom").fill("Hélène ROUSSEL")
    page.get_by_label("Courriel").fill("h.roussel@maisonsetcites.fr")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Contact de Maisons et Cités enregistré.").wait_for()
    row = page.locator("table.annuaire tr", has=page.get_by_role("rowheader", name="Maisons et Cités"))
    assert "h.roussel@maisonsetcites.fr" in row.inner_text() and "aucune adresse" not in row.inner_text()
    _menu(page, "Journal")
    assert "h.roussel@maisonsetcites.fr" in page.inner_text("table.journal")


LAPTOP_PAGES = ["/tableau", "/a-verifier", "/quarantaine", "/deposer", "/documents", "/annuaire", "/journal",
                "/utilisateurs", "/recherche?q=accompagnement"]  # fmt: skip
OVERFLOW = """() => {  // what sticks out of the page's content box: the elements, then the text of the wide cells
  const main = document.querySelector("main");
  const edge = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
  const wide = (e) => e.getBoundingClientRect().right > edge + 1;
  const cells = Array.from(main.querySelectorAll("td, th")).filter((e) => wide(e) && e.scrollWidth > 250);
  return Array.from(main.querySelectorAll("*")).filter(wide).slice(0, 2).map((e) => e.tagName)
    .concat(cells.slice(0, 2).map((e) => e.innerText.slice(0, 80)));
}"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_no_page_is_wider_than_a_laptop_screen(page, width):
    """Every main page, after the other tests have filled the journal, fits its screen (no sideways scroll)."""
    page.set_viewport_size({"width": width, "height": 800})
    first = page.locator("#tableau a").first.get_attribute("href")
    wider = {}
    for path in [*LAPTOP_PAGES, first]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        found = page.evaluate(OVERFLOW)
        if found:
            wider[path] = found
    assert wider == {}


def test_files_dropped_anywhere_on_the_zone_are_the_ones_sent(page, demo, tmp_path):
    name = "Ville de Saint-Laurent-Blangy"
    blank = questionnaire_form(demo, name, 2026, tmp_path / "vierge.docx")
    filled = fill_form(blank, {"organisme": name, "campagne": 2026, "referent_nom": "Paul MARTIN"},
                       tmp_path / "reponse Saint-Laurent.docx")  # fmt: skip
    _menu(page, "Déposer")
    assert page.locator("#choisis").inner_text() == "Aucun fichier choisi"
    dropped = page.evaluate_handle(
        """([name, bytes]) => { const data = new DataTransfer();
             data.items.add(new File([new Uint8Array(bytes)], name)); return data; }""",
        [filled.name, list(filled.read_bytes())],
    )
    page.locator(".zone").dispatch_event("drop", {"dataTransfer": dropped})
    assert page.locator("#choisis").inner_text() == f"1 fichier choisi : {filled.name}"
    assert page.url.endswith("/deposer")  # the browser did not open the file instead
    page.get_by_role("button", name="Envoyer").click()
    page.locator("#depots tr", has=page.get_by_text(filled.name)).get_by_text("enregistré").wait_for()
    assert page.locator("#choisis").inner_text() == "Aucun fichier choisi"
