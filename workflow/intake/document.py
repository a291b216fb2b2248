"""Analyse one document: parse → recognise → extract → validate, with no disk or database write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from workflow.answers import FicheAssociation, Questionnaire, TypeFormulaire
from workflow.intake import sandbox
from workflow.intake.types import Analyse
from workflow.parsers import CONVERSION_TIMEOUT, IMAGES, OCR_TIMEOUT, SCANNED_PDF, Illisible, Motif, parser_for
from workflow.parsers.sniff import FileKind

if TYPE_CHECKING:
    from workflow.referentiel import Referentiel

CONVERTED = {FileKind.ODT, FileKind.DOC, FileKind.RTF, FileKind.DOCM}


def analyse(path: Path, kind: FileKind, ref: Referentiel, received: dt.datetime) -> Analyse:
    """Read a file into a validated form, or raise `Illisible` saying why not.

    The reading runs in the sandbox's worker, under its memory and time limits; a PDF found without
    text is read again by OCR, with OCR's time allowance (a PDF with text keeps the shorter limit)."""
    parser_for(kind)  # an unsupported type is refused here, without a trip to the worker
    extra = CONVERSION_TIMEOUT if kind in CONVERTED else OCR_TIMEOUT if kind in IMAGES else 0
    try:
        return sandbox.run(analyse_here, path, kind, ref, received, time_limit=sandbox.TIME_LIMIT + extra)
    except Illisible as e:
        if kind is not FileKind.PDF or e.motif is not Motif.SANS_TEXTE:
            raise
    limit = sandbox.TIME_LIMIT + OCR_TIMEOUT
    return sandbox.run(analyse_here, path, kind, ref, received, True, time_limit=limit)


def load_readers() -> None:
    """Import what `analyse_here` reads a .docx with (done once by each worker as it starts; the PDF,
    OCR and conversion readers are imported by the first file that needs them)."""
    import workflow.extract.association
    import workflow.extract.questionnaire
    import workflow.intake.recognise
    import workflow.parsers.docx
    import workflow.validation.association
    import workflow.validation.questionnaire  # noqa: F401


def analyse_here(path: Path, kind: FileKind, ref: Referentiel, received: dt.datetime, scan: bool = False) -> Analyse:
    """Read a file into a validated form in this process (the worker's side of `analyse`);
    `scan`: a PDF without text, read by OCR."""
    # extraction and validation are loaded by the worker that reads, not by the process that records
    from workflow.extract.association import extract_association
    from workflow.extract.prepared import prepared
    from workflow.extract.questionnaire import extract_questionnaire
    from workflow.intake.recognise import recognise
    from workflow.intake.scanned import with_ocr_alerts
    from workflow.validation.association import validate_association
    from workflow.validation.blank import is_blank
    from workflow.validation.questionnaire import validate_questionnaire

    name, reader = SCANNED_PDF if scan else parser_for(kind)
    contenu = prepared(reader(path))
    if not any(u.text.strip() for u in contenu.units) and not contenu.controls:
        raise Illisible(Motif.SANS_TEXTE, "document sans aucun texte lisible")
    found = recognise(contenu, ref)
    if found.type is None:
        raise Illisible(
            Motif.NON_FORMULAIRE,
            "ce document n'est ni un questionnaire d'engagement ni une fiche association : ni les questions du "
            f"questionnaire, ni les champs de la fiche n'y ont été trouvés ({found.indices})",
        )
    form: Questionnaire | FicheAssociation
    if found.type == TypeFormulaire.ASSOCIATION:
        form = validate_association(extract_association(contenu, ref), ref)
    else:
        form = validate_questionnaire(extract_questionnaire(contenu, ref, list(found.anchors)), ref, received)
    if is_blank(form):
        raise Illisible(
            Motif.FORMULAIRE_VIERGE,
            "formulaire vierge : aucune réponse n'y a été trouvée ; il ne remplace pas les réponses déjà reçues "
            "(vérifier que le partenaire a envoyé le bon fichier, enregistré après l'avoir rempli)",
        )
    if contenu.ocr:
        form = with_ocr_alerts(form, contenu)
    return Analyse(kind, name, form, contenu.ocr_pdf)
