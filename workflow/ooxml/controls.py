"""Read form controls: content controls (`w:sdt`) and legacy form fields (FORMTEXT...).

python-docx has no API for either (python-docx #155, #224), so this works on the XML.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from workflow.ooxml.blocks import CHECKED_GLYPHS, PLACEHOLDER_TEXTS, legacy_checked, paragraph_text, sdt_tag
from workflow.ooxml.ns import W_P, W_SDT, W_SDTCONTENT, W_SDTPR, W_VAL, first_child, qn
from workflow.text import normalise

W14_VAL = qn("w14:val")
_FALLBACK = qn("mc:Fallback")
_CHECKED = f"{qn('w14:checkbox')}/{qn('w14:checked')}"
_SHOWING_PLACEHOLDER = qn("w:showingPlcHdr")


@dataclass(frozen=True, eq=False)
class Control:
    """One content control or legacy field: its key, its value and where it stands."""

    tag: str
    kind: str  # "texte", "case", "liste", "date", "bloc", "champ-texte", "champ-case", "champ-liste"
    text: str
    checked: bool | None
    element: Any


def content_controls(story: Any, texts: Mapping[Any, str] | None = None) -> Iterator[Control]:
    """Yield every `w:sdt` below a story element, outer controls before inner ones; `texts`: the
    texts already read by `walk`, not read again."""
    known = texts or {}
    for sdt in story.iter(W_SDT):
        if _in_fallback(sdt):
            continue
        pr = first_child(sdt, W_SDTPR)
        kind = _sdt_kind(pr)
        text = _sdt_text(sdt, known)
        checked = _checkbox_state(pr, text) if kind == "case" else None
        if _is_placeholder(pr, text):
            text = ""
        yield Control(sdt_tag(sdt), kind, text, checked, sdt)


def legacy_fields(story: Any) -> Iterator[Control]:
    """Yield legacy FORMTEXT / FORMCHECKBOX / FORMDROPDOWN fields, named by their bookmark."""
    for ffdata in story.iter(qn("w:ffData")):
        if _in_fallback(ffdata):
            continue
        begin_run = ffdata.getparent().getparent()
        name_el = ffdata.find(qn("w:name"))
        name = name_el.get(W_VAL, "") if name_el is not None else ""
        box = ffdata.find(qn("w:checkBox"))
        drop = ffdata.find(qn("w:ddList"))
        if box is not None:
            yield Control(name, "champ-case", "", legacy_checked(box), begin_run)
        elif drop is not None:
            yield Control(name, "champ-liste", _dropdown_value(drop), None, begin_run)
        else:
            yield Control(name, "champ-texte", _field_result(begin_run), None, begin_run)


def _in_fallback(element: Any) -> bool:
    """Tell whether an element is the legacy copy (VML fallback) of a text box's content."""
    return next(element.iterancestors(_FALLBACK), None) is not None


_KINDS = tuple(
    (qn(name), kind)
    for name, kind in (
        ("w14:checkbox", "case"),
        ("w:dropDownList", "liste"),
        ("w:comboBox", "liste"),
        ("w:date", "date"),
        ("w:text", "texte"),
    )
)


def _sdt_kind(pr: Any) -> str:
    if pr is None:
        return "bloc"
    present = {child.tag for child in pr}  # one pass over its children rather than a search per kind
    return next((kind for tag, kind in _KINDS if tag in present), "bloc")


def _sdt_text(sdt: Any, known: Mapping[Any, str]) -> str:
    content = first_child(sdt, W_SDTCONTENT)
    if content is None:
        return ""
    paragraphs = list(content.iter(W_P))
    if not paragraphs:  # run-level control: its content is runs
        return _text_of(content, known).strip()
    return "\n".join(_text_of(p, known) for p in paragraphs).strip()


def _text_of(p: Any, known: Mapping[Any, str]) -> str:
    text = known.get(p)
    return paragraph_text(p) if text is None else text


def _checkbox_state(pr: Any, text: str) -> bool:
    """Ticked when Word's state says so, or when the glyph was changed by hand (☒, X)."""
    checked = pr.find(_CHECKED)
    state = checked is not None and checked.get(W14_VAL, "0").lower() in ("1", "true", "on")
    return state or any(ch in CHECKED_GLYPHS for ch in text) or text.strip().lower() == "x"


def _is_placeholder(pr: Any, text: str) -> bool:
    """Word's prompt is no answer: flagged as such, or exactly the prompt (an editor that dropped the flag)."""
    norm = normalise(text)
    if pr is not None and norm in PLACEHOLDER_TEXTS:
        return True
    if pr is None or first_child(pr, _SHOWING_PLACEHOLDER) is None:
        return False
    return not norm or any(norm.startswith(p) for p in PLACEHOLDER_TEXTS)


def _dropdown_value(drop: Any) -> str:
    entries = [e.get(W_VAL, "") for e in drop.findall(qn("w:listEntry"))]
    result = drop.find(qn("w:result"))
    index = int(result.get(W_VAL, "0")) if result is not None else 0
    return entries[index] if 0 <= index < len(entries) else ""


def _field_result(begin_run: Any) -> str:
    """Return the text between a field's `separate` and `end` marks (it may span paragraphs)."""
    out: list[str] = []
    depth, showing = 0, False
    run = begin_run
    while run is not None:
        run = _next_run(run)
        if run is None:
            break
        mark = run.find(qn("w:fldChar"))
        if mark is not None:
            kind = mark.get(qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
            elif kind == "separate" and depth == 0:
                showing = True
            elif kind == "end":
                if depth == 0:
                    break
                depth -= 1
        elif showing and depth == 0:
            out.append(paragraph_text(run))
    return "".join(out).replace("\u2002", " ").strip()


def _next_run(run: Any) -> Any:
    """Return the next `w:r` in document order after `run` (crossing paragraphs)."""
    for el in run.itersiblings():
        if el.tag == qn("w:r"):
            return el
        inner = next(el.iter(qn("w:r")), None) if isinstance(el.tag, str) else None
        if inner is not None:
            return inner
    paragraph = run.getparent()
    while paragraph is not None and paragraph.tag != W_P:
        paragraph = paragraph.getparent()
    following = paragraph.getnext() if paragraph is not None else None
    while following is not None:
        inner = next(following.iter(qn("w:r")), None)
        if inner is not None:
            return inner
        following = following.getnext()
    return None
