"""`cdv --help` and `cdv etat` start at once: the command line imports the library only when a command needs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workflow.workspace import init_workspace

HEAVY = ["pandas", "numpy", "sqlalchemy", "alembic", "pdfplumber", "pypdf", "docx", "docxtpl", "lxml", "openpyxl"]
HEAVY += ["matplotlib", "pydantic", "yaml", "watchdog", "apscheduler", "babel", "extract_msg", "rapidfuzz"]
HEAVY += ["workflow.intake", "workflow.registry", "workflow.referentiel", "workflow.parsers"]


def heavy_modules_after(code: str) -> list[str]:
    """Run `code` in a fresh interpreter and return the heavy packages it left imported."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_importing_the_command_line_imports_no_library() -> None:
    assert heavy_modules_after("import workflow.cli") == []


def test_help_and_etat_import_no_library(tmp_path: Path) -> None:
    root = init_workspace(tmp_path / "espace").root
    for args in (["--help"], ["--racine", str(root), "etat"]):
        code = f"from workflow.cli import app\napp({args!r}, prog_name='cdv', standalone_mode=False)"
        assert heavy_modules_after(code) == [], args
