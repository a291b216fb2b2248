"""Fill a generated questionnaire form through its content controls, as a partner would in Word."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement

from workflow.ooxml.blocks import sdt_tag
from workflow.ooxml.ns import W_P, W_SDT, W_SDTCONTENT, W_TR, qn

SCALARS = (
    "organisme",
    "campagne",
    "referent_nom",
    "referent_fonction",
    "referent_courriel",
    "referent_telephone",
    "quartiers_precisions",
)
LISTS = ("interventions_structurantes", "agents_gouvernance", "objectifs")


def fill_questionnaire_form(form: Path, answers: dict[str, Any], output: Path) -> Path:
    """Write `form` filled with `answers` (the JSON export's field names) to `output`."""
    document = docx.Document(str(form))
    body = document.element.body
    controls = {sdt_tag(s): s for s in body.iter(W_SDT)}
    for field in SCALARS:
        if field in answers and field in controls:
            set_text(controls[field], str(answers[field]))
    for field in LISTS:
        if field in answers and field in controls:
            _fill_rows(controls[field], [{k: str(v) for k, v in row.items()} for row in answers[field]])
    ticked = set(answers.get("quartiers_vises", []))
    for tag, sdt in controls.items():
        if tag.startswith("quartier:"):
            set_checkbox(sdt, tag.split(":", 1)[1] in ticked)
    if "engagements_2024_2030" in answers:
        _fill_paragraphs(controls["engagements_2024_2030"], answers["engagements_2024_2030"].splitlines(), document)
    document.save(str(output))
    return output


def set_text(sdt: Any, value: str) -> None:
    """Replace a run-level control's text (line breaks become `w:br`)."""
    content = sdt.find(W_SDTCONTENT)
    runs = content.findall(qn("w:r"))
    run = runs[0] if runs else content.makeelement(qn("w:r"), {})
    for extra in runs[1:]:
        content.remove(extra)
    if not runs:
        content.append(run)
    for child in list(run):
        if child.tag != qn("w:rPr"):
            run.remove(child)
    for i, line in enumerate(value.split("\n")):
        if i:
            run.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)


def set_checkbox(sdt: Any, checked: bool) -> None:
    state = sdt.find(f"{qn('w:sdtPr')}/{qn('w14:checkbox')}/{qn('w14:checked')}")
    state.set(qn("w14:val"), "1" if checked else "0")
    glyph = sdt.find(f"{W_SDTCONTENT}//{qn('w:t')}")
    glyph.text = "☒" if checked else "☐"


def _fill_rows(table_sdt: Any, rows: list[dict[str, str]]) -> None:
    data_rows = [tr for tr in table_sdt.iter(W_TR) if any(sdt_tag(s) for s in tr.iter(W_SDT))]
    while len(data_rows) < len(rows):
        clone = copy.deepcopy(data_rows[-1])
        data_rows[-1].addnext(clone)
        data_rows.append(clone)
    for tr, values in zip(data_rows, rows + [{}] * len(data_rows), strict=False):
        for sdt in tr.iter(W_SDT):
            set_text(sdt, values.get(sdt_tag(sdt), ""))


def _fill_paragraphs(block_sdt: Any, lines: list[str], document: Any) -> None:
    """One paragraph per line; "- " lines become real Word bullets."""
    content = block_sdt.find(W_SDTCONTENT)
    for p in content.findall(W_P):
        content.remove(p)
    for line in lines or [""]:
        paragraph = document.add_paragraph(
            line.removeprefix("- "), style="List Bullet" if line.startswith("- ") else None
        )
        content.append(paragraph._p)


def fill_association_form(form: Path, answers: dict[str, Any], output: Path) -> Path:
    """Write an association form filled with `answers` (the JSON export's field names) to `output`."""
    document = docx.Document(str(form))
    body = document.element.body
    controls: dict[str, Any] = {}
    for sdt in body.iter(W_SDT):
        controls.setdefault(sdt_tag(sdt), sdt)
    for field, value in answers.items():
        if isinstance(value, str) and field in controls:
            set_text(controls[field], value)
    ticked = {
        "quartier": answers.get("quartiers_intervention", []),
        "ambition": answers.get("ambitions", []),
        "engagement": answers.get("engagements", []),
    }
    for tag, sdt in controls.items():
        prefix, _, ident = tag.partition(":")
        if ident and prefix in ticked:
            set_checkbox(sdt, ident in ticked[prefix])
    _fill_rows(controls["objectifs"], [{k: str(v) for k, v in row.items()} for row in answers.get("objectifs", [])])
    blocks = [sdt for sdt in body.iter(W_SDT) if sdt_tag(sdt) == "action"]
    for extra in blocks[len(answers.get("actions", [])) :]:
        extra.getparent().remove(extra)
    blocks = blocks[: max(1, len(answers.get("actions", [])))]
    while len(blocks) < len(answers.get("actions", [])):
        clone = copy.deepcopy(blocks[-1])
        blocks[-1].addnext(clone)
        blocks.append(clone)
    for block, action in zip(blocks, answers.get("actions", []), strict=False):
        for sdt in block.iter(W_SDT):
            if isinstance(action.get(sdt_tag(sdt)), str):
                set_text(sdt, action[sdt_tag(sdt)])
        funding = next(s for s in block.iter(W_SDT) if sdt_tag(s) == "cofinancements")
        _fill_rows(funding, action.get("cofinancements", []))
    _fill_paragraphs(controls["indicateurs_suivi"], answers.get("indicateurs_suivi", []), document)
    document.save(str(output))
    return output
