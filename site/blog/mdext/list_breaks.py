"""A list may start right after a paragraph line, with no blank line between them.

CommonMark (so Hugo, Zola, Eleventy and GitHub) lets a bullet list, or an
ordered list that starts at 1, interrupt a paragraph; Python-Markdown reads
the items as more of the paragraph's text. This block processor runs just
before the paragraph one and splits such a block where its list starts.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor

# a non-empty item of a bullet list, or of an ordered list numbered 1, indented at most 3 spaces
INTERRUPTING_ITEM = re.compile(r"^ {0,3}(?:[*+-]|1[.)])[ \t]+\S", re.M)
ANY_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")


class ListAfterParagraph(BlockProcessor):
    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._split_at(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        at = self._split_at(block)
        assert at is not None
        blocks[:0] = [block[: at - 1], block[at:]]

    @staticmethod
    def _split_at(block: str) -> int | None:
        """Where, after a first line of paragraph text, a list item starts in ``block``."""
        if ANY_ITEM.match(block):
            return None  # a list's own block, which the list processors take
        match = INTERRUPTING_ITEM.search(block)
        return match.start() if match and match.start() > 0 else None


class ListBreaksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.parser.blockprocessors.register(ListAfterParagraph(md.parser), "list_after_paragraph", 12)
