"""What every reader's unit of text drops, whatever the format: Word's prompts and typed rules."""

from __future__ import annotations

from workflow.parsers.base import Unit


def test_a_line_typed_across_the_page_parts_blocks_and_is_no_text():
    assert Unit("cofinancement des postes.\n" + "=" * 40, "paragraphe 16").text == "cofinancement des postes."
    assert Unit("-" * 30, "paragraphe 17").text == ""
    assert Unit("a – b - c\n-- voir plus bas --", "paragraphe 18").text == "a – b - c\n-- voir plus bas --"
