"""The logo of the cover pages: a picture staff drop beside the gabarits, or a neutral placeholder.

The cover pages of the annexes and of the evaluation report are in their gabarits (title,
contract, date, issuing service); their `{{ logo }}` is filled here. Staff replace the logo by
putting `logo.png` (or `logo.jpg`) in the workspace's `gabarits/` folder; without one, a neutral
frame bearing the issuer's name keeps the slot's place so the page looks the same.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from pathlib import Path
from typing import BinaryIO

from docx.shared import Cm

FICHIERS = ("logo.png", "logo.jpg", "logo.jpeg")
LARGEUR = Cm(5)
EMETTEUR = "Communauté Urbaine d’Arras"


def fichier_logo(gabarits: Path) -> Path | None:
    """Return the logo staff put in `gabarits` (the first of FICHIERS present), or None."""
    return next((gabarits / name for name in FICHIERS if (gabarits / name).is_file()), None)


def logo(gabarits: Path) -> tuple[Path | BinaryIO, str]:
    """Return the cover's logo and its alt text: the staff's picture, else the neutral placeholder."""
    found = fichier_logo(gabarits)
    if found is not None:
        return found, f"Logo de la {EMETTEUR}"
    return io.BytesIO(emplacement_neutre()), EMETTEUR


@functools.cache
def emplacement_neutre(width: int = 600, height: int = 240) -> bytes:
    """Return a PNG of the neutral placeholder: a thin grey frame with the issuer's name (drawn once
    per process: every cover of a batch of documents shows the same)."""
    from PIL import Image as Picture
    from PIL import ImageDraw, ImageFont

    picture = Picture.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((1, 1, width - 2, height - 2), outline=(191, 191, 191), width=3)
    font = ImageFont.truetype(str(_police()), 34)
    box = draw.textbbox((0, 0), EMETTEUR, font=font)
    x, y = (width - (box[2] - box[0])) // 2, (height - (box[3] - box[1])) // 2 - box[1]
    draw.text((x, y), EMETTEUR, fill=(128, 128, 128), font=font)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _police() -> Path:
    """matplotlib's DejaVu Sans, found without importing matplotlib: its import is most of the start-up
    of a command that writes an annex."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("matplotlib")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
