"""The `cdv` command, run as a user would: one line per file, French messages, exit statuses."""

from __future__ import annotations

import json

import pandas as pd
from conftest import fill_form
from support import cdv


def test_init_form_ingest_export_and_annex(tmp_path):
    root = tmp_path / "espace"
    assert cdv("--racine", str(root), "init").returncode == 0
    for folder in ("inbox", "outbox", "registry/referentiel", "gabarits"):
        assert (root / folder).is_dir()
    form = tmp_path / "caf.docx"
    made = cdv(
        "formulaire",
        "questionnaire",
        "--racine",
        str(root),
        "--organisme",
        "CAF",
        "--campagne",
        "2026",
        "-o",
        str(form),
    )
    assert made.returncode == 0, made.stderr
    filled = fill_form(
        form,
        {
            "organisme": "CAF",
            "campagne": 2026,
            "quartiers_vises": ["quatre-as"],
            "referent_courriel": "pas-une-adresse",
        },
        root / "inbox" / "caf_rempli.docx",
    )
    (root / "inbox" / "note.docx").write_text("pas un document Word")
    run = cdv("--racine", str(root), "ingerer", str(filled), str(root / "inbox" / "note.docx"))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0].startswith("enregistré") and "caf_rempli.docx" in lines[0] and "5 alerte" in lines[0]
    assert lines[1].startswith("quarantaine") and "note.docx" in lines[1]
    assert lines[2] == "1 enregistré, 1 quarantaine"
    exported = json.loads(cdv("--racine", str(root), "registre", "export", "--format", "json").stdout)
    assert exported["version"] == 1 and exported["associations"] == []
    q = exported["questionnaires"][0]
    assert (q["organisme"], q["campagne"], q["quartiers_vises"]) == (
        "Caisse d'Allocations Familiales du Pas-de-Calais",
        2026,
        ["quatre-as"],
    )
    # the four questions left unanswered are flagged, each once
    assert sorted(a["code"] for a in q["alertes"]) == ["courriel_invalide"] + ["section_vide"] * 4
    assert {s["statut"] for s in exported["soumissions"]} == {"enregistre", "quarantaine"}
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"registre.{fmt}"
        assert cdv("--racine", str(root), "registre", "export", "--format", fmt, "-o", str(out)).returncode == 0
        frame = pd.read_csv(out, sep=";") if fmt == "csv" else pd.read_excel(out, sheet_name="Questionnaires")
        assert frame.loc[0, "Organisme"] == q["organisme"] and frame.loc[0, "Quartiers visés"] == "Quatre As"
    annex = cdv("--racine", str(root), "generer", "annexe-engagements")
    assert annex.returncode == 0 and (root / "outbox" / "annexe_engagements_signataires.docx").exists()


def test_a_missing_workspace_is_explained_in_french(tmp_path):
    run = cdv("--racine", str(tmp_path / "nulle-part"), "registre", "export")
    assert run.returncode == 2
    assert "n'est pas un espace de travail complet" in run.stderr and "cdv --racine" in run.stderr


def test_usage_errors_are_in_french(tmp_path):
    run = cdv("formulaire", "questionnaire")
    assert run.returncode == 2
    assert "Option manquante" in run.stderr and "Utilisation" in run.stderr


def test_every_command_is_documented_in_french_with_an_example():
    import click

    from workflow.cli import app

    def commands(group: click.Group, path: str = "cdv"):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, f"{path} {name}")
            else:
                yield f"{path} {name}", command

    found = dict(commands(app))
    assert {"cdv ingerer", "cdv registre export", "cdv generer annexe-engagements"} <= set(found)
    for name, command in found.items():
        assert command.help and "Exemple" in command.help, name


def test_referentiel_check_prints_the_counts(tmp_path):
    run = cdv("referentiel", "verifier")
    assert run.returncode == 0 and "Quartier de transitions" in run.stdout and "32" in run.stdout
