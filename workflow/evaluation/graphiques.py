"""Charts of the evaluation report (matplotlib, PNG): each comes with a title and an alt text that
says what the chart shows, figures included, for readers who cannot see it."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure  # no pyplot: no global state, no screen needed
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from workflow.evaluation.tableaux import nombre_fr

# Okabe-Ito palette: told apart with the common colour-vision deficiencies.
BLEU, ORANGE, GRIS = "#0072B2", "#E69F00", "#7F7F7F"
COULEURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
MARQUES = ("o", "s", "^", "D", "v", "P", "X")
Number = Decimal | int | float
DPI = 150  # 8 inches wide: 1 200 pixels, sharp at the 16 cm the report prints them
LARGEUR = 8  # inches
CACHE = Path.home() / ".cache" / "cdv" / "graphiques"  # charts drawn before, named by what they show
CACHE_SIZE = 2000  # pictures kept, the most recently drawn
_DRAWER = hashlib.sha256(Path(__file__).read_bytes() + matplotlib.__version__.encode()).hexdigest()


@dataclass(frozen=True)
class Graphique:
    chemin: Path
    titre: str
    alt: str


@lru_cache(maxsize=512)
def _graduation(value: float) -> str:
    """An axis graduation in French with the decimals it has (`12 000`, `21,5`: never « 22 » for 21.5);
    each is asked for at every layout pass."""
    decimals = next((d for d in range(3) if abs(value - round(value, d)) < 1e-9), 3)
    return nombre_fr(value, decimals)


def _figure(height: float) -> Figure:
    """A figure at the resolution it is saved at: the text measured to lay it out serves to draw it."""
    return Figure(figsize=(LARGEUR, height), dpi=DPI)


def _save(fig: Figure, path: Path, shows: str) -> Path:
    """Lay the figure out once (labels, title and legend inside it: nothing clipped), draw it once and
    write an opaque PNG lightly compressed: `bbox_inches="tight"` laid the figure out and drew it once
    more, and compressing an RGBA picture at the default level took a sixth of the whole. The picture
    is kept in the cache under what it `shows`.

    Drawing is most of a report's time, and a COPIL pack is regenerated with mostly unchanged
    figures: each chart function first asks `_from_cache` for a chart showing what it would show
    (its kind, title, labels and figures, drawn by this code and this matplotlib)."""
    fig.tight_layout()
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    picture = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    picture.convert("RGB").save(path, format="PNG", compress_level=1, dpi=(DPI, DPI))
    _keep(path, _cached(shows))
    return path


def _cached(shows: str) -> Path:
    return CACHE / f"{hashlib.sha256(f'{_DRAWER}{shows}'.encode()).hexdigest()}.png"


def _from_cache(path: Path, shows: str) -> bool:
    """Copy the chart that shows the same from the cache to `path`, if there is one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(_cached(shows), path)
        os.utime(_cached(shows))  # recently used: kept when the cache is pruned
    except OSError:
        return False
    return True


def _keep(path: Path, cached: Path) -> None:
    """Put a copy in the cache (written aside, then renamed: never read half-written), and let the
    cache hold no more than `CACHE_SIZE` pictures; a cache that cannot be written is done without."""
    with contextlib.suppress(OSError):
        CACHE.mkdir(parents=True, exist_ok=True)
        aside = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(path, aside)
        os.replace(aside, cached)
        pictures = sorted(CACHE.glob("*.png"), key=lambda p: p.stat().st_mtime)
        for old in pictures[: max(0, len(pictures) - CACHE_SIZE)]:
            old.unlink(missing_ok=True)


def _etiquette(text: str, width: int = 36) -> str:
    """A long label on at most three lines, never cut."""
    return textwrap.fill(text, width, max_lines=3, placeholder=" …") if len(text) > width else text


def _titre(ax: Any, titre: str) -> None:
    """The title just above the axes: placed, not searched for (nothing is drawn above the axes)."""
    ax.set_title(textwrap.fill(titre, 70), fontsize=11, loc="left", y=1.0)


def barres(
    path: Path,
    titre: str,
    donnees: Sequence[tuple[str, Number]],
    lire: Callable[[Number], str],
    repere: str = "",
    unite: str = "",
) -> Graphique:
    """Horizontal bars, largest first, each labelled with its value. `repere` names the last bar
    when it is a comparison (drawn grey); `unite` names the horizontal axis."""
    labels = [label for label, _ in donnees]
    values = [float(v) for _, v in donnees]
    alt = f"Diagramme en barres « {titre} » : " + " ; ".join(f"{label} : {lire(v)}" for label, v in donnees) + "."
    shows = repr(("barres", alt, values, repere, unite))
    if _from_cache(path, shows):
        return Graphique(path, titre, alt)
    fig = _figure(0.5 * len(donnees) + 1.6)
    ax = fig.subplots()
    colours = [GRIS if repere and label == repere else BLEU for label in labels]
    ax.barh(range(len(labels)), values, color=colours)
    ax.set_yticks(range(len(labels)), [_etiquette(label) for label in labels], fontsize=9)
    if unite:
        ax.set_xlabel(unite, fontsize=9)
    ax.invert_yaxis()
    top = max(values, default=0) or 1
    for y, (value, raw) in enumerate(zip(values, (v for _, v in donnees), strict=True)):
        ax.text(value + top * 0.01, y, lire(raw), va="center", fontsize=8)
    ax.set_xlim(0, top * 1.25)
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))  # whole graduations: « 2 » never marks 1.5
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _graduation(x)))
    _titre(ax, titre)
    ax.spines[["top", "right"]].set_visible(False)
    return Graphique(_save(fig, path, shows), titre, alt)


def courbes(
    path: Path,
    titre: str,
    series: Mapping[str, Sequence[tuple[int, Number]]],
    lire: Callable[[Number], str],
    unite: str = "",
) -> Graphique:
    """One line per series over the years, the legend under the chart; `unite` names the vertical axis."""
    alt = (
        f"Courbes « {titre} » : "
        + " ; ".join(f"{label} : " + ", ".join(f"{x} {lire(y)}" for x, y in points) for label, points in series.items())
        + "."
    )
    drawn = {label: [(x, float(y)) for x, y in points] for label, points in series.items()}
    shows = repr(("courbes", alt, drawn, unite))
    if _from_cache(path, shows):
        return Graphique(path, titre, alt)
    fig = _figure(4.6)
    ax = fig.subplots()
    for k, (label, points) in enumerate(series.items()):
        style: dict[str, Any] = (
            {"color": GRIS, "linestyle": "--", "marker": "o"}
            if label.startswith("Communauté")
            else {"color": COULEURS[k % len(COULEURS)], "marker": MARQUES[k % len(MARQUES)]}
        )
        ax.plot([x for x, _ in points], [float(y) for _, y in points], label=_etiquette(label, 40), **style)
    if unite:
        ax.set_ylabel(unite, fontsize=9)
    ax.set_xlabel("Année", fontsize=9)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: _graduation(x)))
    years = sorted({x for points in series.values() for x, _ in points})
    ax.set_xticks(years)
    _titre(ax, titre)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return Graphique(_save(fig, path, shows), titre, alt)


def barres_groupees(
    path: Path,
    titre: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    lire: Callable[[Number], str],
    unite: str = "",
) -> Graphique:
    """Side-by-side horizontal bars per category (e.g. planned vs reached), the legend beside the bars."""
    alt = (
        f"Diagramme en barres groupées « {titre} » : "
        + " ; ".join(
            f"{c} : " + ", ".join(f"{label} {lire(values[i])}" for label, values in series.items())
            for i, c in enumerate(categories)
        )
        + "."
    )
    drawn = {label: [float(v) for v in values] for label, values in series.items()}
    shows = repr(("barres_groupees", alt, list(categories), drawn, unite))
    if _from_cache(path, shows):
        return Graphique(path, titre, alt)
    fig = _figure(0.5 * len(categories) + 1.6)
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
    ax.set_yticks(
        [i + height * (len(series) - 1) / 2 for i in range(len(categories))],
        [_etiquette(c, 44) for c in categories],
        fontsize=8,
    )
    if unite:
        ax.set_xlabel(unite, fontsize=9)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))  # whole graduations: « 2 » never marks 1.5
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _graduation(x)))
    _titre(ax, titre)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return Graphique(_save(fig, path, shows), titre, alt)
