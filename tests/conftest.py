"""Shared fixtures: a fresh workspace, its registry, an independent way to fill forms, and the
`requires` marker that skips a test whose prerequisite is missing, except under CI where it fails."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from workflow.libreoffice import convert, soffice
from workflow.registry.db import Registry
from workflow.workspace import Workspace, init_workspace

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}
QPV = [
    "bonnettes-saint-pol-baudimont",
    "blancs-monts-hochettes",
    "saint-michel-goudemand",
    "cheminots-jean-jaures-moulin-hacart",
    "quatre-as",
    "chanteclair-cevennes",
]
SHARED = Path(__file__).resolve().parents[2] / "shared"  # the corpus and the contract, beside the checkout
CORPUS = SHARED / "corpus" / "realworld"
SEEDS = SHARED / "seeds"
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "espace")


@pytest.fixture(scope="session")
def demo_model(tmp_path_factory) -> Path:
    """The demo workspace, built once per test process (about 40 s): modules take a copy with `demo_copy`."""
    from workflow.demo.run import run_demo

    root = tmp_path_factory.mktemp("demo_modele") / "demo"
    run_demo(root, lambda _message: None)
    return root


def demo_copy(model: Path, folder: Path) -> Workspace:
    """A copy of the demo workspace in `folder`, which its module may change freely."""
    shutil.copytree(model, folder / "demo")
    return Workspace.resolve(folder / "demo")


@pytest.fixture
def registry(workspace: Workspace):
    reg = Registry(workspace.database_url())
    yield reg
    reg.close()


def requires(present: bool, reason: str) -> pytest.MarkDecorator:
    """Mark tests that need `present`: skipped locally with `reason`, failed under CI (`CI` set),
    where a missing install or a missing shared folder must never pass as a skip."""
    return pytest.mark.requires(present=present, reason=reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("requires"):
        if not mark.kwargs["present"]:
            if IN_CI:
                pytest.fail(f"{mark.kwargs['reason']} — prérequis obligatoire sous CI (CI est défini)", pytrace=False)
            pytest.skip(mark.kwargs["reason"])


needs_libreoffice = requires(soffice() is not None, "LibreOffice absent (installé par run.py)")
needs_corpus = requires(CORPUS.is_dir(), f"corpus partagé absent ({CORPUS})")


def to_pdf(docx_path: Path, outdir: Path) -> Path:
    """Convert with LibreOffice headless; ConversionImpossible fails the test."""
    return convert(docx_path, "pdf", outdir)


def pdf_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


# --- an independent filler: edits document.xml with lxml, as a partner's Word would -----------


def _tag(sdt: Any) -> str:
    el = sdt.find("w:sdtPr/w:tag", NS)
    return el.get(f"{{{W}}}val") if el is not None else ""


def _set(sdt: Any, text: str) -> None:
    content = sdt.find("w:sdtContent", NS)
    ts = content.findall(".//w:t", NS)
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def fill_form(blank: Path, answers: dict[str, Any], output: Path) -> Path:
    """Fill our questionnaire through its content controls only (tags from DOMAIN.md)."""
    with zipfile.ZipFile(blank) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    sdts = {_tag(s): s for s in root.iter(f"{{{W}}}sdt")}
    for key, value in answers.items():
        if isinstance(value, str | int) and key in sdts and key != "engagements_2024_2030":
            _set(sdts[key], str(value))
    for field in ("interventions_structurantes", "agents_gouvernance", "objectifs"):
        rows = [tr for tr in sdts[field].iter(f"{{{W}}}tr") if tr.find(".//w:sdt", NS) is not None]
        items = answers.get(field, [])
        while len(rows) < len(items):
            clone = etree.fromstring(etree.tostring(rows[-1]))
            rows[-1].addnext(clone)
            rows.append(clone)
        for tr, item in zip(rows, items, strict=False):
            for sdt in tr.iter(f"{{{W}}}sdt"):
                _set(sdt, str(item.get(_tag(sdt), "")))
    for tag, sdt in sdts.items():
        if tag.startswith("quartier:"):
            on = tag.split(":", 1)[1] in answers.get("quartiers_vises", [])
            sdt.find("w:sdtPr/w14:checkbox/w14:checked", NS).set(f"{{{W14}}}val", "1" if on else "0")
            _set(sdt, "☒" if on else "☐")
    if "engagements_2024_2030" in answers:
        content = sdts["engagements_2024_2030"].find("w:sdtContent", NS)
        template = content.find("w:p", NS)
        for p in content.findall("w:p", NS):
            content.remove(p)
        for line in answers["engagements_2024_2030"].split("\n"):
            p = etree.fromstring(etree.tostring(template))
            for t in p.findall(".//w:t", NS):
                t.text = ""
            r = p.find(".//w:r", NS)
            if r is None:
                r = etree.SubElement(p, f"{{{W}}}r")
            t = r.find("w:t", NS)
            if t is None:
                t = etree.SubElement(r, f"{{{W}}}t")
            t.text = line
            content.append(p)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return output


def fill_association(blank: Path, answers: dict[str, Any], output: Path) -> Path:
    """Fill our association form through its content controls: scalars, boxes, rows, action blocks."""
    with zipfile.ZipFile(blank) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find("w:body", NS)
    top = {}
    for sdt in root.iter(f"{{{W}}}sdt"):
        top.setdefault(_tag(sdt), sdt)
    for key, value in answers.items():
        if isinstance(value, str | int) and key in top:
            _set(top[key], str(value))
    for tag, sdt in top.items():
        prefix, _, ident = tag.partition(":")
        if ident and prefix in ("quartier", "ambition", "engagement"):
            wanted = {"quartier": "quartiers_intervention", "ambition": "ambitions", "engagement": "engagements"}[
                prefix
            ]
            on = ident in answers.get(wanted, [])
            sdt.find("w:sdtPr/w14:checkbox/w14:checked", NS).set(f"{{{W14}}}val", "1" if on else "0")
            _set(sdt, "☒" if on else "☐")
    rows = [tr for tr in top["objectifs"].iter(f"{{{W}}}tr") if tr.find(".//w:sdt", NS) is not None]
    for tr, item in zip(rows, answers.get("objectifs", []), strict=False):
        for sdt in tr.iter(f"{{{W}}}sdt"):
            _set(sdt, str(item.get(_tag(sdt), "")))
    blocks = [s for s in body.iter(f"{{{W}}}sdt") if _tag(s) == "action"]
    while len(blocks) < len(answers.get("actions", [])):
        clone = etree.fromstring(etree.tostring(blocks[-1]))
        blocks[-1].addnext(clone)
        blocks.append(clone)
    for block, action in zip(blocks, answers.get("actions", []), strict=False):
        for sdt in block.iter(f"{{{W}}}sdt"):
            if _tag(sdt) in action and isinstance(action[_tag(sdt)], str | int):
                _set(sdt, str(action[_tag(sdt)]))
        funding = [tr for tr in block.iter(f"{{{W}}}tr") if any(_tag(s) == "financeur" for s in tr.iter(f"{{{W}}}sdt"))]
        while len(funding) < len(action.get("cofinancements", [])):
            clone = etree.fromstring(etree.tostring(funding[-1]))
            funding[-1].addnext(clone)
            funding.append(clone)
        for tr, item in zip(funding, action.get("cofinancements", []), strict=False):
            for sdt in tr.iter(f"{{{W}}}sdt"):
                _set(sdt, str(item.get(_tag(sdt), "")))
    if answers.get("indicateurs_suivi"):
        content = top["indicateurs_suivi"].find("w:sdtContent", NS)
        template = content.find("w:p", NS)
        for p in content.findall("w:p", NS):
            content.remove(p)
        for line in answers["indicateurs_suivi"]:
            p = etree.fromstring(etree.tostring(template))
            ts = p.findall(".//w:t", NS)
            if ts:
                ts[0].text = line
            else:
                r = etree.SubElement(p, f"{{{W}}}r")
                etree.SubElement(r, f"{{{W}}}t").text = line
            content.append(p)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return output


def _worker_database(url: str | None) -> str | None:
    """Give each pytest-xdist worker its own database on the test server, so that two workers never drop
    each other's tables; the worker's URL replaces CDV_TEST_PG_URL for the modules and daemons it starts."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"cdv_test_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    own = make_url(url).set(database=name).render_as_string(hide_password=False)
    os.environ["CDV_TEST_PG_URL"] = own
    return own


PG_URL = _worker_database(os.environ.get("CDV_TEST_PG_URL"))
AUTEUR = "sophie.marchand"  # the reviewer of the tests that run on both databases


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=requires(bool(PG_URL), "CDV_TEST_PG_URL absent"))])
def db(request, workspace, monkeypatch):
    """The registry of the workspace, on SQLite or on the PostgreSQL server the set-up starts."""
    from sqlalchemy import text

    from workflow.review import users

    if request.param == "postgresql":
        monkeypatch.setenv("CDV_REGISTRE_URL", PG_URL)
    registry = Registry(workspace.database_url())
    with registry.session() as session:
        users.add(session, AUTEUR, "Sophie Marchand", users.Role.EQUIPE)
    yield registry
    if request.param == "postgresql":
        with registry.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    registry.close()
