"""Print the reader's field accuracy per layout and format on golden folders.

.venv/bin/python tests/reading/accuracy.py tests/fixtures/unseen [-v]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scoring import score

from workflow.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parents[2]


def main(folders: list[str], verbose: bool, full: bool) -> None:
    ref = load_referentiel(ROOT / "registry" / "referentiel")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            if path.suffix not in (".docx", ".pdf", ".odt") or not (path.parent / f"{path.stem}.json").exists():
                continue
            s = score(path, ref)
            kind = "questionnaire" if path.name.startswith("q") else "association"
            for key in (f"{kind} {path.suffix}", kind):
                totals[key][0] += s.exact
                totals[key][1] += s.expected
                totals[key][2] += len(s.misfiled)
            refused = f"  REFUSÉ : {s.refused[:90]}" if s.refused else ""
            rate = 100 * s.exact / s.expected
            print(f"{s.exact:3d}/{s.expected:3d} {rate:5.1f} %  mal placés {len(s.misfiled):2d}  {path.name}{refused}")
            if verbose:
                for k, v in s.misses.items():
                    print(f"      manque {k}: {v if full else v[:160]}")
                for k, v in s.misfiled.items():
                    print(f"      MAL PLACÉ {k}: {v[:160]}")
    for key, (exact, expected, misfiled) in sorted(totals.items()):
        print(f"{key:22s} {exact}/{expected} = {100 * exact / max(expected, 1):.1f} %, mal placés {misfiled}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    main(args, "-v" in sys.argv or "-vv" in sys.argv, "-vv" in sys.argv)
