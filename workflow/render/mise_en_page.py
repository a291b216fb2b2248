"""Finish a rendered document the way an official annex must look: French typography in every text,
language fr-FR, real core properties, table rows that never split, repeated header rows, numbers
right-aligned, headings and table titles kept with what follows, fields updated on opening."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from workflow.render.typographie import typographie

AUTEUR = "Communauté Urbaine d'Arras"
LANGUE = "fr-FR"
NOMBRE = re.compile(r"^[−\-+]?\d[\d \u00a0\u202f.,]*(?:[\u00a0 ]?(?:€|%|k€|M€))?$|^—$")
_W_T, _W_P, _W_SDT, _W_TBL = qn("w:t"), qn("w:p"), qn("w:sdt"), qn("w:tbl")
_STYLE = f"{qn('w:pPr')}/{qn('w:pStyle')}"
_BREAKS = f"{qn('w:r')}/{qn('w:br')}"
_LEAD = re.compile(r"^[ \u00a0\u202f\t]*([;:!?»])")


def finir(document: Document, titre: str = "", sujet: str = "") -> None:
    """Apply every finishing step to a rendered document (idempotent). A form (a document with
    content controls) gets its language, properties and the typography of its own text (labels,
    questions, instructions; what its controls hold stays as typed): its layout stays as its
    gabarit sets it, and the parsers read its labels back whatever their spaces and apostrophes."""
    langue(document)
    proprietes(document, titre or _premier_titre(document), sujet)
    for part in _parts(document):
        typographier(part)
    if document.element.body.find(f".//{_W_SDT}") is not None:
        return
    sauts_de_page(document)
    tableaux(document)
    garder_avec_suivant(document)
    if any("TOC" in (e.text or "") for e in document.element.body.iter(qn("w:instrText"))):
        mettre_a_jour_champs(document)


def _parts(document: Document) -> Iterator[etree._Element]:
    """The body, then every header and footer (docxtpl replaces their parts: read the relations)."""
    yield document.element.body
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            element = getattr(rel.target_part, "element", None)
            if element is not None:
                yield element


def typographier(root: etree._Element) -> None:
    """French typography in every paragraph's text, across runs, content controls left as typed."""
    typed = set(root.iterfind(f".//{_W_SDT}//{_W_T}"))  # what the content controls hold
    for paragraph in root.iter(_W_P):
        texts = [t for t in paragraph.iter(_W_T) if t not in typed]
        previous, previous_text = None, ""  # the text last written, kept: lxml decodes it anew at each read
        for t in texts:
            read = t.text
            if not read:
                continue
            lead = _LEAD.match(read)
            text = read
            if previous is not None and previous_text and lead:  # « Nom » then « : fonction » in two runs
                previous.text = previous_text.rstrip(" \u00a0\u202f\t")
                text = ("\u00a0" if lead.group(1) == ":" else "\u202f") + text[lead.start(1) :]
            elif previous_text.endswith("«\u202f"):
                text = text.lstrip(" \u00a0\t")
            text = typographie(text)
            if text != read:
                t.text = text
            if text != text.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            previous, previous_text = t, text


def langue(document: Document, code: str = LANGUE) -> None:
    """Declare `code` as the language of the whole document (Word's spell-checker follows it)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = ensure_child(defaults, "w:rPrDefault")
    rpr = ensure_child(rpr_default, "w:rPr")
    lang = ensure_child(rpr, "w:lang")
    lang.set(qn("w:val"), code)
    lang.set(qn("w:bidi"), "ar-SA")
    for root in (styles, document.element.body, *[p for p in _parts(document)][1:]):
        for e in root.iter(qn("w:lang")):
            if e.get(qn("w:val")) and e.get(qn("w:val")) != code:
                e.set(qn("w:val"), code)
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), code)


def proprietes(document: Document, titre: str, sujet: str = "") -> None:
    """Write real core properties: title, subject, author, dates of now."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props = document.core_properties
    props.title = titre[:250]
    props.subject = sujet or "Contrat de ville « Cœur de Quartier » 2024-2030"
    props.author = AUTEUR
    props.last_modified_by = AUTEUR
    props.language = LANGUE
    props.keywords = ""  # LibreOffice splits keywords at every space: the subject says it
    props.comments = ""
    props.category = "Contrat de ville"
    props.created = now
    props.modified = now
    props.revision = 1


def _premier_titre(document: Document) -> str:
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    titled = [p for p in paragraphs if p.style is not None and p.style.name in ("Title", "Heading 1")]
    return (titled or paragraphs)[0].text.strip() if paragraphs else ""


def tableaux(document: Document) -> None:
    """Rows kept whole, the first row repeated on each page, numeric columns right-aligned."""
    for table in document.element.body.iter(_W_TBL):
        rows = [r for r in table.iterchildren(qn("w:tr"))]
        for i, row in enumerate(rows):
            trpr = ensure_child(row, "w:trPr", first=True)
            ensure_child(trpr, "w:cantSplit")
            if i == 0 and len(rows) > 2:
                ensure_child(trpr, "w:tblHeader")
        if len(rows) > 3:  # the last row (a total) never sits alone at the top of a page, and the
            # header never with a single row at the foot of one
            for row in (rows[0], rows[1], rows[-2]) if len(rows) > 4 else (rows[0], rows[-2]):
                for p in row.iter(_W_P):
                    ensure_child(ensure_child(p, "w:pPr", first=True), "w:keepNext")
        _aligner_nombres(rows)


def _aligner_nombres(rows: list[etree._Element]) -> None:
    grid = [[c for c in row.iterchildren(qn("w:tc"))] for row in rows]
    width = max((len(r) for r in grid), default=0)
    for col in range(width):
        cells = [r[col] for r in grid[1:] if len(r) == width]
        texts = [_texte(c) for c in cells]
        numeric = [c for c, t in zip(cells, texts, strict=True) if t and NOMBRE.match(t)]
        if not numeric:
            continue
        for cell in numeric:
            _droite(cell)
        if len(numeric) == len([t for t in texts if t]) and grid and len(grid[0]) == width:
            _droite(grid[0][col])


def _texte(cell: etree._Element) -> str:
    return "".join(t.text or "" for t in cell.iter(_W_T)).strip()


def _droite(cell: etree._Element) -> None:
    for p in cell.iter(_W_P):
        ppr = ensure_child(p, "w:pPr", first=True)
        jc = ensure_child(ppr, "w:jc")
        jc.set(qn("w:val"), "right")


def garder_avec_suivant(document: Document) -> None:
    """Headings keep with the next paragraph, and so do the paragraph just before a table, a short
    paragraph between two headings (a section's summary stays with its first subsection) and a
    heading's short first paragraph (« Objet évalué : … » stays with what it introduces)."""
    children = list(document.element.body.iterchildren())
    titles = [False, *(_titre(child) for child in children), False]  # each child's neighbours are read too
    for i, child in enumerate(children):
        if child.tag == _W_P:
            if titles[i + 1] or (titles[i] and (titles[i + 2] or _court(child))):
                ensure_child(ensure_child(child, "w:pPr", first=True), "w:keepNext")
        elif child.tag == _W_TBL and i > 0:
            before = children[i - 1]
            if before.tag == _W_P and "".join(t.text or "" for t in before.iter(_W_T)):
                ensure_child(ensure_child(before, "w:pPr", first=True), "w:keepNext")


def _court(paragraph: etree._Element) -> bool:
    """A paragraph of two lines at most, followed by another paragraph."""
    following = paragraph.getnext()
    text = "".join(t.text or "" for t in paragraph.iter(_W_T))
    return 0 < len(text) <= 200 and following is not None and following.tag == _W_P


def _titre(element: etree._Element) -> bool:
    if element.tag != _W_P:
        return False
    style = element.find(_STYLE)
    return style is not None and style.get(qn("w:val"), "").startswith(("Heading", "Titre"))


def sauts_de_page(document: Document) -> None:
    """Turn a paragraph holding only a page break into « page break before » on the paragraph that
    follows: when the text before fills its page, the break no longer leaves a blank page."""
    for paragraph in list(document.element.body.iterchildren(_W_P)):
        following = paragraph.getnext()
        breaks = paragraph.findall(_BREAKS)
        if following is None or following.tag != _W_P or len(breaks) != 1 or breaks[0].get(qn("w:type")) != "page":
            continue
        if "".join(t.text or "" for t in paragraph.iter(_W_T)) or paragraph.find(f".//{qn('w:drawing')}") is not None:
            continue
        if paragraph.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            ensure_child(ensure_child(following, "w:pPr", first=True), "w:pageBreakBefore")
            paragraph.getparent().remove(paragraph)


def mettre_a_jour_champs(document: Document) -> None:
    """Ask Word to update the fields (table of contents) when the document is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert(0, update)


# OOXML fixes the order of the children of pPr, trPr and rPr (Word refuses another order).
_ORDERS = {
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "w:trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc "
    "hidden ins del trPrChange",
    "w:rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "w:docDefaults": "rPrDefault pPrDefault",
    "w:rPrDefault": "rPr",
}


@functools.cache
def _rangs(parent: str) -> tuple[dict[str, int], int]:
    """The schema rank of each child of `parent` (a local name), and the rank of an unlisted one."""
    order = _ORDERS.get("w:" + parent, "").split()
    return {name: order.index(name) for name in order}, len(order)


def _local(element: etree._Element) -> str:
    return str(element.tag).rpartition("}")[2]


_qn = functools.cache(qn)  # asked for thousands of times per document


def ensure_child(parent: etree._Element, tag: str, first: bool = False) -> etree._Element:
    """Return the `tag` child of `parent`, created at its schema position when missing."""
    found = parent.find(_qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    if first:
        parent.insert(0, element)
        return element
    ranks, unlisted = _rangs(_local(parent))
    rank = ranks.get(tag.split(":")[1], unlisted)
    for i, sibling in enumerate(parent):
        if ranks.get(_local(sibling), unlisted) > rank:
            parent.insert(i, element)
            return element
    parent.append(element)
    return element
