"""Read ODT, DOC, RTF and DOCM by converting them to .docx with LibreOffice (macros never run)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from workflow.libreoffice import ConversionImpossible, ConversionTropLongue, convert, soffice
from workflow.parsers import CONVERSION_TIMEOUT
from workflow.parsers.base import Contenu, Illisible, Motif, trop_volumineux
from workflow.parsers.docx import read_docx

SUFFIX = {"odt": ".odt", "doc": ".doc", "rtf": ".rtf", "docm": ".docm"}


def read_converted(path: Path, kind: str) -> Contenu:
    """Convert a word-processing file to .docx in a private folder, then read it as .docx."""
    if soffice() is None:
        raise Illisible(
            Motif.TYPE_NON_PRIS_EN_CHARGE,
            f"fichier {kind.upper()} : LibreOffice, nécessaire pour le lire, "
            "n'est pas installé sur ce poste (la mise en place « python3 run.py » l'installe)",
        )
    with tempfile.TemporaryDirectory(prefix="cdv-conv-") as tmp:
        source = Path(tmp) / f"document{SUFFIX[kind]}"  # LibreOffice picks its import filter by name too
        shutil.copyfile(path, source)
        try:
            converted = convert(source, "docx", Path(tmp) / "docx", timeout=CONVERSION_TIMEOUT)
        except ConversionTropLongue as e:
            raise trop_volumineux(f"sa conversion dépasse la limite de temps de {CONVERSION_TIMEOUT} s") from e
        except ConversionImpossible as e:
            raise Illisible(
                Motif.CORROMPU,
                f"fichier {kind.upper()} illisible : LibreOffice n'a pas pu l'ouvrir "
                "(fichier endommagé, protégé par un mot de passe ou d'un format inattendu)",
            ) from e
        return read_docx(converted)
