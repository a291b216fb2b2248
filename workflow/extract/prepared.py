"""The content a form's reader takes, once what stands between it and the answers is set aside:
a discussion's stamps and notices, a list of the questions before they are asked, a task board's
marks, a workshop's notes not kept, a web page's closed sections, Markdown typed as text, the letter
above a reply slip, a translation's column, merge fields left unfilled, a reviewer's annotations, a
notice's box numbers, captions printed under their lines."""

from __future__ import annotations

from collections.abc import Callable

from workflow.extract.amendments import with_amendments
from workflow.extract.board_export import from_board
from workflow.extract.box_legend import with_legend
from workflow.extract.chat_export import without_chat_stamps
from workflow.extract.contents import without_contents
from workflow.extract.labels_below import with_labels_above
from workflow.extract.markdown_text import from_markdown
from workflow.extract.placeholders import without_placeholders
from workflow.extract.reply_slip import only_the_slip
from workflow.extract.sticky_notes import kept_notes
from workflow.extract.translation import without_translation
from workflow.extract.web_page import without_closed_sections
from workflow.parsers.base import Contenu

STEPS: tuple[Callable[[Contenu], Contenu], ...] = (  # in this order: each sees what the one before left
    without_chat_stamps,
    without_contents,
    from_board,
    kept_notes,
    without_closed_sections,
    from_markdown,
    only_the_slip,
    without_translation,
    without_placeholders,
    with_amendments,
    with_legend,
    with_labels_above,
)


def prepared(contenu: Contenu) -> Contenu:
    for step in STEPS:
        contenu = step(contenu)
    return contenu
