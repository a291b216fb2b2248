"""Charts of the evaluation report (matplotlib, PNG): each comes with a title and an alt text that
says what the chart shows, figures included, for readers who cannot see it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure  # no pyplot: no global state, no screen needed
from matplotlib.ticker import FuncFormatter, MaxNLocator

from workflow.evaluation.tableaux import nombre_fr

BLEU, ORANGE, GRIS = "#2F5496", "#C55A11", "#7F7F7F"
Number = Decimal | int | float


@dataclass(frozen=True)
class Graphique:
    chemin: Path
    titre: str
    alt: str


def _save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    return path


def barres(
    path: Path, titre: str, donnees: Sequence[tuple[str, Number]], lire: Callable[[Number], str], repere: str = ""
) -> Graphique:
    """Horizontal bars, largest first, each labelled with its value. `repere` names the last bar
    when it is a comparison (drawn grey)."""
    labels = [label for label, _ in donnees]
    values = [float(v) for _, v in donnees]
    fig = Figure(figsize=(8, 0.45 * len(donnees) + 1.4))
    ax = fig.subplots()
    colours = [GRIS if repere and label == repere else BLEU for label in labels]
    ax.barh(labels, values, color=colours)
    ax.invert_yaxis()
    top = max(values, default=0) or 1
    for y, (value, raw) in enumerate(zip(values, (v for _, v in donnees), strict=True)):
        ax.text(value + top * 0.01, y, lire(raw), va="center", fontsize=8)
    ax.set_xlim(0, top * 1.25)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: nombre_fr(x, 0)))
    ax.set_title(titre, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    alt = f"Diagramme en barres « {titre} » : " + " ; ".join(f"{label} : {lire(v)}" for label, v in donnees) + "."
    return Graphique(_save(fig, path), titre, alt)


def courbes(
    path: Path, titre: str, series: Mapping[str, Sequence[tuple[int, Number]]], lire: Callable[[Number], str]
) -> Graphique:
    """One line per series over the years."""
    fig = Figure(figsize=(8, 4.2))
    ax = fig.subplots()
    for label, points in series.items():
        style: dict[str, Any] = {"color": GRIS, "linestyle": "--"} if label.startswith("Communauté") else {}
        ax.plot([x for x, _ in points], [float(y) for _, y in points], marker="o", label=label, **style)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: nombre_fr(y, 0)))
    years = sorted({x for points in series.values() for x, _ in points})
    ax.set_xticks(years)
    ax.set_title(titre, fontsize=11)
    ax.legend(fontsize=7, loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    alt = (
        f"Courbes « {titre} » : "
        + " ; ".join(f"{label} : " + ", ".join(f"{x} {lire(y)}" for x, y in points) for label, points in series.items())
        + "."
    )
    return Graphique(_save(fig, path), titre, alt)


def barres_groupees(
    path: Path,
    titre: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    lire: Callable[[Number], str],
) -> Graphique:
    """Side-by-side horizontal bars per category (e.g. planned vs reached)."""
    fig = Figure(figsize=(8, 0.55 * len(categories) + 1.6))
    ax = fig.subplots()
    height = 0.8 / max(len(series), 1)
    for k, ((label, values), colour) in enumerate(zip(series.items(), (BLEU, ORANGE, GRIS), strict=False)):
        ax.barh(
            [i + k * height for i in range(len(categories))],
            [float(v) for v in values],
            height,
            label=label,
            color=colour,
        )
    ax.set_yticks([i + height * (len(series) - 1) / 2 for i in range(len(categories))], categories, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: nombre_fr(x, 0)))
    ax.set_title(titre, fontsize=11)
    ax.legend(fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    alt = (
        f"Diagramme en barres groupées « {titre} » : "
        + " ; ".join(
            f"{c} : " + ", ".join(f"{label} {lire(values[i])}" for label, values in series.items())
            for i, c in enumerate(categories)
        )
        + "."
    )
    return Graphique(_save(fig, path), titre, alt)
