"""Our own forms filled, printed to PDF, scanned at a resolution and ingested: what the acceptance
tests and the bench measure (tests/ocr/test_ocr_acceptance.py, bench/ocr_bench.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import ocr_scans

from workflow.demo.remplir import fill_association_form, fill_questionnaire_form
from workflow.demo.run import associations_exemples, exemples
from workflow.intake.ingest import Arrivee, Resultat, Source, ingest
from workflow.libreoffice import convert_all
from workflow.registry.db import Registry
from workflow.registry.export import export_data
from workflow.render.formulaire import association_form, questionnaire_form
from workflow.workspace import Workspace, init_workspace

QUESTIONNAIRE = next(a for a in exemples() if a["organisme"] == "Pas-de-Calais Habitat")
ASSOCIATION = associations_exemples()[0]
TABLES = {"questionnaire": "questionnaires", "association": "associations"}


@dataclass(frozen=True)
class Printed:
    """Both forms filled as .docx, what our reader gives back from them, and their printed PDFs."""

    docx: dict[str, Path]
    reference: dict[str, dict]  # form → its export, read from the .docx
    pdf: dict[str, Path]


@dataclass(frozen=True)
class Scanned:
    """Both forms scanned at one resolution and ingested into a workspace of their own."""

    dpi: int
    workspace: Workspace
    files: dict[str, Path]
    results: dict[str, Resultat]
    exports: dict[str, dict]  # form → its export with provenance
    pages: int
    seconds: float  # to ingest them all


def printed(folder: Path) -> Printed:
    """Fill our questionnaire and association form, read them back from .docx, print them to PDF."""
    workspace = init_workspace(folder / "reference")
    docx = {
        "questionnaire": fill_questionnaire_form(
            questionnaire_form(
                workspace, QUESTIONNAIRE["organisme"], int(QUESTIONNAIRE["campagne"]), folder / "vq.docx"
            ),
            QUESTIONNAIRE,
            folder / "questionnaire.docx",
        ),
        "association": fill_association_form(
            association_form(workspace, ASSOCIATION["association_nom"], folder / "va.docx"),
            ASSOCIATION,
            folder / "association.docx",
        ),
    }
    exports = ingested(workspace, list(docx.values()))
    reference = {form: exports[form][0] for form in docx}
    pdf = dict(zip(docx, convert_all(list(docx.values()), "pdf", folder / "pdf"), strict=True))
    return Printed(docx, reference, pdf)


def scanned(forms: Printed, dpi: int, folder: Path) -> Scanned:
    """Scan both printed forms at `dpi` and ingest them. At 300 dpi: scanned PDFs. Below: multi-page
    TIFFs whose second page was fed upside down, and the association's first page on its side."""
    files, pages = {}, 0
    for form, pdf in forms.pdf.items():
        images = ocr_scans.pages(pdf, dpi, folder / "pages")
        if dpi < 300:
            images[1] = images[1].rotate(180, expand=True)
            images[0] = images[0].rotate(90, expand=True) if form == "association" else images[0]
        pages += len(images)
        make = ocr_scans.scanned_pdf if dpi >= 300 else ocr_scans.tiff
        files[form] = make(images, dpi, folder / f"{form}-{dpi}.{'pdf' if dpi >= 300 else 'tiff'}")
    workspace = init_workspace(folder / f"espace-{dpi}")
    start = time.perf_counter()
    registry = Registry(workspace.database_url())
    try:
        results = {form: ingest(workspace, registry, Arrivee(path, Source.COMMANDE)) for form, path in files.items()}
        seconds = time.perf_counter() - start
        with registry.session() as session:
            data = export_data(session, provenance=True)
    finally:
        registry.close()
    exports = {form: next((x for x in data[TABLES[form]]), {}) for form in files}
    return Scanned(dpi, workspace, files, results, exports, pages, seconds)


def ingested(workspace: Workspace, paths: list[Path]) -> dict[str, list[dict]]:
    """Ingest files into a workspace and return its export by form type."""
    registry = Registry(workspace.database_url())
    try:
        for path in paths:
            ingest(workspace, registry, Arrivee(path, Source.COMMANDE))
        with registry.session() as session:
            data = export_data(session, provenance=True)
    finally:
        registry.close()
    return {form: data[table] for form, table in TABLES.items()}
