"""Markdown pasted as plain text (« ## 2. Quels quartiers… », « - [x] Quatre As », « | Instance | Nom | »):
read as what it would show once rendered, by markdown-it, a line of the document per source line.
Headings come back bold, list items as list items, task boxes as ☒ / ☐, tables as tables; struck
text, comments, rules, code blocks and the YAML front matter show nothing a form asks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from workflow.parsers.base import Contenu, Unit

_MARKS = {  # the kinds of Markdown syntax, each told by the lines that show it
    "heading": re.compile(r"^#{1,6}\s+\S"),
    "strong": re.compile(r"\*\*[^*\n]+\*\*"),
    "task": re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s"),
    "table": re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$"),
    "link": re.compile(r"\]\([^)\s]+\)"),
    "comment": re.compile(r"<!--"),
    "fence": re.compile(r"^\s*```"),
}
MIN_KINDS = 3  # headings, bold and links together: Markdown, not a dash typed before a line
MIN_HEADINGS = 2
_FRONT_MATTER_KEY = re.compile(r"^[\w-]+\s*:")
_ROW = re.compile(r"^\s*\|")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_TASK = re.compile(r"^\[([ xX])\]\s+")
_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def from_markdown(contenu: Contenu) -> Contenu:
    """The content as its Markdown shows, when the document is Markdown typed as text."""
    units = contenu.units
    if any(u.table is not None for u in units) or not _is_markdown(units):
        return contenu
    lines: list[str] = []  # the source's lines
    owners: list[int] = []  # and the unit each comes from
    for n, unit in enumerate(units):
        for line in _source(unit).split("\n"):
            together = _ROW.match(line) and _ROW.match(lines[-1]) if lines else True  # a table's rows
            if not together and not _continued(units[n - 1], unit):
                lines.append("")  # each paragraph of the document a block of its own
                owners.append(n)
            lines.append(line)
            owners.append(n)
    lines = _without_front_matter(lines)
    shown = list(_rendered(_PARSER.parse("\n".join(lines)), units, owners))
    return replace(contenu, units=tuple(shown))


def _source(unit: Unit) -> str:
    """The Markdown a unit was typed as: a PDF's reader takes the dash of a list item off."""
    return f"- {unit.text}" if unit.is_list and not _BULLET.match(unit.text) else unit.text


def _continued(before: Unit, unit: Unit) -> bool:
    """A PDF's list item wrapped on the next line (« … pour » then « relayer l'information … »)."""
    return before.is_list and not unit.is_list and unit.text[:1].islower() and before.text.rstrip()[-1:] not in ".;:!?"


def _is_markdown(units: tuple[Unit, ...]) -> bool:
    texts = [u.text for u in units]
    kinds = {kind for kind, mark in _MARKS.items() if any(mark.search(t) for t in texts)}
    headings = sum(1 for t in texts if _MARKS["heading"].match(t))
    return len(kinds) >= MIN_KINDS and headings >= MIN_HEADINGS


def _without_front_matter(lines: list[str]) -> list[str]:
    """The lines with a YAML front matter (« --- », « key: value » lines, « --- ») blanked, wherever
    the first rule of the text opens it: a pad's export puts it first, a note may stand before it."""
    start = next((n for n, line in enumerate(lines) if line.strip() == "---"), None)
    if start is None:
        return lines
    end = next((n for n in range(start + 1, len(lines)) if lines[n].strip() == "---"), None)
    body = lines[start + 1 : end] if end is not None else []
    if end is None or not body or not all(_FRONT_MATTER_KEY.match(line) for line in body if line.strip()):
        return lines
    return [*lines[:start], *([""] * (end + 1 - start)), *lines[end + 1 :]]


def _rendered(tokens: list[Token], units: tuple[Unit, ...], owners: list[int]) -> Iterator[Unit]:
    """One unit per heading, paragraph, list item and table cell, placed where its source line was."""

    def where(token: Token) -> str:
        line = token.map[0] if token.map else 0
        return units[owners[min(line, len(owners) - 1)]].where

    table, row, col, place = 0, 0, 0, ""
    in_list, heading, in_cell = 0, False, False
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif kind in ("heading_open", "heading_close"):
            heading = kind == "heading_open"
        elif kind == "table_open":
            table, row = table + 1, 0
        elif kind == "tr_open":
            row, col, place = row + 1, 0, where(token)
        elif kind in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = kind.endswith("_open")
            col += in_cell
        elif kind == "inline" and in_cell:
            text = " ".join(line for line, _ in _lines(token))
            yield Unit(text, place, table=table, row=row, col=col, bold=all(bold for _, bold in _lines(token)))
        elif kind == "inline":
            for text, strong in _lines(token):
                if in_list:
                    box = _TASK.match(text)
                    shown = f"{'☐' if box.group(1) == ' ' else '☒'} {text[box.end() :]}" if box else text
                    yield Unit(shown, where(token), "List Paragraph", True, bold=strong)
                else:
                    yield Unit(text, where(token), "Heading" if heading else "", bold=heading or strong)


def _lines(token: Token) -> list[tuple[str, bool]]:
    """The lines an inline shows (struck text and comments left out), each with whether it is bold
    whole; a wrapped line goes on, a hard break starts a new one."""
    found: list[tuple[str, bool]] = []
    out: list[str] = []
    struck, strong, plain = 0, 0, False

    def flush() -> None:
        text = re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()
        if text:
            found.append((text, not plain))

    for child in token.children or ():
        kind = child.type
        if kind == "hardbreak":
            flush()
            out, plain = [], False
        elif kind == "softbreak":
            out.append(" ")
        elif kind in ("s_open", "s_close"):
            struck += 1 if kind == "s_open" else -1
        elif kind in ("strong_open", "strong_close"):
            strong += 1 if kind == "strong_open" else -1
        elif not struck and kind in ("text", "code_inline"):
            out.append(child.content)
            plain = plain or (not strong and bool(child.content.strip()))
    flush()
    return found
