"""The content a form's reader takes, once what stands between it and the answers is set aside:
a discussion's stamps and notices, Markdown typed as text, the letter above a reply slip, a
translation's column, merge fields left unfilled, a reviewer's annotations, a notice's box numbers,
captions printed under their lines."""

from __future__ import annotations

from workflow.extract.amendments import with_amendments
from workflow.extract.box_legend import with_legend
from workflow.extract.chat_export import without_chat_stamps
from workflow.extract.labels_below import with_labels_above
from workflow.extract.markdown_text import from_markdown
from workflow.extract.placeholders import without_placeholders
from workflow.extract.reply_slip import only_the_slip
from workflow.extract.translation import without_translation
from workflow.parsers.base import Contenu


def prepared(contenu: Contenu) -> Contenu:
    return with_labels_above(
        with_legend(
            with_amendments(
                without_placeholders(without_translation(only_the_slip(from_markdown(without_chat_stamps(contenu)))))
            )
        )
    )
