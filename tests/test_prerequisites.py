"""A test whose prerequisite is missing is skipped on a workstation and fails under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pytest_without_postgres(ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "CDV_TEST_PG_URL")}
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/registry/test_postgres.py"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_missing_server_is_a_skip_with_its_reason_outside_ci():
    run = _pytest_without_postgres(ci=False)
    assert run.returncode == 0 and "2 skipped" in run.stdout
    assert "CDV_TEST_PG_URL absent" in run.stdout


def test_a_missing_server_fails_under_ci():
    run = _pytest_without_postgres(ci=True)
    assert run.returncode == 1 and "2 error" in run.stdout
    assert "CDV_TEST_PG_URL absent" in run.stdout and "prérequis obligatoire sous CI" in run.stdout
