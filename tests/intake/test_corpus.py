"""Every real-world file written by others ingests without crash or hang: recorded or quarantined."""

from __future__ import annotations

import csv
import re

import pytest
from conftest import CORPUS, needs_corpus

from workflow.intake.ingest import Arrivee, Statut, ingest

ROWS = (
    list(csv.DictReader((CORPUS / "MANIFEST.csv").read_text(encoding="utf-8").splitlines())) if CORPUS.is_dir() else []
)
# Without the corpus, one placeholder stands for the files: skipped with its reason, or failed under CI.
FILES = [pytest.param(row, id=row["filename"]) for row in ROWS] or [pytest.param(None, id="corpus-absent")]
pytestmark = needs_corpus
ENGLISH = re.compile(r"Error|Exception|Traceback|errno|NoneType|not found|could not|\binvalid\b|\bfailed\b", re.I)
FRENCH = re.compile(r"[éèàùçêâôî«»]|\b(le|la|les|de|du|des|un|une|pas|sans|fichier|document)\b")


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    from workflow.registry.db import Registry
    from workflow.workspace import init_workspace

    workspace = init_workspace(tmp_path_factory.mktemp("corpus") / "espace")
    registry = Registry(workspace.database_url())
    yield workspace, registry
    registry.close()


def test_the_manifest_lists_every_file_of_the_folder():
    listed = {row["filename"] for row in ROWS}
    present = {p.name for p in CORPUS.iterdir()} - {"MANIFEST.csv", "README.md"}
    assert listed == present


@pytest.mark.timeout(60)
@pytest.mark.parametrize("row", FILES)
def test_each_file_is_recorded_or_quarantined_with_a_reason(shared, row):
    workspace, registry = shared
    path = CORPUS / row["filename"]
    before = path.read_bytes()
    result = ingest(workspace, registry, Arrivee(path))
    assert not result.erreur_interne, result.motif
    assert result.statut in (Statut.ENREGISTRE, Statut.QUARANTAINE)
    assert path.read_bytes() == before, "a file outside the inbox is never modified"
    if result.statut == Statut.QUARANTAINE:
        report = next(workspace.quarantine.glob(f"{row['filename']}*.txt"))
        assert "Motif : " in report.read_text(encoding="utf-8")
        assert result.motif and not re.match(r"^\w*(Error|Exception)\b", result.motif)  # a sentence, not a class
        assert FRENCH.search(result.motif) and not ENGLISH.search(result.motif), result.motif


@pytest.mark.parametrize(
    "name, reason",
    [
        ("poi_bug53475-password-is-pass.docx", "mot de passe"),
        ("poi_truncated62886.docx", "tronqué"),
        ("d2p_strict.docx", "Strict Open XML"),
        ("tika_testODTnotaZipFile.odt", "fichier texte"),
        ("tika_droste.zip", "archive ZIP"),
        ("poi_poc-xmlbomb.xlsx", "archive ZIP"),
        ("d2p_checked_boxes.docx", "ni un questionnaire"),
    ],
)
def test_refusals_say_why_in_words_a_user_understands(shared, name, reason):
    workspace, registry = shared
    result = ingest(workspace, registry, Arrivee(CORPUS / name))
    assert result.statut == Statut.QUARANTAINE and reason in result.motif
