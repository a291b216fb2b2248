"""Walk a WordprocessingML story into paragraphs and tables, in reading order.

python-docx's `Document.paragraphs` misses text inside content controls, text boxes, nested
tables and tracked insertions; this walker sees them all and skips deleted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from workflow.ooxml.ns import W_P, W_SDT, W_SDTCONTENT, W_TBL, W_TC, W_TR, W_VAL, first_child, qn
from workflow.text import normalise

PLACEHOLDER_TEXTS = (  # Word's prompts in an empty control, normalised: no answer
    "cliquez ou appuyez ici pour entrer du texte",
    "cliquez ici pour taper du texte",
    "cliquez ici pour entrer du texte",
    "click or tap here to enter text",
    "click here to enter text",
    "choisissez un element",
    "choose an item",
)
# the same prompts as printed, left as plain text when a partner deleted the control around them
_PROMPT = re.compile(
    r"(?i)(cliquez ou appuyez ici pour entrer du texte|cliquez ici pour (?:taper|entrer) du texte"
    r"|click or tap here to enter text|click here to enter text|choisissez un élément|choose an item)\.?".replace(
        " ", r"\s+"
    )
)


def without_prompts(text: str) -> str:
    """Remove Word's placeholder prompts from a text (a PDF or ODT print of an empty form field)."""
    lowered = text.lower()
    if "cl" not in lowered and "ch" not in lowered:  # every prompt starts so: most texts are left at once
        return text
    return _PROMPT.sub("", text)


CHECKED_GLYPHS = frozenset("☒☑✔✓✗✘■▣●◉")  # « ● » a filled dot: chosen (« ○ » not)
UNCHECKED_GLYPHS = frozenset("☐□◻❑○◯")

_SKIP_IN_TEXT = {
    qn("w:del"),
    qn("w:sdtPr"),
    qn("w:moveFrom"),
    qn("w:instrText"),
    qn("w:delText"),
    qn("w:rPr"),
    qn("w:pPr"),
}
_DRAWINGS = {qn("w:drawing"), qn("w:pict"), qn("mc:AlternateContent"), qn("w:object")}
_SKIPPED = frozenset(_SKIP_IN_TEXT | _DRAWINGS)
_TXBX = qn("w:txbxContent")
_FLDCHAR = qn("w:fldChar")
_FLDTYPE = qn("w:fldCharType")
_T, _TAB, _NOBREAK, _SYM = qn("w:t"), qn("w:tab"), qn("w:noBreakHyphen"), qn("w:sym")
_BREAKS = {qn("w:br"), qn("w:cr")}
_R, _RPR, _VAL, _HIDING = qn("w:r"), qn("w:rPr"), qn("w:val"), (qn("w:strike"), qn("w:dstrike"), qn("w:vanish"))
_TRANSPARENT = {qn("w:ins"), qn("w:moveTo"), qn("w:customXml"), qn("w:smartTag")}
_SDTPR, _TAG_OR_ALIAS = qn("w:sdtPr"), (qn("w:tag"), qn("w:alias"))
_PPR, _PSTYLE, _NUMPR = qn("w:pPr"), qn("w:pStyle"), qn("w:numPr")
_SHOWING_PLACEHOLDER, _CHAR = qn("w:showingPlcHdr"), qn("w:char")


@dataclass(eq=False)
class Paragraph:
    """A paragraph's visible text and what a reader needs to interpret it."""

    text: str
    style: str
    is_list: bool
    element: Any
    controls: tuple[str, ...] = ()  # tags of the content controls enclosing it, outermost first
    bold: bool = False  # every run holding text is bold


@dataclass(eq=False)
class Table:
    """A table as rows of cells; each cell holds its own blocks (nested tables included)."""

    rows: list[list[list[Block]]] = field(default_factory=list)
    element: Any = None
    controls: tuple[str, ...] = ()
    bands: dict[int, list[Block]] = field(default_factory=dict)  # row index → the section band it opens


Block = Paragraph | Table


Texts = dict[Any, str]  # element → its text as `paragraph_text` reads it, kept by one reading


def walk(container: Any, controls: tuple[str, ...] = (), texts: Texts | None = None) -> Iterator[Block]:
    """Yield the blocks of a story element (body, header, cell, text box) in order; `texts`, when
    given, receives the text read of each paragraph and of each control's content met."""
    for child in container:
        tag = child.tag
        if tag == W_P:
            yield _paragraph(child, controls, texts)
            yield from _text_boxes(child, controls, texts)
        elif tag == W_TBL:
            yield _table(child, controls, texts)
        elif tag == W_SDT:
            content = first_child(child, W_SDTCONTENT)
            if content is not None:
                yield from walk(content, (*controls, sdt_tag(child)), texts)
        elif tag in _TRANSPARENT:
            yield from walk(child, controls, texts)


def _table(tbl: Any, controls: tuple[str, ...], texts: Texts | None) -> Table:
    table = Table(element=tbl, controls=controls)
    for tr in _iter_rows(tbl):
        row: list[list[Block]] = []
        for tc in _iter_cells(tr):
            span = next((g for pr in tc.iterchildren(_TCPR) for g in pr.iterchildren(_GRIDSPAN)), None)
            cell = [] if _merged_above(tc) else list(walk(tc, controls, texts))
            row.append(cell)
            extra = int(span.get(W_VAL, "1")) - 1 if span is not None else 0
            row.extend([] for _ in range(max(0, min(extra, 50))))
        if len(row) > 2 and _is_band(next(_iter_cells(tr))):
            table.bands[len(table.rows)], row[0] = row[0], []
        table.rows.append(row)
    return table


def _cell_property(tc: Any, tag: str, absent: str = "") -> str | None:
    """The `w:val` of a cell property (`absent` when the property stands without one), or None."""
    pr = first_child(tc, _TCPR)
    found = first_child(pr, tag) if pr is not None else None
    return None if found is None else found.get(W_VAL, absent)


def _merged_above(tc: Any) -> bool:
    """A cell merged with the one above holds nothing of its own (Word leaves it an empty paragraph)."""
    return _cell_property(tc, _VMERGE, "continue") == "continue"


def _is_band(tc: Any) -> bool:
    """A leading cell merged down the rows with its text turned on its side titles those rows:
    a section band, read as a heading before them rather than as the first row's label."""
    return _cell_property(tc, _VMERGE) == "restart" and _cell_property(tc, _TEXT_DIRECTION) in _SIDEWAYS


_TCPR, _GRIDSPAN = qn("w:tcPr"), qn("w:gridSpan")  # `tc.find("w:tcPr/w:gridSpan")`, without its path parsing
_VMERGE, _TEXT_DIRECTION = qn("w:vMerge"), qn("w:textDirection")
_SIDEWAYS = {"btLr", "tbRl", "tbRlV", "tbLrV"}
_ROW_WRAPPERS = (qn("w:ins"), qn("w:customXml"))


def _iter_rows(tbl: Any) -> Iterator[Any]:
    for child in tbl:
        if child.tag == W_TR:
            yield child
        elif child.tag == W_SDT or child.tag in _ROW_WRAPPERS:
            inner = first_child(child, W_SDTCONTENT) if child.tag == W_SDT else child
            if inner is not None:
                yield from _iter_rows(inner)


def _iter_cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == W_TC:
            yield child
        elif child.tag == W_SDT:
            inner = first_child(child, W_SDTCONTENT)
            if inner is not None:
                yield from _iter_cells(inner)


def _paragraph(p: Any, controls: tuple[str, ...], texts: Texts | None) -> Paragraph:
    ppr = first_child(p, _PPR)
    style, is_list = "", False
    if ppr is not None:
        pstyle = first_child(ppr, _PSTYLE)
        style = pstyle.get(W_VAL, "") if pstyle is not None else ""
        is_list = first_child(ppr, _NUMPR) is not None or "list" in style.lower()
    inline = tuple(sdt_tag(s) for s in p.iter(W_SDT))
    text = paragraph_text(p, texts)
    if texts is not None:
        texts[p] = text
    return Paragraph(text, style, is_list, p, (*controls, *inline), _all_bold(p))


_R, _B, _RPR = qn("w:r"), qn("w:b"), qn("w:rPr")


def _all_bold(p: Any) -> bool:
    """Whether every run of the paragraph that holds text is set bold (direct formatting); the first
    run that is not ends the look."""
    found = False
    for run in p.iter(_R):
        if not any((t.text or "").strip() for t in run.iter(_T)):
            continue
        rpr = first_child(run, _RPR)
        bold = first_child(rpr, _B) if rpr is not None else None
        if bold is None or bold.get(W_VAL, "true") in ("0", "false", "off"):
            return False
        found = True
    return found


def paragraph_text(p: Any, texts: Texts | None = None) -> str:
    """Return the visible text of a paragraph (tabs, breaks and field results included); `texts`,
    when given, receives the text of each control's content met on the way."""
    out: list[str] = []
    _collect(p, out, [False], texts)
    return without_prompts("".join(out))


def _collect(node: Any, out: list[str], in_instruction: list[bool], texts: Texts | None = None) -> None:
    for child in node:
        tag = child.tag
        if tag == _R:  # the commonest first; a run struck through is what the writer deleted, a hidden one no one sees
            if not _struck_or_hidden(child):
                _collect(child, out, in_instruction, texts)
        elif tag == _T:
            if not in_instruction[0]:
                out.append(child.text or "")
        elif not isinstance(tag, str) or tag in _SKIPPED:
            continue
        elif tag == _FLDCHAR:
            kind = child.get(_FLDTYPE)
            in_instruction[0] = kind == "begin" or (in_instruction[0] and kind not in ("separate", "end"))
            if kind == "begin" and (box := child.find(_LEGACY_BOX)) is not None:
                out.append("☒ " if legacy_checked(box) else "☐ ")  # a FORMCHECKBOX shows no character of its own
        elif tag == _TAB:
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == _NOBREAK:
            out.append("-")
        elif tag == _SYM:
            out.append(_symbol(child))
        elif tag == W_SDT:
            if in_instruction[0]:
                if not shows_placeholder(child, texts):
                    _collect(child, out, in_instruction, texts)
                continue
            own, state = _sdt_content(child, texts)  # its content collected once, kept unless a prompt
            if not _prompt_only(own, child):
                out.extend(own)
                in_instruction[0] = state[0]
        else:
            _collect(child, out, in_instruction, texts)


_LEGACY_BOX = f"{qn('w:ffData')}/{qn('w:checkBox')}"


def legacy_checked(box: Any) -> bool:
    """Whether a legacy form field's check box (`w:checkBox`) is ticked: its state, else its default."""
    for name in ("w:checked", "w:default"):
        el = box.find(qn(name))
        if el is not None:
            return el.get(_VAL, "1").lower() in ("1", "true", "on")
    return False


def _struck_or_hidden(run: Any) -> bool:
    """Whether a run is struck through or hidden (a template's help text, set `w:vanish`)."""
    props = first_child(run, _RPR)
    if props is None:
        return False
    for tag in _HIDING:
        mark = first_child(props, tag)
        if mark is not None and mark.get(_VAL, "true") not in ("0", "false", "off"):
            return True
    return False


def _sdt_content(sdt: Any, texts: Texts | None = None) -> tuple[list[str], list[bool]]:
    """Return the text pieces of a control's content and whether it ends inside a field instruction."""
    own: list[str] = []
    state = [False]
    content = first_child(sdt, W_SDTCONTENT)
    if content is not None:
        _collect(content, own, state, texts)
        if texts is not None:  # what `paragraph_text(content)` returns
            texts[content] = without_prompts("".join(own))
    return own, state


def shows_placeholder(sdt: Any, texts: Texts | None = None) -> bool:
    """Whether an inline control shows Word's prompt rather than an answer (flagged so, or exactly the prompt)."""
    return _prompt_only(_sdt_content(sdt, texts)[0], sdt)


def _prompt_only(own: list[str], sdt: Any) -> bool:
    norm = normalise("".join(own))
    if norm in PLACEHOLDER_TEXTS:
        return True
    pr = first_child(sdt, _SDTPR)
    flagged = pr is not None and first_child(pr, _SHOWING_PLACEHOLDER) is not None
    return flagged and (not norm or any(norm.startswith(p) for p in PLACEHOLDER_TEXTS))


def _symbol(sym: Any) -> str:
    code = sym.get(_CHAR, "")
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    # Wingdings boxes used as checkboxes: 0xF0FE / 0xF078 checked, 0xF0A8 / 0xF06F empty.
    return {0xF0FE: "☒", 0xF078: "☒", 0xF0A8: "☐", 0xF06F: "☐"}.get(value, "")


def _text_boxes(p: Any, controls: tuple[str, ...], texts: Texts | None) -> Iterator[Block]:
    """Yield the content of the text boxes anchored in a paragraph, once per box: Word stores a box
    twice (DrawingML and its VML fallback) and the fallback is skipped; a box inside a box is read
    with the box holding it."""
    for box in p.iter(_TXBX):
        above = list(box.iterancestors())
        inside = above[: above.index(p)] if p in above else above
        if any(a.tag == _FALLBACK or a.tag == _TXBX for a in inside):
            continue
        yield from walk(box, controls, texts)


_FALLBACK = qn("mc:Fallback")


def sdt_tag(sdt: Any) -> str:
    """Return a content control's tag, or its alias (title) when it has no tag."""
    pr = first_child(sdt, _SDTPR)
    if pr is None:
        return ""
    for name in _TAG_OR_ALIAS:
        el = first_child(pr, name)
        if el is not None and el.get(W_VAL):
            return str(el.get(W_VAL)).strip()
    return ""


def cell_text(cell: list[Block]) -> str:
    """Return the text of a table cell, one line per paragraph."""
    return "\n".join(p.text for p in flatten(cell) if p.text.strip())


def flatten(blocks: list[Block]) -> Iterator[Paragraph]:
    """Yield every paragraph below some blocks, tables read row by row."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        else:
            for r, row in enumerate(block.rows):
                yield from flatten(block.bands.get(r, []))
                for cell in row:
                    yield from flatten(cell)
