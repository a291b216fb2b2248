"""Returned forms in free layouts × formats (docx, pdf, odt, doc, eml) read back field by field.

Acceptance: every field comes back exactly, except the misses listed with their reason in
tests/fixtures/layouts/known_misses.json; a listed miss that no longer happens fails too, so that
the list only shrinks. The golden pairs there (X.docx, X.pdf, X.odt beside X.json) are committed;
the matrix below builds all layouts × partners × formats afresh from tests/layouts.py.
"""

from __future__ import annotations

import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import needs_libreoffice
from golden import (
    FIXTURES,
    GOLDEN,
    PARTNERS,
    as_data,
    expected,
    fields,
    found_misses,
    known_misses,
    partner_of,
    read_back,
    stem,
    verdict,
)
from layouts import LAYOUTS, build

from workflow.intake.ingest import Arrivee, Source, Statut, ingest
from workflow.libreoffice import convert_all
from workflow.registry.db import Registry
from workflow.registry.export import export_data
from workflow.workspace import init_workspace

FORMATS = ["docx", "pdf", "odt", "doc", "eml"]


def _email(attachment: Path, target: Path) -> Path:
    message = EmailMessage()
    message["From"] = "Référent <referent@partenaire.example.fr>"
    message["To"] = "cohesion.sociale@cua.example.fr"
    message["Subject"] = "=?utf-8?q?Fiche_d=27engagement_=E2=80=94_r=C3=A9ponse?="
    message["Date"] = "Mon, 03 Mar 2025 10:15:00 +0100"
    message.set_content("Bonjour,\nveuillez trouver notre fiche d'engagement.\nCordialement")
    message.add_attachment(
        attachment.read_bytes(), maintype="application", subtype="octet-stream", filename=attachment.name
    )
    target.write_bytes(bytes(message))
    return target


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """Build every partner × layout in every format, ingest them all: (format, name) → (outcome, export)."""
    root = tmp_path_factory.mktemp("mises-en-page")
    sources = [build(layout, a, root / f"{stem(layout, i)}.docx") for i, a in enumerate(PARTNERS) for layout in LAYOUTS]
    files = {"docx": sources}
    for fmt in ("pdf", "odt"):
        files[fmt] = convert_all(sources, fmt, root / fmt)
    # LibreOffice 7.4 drops the tables python-docx writes when it exports .doc straight from .docx
    # (the .doc then shows no table even in LibreOffice); through .odt the .doc keeps them.
    files["doc"] = convert_all(files["odt"], "doc", root / "doc")
    files["eml"] = [_email(s, root / f"{s.stem}.eml") for s in sources]
    results = {}
    for fmt, paths in files.items():
        workspace = init_workspace(root / f"espace_{fmt}")
        registry = Registry(workspace.database_url())
        for path in paths:
            results[(fmt, path.stem)] = read_back(workspace, registry, path)
        registry.close()
    return results


def _problems(matrix, fmt: str) -> tuple[int, int, list[str]]:
    """Return (fields read exactly, fields expected, problems against the known misses) for a format."""
    known = known_misses()
    matched = total = 0
    problems = []
    for (kind, name), (outcome, got) in sorted(matrix.items()):
        if kind != fmt:
            continue
        want = as_data(expected(partner_of(name)))
        found = found_misses(want, outcome, got)
        total += len(want)
        matched += sum(field not in found for field in want)
        problems += verdict(f"{name}.{fmt}", found, known.get(f"{name}.{fmt}", {}))
    return matched, total, problems


@needs_libreoffice
@pytest.mark.timeout(900)
@pytest.mark.parametrize("fmt", FORMATS)
def test_free_layouts_come_back_field_by_field(matrix, fmt):
    matched, total, problems = _problems(matrix, fmt)
    print(f"\n{fmt}: {matched}/{total} champs exacts")
    assert not problems, "\n".join(problems)


DOCUMENTS = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".docx", ".pdf", ".odt"))


@pytest.mark.parametrize(
    "document",
    [pytest.param(p, id=p.name, marks=[needs_libreoffice] if p.suffix == ".odt" else []) for p in DOCUMENTS],
)
def test_each_golden_document_gives_its_json_back_field_by_field(workspace, registry, document):
    want = json.loads((FIXTURES / f"{document.stem}.json").read_text(encoding="utf-8"))["champs"]
    outcome, got = read_back(workspace, registry, document)
    problems = verdict(document.name, found_misses(want, outcome, got), known_misses().get(document.name, {}))
    assert not problems, "\n".join(problems)


def test_the_golden_pairs_are_complete_and_the_known_misses_name_real_documents():
    assert len(DOCUMENTS) >= 2 * len(LAYOUTS) and {stem(*g) for g in GOLDEN} <= {p.stem for p in DOCUMENTS}
    for document in DOCUMENTS:  # each beside its JSON, which says what tests/golden.py says today
        champs = json.loads((FIXTURES / f"{document.stem}.json").read_text(encoding="utf-8"))["champs"]
        assert champs == as_data(expected(partner_of(document.name))), f"{document.name} : relancer regenerate.py"
    names = {p.name for p in DOCUMENTS} | {
        f"{stem(layout, i)}.{fmt}" for layout in LAYOUTS for i in range(3) for fmt in FORMATS
    }
    assert set(known_misses()) <= names, set(known_misses()) - names
    assert all(isinstance(why, str) and why.strip() for miss in known_misses().values() for why in miss.values())


def test_a_new_miss_and_a_known_miss_that_now_passes_both_fail():
    found = {"agent 2": "attendu ['A', 'B'], lu None"}
    assert verdict("x.pdf", found, {"agent 2": "cellule coupée par la page"}) == []
    assert verdict("x.pdf", found, {}) == ["x.pdf — agent 2 : attendu ['A', 'B'], lu None (écart non répertorié)"]
    fixed = verdict("x.pdf", {}, {"agent 2": "cellule coupée par la page"})
    assert fixed == [
        "x.pdf — agent 2 : désormais lu correctement, à retirer de known_misses.json (cellule coupée par la page)"
    ]


@needs_libreoffice
def test_every_layout_and_format_is_recognised_as_a_questionnaire(matrix):
    refused = [f"{fmt} {name}: {o.motif}" for (fmt, name), (o, _) in matrix.items() if o.statut != Statut.ENREGISTRE]
    assert not refused, refused


@needs_libreoffice
def test_email_attachments_are_linked_to_their_email(matrix, tmp_path):
    outcome, got = matrix[("eml", "titres_caf")]
    assert outcome.type_fichier == "eml" and len(outcome.pieces) == 1
    assert outcome.pieces[0].statut == Statut.ENREGISTRE
    assert "Fiche d'engagement — réponse" in outcome.detail  # subject decoded
    assert got["organisme"] == PARTNERS[0]["organisme"]


@needs_libreoffice
def test_a_pdf_named_docx_is_read_as_a_pdf(workspace, registry, tmp_path):
    pdf = convert_all([build("titres", PARTNERS[2], tmp_path / "ft.docx")], "pdf", tmp_path)[0]
    disguised = workspace.inbox / "reponse.docx"
    disguised.write_bytes(pdf.read_bytes())
    result = ingest(workspace, registry, Arrivee(disguised, Source.DOSSIER, deplacer=True))
    assert (result.statut, result.type_fichier) == (Statut.ENREGISTRE, "pdf")


def test_missing_questions_are_recorded_with_an_alert(workspace, registry, tmp_path):
    import docx

    partial = docx.Document()
    partial.add_paragraph("Organisme : France Travail")
    for question, answer in [
        ("Quels quartiers du territoire sont visés par vos engagements ?", "Les 4 As"),
        (
            'Quels agents mobiliserez-vous dans les instances de gouvernance de "Cœur de Quartier" (fonction et '
            "nom de l'agent) ?",
            "Thomas GRANDIN : Directeur d'agence",
        ),
        ("Quels objectifs stratégiques et opérationnels se rattachent à vos engagements ?", "Aucun pour l'instant."),
    ]:
        partial.add_paragraph(question)
        partial.add_paragraph(answer)
    path = workspace.inbox / "partiel.docx"
    partial.save(str(path))
    result = ingest(workspace, registry, Arrivee(path, Source.DOSSIER, deplacer=True))
    assert result.statut == Statut.ENREGISTRE
    with registry.session() as session:
        got = export_data(session)["questionnaires"][0]
    assert got["quartiers_vises"] == ["quatre-as"]
    codes = sorted(a["code"] for a in got["alertes"])
    assert codes == ["lecture_incertaine", "question_absente", "question_absente"]
    # an answer that names no objective is shown to a person, not dropped nor read as one
    assert any("« Aucun pour l'instant. »" in a["message"] for a in got["alertes"])


@needs_libreoffice
def test_an_rtf_answer_is_read_through_libreoffice(workspace, registry, tmp_path):
    rtf = convert_all([build("titres", PARTNERS[1], tmp_path / "rtf_1.docx")], "rtf", tmp_path / "rtf")[0]
    copy = workspace.inbox / rtf.name
    shutil.copyfile(rtf, copy)
    result = ingest(workspace, registry, Arrivee(copy, Source.DOSSIER, deplacer=True))
    assert (result.statut, result.type_fichier) == (Statut.ENREGISTRE, "rtf")
    with registry.session() as session:
        got = export_data(session)["questionnaires"][0]
    assert fields(got) == expected(PARTNERS[1])
