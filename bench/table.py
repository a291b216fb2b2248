"""The rows of issue 17's table: each figure measured in this run, printed beside its goal."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Ligne:
    """One measured row: what, the figure, how it reads, the goal and whether it is met."""

    quoi: str
    mesure: str
    objectif: str
    atteint: bool


def median_time(action: Callable[[], object], repetitions: int) -> float:
    """Median wall-clock seconds of `action`."""
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def imprimer(lignes: list[Ligne]) -> None:
    """Print the table: each row's figure beside its goal, and whether the goal is met."""
    width = max(len(line.quoi) for line in lignes)
    figures = max(26, *(len(line.mesure) for line in lignes))
    print(f"\n{'mesure':{width}}  {'résultat':>{figures}}  {'objectif':24} objectif")
    for line in lignes:
        verdict = "atteint" if line.atteint else "NON ATTEINT"
        print(f"{line.quoi:{width}}  {line.mesure:>{figures}}  {line.objectif:24} {verdict}")
