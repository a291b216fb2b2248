"""Alert codes are defined once: the README, the reference data and the validators all agree."""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from workflow.errors import ReferentielInvalide
from workflow.referentiel import load_referentiel
from workflow.validation.alertes import CodeAlerte, Gravite

ROOT = Path(__file__).resolve().parents[2]
REF_DIR = ROOT / "registry" / "referentiel"
_ROW = re.compile(r"^\|\s*`(?P<code>[^`]+)`\s*\|\s*(?P<libelle>[^|]+?)\s*\|\s*(?P<gravite>[^|]+?)\s*\|$")


def _readme_table() -> list[tuple[str, str, str]]:
    """Return the (code, signification, gravité) rows of the README's table of alerts."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("| code | signification | gravité |", 1)[1].split("\n\n", 1)[0]
    return [(m["code"], m["libelle"], m["gravite"]) for m in map(_ROW.match, section.splitlines()) if m]


def _yaml_codes(node: Any) -> Iterator[Any]:
    """Yield every value under an `alerte` key, however deep."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "alerte":
                yield value
            yield from _yaml_codes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_codes(item)


def _literal_codes(tree: ast.AST) -> Iterator[int]:
    """Yield the line of every `Alerte(...)` call whose code is written as a string."""
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "Alerte"):
            continue
        code = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "code"), None)
        if isinstance(code, ast.JoinedStr) or (isinstance(code, ast.Constant) and isinstance(code.value, str)):
            yield call.lineno


def test_every_code_is_defined_once_with_a_french_label_and_a_severity():
    assert len(CodeAlerte.__members__) == len(CodeAlerte)  # no alias: two names for one code
    for code in CodeAlerte:
        assert code.value == code.name.lower()
        assert code.libelle.strip() and code.libelle[0].isupper()
        assert isinstance(code.gravite, Gravite) and code.gravite.libelle


def test_a_code_compares_equal_to_the_text_stored_in_the_registry():
    assert CodeAlerte("quartier_inconnu") is CodeAlerte.QUARTIER_INCONNU
    assert CodeAlerte.QUARTIER_INCONNU == "quartier_inconnu" and str(CodeAlerte.QUARTIER_INCONNU) == "quartier_inconnu"


def test_the_readme_table_lists_exactly_the_codes_with_their_label_and_severity():
    expected = [(c.value, c.libelle, c.gravite.libelle) for c in CodeAlerte]
    assert _readme_table() == expected


def test_every_code_named_in_the_reference_data_exists():
    named = [
        code for path in sorted(REF_DIR.glob("*.yaml")) for code in _yaml_codes(yaml.safe_load(path.read_text("utf-8")))
    ]
    assert named, "the reference data names at least the split of Arras Ouest"
    assert set(named) <= set(CodeAlerte)


def test_an_unknown_code_in_the_reference_data_is_refused_naming_the_file_and_line(tmp_path):
    folder = tmp_path / "referentiel"
    shutil.copytree(REF_DIR, folder)
    path = folder / "quartiers.yaml"
    path.write_text(
        path.read_text("utf-8").replace("alerte: arras_ouest_scinde", "alerte: arras_ouest_scindé"), "utf-8"
    )
    line = path.read_text("utf-8").splitlines().index("    alerte: arras_ouest_scindé") + 1
    with pytest.raises(ReferentielInvalide, match="code d'alerte inconnu « arras_ouest_scindé »") as caught:
        load_referentiel(folder)
    assert caught.value.line == line and caught.value.path == path


def test_no_alert_is_raised_with_a_code_written_as_a_string():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "workflow").rglob("*.py"))
        for line in _literal_codes(ast.parse(path.read_text("utf-8")))
    ]
    assert found == []


def test_the_string_check_catches_a_literal_code():
    tree = ast.parse('Alerte("quartier_inconnu", "m")\nAlerte(code=f"x", message="m")\nAlerte(CodeAlerte.X, "m")')
    assert list(_literal_codes(tree)) == [1, 2]
