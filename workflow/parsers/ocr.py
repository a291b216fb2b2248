"""Read scans and photos: OCRmyPDF (Tesseract, French) gives them a text layer, then the PDF reader reads it.

A PDF without text (a scan) and a JPEG, PNG or TIFF image (wrapped into an A4 PDF first) are
deskewed, turned upright and OCR'd by the `ocrmypdf` command in a private folder, under a time
limit, within the worker's memory ceiling (the child processes inherit it). The OCR'd PDF is then
read by `read_pdf` like any other PDF, with what the page images show and OCR does not read:
table rules (to find the tables) and tick boxes (« ☒ » ticked, « ☐ » empty).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from workflow.parsers import OCR_TIMEOUT, scanimage
from workflow.parsers.base import Contenu, Illisible, Motif, trop_volumineux
from workflow.parsers.pdf import PageHints, read_pdf
from workflow.parsers.scanwords import line_strokes, regular_stroke, scanned_words

MAX_OCR_PAGES = 12  # a form is 3 or 4 pages; a longer scan is not a form returned to us
MAX_PIXELS = 60_000_000  # pixels of one image (a 48 Mpx phone photo passes, a poster does not)
MAX_TOTAL_PIXELS = 150_000_000  # pixels of all the pages of a multi-page TIFF (12 A4 pages at 300 dpi: 105 M)
MAX_PAGE_SIDE_IN = 17.0  # inches: A3 and smaller pages
ANALYSIS_DPI = 200  # resolution at which page images are searched for rules and boxes
A4_IN = (8.27, 11.69)
LANGUAGE = "fra"
PROMPT_MISREAD = re.compile(r"(?i)cliquez\s+o[uù]\s+appuyez")  # Word's prompt, « ou » often read « où »
ROTATE_CONFIDENCE = 5  # Tesseract's orientation confidence to turn a page (its default, 14, leaves a page on its side)


def read_scanned_pdf(path: Path) -> Contenu:
    """Return the content of a PDF without text, read by OCR."""
    _check_pdf(path)
    with tempfile.TemporaryDirectory(prefix="cdv-ocr-") as tmp:
        source = Path(tmp) / "scan.pdf"
        shutil.copyfile(path, source)
        return _read_ocr(source, Path(tmp))


def read_image(path: Path) -> Contenu:
    """Return the content of a JPEG, PNG or TIFF image (a scan, a phone photo), read by OCR."""
    with tempfile.TemporaryDirectory(prefix="cdv-ocr-") as tmp:
        return _read_ocr(_as_pdf(path, Path(tmp) / "image.pdf"), Path(tmp))


def _read_ocr(source: Path, folder: Path) -> Contenu:
    ocred = folder / "ocr.pdf"
    _ocrmypdf(source, ocred)
    try:
        contenu = read_pdf(ocred, page_hints(ocred))
    except Illisible as e:
        if e.motif is not Motif.SANS_TEXTE:
            raise
        raise Illisible(
            Motif.SANS_TEXTE,
            "document scanné sans texte lisible : la reconnaissance de caractères n'y a trouvé aucun texte "
            "(page blanche, photo floue ou trop sombre) ; demander au partenaire le document d'origine",
        ) from e
    units = tuple(replace(u, text=PROMPT_MISREAD.sub("Cliquez ou appuyez", u.text)) for u in contenu.units)
    return replace(contenu, units=units, ocr_pdf=ocred.read_bytes())


def _ocrmypdf(source: Path, target: Path) -> None:
    """Give `source` a text layer in `target` (deskewed, pages turned upright), or raise `Illisible`."""
    command = shutil.which("ocrmypdf")
    if command is None:
        raise Illisible(
            Motif.TYPE_NON_PRIS_EN_CHARGE,
            "document scanné ou photographié : OCRmyPDF, nécessaire pour le lire, n'est pas installé sur ce "
            "poste (la mise en place « python3 run.py » l'installe)",
        )
    args = [command, "-l", LANGUAGE, "--deskew", "--rotate-pages", "--rotate-pages-threshold", str(ROTATE_CONFIDENCE)]
    args += ["--jobs", "1", "--output-type", "pdf"]
    args += ["--optimize", "0", "--quiet", "--", str(source), str(target)]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}  # Debian's own Python
    env["OMP_THREAD_LIMIT"] = "1"  # Tesseract's threads would fight over the cores
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        _, errors = process.communicate(timeout=OCR_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # Tesseract and Ghostscript with it
        process.communicate()
        raise trop_volumineux(
            f"sa reconnaissance de caractères dépasse la limite de temps de {OCR_TIMEOUT} s"
        ) from None
    if process.returncode != 0 or not target.exists():
        raise _failure(process.returncode, errors.decode("utf-8", "replace"))


def _failure(code: int, errors: str) -> Illisible:
    """Return the refusal matching an OCRmyPDF exit code (its documented codes)."""
    if code == 8:
        return Illisible(Motif.CHIFFRE, "PDF protégé par un mot de passe")
    if (code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV)) or "MemoryError" in errors:
        return trop_volumineux("sa reconnaissance de caractères dépasse la limite de mémoire du lecteur")
    if code == 3:
        return Illisible(
            Motif.TYPE_NON_PRIS_EN_CHARGE,
            "document scanné : Tesseract ou sa langue française, nécessaires pour le lire, manquent sur ce poste "
            "(la mise en place « python3 run.py » les installe)",
        )
    return Illisible(Motif.CORROMPU, "document scanné illisible : la reconnaissance de caractères a échoué")


def _check_pdf(path: Path) -> None:
    """Refuse a scan over the OCR limits (pages, page size, pixels) before any OCR."""
    try:
        reader = PdfReader(str(path), strict=False)
        pages = len(reader.pages)
        if pages > MAX_OCR_PAGES:
            raise trop_volumineux(f"{pages} pages scannées, au-delà de la limite de {MAX_OCR_PAGES} pages")
        for number, page in enumerate(reader.pages, start=1):
            _check_page(number, float(page.mediabox.width) / 72, float(page.mediabox.height) / 72)
            for image in _image_sizes(page):
                _check_pixels(image, f"l'image de la page {number}")
    except Illisible:
        raise
    except MemoryError:
        raise
    except Exception:  # damaged: OCRmyPDF says so in its own way
        return


def _image_sizes(page: object) -> list[int]:
    resources = page.get("/Resources")  # type: ignore[attr-defined]
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    sizes = []
    for ref in xobjects.get_object().values() if xobjects is not None else []:
        image = ref.get_object()
        if image.get("/Subtype") == "/Image":
            sizes.append(int(image.get("/Width", 0)) * int(image.get("/Height", 0)))
    return sizes


def _check_page(number: int, width_in: float, height_in: float) -> None:
    if max(width_in, height_in) > MAX_PAGE_SIDE_IN:
        raise trop_volumineux(
            f"la page {number} mesure {width_in * 2.54:.0f} × {height_in * 2.54:.0f} cm, au-delà du format A3"
        )


def _check_pixels(pixels: int, what: str) -> None:
    if pixels > MAX_PIXELS:
        raise trop_volumineux(
            f"{what} compte {pixels / 1e6:.0f} millions de pixels, au-delà de la limite de {MAX_PIXELS // 1_000_000} "
            "millions"
        )


def _as_pdf(path: Path, target: Path) -> Path:
    """Wrap an image (each frame of a TIFF) into a PDF whose pages are A4 at the image's resolution."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the pixels are counted below
            return _frames_as_pdf(path, target)
    except Image.DecompressionBombError as e:
        raise trop_volumineux(f"l'image dépasse la limite de {MAX_PIXELS // 1_000_000} millions de pixels") from e


def _frames_as_pdf(path: Path, target: Path) -> Path:
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > MAX_OCR_PAGES:
                raise trop_volumineux(f"{frames} pages scannées, au-delà de la limite de {MAX_OCR_PAGES} pages")
            pages, total = [], 0
            for index in range(frames):
                image.seek(index)
                _check_pixels(image.width * image.height, "l'image")
                total += image.width * image.height
                if total > MAX_TOTAL_PIXELS:
                    raise trop_volumineux(
                        f"ses pages comptent plus de {MAX_TOTAL_PIXELS // 1_000_000} millions de pixels en tout"
                    )
                pages.append(_upright(image))
    except Illisible:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as e:
        raise Illisible(Motif.CORROMPU, "image endommagée ou illisible") from e
    dpi = max(_fit_a4(page) for page in pages)
    pages[0].save(target, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return target


def _upright(frame: Image.Image) -> Image.Image:
    """Return a frame in grey levels (all OCR needs, a third of colour's memory), turned as its EXIF
    orientation says (phone photos)."""
    turned = ImageOps.exif_transpose(frame) or frame
    return turned.convert("L")


def _fit_a4(image: Image.Image) -> float:
    """Return the resolution at which the image fills an A4 page (portrait or landscape)."""
    short, long = sorted(image.size)
    return max(short / A4_IN[0], long / A4_IN[1], 72.0)


def page_hints(pdf: Path) -> dict[int, PageHints]:
    """Return, by page number, the OCR'd pages' words and table rules, as their images show them."""
    pages, strokes, boxes, rules = [], [], [], []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        with pdfplumber.open(pdf) as plumbed:
            for number, page in enumerate(plumbed.pages[:MAX_OCR_PAGES]):
                grey = document[number].render(scale=ANALYSIS_DPI / 72, grayscale=True).to_pil().convert("L")
                mask = scanimage.ink(np.asarray(grey))
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
                pages.append(words)
                strokes.append(line_strokes(words, mask, ANALYSIS_DPI))
                boxes.append(scanimage.boxes(mask, ANALYSIS_DPI))
                rules.append(tuple(scanimage.rules(mask, ANALYSIS_DPI)))
    finally:
        document.close()
    regular = regular_stroke(pages, strokes)
    return {
        number: PageHints(scanned_words(words, page_strokes, regular, page_boxes), page_rules)
        for number, (words, page_strokes, page_boxes, page_rules) in enumerate(
            zip(pages, strokes, boxes, rules, strict=True), start=1
        )
    }
