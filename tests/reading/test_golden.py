"""Golden pairs in layouts written from DOMAIN.md alone, by people who had not read the reader: each
document (docx, its PDF and ODT exports) read field by field against the `.json` beside it.

Acceptance (issue 11): every field exact or listed in accepted_misses.json with its reason; no value
under the wrong field unless listed so; reading twice gives the same fields. A listed miss that no
longer happens fails too, so the list only shrinks. Accuracy per set and format is printed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from scoring import RECEIVED, read_fields, score

from workflow.intake.document import analyse_here
from workflow.parsers import Illisible
from workflow.parsers.sniff import sniff
from workflow.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parents[2]
REF = load_referentiel(ROOT / "registry" / "referentiel")
SETS = (
    "unseen",
    "inedits2",
    "inedits3",
    "inedits4",
    "inedits5",
    "inedits6",
    "inedits7",
    "inedits8",
    "inedits9",
    "inedits10",
    "inedits11",
    "inedits12",
    "inedits13",
    "inedits14",
    "inedits15",
    "inedits16",
    "inedits17",
    "inedits18",
    "inedits19",
    "inedits20",
    "inedits21",
    "inedits22",
    "inedits23",
    "inedits24",
    "inedits25",
)
ACCEPTED = Path(__file__).with_name("accepted_misses.json")
DOCUMENTS = sorted(
    p
    for name in SETS
    for p in (ROOT / "tests" / "fixtures" / name).glob("*")
    if p.suffix in (".docx", ".pdf", ".odt") and p.with_suffix(".json").exists()
)


def accepted() -> dict[str, dict[str, str]]:
    data = json.loads(ACCEPTED.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def key(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def scores():
    return {key(p): score(p, REF) for p in DOCUMENTS}


def test_there_are_enough_layouts_written_from_the_domain_brief_alone():
    questionnaires = {p.stem for p in DOCUMENTS if p.name.startswith("q")}
    associations = {p.stem for p in DOCUMENTS if p.name.startswith("a")}
    assert len(questionnaires) >= 8 + 8 + 29 and len(associations) >= 6 + 6 + 29
    assert all({p.suffix for p in DOCUMENTS if p.stem == stem} >= {".docx", ".pdf"} for stem in questionnaires)


@pytest.mark.parametrize("document", DOCUMENTS, ids=key)
def test_each_document_gives_its_fields_back_or_its_misses_are_listed(scores, document):
    found = scores[key(document)]
    listed = accepted().get(key(document), {})
    problems = [f"{field} : {why} (écart non répertorié)" for field, why in found.misses.items() if field not in listed]
    problems += [
        f"MAL PLACÉ {field} : {why} (valeur sous un autre champ)"
        for field, why in found.misfiled.items()
        if f"MAL PLACÉ {field}" not in listed
    ]
    problems += [
        f"{field} : désormais juste, à retirer de accepted_misses.json ({why})"
        for field, why in listed.items()
        if not field.startswith("MAL PLACÉ ") and field not in found.misses
    ]
    assert not problems, "\n".join(problems)


def test_the_accepted_misses_name_real_documents_and_give_a_reason():
    names = {key(p) for p in DOCUMENTS}
    assert set(accepted()) <= names, set(accepted()) - names
    assert all(why.strip() for misses in accepted().values() for why in misses.values())


@pytest.mark.parametrize("document", [p for p in DOCUMENTS if p.suffix == ".docx"], ids=key)
def test_reading_twice_puts_every_value_under_the_same_field(scores, document):
    assert _read(document) == scores[key(document)].read  # the second reading, against the first


def _read(document: Path) -> dict[str, object] | str:
    """The fields read, or the French reason the document is refused."""
    try:
        return read_fields(analyse_here(document, sniff(document), REF, RECEIVED).formulaire)
    except Illisible as refused:
        return refused.detail


def test_accuracy_per_set_and_format_is_reported(scores, capsys):
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for name, found in scores.items():
        folder, file = name.split("/")
        kind = "questionnaires" if file.startswith("q") else "associations"
        totals[(folder, kind, Path(file).suffix)][0] += found.exact
        totals[(folder, kind, Path(file).suffix)][1] += found.expected
    with capsys.disabled():
        for (folder, kind, suffix), (exact, expected) in sorted(totals.items()):
            print(f"\n{folder:9s} {kind:15s} {suffix:5s} {exact:4d}/{expected:4d} = {100 * exact / expected:5.1f} %")
    assert all(expected for _, expected in totals.values())
