"""The blank association form: every field a tagged content control, commitments from the data."""

from __future__ import annotations

from collections import Counter

from conftest import needs_libreoffice, pdf_text, to_pdf
from support import cdv

from workflow.answers import IDENTITE_ASSOCIATION
from workflow.parsers.docx import read_docx
from workflow.render.formulaire import association_form

FIELDS = [
    *IDENTITE_ASSOCIATION,
    "autres_engagements",
    "demande_cpo",
    "duree_cpo_annees",
    "indicateurs_suivi",
    "fait_a",
    "date",
    "signataire_nom",
    "actions",
    "objectifs",
]


def test_every_field_is_a_tagged_control(workspace, tmp_path):
    form = association_form(workspace, "Centre social Léo Lagrange", tmp_path / "a.docx")
    tags = Counter(c.tag for c in read_docx(form).controls)
    assert all(tags[f] == 1 for f in FIELDS), {f: tags[f] for f in FIELDS}
    ref = workspace.referentiel
    assert {t for t in tags if t.startswith("quartier:")} == {f"quartier:{q.id}" for q in ref.quartiers.quartiers}
    assert {t for t in tags if t.startswith("ambition:")} == {f"ambition:{a.id}" for a in ref.ambitions}
    assert {t for t in tags if t.startswith("engagement:")} == {
        f"engagement:{e.id}" for e in ref.association.engagements_standards
    }
    assert tags["action"] == 2 and tags["intitule"] == 2 and tags["montant"] == 6  # repeating blocks and rows
    controls = read_docx(form).controls
    assert next(c.text for c in controls if c.tag == "association_nom") == "Centre social Léo Lagrange"
    assert not any(c.checked for c in controls if c.kind == "case")


def test_the_standard_commitments_come_from_the_reference_data(workspace):
    labels = [e.libelle for e in workspace.referentiel.association.engagements_standards]
    assert len(labels) == 5 and labels[0] == "Participer au tiers-lieu politique de la ville"


@needs_libreoffice
def test_the_form_opens_in_libreoffice(tmp_path):
    root = tmp_path / "espace"
    assert cdv("--racine", str(root), "init").returncode == 0
    made = cdv(
        "--racine",
        str(root),
        "formulaire",
        "association",
        "--association",
        "AFEJI & Co",
        "-o",
        str(tmp_path / "afeji.docx"),
    )
    assert made.returncode == 0, made.stderr
    flat = " ".join(pdf_text(to_pdf(tmp_path / "afeji.docx", tmp_path)).split())
    assert "AFEJI & Co" in flat and "N° SIRET" in flat and "Participer au tiers-lieu politique de la ville" in flat
