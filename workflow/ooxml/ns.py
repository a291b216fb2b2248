"""Namespaces of WordprocessingML and a Clark-notation helper."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


@lru_cache(maxsize=256)
def qn(tag: str) -> str:
    """Return `{uri}local` for a prefixed tag such as `w:p`."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


W_P, W_TBL, W_TR, W_TC, W_SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
W_SDTCONTENT, W_SDTPR = qn("w:sdtContent"), qn("w:sdtPr")
W_VAL = qn("w:val")


def first_child(element: Any, tag: str) -> Any:
    """Return the first child of `element` with this tag, or None: `element.find(tag)` for a plain
    tag, without lxml's path parsing; called thousands of times a document on elements of a few
    children, where a plain loop is faster still than `iterchildren(tag)`."""
    for node in element:
        if node.tag == tag:
            return node
    return None
