"""More than a hundred hostile inputs, each ending in one place with a French reason, quickly and
within the memory ceiling, writing nothing outside the workspace; payloads come out literally."""

from __future__ import annotations

import json
import os
import re
import resource
import tempfile
import time
from pathlib import Path

import pytest
from conftest import fill_form
from hostile_cases import Case, all_cases

from workflow.intake import sandbox
from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.registry.db import Registry
from workflow.registry.export import export_data
from workflow.render.formulaire import questionnaire_form
from workflow.workspace import init_workspace

CASES = all_cases()
ENGLISH = re.compile(
    r"Error|Exception|Traceback|errno|NoneType|object has|not found|could not|\binvalid\b|\bfailed\b|source file",
    re.IGNORECASE,
)
FRENCH = re.compile(r"[éèàùçêâôî«»]|\b(le|la|les|de|du|des|un|une|pas|sans|fichier|document|courriel)\b")
DOUBLED = re.compile(r"\b(\w{3,}) \1\b", re.IGNORECASE)
SECONDS, GIB = 10.0, 1 << 30


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """One workspace for all the cases (each file is distinct), its registry and a filled form;
    temporary files go to a private folder (for us and the reading worker), checked empty after each."""
    root = tmp_path_factory.mktemp("hostile")
    private = root / "tmp"
    private.mkdir()
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(private)
    tempfile.tempdir = None
    sandbox.reset()  # the next worker starts with the private folder
    workspace = init_workspace(root / "espace")
    registry = Registry(workspace.database_url())
    blank = questionnaire_form(workspace, "CAF", 2024, root / "vierge.docx")
    form = fill_form(blank, {"organisme": "CAF", "referent_nom": "Sophie Martin"}, root / "rempli.docx")
    yield workspace, registry, blank, form.read_bytes(), root
    registry.close()
    if saved is None:
        os.environ.pop("TMPDIR")
    else:
        os.environ["TMPDIR"] = saved
    tempfile.tempdir = None
    sandbox.reset()


def test_the_generator_builds_more_than_a_hundred_distinct_cases():
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_input_ends_in_one_place_with_a_french_reason(bench, case: Case):
    workspace, registry, blank, form, root = bench
    path = workspace.inbox / case.name
    _build(case, path, blank, form, root)
    before = _outside(root, workspace)
    rss_before = _rss()
    start = time.perf_counter()
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    elapsed = time.perf_counter() - start
    assert not result.erreur_interne, result
    assert result.statut == case.expect, (result.motif, [p.motif for p in result.pieces])
    if case.expect == Statut.QUARANTAINE:
        _assert_french(result.motif)
        assert case.words in result.motif.lower(), result.motif
        assert os.path.lexists(workspace.quarantine / case.name) or result.soumission_id
    for piece in result.pieces:
        assert not piece.erreur_interne, piece
        if piece.statut == Statut.QUARANTAINE:
            _assert_french(piece.motif)
    assert not os.path.lexists(path), "the file left the inbox"
    assert _outside(root, workspace) == before, "nothing written outside the workspace"
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert sandbox.derniere_mesure.pic_memoire_kib * 1024 < GIB
    assert _rss() - rss_before < GIB
    if case.payload or case.absent:
        with registry.session() as session:
            exported = json.dumps(export_data(session), ensure_ascii=False)
        if case.payload:
            assert json.dumps(case.literal, ensure_ascii=False)[1:-1] in exported
        if case.absent:
            assert case.absent not in exported


def _build(case: Case, path: Path, blank: Path, form: bytes, root: Path) -> None:
    if case.payload:
        answers = {"organisme": "CAF", "referent_nom": "Agent", "engagements_2024_2030": case.payload}
        fill_form(blank, answers, path)
        return
    made = case.build(root, form)
    if callable(made):
        made(path)
    else:
        path.write_bytes(made)


def _assert_french(motif: str) -> None:
    assert motif, "a reason is given"
    assert FRENCH.search(motif), motif
    assert not ENGLISH.search(motif), motif
    assert not DOUBLED.search(motif), motif


def _outside(root: Path, workspace) -> set[str]:
    """What lies beside the workspace, the private temporary folder included (left empty)."""
    return {str(p) for p in root.rglob("*") if not p.is_relative_to(workspace.root)}


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
