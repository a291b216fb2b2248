"""Rewrite accepted_misses.json from what the reader gives now, keeping the reason written for each
miss still listed; a new miss gets the reason of its kind, to be read and rewritten by hand.

.venv/bin/python tests/reading/accepted.py ["raison"]   # then review `git diff tests/reading/accepted_misses.json`

A reason given on the command line is put before the reason of the kind of every new miss (a set
measured blind and not yet worked on, say).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scoring import Score, score
from test_golden import ACCEPTED, DOCUMENTS, key

from workflow.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parents[2]
PDF_ONLY = "export PDF seulement (le .docx est lu juste) : lignes jointes ou coupées par la mise en page"
ODT_ONLY = "export ODT seulement (le .docx est lu juste) : conversion par LibreOffice"
REFUSED = "document refusé ({detail})"
IMPERFECT = "mise en page lue imparfaitement"


def reason(field: str, found: Score, docx: Score | None, detail: str) -> str:
    """The reason of a miss by its kind: the document refused, a PDF or ODT export only, or the layout."""
    if found.refused:
        why = REFUSED.format(detail=found.refused[:100] + "…")
    elif docx is not None and docx is not found and field not in docx.misses and field not in docx.misfiled:
        why = PDF_ONLY if found.document.endswith(".pdf") else ODT_ONLY
    else:
        why = IMPERFECT
    return f"{why} ; {detail}"


def main(why_new: str) -> None:
    ref = load_referentiel(ROOT / "registry" / "referentiel")
    before = json.loads(ACCEPTED.read_text(encoding="utf-8"))
    scores = {key(p): score(p, ref) for p in DOCUMENTS}
    after: dict[str, object] = {k: v for k, v in before.items() if k.startswith("_")}
    for name, found in scores.items():
        docx = scores.get(name.rsplit(".", 1)[0] + ".docx")
        listed = before.get(name, {})
        entries = {
            **{field: detail for field, detail in found.misses.items()},
            **{f"MAL PLACÉ {field}": detail for field, detail in found.misfiled.items()},
        }
        kept = {}
        for field, detail in entries.items():
            if field in listed:
                kept[field] = listed[field].split(" ; ", 1)[0] + f" ; {detail}"
            else:
                why = reason(field.removeprefix("MAL PLACÉ "), found, docx, detail)
                kept[field] = f"{why_new} : {why}" if why_new else why
        if kept:
            after[name] = kept
    ACCEPTED.write_text(json.dumps(after, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    new = sum(1 for n, m in after.items() if not n.startswith("_") for f in m if f not in before.get(n, {}))
    gone = sum(1 for n, m in before.items() if not n.startswith("_") for f in m if f not in after.get(n, {}))
    print(f"{new} écart(s) nouveau(x), {gone} écart(s) disparu(s)")


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]))
