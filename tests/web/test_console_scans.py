"""A scanned return on the Soumission page: each page's image beside the values read from it by OCR, each
value framed where it stands; the image served as PNG to a logged-in person only, rendered once then kept.

The scan is made as a partner makes one: a one-page questionnaire printed to PDF (tests/fixtures/layouts),
rendered in grey at 300 dpi by pdftoppm, JPEG-compressed like a phone photo, and sent as a .jpg."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import console_fixtures
import pytest
from conftest import requires
from console_fixtures import LECTURE, login
from fastapi.testclient import TestClient
from PIL import Image

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.db import Registry
from workflow.web import scans
from workflow.web.app import create_app
from workflow.workspace import Workspace

_model = console_fixtures._model
PRINTED = Path(__file__).parents[1] / "fixtures" / "layouts" / "tableau_caf.pdf"
TOOLS = all(shutil.which(t) for t in ("ocrmypdf", "tesseract", "pdftoppm"))
pytestmark = requires(TOOLS, "OCRmyPDF, Tesseract ou pdftoppm absent (installés par run.py)")


def _photographed(pdf: Path, folder: Path) -> Path:
    """Return the first page of `pdf` as a grey 300 dpi JPEG, as a phone or a cheap scanner gives it."""
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(folder / "p")],
                   check=True, timeout=120)  # fmt: skip
    target = folder / "questionnaire CAF scanné.jpg"
    with Image.open(next(folder.glob("p*.png"))) as page:
        page.convert("L").save(target, "JPEG", quality=70)
    return target


@pytest.fixture(scope="module")
def scanned(_model, tmp_path_factory) -> tuple[Workspace, int, int]:
    """Return a workspace holding the flagged .docx answer and the scan, and both submission numbers."""
    root = tmp_path_factory.mktemp("console_scan")
    shutil.copytree(_model[0], root / "espace")
    workspace = Workspace(root / "espace")
    registry = Registry(workspace.database_url())
    try:
        result = ingest(workspace, registry, Arrivee(_photographed(PRINTED, root), Source.COMMANDE))
    finally:
        registry.close()
    assert result.statut == Statut.ENREGISTRE and result.soumission_id is not None, result
    return workspace, result.soumission_id, _model[1]


@pytest.fixture
def client(scanned):
    with TestClient(create_app(scanned[0]), follow_redirects=False) as c:
        yield c


def _box(page: str, champ: str) -> tuple[float, float, float, float]:
    """Return the frame drawn around a field on the page image (x, y, width, height in points)."""
    start = page.index("<svg")
    for group in page[start:].split('<g class="repere">')[1:]:
        if f". {champ}</title>" in group:
            rect = group.split("<rect ", 1)[1].split("/>", 1)[0]
            values = dict(part.split("=") for part in rect.split())
            return tuple(float(values[k].strip('"')) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]
    raise AssertionError(f"pas de cadre pour {champ}")


def test_the_page_image_is_shown_beside_the_values_read_from_it_each_framed_where_it_stands(client, scanned):
    _workspace, n, _docx = scanned
    login(client)
    page = client.get(f"/soumissions/{n}").text
    assert "Pages scannées" in page and 'id="page-1"' in page
    assert f'<image href="/soumissions/{n}/pages/1.png"' in page
    listed = page[page.index('class="lues-page"') : page.index("</table>", page.index('class="lues-page"'))]
    for champ in ("referent_nom", "referent_courriel", "referent_telephone"):
        assert f"<code>{champ}</code>" in listed
    assert page.count('<g class="repere">') >= 5
    width, height = 595, 770  # the page in points, as printed (the view is cropped to its written part)
    x, y, w, h = _box(page, "referent_nom")  # « Nom du référent | Sophie MARCHAND », fourth row of the table
    assert x > 0.4 * width and y < 0.3 * height and w < 0.5 * width and h < 40
    x2, y2, _w, _h = _box(page, "referent_telephone")
    assert abs(x2 - x) < 15 and y2 > y  # same column, a row below
    assert 'href="#page-1">page 1' in page  # the provenance in the values table leads to its page


def test_the_page_is_served_as_png_rendered_once_and_kept_under_the_registry(client, scanned):
    workspace, n, _docx = scanned
    login(client)
    response = client.get(f"/soumissions/{n}/pages/1.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    with Image.open(io.BytesIO(response.content)) as image:
        assert 900 < image.width < 1100 and image.height > image.width
    from workflow.registry.models import Soumission

    registry = Registry(workspace.database_url())
    with registry.session() as session:
        sha = session.get(Soumission, n).sha256
    registry.close()
    cached = workspace.registry / scans.CACHE / sha / "page-1.png"
    assert cached.is_file()
    stamp = cached.stat().st_mtime_ns
    assert client.get(f"/soumissions/{n}/pages/1.png").content == response.content
    assert cached.stat().st_mtime_ns == stamp


def test_a_page_image_is_for_a_logged_in_person_and_only_for_a_page_that_was_scanned(client, scanned):
    _workspace, n, docx = scanned
    assert client.get(f"/soumissions/{n}/pages/1.png").status_code == 303
    login(client, LECTURE)
    assert client.get(f"/soumissions/{n}/pages/1.png").status_code == 200  # a reader sees
    assert client.get(f"/soumissions/{n}/pages/2.png").status_code == 404
    assert client.get(f"/soumissions/{n}/pages/0.png").status_code == 404
    assert client.get(f"/soumissions/{docx}/pages/1.png").status_code == 404  # a Word answer has no scan
    assert "Pages scannées" not in client.get(f"/soumissions/{docx}").text
    assert client.get("/soumissions/9999/pages/1.png").status_code == 404


def test_a_value_is_placed_on_the_words_that_spell_it_nearest_the_line_named():
    words = [
        {"text": "Nom", "x0": 50, "x1": 80, "top": 100, "bottom": 110},
        {"text": "Sophie", "x0": 300, "x1": 340, "top": 100, "bottom": 110},
        {"text": "MARCHAND", "x0": 345, "x1": 410, "top": 100, "bottom": 110},
        {"text": "Sophie", "x0": 300, "x1": 340, "top": 400, "bottom": 410},
        {"text": "MARCHAMD", "x0": 345, "x1": 410, "top": 400, "bottom": 410},  # misread by OCR
    ]
    assert scans.locate("Sophie MARCHAND", words) == scans.Repere(300, 100, 410, 110)
    assert scans.locate("Sophie MARCHAND", words, line=398) == scans.Repere(300, 400, 410, 410)
    assert scans.locate("Karim BENALI", words) is None
    assert scans.locate("", words) is None
