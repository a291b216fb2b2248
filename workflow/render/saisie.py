"""Make a rendered form one a partner fills without help: locked identity fields, placeholder text,
drop-down lists, a date picker, French control titles, and repeating sections Word's « + » extends.

Applied to the rendered document (the gabarit keeps plain text controls staff can edit in Word);
everything added here is read back by `workflow.ooxml.controls` and the extractors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from lxml import etree

from workflow.ooxml.blocks import sdt_tag
from workflow.ooxml.ns import W_SDT, W_SDTCONTENT, W_SDTPR, W_TR, W_VAL, qn
from workflow.referentiel import Referentiel
from workflow.render.mise_en_page import ensure_child

W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
PLACEHOLDER = "Cliquez ou appuyez ici pour entrer du texte."  # Word's own French wording: read back as empty
CHOICE = "Choisissez un élément."
LOCKED = ("organisme", "campagne", "association_nom")
REPEATING = ("interventions_structurantes", "agents_gouvernance", "objectifs", "cofinancements")
TITLES = {
    "interventions_structurantes": "Interventions structurantes",
    "agents_gouvernance": "Agents mobilisés dans la gouvernance",
    "engagements_2024_2030": "Engagements 2024-2030",
    "objectifs": "Objectifs stratégiques et opérationnels",
    "actions": "Actions",
    "action": "Action",
    "cofinancements": "Cofinancements",
    "indicateurs_suivi": "Indicateurs de suivi",
    "quartier:": "Quartier visé",
    "ambition:": "Ambition",
    "engagement:": "Engagement",
}
# what follows w:color among a run's properties (ECMA-376 sequence order)
_AFTER_COLOR = {
    *("spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText"),
    *("vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
}
# where an element goes among the children of w:sdtPr (ECMA-376 order: rPr, alias, tag, id, lock, placeholder…)
_PR_ORDER = ("rPr", "alias", "tag", "id", "lock", "placeholder", "temporary", "showingPlcHdr", "dataBinding", "label")


def own_form_marker(formulaire: str, version: int) -> str:
    """« cdv:questionnaire:v1 »: what tells our own form when it comes back (intake/recognise.py)."""
    return f"cdv:{formulaire}:v{version}"


def rendre_saisissable(document: Document, ref: Referentiel, marker: str = "") -> None:
    """Apply every aid to a rendered questionnaire or association form; `marker` in its identifier
    property (the subject is for people)."""
    if marker:
        document.core_properties.identifier = marker
    body = document.element.body
    _line_breaks(body)
    sdts = list(body.iter(W_SDT))
    for sdt in sdts:
        _title(sdt)
    _lists(sdts, ref)
    for sdt in sdts:
        tag = sdt_tag(sdt)
        if tag in LOCKED:
            _set(sdt.find(W_SDTPR), "lock", {"val": "sdtContentLocked"})
        elif tag == "date":
            _date_picker(sdt)
        if tag in REPEATING:
            _repeating_rows(sdt)
        elif tag == "actions":
            _repeating_blocks(sdt)
            _keep_blocks_whole(sdt)
    for sdt in sdts:
        _placeholder(sdt)
    _keep_choices_together(body)
    for tr in body.iter(W_TR):  # a row to fill is never cut in two by a page
        ensure_child(ensure_child(tr, "w:trPr", first=True), "w:cantSplit")
    _declare_w15(document.element)
    _french(document)


def _declare_w15(root: Any) -> None:
    """Declare Word 2012's namespace at the top and mark it ignorable, as Word does for older readers."""
    etree.cleanup_namespaces(root, top_nsmap={"w15": W15}, keep_ns_prefixes=[p for p in root.nsmap if p])
    ignorable = qn("mc:Ignorable")
    prefixes = (root.get(ignorable) or "").split()
    if "w15" not in prefixes:
        root.set(ignorable, " ".join([*prefixes, "w15"]))


def _line_breaks(body: Any) -> None:
    """A value written on several lines keeps its lines: Word shows a newline inside w:t as a space."""
    for br in list(body.iter(qn("w:br"))):
        _rich(br)
    for text in list(body.iter(qn("w:t"))):
        if not text.text or "\n" not in text.text:
            continue
        _rich(text)
        first, *rest = text.text.split("\n")
        text.text = first
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        anchor = text
        for line in rest:
            br = OxmlElement("w:br")
            anchor.addnext(br)
            following = OxmlElement("w:t")
            following.text = line
            following.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            br.addnext(following)
            anchor = following


def _rich(text: Any) -> None:
    """A control holding line breaks becomes a rich-text one: LibreOffice drops breaks in plain-text controls."""
    sdt = next((a for a in text.iterancestors() if a.tag == W_SDT), None)
    pr = sdt.find(W_SDTPR) if sdt is not None else None
    if pr is not None:
        for plain in pr.findall(qn("w:text")):
            pr.remove(plain)


# --- titles, locks, placeholders ---------------------------------------------------------------------


def _title(sdt: Any) -> None:
    """Give a control a French title wherever it would show an identifier."""
    pr = sdt.find(W_SDTPR)
    tag = sdt_tag(sdt)
    alias = pr.find(qn("w:alias")) if pr is not None else None
    current = alias.get(W_VAL, "") if alias is not None else ""
    if pr is None or (current and current != tag):
        return
    title = TITLES.get(tag) or next((t for p, t in TITLES.items() if p.endswith(":") and tag.startswith(p)), "")
    if title:
        _set(pr, "alias", {"val": title})


def _placeholder(sdt: Any) -> None:
    """An empty text or list control shows Word's grey prompt, read back as empty."""
    pr = sdt.find(W_SDTPR)
    kinds = {child.tag for child in pr} if pr is not None else set()
    if pr is None or not kinds & {qn("w:text"), qn("w:comboBox"), qn("w:dropDownList"), qn("w:date")}:
        return
    content = sdt.find(W_SDTCONTENT)
    runs = list(content.iter(qn("w:r"))) if content is not None else []
    if not runs or "".join(t.text or "" for r in runs for t in r.iter(qn("w:t"))).strip():
        return
    text = CHOICE if qn("w:dropDownList") in kinds else PLACEHOLDER
    first = runs[0]
    for extra in runs[1:]:
        extra.getparent().remove(extra)
    for old in first.findall(qn("w:t")):
        first.remove(old)
    rpr = first.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        first.insert(0, rpr)
    colour = OxmlElement("w:color")
    colour.set(W_VAL, "808080")
    for old in rpr.findall(qn("w:color")):
        rpr.remove(old)
    after = next((c for c in rpr if etree.QName(c).localname in _AFTER_COLOR), None)
    if after is None:
        rpr.append(colour)
    else:
        after.addprevious(colour)
    t = OxmlElement("w:t")
    t.text = text
    first.append(t)
    _set(pr, "showingPlcHdr", {})


# --- drop-down lists and the date picker ---------------------------------------------------------------


def _lists(sdts: Iterable[Any], ref: Referentiel) -> None:
    ambitions = [a.libelle for a in ref.ambitions]
    os_numbers = sorted({str(os_.numero) for a in ref.ambitions for os_ in a.objectifs_strategiques})
    oo_codes = sorted({oo.printed_code for _, _, oo in ref.iter_oo()}, key=lambda c: (len(c), c))
    choices = {"ambition": ambitions, "os": os_numbers, "oo": oo_codes}
    for sdt in sdts:
        tag = sdt_tag(sdt)
        if tag in choices:
            _choice(sdt, "comboBox", choices[tag])  # free entry stays possible: a mislabelled code is kept
        elif tag == "demande_cpo":
            _choice(sdt, "dropDownList", ["oui", "non"])


def _choice(sdt: Any, kind: str, items: list[str]) -> None:
    pr = sdt.find(W_SDTPR)
    for old in pr.findall(qn("w:text")):
        pr.remove(old)
    box = OxmlElement(f"w:{kind}")
    for item in items:
        entry = OxmlElement("w:listItem")
        entry.set(qn("w:displayText"), item)
        entry.set(qn("w:value"), item)
        box.append(entry)
    pr.append(box)


def _date_picker(sdt: Any) -> None:
    pr = sdt.find(W_SDTPR)
    for old in pr.findall(qn("w:text")):
        pr.remove(old)
    picker = OxmlElement("w:date")
    value = "".join(sdt.find(W_SDTCONTENT).itertext()).strip()
    if day := _day(value):
        picker.set(qn("w:fullDate"), f"{day.isoformat()}T00:00:00Z")
    for name, val in (("dateFormat", "dd/MM/yyyy"), ("lid", "fr-FR"), ("storeMappedDataAs", "dateTime")):
        child = OxmlElement(f"w:{name}")
        child.set(W_VAL, val)
        picker.append(child)
    calendar = OxmlElement("w:calendar")
    calendar.set(W_VAL, "gregorian")
    picker.append(calendar)
    pr.append(picker)


def _day(value: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if not match:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


# --- repeating sections ------------------------------------------------------------------------------


def _repeating_rows(container: Any) -> None:
    """Wrap the data rows of the container's table in a repeating section, one item per row."""
    rows = [tr for tr in container.iter(W_TR) if _row_has_control(tr, container)]
    if not rows:
        return
    section = _sdt("repeatingSection")
    rows[0].addprevious(section)
    for tr in rows:
        item = _sdt("repeatingSectionItem")
        item.find(W_SDTCONTENT).append(tr)
        section.find(W_SDTCONTENT).append(item)


def _row_has_control(tr: Any, container: Any) -> bool:
    """A row holding controls, in the container's own table (not one nested in another control)."""
    nearest = next((a for a in tr.iterancestors() if a.tag == W_SDT), None)
    return nearest is container and tr.find(".//" + W_SDT) is not None


def _repeating_blocks(container: Any) -> None:
    """The association's actions: the container is the section, each action block an item."""
    _set(container.find(W_SDTPR), "w15:repeatingSection", {})
    for sdt in container.find(W_SDTCONTENT).iter(W_SDT):
        if sdt_tag(sdt) == "action":
            _set(sdt.find(W_SDTPR), "w15:repeatingSectionItem", {})


def _keep_blocks_whole(container: Any) -> None:
    """Each action block (its title, its table, its co-funding rows) stays on one page, and the
    paragraph just before the actions stays with the first block: no table cut in two, no heading
    left alone at the foot of a page. Only paragraph and row properties: nothing the readers see."""
    before = container.getprevious()
    if before is not None and before.tag == qn("w:p"):
        ensure_child(ensure_child(before, "w:pPr", first=True), "w:keepNext")
    for sdt in container.find(W_SDTCONTENT).iter(W_SDT):
        if sdt_tag(sdt) != "action":
            continue
        for paragraph in list(sdt.iter(qn("w:p")))[:-1]:
            ensure_child(ensure_child(paragraph, "w:pPr", first=True), "w:keepNext")


def _keep_choices_together(body: Any) -> None:
    """Consecutive lines to fill (boxes to tick for quarters, ambitions or commitments; the CPO's
    two questions; the signature's place, date and name) stay on one page with their heading."""
    for paragraph in body.iterchildren(qn("w:p")):
        following = paragraph.getnext()
        if _holds_control(paragraph) and following is not None and _holds_control(following):
            ensure_child(ensure_child(paragraph, "w:pPr", first=True), "w:keepNext")


def _holds_control(element: Any) -> bool:
    return element.tag == qn("w:p") and next(element.iter(W_SDT), None) is not None


def _sdt(w15: str) -> Any:
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    pr.append(etree.Element(f"{{{W15}}}{w15}", nsmap={"w15": W15}))
    sdt.append(pr)
    sdt.append(OxmlElement("w:sdtContent"))
    return sdt


# --- shared -------------------------------------------------------------------------------------------


def _set(pr: Any, name: str, attributes: dict[str, str]) -> None:
    """Set one child of a control's properties, in the place the schema gives it."""
    if name.startswith("w15:"):
        tag = f"{{{W15}}}{name[4:]}"
        if pr.find(tag) is None:
            pr.append(etree.Element(tag, nsmap={"w15": W15}))
        return
    old = pr.find(qn(f"w:{name}"))
    if old is not None:
        pr.remove(old)
    element = OxmlElement(f"w:{name}")
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    rank = _PR_ORDER.index(name) if name in _PR_ORDER else len(_PR_ORDER)
    after = next(
        (
            c
            for c in pr
            if etree.QName(c).localname in _PR_ORDER[rank + 1 :] or etree.QName(c).localname not in _PR_ORDER
        ),
        None,
    )
    if after is None:
        pr.append(element)
    else:
        after.addprevious(element)


def _french(document: Document) -> None:
    """Set the document's language to fr-FR (styles' defaults) when the template did not."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None and rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(W_VAL, "fr-FR")
        rpr.append(lang)
