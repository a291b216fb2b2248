"""Answers read from a scan or a photo: every value marked as read by OCR, the form flagged for review.

The extraction reads an OCR'd document like any other; here, once the form is validated, each value's
place becomes `Lieu("ocr", <page and position>, deduite)` and the form gets the `lecture_ocr` alerts
(one for the document, one for the tick boxes seen on its images), so the review shows it first.
"""

from __future__ import annotations

from dataclasses import replace

from workflow.answers import Alerte, Certitude, FicheAssociation, Lieu, Questionnaire
from workflow.parsers.base import Contenu
from workflow.validation.alertes import CodeAlerte

TICKED = "☒"


def ocr_lieu(lieu: Lieu) -> Lieu:
    """Return the place of a value read by OCR: same page and position, deduced."""
    return Lieu("ocr", lieu.detail, Certitude.DEDUITE)


def with_ocr_alerts(form: Questionnaire | FicheAssociation, contenu: Contenu) -> Questionnaire | FicheAssociation:
    """Return the validated form with its `lecture_ocr` alerts, and its provenance marked as OCR."""
    alerts: list[Alerte] = [
        Alerte(
            CodeAlerte.LECTURE_OCR,
            "document scanné ou photographié, lu par reconnaissance de caractères (OCR) : chaque valeur est à "
            "vérifier sur l'image de sa page (page et position dans la provenance)",
        )
    ]
    pages = sorted({_page(u.where) for u in contenu.units if TICKED in u.text})
    if pages:
        alerts.append(
            Alerte(
                CodeAlerte.LECTURE_OCR,
                f"cases cochées repérées sur l'image (page {', '.join(pages)}) : vérifier les choix retenus",
                "cases_cochees",
            )
        )
    provenance = tuple((path, ocr_lieu(lieu) if lieu.methode != "deduit" else lieu) for path, lieu in form.provenance)
    return replace(form, alertes=(*form.alertes, *alerts), provenance=provenance)


def _page(where: str) -> str:
    """Return the page number a PDF locator starts with (« page 2, tableau 1, … »)."""
    return where.split(",", 1)[0].removeprefix("page ").strip()
