"""A table of contents listing the document's questions before they are asked (« Sommaire des
questions », an intranet FAQ's index): the list names them, the headings further on ask them."""

from __future__ import annotations

from dataclasses import replace

from workflow.parsers.base import Contenu
from workflow.text import normalise

MIN_ENTRIES = 3  # lines in a row met again as headings further on
MIN_CHARS = 12  # « Objectifs » twice is no table of contents


def without_contents(contenu: Contenu) -> Contenu:
    """The content without the runs of lines each repeated further on, word for word, on a line of its
    own; the content unchanged when there is none."""
    units = contenu.units
    later: dict[str, int] = {}
    for n, unit in enumerate(units):
        later[normalise(unit.text)] = n  # the last place each line stands
    listed = [
        n
        for n, unit in enumerate(units)
        if unit.table is None and len(key := normalise(unit.text)) >= MIN_CHARS and later[key] > n
    ]
    runs: list[list[int]] = []
    for n in listed:
        if runs and all(not units[k].text.strip() for k in range(runs[-1][-1] + 1, n)):
            runs[-1].append(n)
        else:
            runs.append([n])
    dropped = {n for run in runs if len(run) >= MIN_ENTRIES for n in run}
    if not dropped:
        return contenu
    return replace(contenu, units=tuple(u for n, u in enumerate(units) if n not in dropped))
