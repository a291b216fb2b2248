"""Make scans the way partners do: print a filled form to PDF, rasterise it, tilt it, compress it.

`pdftoppm` renders the pages (grey levels, at the resolution asked); Pillow turns each page by a
small angle and compresses it as JPEG, like a phone photo or a cheap scanner, then gathers the pages
into a scanned PDF (no text layer), a multi-page TIFF, or one JPEG per page.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

from conftest import requires
from PIL import Image, ImageDraw, ImageFilter, ImageFont

JPEG_QUALITY = 70


def ocr_installed() -> bool:
    """Whether OCRmyPDF, Tesseract with its French data and pdftoppm are there."""
    if not shutil.which("ocrmypdf") or not shutil.which("pdftoppm") or not shutil.which("tesseract"):
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    return "fra" in langs.split()


needs_ocr = requires(ocr_installed(), "OCRmyPDF, Tesseract français ou pdftoppm absent (installés par run.py)")


def pages(pdf: Path, dpi: int, folder: Path, angle: float = 0.8) -> list[Image.Image]:
    """Return the pages of `pdf` rendered at `dpi`, each turned by about `angle` degrees and JPEG-compressed."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / f"{pdf.stem}-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)], check=True, timeout=300)
    found = sorted(folder.glob(f"{prefix.name}-*.png"))
    turned = []
    for number, path in enumerate(found):
        with Image.open(path) as page:
            tilt = angle if number % 2 == 0 else -angle * 0.7
            page = page.convert("L").rotate(tilt, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=245)
            turned.append(photographed(page))
        path.unlink()
    return turned


def photographed(page: Image.Image) -> Image.Image:
    """Return a page as a phone or a cheap scanner gives it: slightly blurred, grey paper, JPEG artefacts."""
    soft = page.filter(ImageFilter.GaussianBlur(0.6)).point(lambda v: min(v, 240))
    buffer = io.BytesIO()
    soft.save(buffer, "JPEG", quality=JPEG_QUALITY)
    buffer.seek(0)
    return Image.open(buffer)


def scanned_pdf(images: list[Image.Image], dpi: int, target: Path) -> Path:
    """Write the pages as a PDF of images only, as a scanner does."""
    images[0].save(target, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return target


def tiff(images: list[Image.Image], dpi: int, target: Path) -> Path:
    """Write the pages as one multi-page TIFF."""
    images[0].save(target, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=images[1:], compression="tiff_lzw")
    return target


def jpeg(image: Image.Image, target: Path) -> Path:
    image.save(target, "JPEG", quality=JPEG_QUALITY)
    return target


def blank_page(dpi: int, target: Path) -> Path:
    """Photograph a blank sheet: grey paper with a little noise and a shadow along one edge."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(page)
    rng = random.Random(18)
    for _ in range(400):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.point((x, y), fill=rng.randrange(180, 230))
    draw.rectangle((0, 0, width // 40, height), fill=200)
    return jpeg(photographed(page), target)


def not_a_form(dpi: int, target: Path) -> Path:
    """Photograph something that is not a form: a shop receipt in large print."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 240)
    draw = ImageDraw.Draw(page)
    face = font(round(dpi / 5))
    lines = [
        "BOULANGERIE DU MARCHÉ",
        "12 place des Héros, Arras",
        "",
        "Baguette tradition    1,20",
        "Croissant x4    4,40",
    ]
    lines += ["Tarte aux pommes    12,50", "", "TOTAL    18,10 EUR", "Merci de votre visite !"]
    for number, line in enumerate(lines):
        draw.text((dpi, dpi + number * dpi // 2), line, fill=20, font=face)
    return jpeg(photographed(page.rotate(2, fillcolor=240)), target)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return DejaVu Sans at `size` pixels (Pillow's own font when it is missing)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for path in (name, f"/usr/share/fonts/truetype/dejavu/{name}"):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)
